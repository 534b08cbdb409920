// crash_test.cc: durability under kill -9. A child process (crash_child.cc)
// writes from several threads and prints each acknowledgement after the call
// returns; the test kills it with SIGKILL at a random moment, reopens the
// store, and checks that every acknowledged envelope is present and intact,
// that each open upload's committed offset is at least what was acknowledged
// and matches its stored bytes exactly (the upload is completed from that
// offset and the whole envelope compared), that an upload created but never
// acknowledged expires, and that the totals agree.

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "storage/rocksdb_store.h"
#include "tests/support/byte_streams.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/storage/crash_test_plan.h"
#include "tests/unit/storage/store_test_util.h"

#ifndef AMPARO_STORAGE_CRASH_CHILD
#error "AMPARO_STORAGE_CRASH_CHILD must name the crash-test child executable"
#endif

namespace amparo::storage::test {
namespace {

struct Acknowledged {
  std::set<std::uint64_t> puts;
  std::map<std::uint64_t, std::uint64_t> upload_offsets;  // created uploads, last offset
  std::set<std::uint64_t> finalized;
  std::size_t lines = 0;
};

void Parse(const std::string& text, Acknowledged* acks) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    char kind = 0;
    std::uint64_t n = 0;
    fields >> kind >> n;
    ++acks->lines;
    if (kind == 'P') {
      acks->puts.insert(n);
    } else if (kind == 'C') {
      acks->upload_offsets[n] = kUploadHeadBytes;
    } else if (kind == 'A') {
      std::uint64_t offset = 0;
      fields >> offset;
      acks->upload_offsets[n] = offset;
    } else if (kind == 'F') {
      acks->finalized.insert(n);
    } else {
      ADD_FAILURE() << "unexpected line from the child: " << line;
    }
  }
}

// RunAndKill starts the child on `store`, lets it write for `delay` after its
// first acknowledgement, kills it, and returns everything it acknowledged.
std::string RunAndKill(const std::filesystem::path& store, std::uint64_t round,
                       std::chrono::milliseconds delay) {
  int fds[2];
  if (::pipe(fds) != 0) return {};
  const std::string child = AMPARO_STORAGE_CRASH_CHILD;
  const std::string store_arg = store.string();
  const std::string round_arg = std::to_string(round);
  const pid_t pid = ::fork();
  if (pid == 0) {
    // A fresh program, not a forked copy: RocksDB's thread pools do not
    // survive fork().
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    char* args[] = {const_cast<char*>(child.c_str()), const_cast<char*>(store_arg.c_str()),
                    const_cast<char*>(round_arg.c_str()), nullptr};
    ::execv(child.c_str(), args);
    ::_exit(127);
  }
  ::close(fds[1]);
  std::string output;
  char buffer[65536];
  const auto drain_until = [&](std::chrono::steady_clock::time_point deadline, bool first_only) {
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd poller{fds[0], POLLIN, 0};
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (::poll(&poller, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 0))) <= 0) {
        continue;
      }
      const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
      if (n <= 0) return;
      output.append(buffer, static_cast<std::size_t>(n));
      if (first_only) return;
    }
  };
  drain_until(std::chrono::steady_clock::now() + std::chrono::seconds(10), true);
  drain_until(std::chrono::steady_clock::now() + delay, false);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the child ended on its own, status " << status;
  while (true) {
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n <= 0) break;
    output.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  return output;
}

// CheckEnvelope reads an envelope back, comparing it with its content
// without holding a copy.
void CheckEnvelope(EnvelopeStore& store, const EnvelopeId& id, std::uint64_t size) {
  class Checker final : public ByteSink {
   public:
    explicit Checker(const EnvelopeId& id) : id_(id) {}
    Status Write(std::span<const std::uint8_t> data) override {
      for (std::uint8_t byte : data) {
        if (byte != ContentByte(id_, count)) ++mismatches;
        ++count;
      }
      return OkStatus();
    }
    const EnvelopeId& id_;
    std::uint64_t count = 0;
    std::uint64_t mismatches = 0;
  } checker(id);
  const Status read = store.ReadEnvelope(id, checker);
  ASSERT_TRUE(read.ok()) << id.Hex() << ": " << ErrorName(read.error());
  EXPECT_EQ(checker.count, size) << id.Hex();
  EXPECT_EQ(checker.mismatches, 0u) << id.Hex();
}

TEST(CrashTest, AcknowledgedWritesSurviveKillNine) {
  constexpr std::uint64_t kRounds = 3;
  std::random_device entropy;
  const unsigned seed = entropy();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> delay_ms(50, 400);

  amparo::test::TempDir dir;
  const auto path = dir.path() / "store";
  std::size_t total_puts = 0;
  for (std::uint64_t round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string output =
        RunAndKill(path, round, std::chrono::milliseconds(delay_ms(random)));
    Acknowledged acks;
    Parse(output, &acks);
    ASSERT_GT(acks.lines, 0u) << "the child acknowledged nothing";
    total_puts += acks.puts.size();

    auto store = OpenOrDie(path);
    for (std::uint64_t n : acks.puts) CheckEnvelope(*store, EnvelopeNumber(n), ContentSizeFor(n));
    for (std::uint64_t u : acks.finalized) {
      CheckEnvelope(*store, UploadEnvelope(u), UploadTotal(u));
    }
    for (const auto& [u, acknowledged] : acks.upload_offsets) {
      if (acks.finalized.count(u) != 0) continue;
      auto info = store->DescribeUpload(UploadNumber(u));
      if (!info.ok()) {
        // Finalized before the kill, acknowledged too late to be printed.
        ASSERT_EQ(info.error(), Error::kNotFound);
        CheckEnvelope(*store, UploadEnvelope(u), UploadTotal(u));
        continue;
      }
      const std::uint64_t committed = info.value().committed;
      EXPECT_GE(committed, acknowledged) << "upload " << u;
      // Resume from the committed offset; the finished envelope must then be
      // exactly the planned bytes, which proves the stored prefix was.
      std::vector<std::uint8_t> rest(UploadTotal(u) - committed);
      for (std::uint64_t i = 0; i < rest.size(); ++i) {
        rest[i] = ContentByte(UploadEnvelope(u), committed + i);
      }
      for (std::uint64_t offset = committed; offset < UploadTotal(u);) {
        const std::uint64_t n =
            std::min<std::uint64_t>(limits::kMaxStoreAppendBytes, UploadTotal(u) - offset);
        ASSERT_TRUE(store
                        ->AppendUpload(UploadNumber(u), offset,
                                       std::span(rest).subspan(offset - committed, n))
                        .ok());
        offset += n;
      }
      ASSERT_TRUE(store->FinalizeUpload(UploadNumber(u), UploadEnvelope(u), kToday).ok());
      CheckEnvelope(*store, UploadEnvelope(u), UploadTotal(u));
    }

    // An upload created just before the kill may be durable without its
    // acknowledgement having been printed: nobody can resume it, so it
    // expires, bytes and all.
    const auto orphans = store->ExpireUploads(kToday + 1, 0);
    ASSERT_TRUE(orphans.ok());
    EXPECT_LE(orphans.value(), 1u);

    // The totals agree with what is there.
    const auto stats = store->Stats().value();
    auto listed = store->ListEnvelopes(0, limits::kMaxStoreListEnvelopes);
    ASSERT_TRUE(listed.ok());
    EXPECT_EQ(stats.envelopes, listed.value().size());
    EXPECT_GE(stats.envelopes, total_puts);
    EXPECT_EQ(stats.open_uploads, 0u);
    EXPECT_EQ(stats.upload_bytes, 0u);
    std::printf("crash round %llu: %zu acknowledgements, %zu puts, %zu uploads finished\n",
                static_cast<unsigned long long>(round), acks.lines, acks.puts.size(),
                acks.finalized.size());
  }
}

}  // namespace
}  // namespace amparo::storage::test
