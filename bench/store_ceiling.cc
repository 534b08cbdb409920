// amparo-bench-store-ceiling: the durable-write ceiling under the gateway.
// Many threads PutEnvelope the same envelope bytes (under fresh ids) into a
// RocksDB store for a fixed time, with no HTTP or TLS in the way; every put
// returns only once synced, so puts/s is the most envelopes/s the store can
// acknowledge. Prints `key: value` lines. See bench/README.md.

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/byte_reader.h"
#include "common/clock.h"
#include "common/file_io.h"
#include "common/limits.h"
#include "storage/rocksdb_store.h"

namespace {

int Fail(const std::string& message, amparo::Error error) {
  std::cerr << "amparo-bench-store-ceiling: " << message << ": " << amparo::ErrorName(error)
            << '\n';
  return 1;
}

// IdFor makes a distinct non-zero id per (run, thread, sequence): the store
// needs ids to be unique, not random; the run tag lets a store be reused.
amparo::storage::EnvelopeId IdFor(std::uint32_t run, std::uint32_t thread,
                                  std::uint64_t sequence) {
  amparo::storage::EnvelopeId::Bytes bytes{};
  for (std::size_t i = 0; i < 4; ++i) {
    bytes[i] = static_cast<std::uint8_t>(run >> (8 * i));
    bytes[4 + i] = static_cast<std::uint8_t>((thread + 1) >> (8 * i));
  }
  for (std::size_t i = 0; i < 8; ++i) {
    bytes[8 + i] = static_cast<std::uint8_t>(sequence >> (8 * i));
  }
  return amparo::storage::EnvelopeId(bytes);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"amparo-bench-store-ceiling: synced group-commit PutEnvelope rate"};
  std::string dir;
  std::string envelope_path;
  unsigned threads = 64;
  double seconds = 10;
  app.add_option("--dir", dir, "store directory (created if absent)")->required();
  app.add_option("--envelope", envelope_path, "envelope file whose bytes are put")->required();
  app.add_option("--threads", threads, "writer threads")->check(CLI::Range(1u, 1024u));
  app.add_option("--seconds", seconds, "duration")->check(CLI::Range(0.1, 3600.0));
  CLI11_PARSE(app, argc, argv);

  auto text = amparo::ReadSmallFile(envelope_path, amparo::limits::kMaxStorePutEnvelopeBytes);
  if (!text.ok()) return Fail("cannot read the envelope", text.error());
  const auto bytes = amparo::AsBytes(text.value());

  auto opened = amparo::storage::OpenRocksDbStore(dir, {});
  if (!opened.ok()) return Fail("cannot open the store", opened.error());
  amparo::storage::EnvelopeStore& store = *opened.value();
  auto before = store.Stats();
  if (!before.ok()) return Fail("cannot read the store's counters", before.error());
  const amparo::Day today = amparo::SystemClock().Today();
  const std::uint32_t run = std::random_device{}();

  std::atomic<std::uint64_t> puts{0};
  std::atomic<bool> failed{false};
  std::atomic<amparo::Error> first_error{amparo::Error::kIo};
  const auto start = std::chrono::steady_clock::now();
  const auto deadline =
      start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                  std::chrono::duration<double>(seconds));
  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::uint64_t done = 0;
      while (!failed.load(std::memory_order_relaxed) &&
             std::chrono::steady_clock::now() < deadline) {
        const amparo::Status status = store.PutEnvelope(IdFor(run, t, done), bytes, today);
        if (!status.ok()) {
          if (!failed.exchange(true)) first_error.store(status.error());
          break;
        }
        ++done;
      }
      puts.fetch_add(done, std::memory_order_relaxed);
    });
  }
  for (auto& worker : workers) worker.join();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (failed.load()) return Fail("a put failed", first_error.load());

  auto after = store.Stats();
  if (!after.ok()) return Fail("cannot read the store's counters", after.error());
  const std::uint64_t syncs = after.value().commit_syncs - before.value().commit_syncs;
  const std::uint64_t writes = after.value().commit_writes - before.value().commit_writes;
  const std::uint64_t total = puts.load();

  std::printf("threads: %u\n", threads);
  std::printf("envelope_bytes: %zu\n", bytes.size());
  std::printf("seconds: %.3f\n", elapsed);
  std::printf("puts: %llu\n", static_cast<unsigned long long>(total));
  std::printf("puts_per_second: %.1f\n", static_cast<double>(total) / elapsed);
  std::printf("commit_writes: %llu\n", static_cast<unsigned long long>(writes));
  std::printf("commit_syncs: %llu\n", static_cast<unsigned long long>(syncs));
  std::printf("syncs_per_second: %.1f\n", static_cast<double>(syncs) / elapsed);
  std::printf("writes_per_sync: %.1f\n",
              syncs == 0 ? 0.0 : static_cast<double>(writes) / static_cast<double>(syncs));
  return 0;
}
