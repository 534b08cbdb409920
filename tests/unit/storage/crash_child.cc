// crash_child.cc: the process that crash_test.cc kills. It opens the store
// given on its command line and writes without end from several threads:
// synchronous puts, asynchronous puts, and resumable uploads. After each call
// returns successfully (or its completion reports success), it prints one
// acknowledgement line to standard output:
//   P <n>          envelope EnvelopeNumber(n) is stored
//   C <u>          upload UploadNumber(u) was created
//   A <u> <off>    upload u holds `off` bytes
//   F <u>          upload u became envelope EnvelopeNumber(kUploadEnvelopes + u)
// Each line is one write(2) of less than PIPE_BUF bytes, so lines from
// different threads never interleave. Usage: crash_child STORE_DIR ROUND

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/unit/storage/crash_test_plan.h"
#include "tests/unit/storage/store_test_util.h"

namespace amparo::storage::test {
namespace {

void Acknowledge(const std::string& line) {
  const std::string out = line + "\n";
  if (::write(STDOUT_FILENO, out.data(), out.size()) != static_cast<ssize_t>(out.size())) {
    std::_Exit(3);
  }
}

void SyncPuts(EnvelopeStore& store, std::uint64_t first, std::uint64_t stride) {
  for (std::uint64_t n = first;; n += stride) {
    const auto id = EnvelopeNumber(n);
    if (!store.PutEnvelope(id, ContentFor(id, ContentSizeFor(n)), kToday).ok()) std::_Exit(4);
    Acknowledge("P " + std::to_string(n));
  }
}

void AsyncPuts(EnvelopeStore& store, std::uint64_t first) {
  constexpr int kInFlight = 32;
  std::mutex mutex;
  std::condition_variable room;
  int in_flight = 0;
  for (std::uint64_t n = first;; ++n) {
    {
      std::unique_lock lock(mutex);
      room.wait(lock, [&] { return in_flight < kInFlight; });
      ++in_flight;
    }
    const auto id = EnvelopeNumber(n);
    store.PutEnvelopeAsync(id, ContentFor(id, ContentSizeFor(n)), kToday, [&, n](Status status) {
      if (!status.ok()) std::_Exit(5);
      Acknowledge("P " + std::to_string(n));
      std::lock_guard lock(mutex);
      --in_flight;
      room.notify_one();
    });
  }
}

void Uploads(EnvelopeStore& store, std::uint64_t first) {
  for (std::uint64_t u = first;; ++u) {
    const auto envelope = UploadEnvelope(u);
    const std::uint64_t total = UploadTotal(u);
    const auto head = ContentFor(envelope, kUploadHeadBytes);
    if (!store.CreateUpload(UploadNumber(u), total, head, kToday).ok()) std::_Exit(6);
    Acknowledge("C " + std::to_string(u));
    std::uint64_t offset = kUploadHeadBytes;
    std::vector<std::uint8_t> piece;
    while (offset < total) {
      const std::uint64_t n = std::min<std::uint64_t>(UploadPiece(u, offset), total - offset);
      piece.resize(n);
      for (std::uint64_t i = 0; i < n; ++i) piece[i] = ContentByte(envelope, offset + i);
      if (!store.AppendUpload(UploadNumber(u), offset, piece).ok()) std::_Exit(7);
      offset += n;
      Acknowledge("A " + std::to_string(u) + " " + std::to_string(offset));
    }
    if (!store.FinalizeUpload(UploadNumber(u), envelope, kToday).ok()) std::_Exit(8);
    Acknowledge("F " + std::to_string(u));
  }
}

}  // namespace
}  // namespace amparo::storage::test

int main(int argc, char** argv) {
  using namespace amparo::storage::test;
  if (argc != 3) return 2;
  const std::uint64_t round = std::strtoull(argv[2], nullptr, 10);
  amparo::storage::RocksDbStoreOptions options;
  options.chunk_memtable_bytes = 4 * 1024 * 1024;  // flush often, so kills land in flushes too
  auto store = OpenOrDie(argv[1], options);

  const std::uint64_t base = RoundBase(round);
  std::vector<std::thread> threads;
  for (std::uint64_t t = 0; t < kSyncPutThreads; ++t) {
    threads.emplace_back([&, t] { SyncPuts(*store, base + t, kSyncPutThreads); });
  }
  threads.emplace_back([&] { AsyncPuts(*store, base + kAsyncPutOffset); });
  threads.emplace_back([&] { Uploads(*store, base); });
  // The parent kills this process long before; never outlive a lost parent.
  std::this_thread::sleep_for(std::chrono::seconds(30));
  std::_Exit(9);
}
