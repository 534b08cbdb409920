// crash_consistency: the real amparo-gateway killed with SIGKILL at random
// moments while it takes envelopes, and started again, for many rounds.
//
// Each round starts the gateway, runs concurrent submitters (POST
// /v1/submissions over keep-alive TLS) and one resumable uploader (create,
// chunks, finalize; sometimes left unfinished on purpose, and unfinished
// uploads of earlier rounds resumed from the committed offset the gateway
// reports), kills the gateway after a random delay and keeps what was
// acknowledged. After the last round the gateway must still start and stop
// gracefully; then the driver opens the store itself and checks that:
//   - every envelope answered 201 is present with exactly the bytes sent
//     (by SHA-256) and queued for export;
//   - every envelope in the export queue is one that was sent whole, and
//     those stored without an acknowledgement are no more than the requests
//     left unanswered by the kills;
//   - every unfinished upload's committed length is what was acknowledged or
//     the end of the one chunk in flight at the kill, and every upload
//     session expires a day past its expiry, not before;
//   - `amparo-admin export` carries exactly the stored envelopes.
// It prints one line of counts and exits 1 if any check fails.
// crash_consistency.sh sets up the site it runs on.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/byte_reader.h"
#include "common/clock.h"
#include "common/file_io.h"
#include "common/hex.h"
#include "common/io.h"
#include "common/limits.h"
#include "crypto/random.h"
#include "crypto/signatures.h"
#include "proto/api.pb.h"
#include "proto/submission.pb.h"
#include "protocol/envelope_builder.h"
#include "protocol/envelope_validator.h"
#include "protocol/export_file.h"
#include "protocol/key_bundle.h"
#include "protocol/key_selection.h"
#include "storage/rocksdb_store.h"
#include "tests/support/envelope_sealer.h"
#include "tests/support/gateway_process.h"
#include "tests/support/http_exchange.h"
#include "tests/support/tls_client.h"

extern char** environ;

namespace amparo::test {
namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using Digest = Sha256Digest;

// kIoTimeout bounds each step of a request. A killed gateway's connections
// fail at once; only a live gateway that stopped answering waits this long.
constexpr milliseconds kIoTimeout{2000};
// kStartTimeout bounds a start-up, the store's recovery included.
constexpr std::chrono::seconds kStartTimeout{20};
// Each round lets the gateway take load for a uniformly random
// kMinLoadMs..kMaxLoadMs milliseconds before the kill.
constexpr int kMinLoadMs = 10;
constexpr int kMaxLoadMs = 250;
// kSmallEnvelopes distinct minimum-bucket envelopes are sealed up front and
// posted in random order: an id whose stored bytes belong to another
// envelope, or are cut short, no longer hashes to what was sent for it.
constexpr std::size_t kSmallEnvelopes = 512;
// A submitter pauses a uniformly random 0..kMaxPause between requests, so
// that the kills find anywhere from none to all of them in flight, and the
// store stays small enough to check, and export, in seconds.
constexpr std::chrono::microseconds kMaxPause{500};
// Each upload seals its own envelope, just too large for POST
// /v1/submissions, sent in chunks of kMinChunk..kMaxChunk bytes.
constexpr std::size_t kUploadAttachmentBytes = limits::kMaxSubmissionBodyBytes;
constexpr std::size_t kUploadAttachmentSpread = 64 * 1024;
constexpr std::size_t kMinChunk = 64 * 1024;
constexpr std::size_t kMaxChunk = 256 * 1024;
// kMaxHeadExtra bytes past the envelope's head may ride in the create.
constexpr std::size_t kMaxHeadExtra = 16 * 1024;
// kMaxReportedFailures bounds the messages printed; all are counted.
constexpr std::size_t kMaxReportedFailures = 30;

struct Options {
  std::string gateway;
  std::string admin;
  std::string config;
  std::string data_dir;
  std::string key_bundle;
  std::string root_fingerprint;
  std::string node_key;
  std::string export_file;
  std::uint64_t rounds = 200;
  std::uint64_t seed = 0;  // 0: drawn from the system
  std::size_t submitters = 4;
  int upload_expiry_days = 7;
};

// Failures counts failed checks from any thread and keeps the first messages.
class Failures {
 public:
  void Add(const std::string& message) {
    std::lock_guard lock(mutex_);
    if (messages_.size() < kMaxReportedFailures) messages_.push_back(message);
    ++count_;
  }
  std::size_t count() const {
    std::lock_guard lock(mutex_);
    return count_;
  }
  void Print() const {
    std::lock_guard lock(mutex_);
    for (const auto& message : messages_) {
      std::cerr << "crash_consistency: FAILED: " << message << '\n';
    }
    if (count_ > messages_.size()) {
      std::cerr << "crash_consistency: " << count_ - messages_.size() << " more failures\n";
    }
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> messages_;
  std::size_t count_ = 0;
};

// Narrative names an envelope's serial in its plaintext.
std::string Narrative(std::uint64_t serial) {
  return "Crash-consistency envelope " + std::to_string(serial) + ".";
}

// HashingSink hashes and counts what the store streams to it.
class HashingSink final : public ByteSink {
 public:
  Status Write(std::span<const std::uint8_t> data) override {
    hasher_.Update(data);
    count_ += data.size();
    return OkStatus();
  }
  Digest Finish() { return hasher_.Finish(); }
  std::uint64_t count() const { return count_; }

 private:
  crypto::Sha256Hasher hasher_;
  std::uint64_t count_ = 0;
};

// ---------------------------------------------------------------------------
// Envelopes

// CheckLog fails a round whose gateway logged an error: recovery from a
// crash is expected to be silent.
void CheckLog(const std::string& log, std::uint64_t round, Failures& failures) {
  std::size_t at = 0;
  while (at < log.size()) {
    std::size_t end = log.find('\n', at);
    if (end == std::string::npos) end = log.size();
    const std::string_view line = std::string_view(log).substr(at, end - at);
    if (line.find("[error]") != std::string_view::npos ||
        line.find("[critical]") != std::string_view::npos) {
      failures.Add("round " + std::to_string(round) + ": the gateway logged: " +
                   std::string(line));
    }
    at = end + 1;
  }
}

// ---------------------------------------------------------------------------
// What the clients sent and were told

// Ledger is what the client threads sent and were told, under its mutex.
struct Ledger {
  std::mutex mutex;
  std::map<storage::EnvelopeId, Digest> acknowledged;  // 201 receipts
  std::set<Digest> sent;      // envelopes posted whole, or whose finalize was sent
  // unanswered counts the posts and finalizes that may have stored an
  // envelope without its 201 reaching the client.
  std::uint64_t unanswered = 0;

  void Sent(const Digest& digest) {
    std::lock_guard lock(mutex);
    sent.insert(digest);
  }
  void Unanswered() {
    std::lock_guard lock(mutex);
    ++unanswered;
  }
  void Acknowledge(const storage::EnvelopeId& id, const Digest& digest, Failures& failures) {
    std::lock_guard lock(mutex);
    if (!acknowledged.emplace(id, digest).second) {
      failures.Add("the gateway gave envelope id " + id.Hex() + " twice");
    }
  }
};

void RunSubmitter(std::uint16_t port, const std::vector<SealedEnvelope>& pool, std::uint64_t seed,
                  const std::atomic<bool>& stop, Ledger& ledger, Failures& failures) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<std::size_t> pick(0, pool.size() - 1);
  std::uniform_int_distribution<std::int64_t> pause(0, kMaxPause.count());
  KeptAliveConnection connection(port, kIoTimeout);
  while (!stop.load()) {
    std::this_thread::sleep_for(std::chrono::microseconds(pause(random)));
    const SealedEnvelope& envelope = pool[pick(random)];
    ledger.Sent(envelope.digest);
    const Exchange exchange = connection.Send(
        HttpRequest("POST", "/v1/submissions", envelope.bytes, "application/octet-stream"));
    if (exchange.outcome == Outcome::kNotSent) {
      std::this_thread::sleep_for(milliseconds(1));
      continue;
    }
    if (exchange.outcome == Outcome::kNoAnswer) {
      ledger.Unanswered();
      continue;
    }
    if (exchange.reply.status != 201) {
      failures.Add("a submission was answered " + std::to_string(exchange.reply.status));
      continue;
    }
    auto id = ParseReceipt(exchange.reply.body);
    if (!id) {
      failures.Add("a submission's 201 holds no receipt");
      continue;
    }
    ledger.Acknowledge(*id, envelope.digest, failures);
  }
}

// Upload is one resumable upload across rounds, as its client knows it.
struct Upload {
  SealedEnvelope envelope;        // bytes dropped once they are no longer needed
  std::uint64_t size = 0;   // of the envelope
  std::uint64_t created_round = 0;
  std::optional<storage::UploadId> id;  // once the create was answered
  bool orphaned = false;    // the create went unanswered: nobody knows its id
  std::uint64_t acknowledged = 0;                  // committed length last reported
  std::optional<std::uint64_t> in_flight_end;      // end of a chunk sent but unanswered
  bool finalize_unanswered = false;
  bool finished = false;      // finalize answered 201
  bool receipt_lost = false;  // finalized, its answer lost: a later status said not found
  bool resumed = false;       // finished in a later round than it was created in
  bool vanished = false;      // the gateway lost it: counted as a failure

  bool open() const { return id && !finished && !receipt_lost && !vanished; }
  void DropBytes() {
    envelope.bytes.clear();
    envelope.bytes.shrink_to_fit();
  }
};

// UploadPlan is what the uploader does in one round.
struct UploadPlan {
  std::optional<std::size_t> resume;  // an open upload of an earlier round
  std::optional<std::size_t> fresh;   // a new upload
  // leave_after leaves the new upload unfinished on purpose after that many
  // chunks (unfinalized if it has fewer).
  std::optional<std::size_t> leave_after;
  std::uint64_t seed = 0;
};

class Uploader {
 public:
  Uploader(std::uint16_t port, std::uint64_t round, std::uint64_t seed, Ledger& ledger,
           Failures& failures)
      : connection_(port, kIoTimeout), round_(round), random_(seed), ledger_(ledger), failures_(failures) {}

  void Run(const UploadPlan& plan, std::vector<std::unique_ptr<Upload>>& uploads) {
    const bool connected = !plan.resume || Resume(*uploads[*plan.resume]);
    if (!plan.fresh) return;
    Upload& upload = *uploads[*plan.fresh];
    if (!connected) {
      upload.DropBytes();  // never created
      return;
    }
    if (Create(upload)) Continue(upload, plan.leave_after);
  }

 private:
  std::string Target(const Upload& upload) const { return "/v1/uploads/" + upload.id->Hex(); }

  void Fail(const Upload& upload, const std::string& what) {
    failures_.Add("round " + std::to_string(round_) + ": upload " +
                  (upload.id ? upload.id->Hex() : std::string("(not created)")) + ": " + what);
  }

  // Resume asks for the committed length, checks it against what was
  // acknowledged and sent, and continues from it; false if the connection
  // failed.
  bool Resume(Upload& upload) {
    const Exchange exchange = connection_.Send(HttpRequest("GET", Target(upload)));
    if (exchange.outcome != Outcome::kAnswered) return false;
    if (exchange.reply.status == 404 && upload.finalize_unanswered) {
      // The finalize took effect; its receipt was lost with the connection.
      upload.receipt_lost = true;
      upload.DropBytes();
      return true;
    }
    if (exchange.reply.status != 200) {
      Fail(upload, "its status was answered " + std::to_string(exchange.reply.status));
      upload.vanished = true;
      return true;
    }
    const auto status = ParseUploadStatus(exchange.reply.body);
    if (!status || status->id != *upload.id || status->total != upload.size) {
      Fail(upload, "its status does not describe it");
      upload.vanished = true;
      return true;
    }
    const std::uint64_t committed = status->committed;
    if (committed != upload.acknowledged &&
        !(upload.in_flight_end && committed == *upload.in_flight_end)) {
      Fail(upload, "committed " + std::to_string(committed) + " bytes, acknowledged " +
                       std::to_string(upload.acknowledged) + ", sent up to " +
                       std::to_string(upload.in_flight_end.value_or(upload.acknowledged)));
      upload.vanished = true;
      return true;
    }
    upload.acknowledged = committed;
    upload.in_flight_end.reset();
    upload.finalize_unanswered = false;
    return Continue(upload, std::nullopt);
  }

  bool Create(Upload& upload) {
    std::uniform_int_distribution<std::size_t> extra(0, kMaxHeadExtra);
    const std::size_t head = std::min<std::size_t>(upload.envelope.head_length + extra(random_),
                                                   upload.envelope.bytes.size());
    v1::UploadRequest request;
    request.set_total_length(upload.size);
    request.set_head(upload.envelope.bytes.substr(0, head));
    const Exchange exchange = connection_.Send(
        HttpRequest("POST", "/v1/uploads", request.SerializeAsString(), "application/x-protobuf"));
    if (exchange.outcome != Outcome::kAnswered) {
      // Unanswered, the upload may exist with an id nobody knows: it can
      // only expire.
      upload.orphaned = exchange.outcome == Outcome::kNoAnswer;
      upload.DropBytes();
      return false;
    }
    const auto status = ParseUploadStatus(exchange.reply.body);
    if (exchange.reply.status != 201 || !status || status->committed != head ||
        status->total != upload.size) {
      Fail(upload, "its create was answered " + std::to_string(exchange.reply.status));
      upload.DropBytes();
      return false;
    }
    upload.id = status->id;
    upload.acknowledged = head;
    return true;
  }

  // Continue sends the chunks after the acknowledged length, then the
  // finalize; with `leave_after`, it stops after that many chunks or before
  // the finalize. False if the connection failed.
  bool Continue(Upload& upload, std::optional<std::size_t> leave_after) {
    std::uniform_int_distribution<std::size_t> chunk_size(kMinChunk, kMaxChunk);
    std::size_t chunks = 0;
    while (upload.acknowledged < upload.size) {
      if (leave_after && chunks == *leave_after) return true;
      const std::uint64_t offset = upload.acknowledged;
      const std::uint64_t size = std::min<std::uint64_t>(chunk_size(random_), upload.size - offset);
      upload.in_flight_end = offset + size;
      const std::string_view chunk = std::string_view(upload.envelope.bytes).substr(offset, size);
      const Exchange exchange = connection_.Send(
          HttpRequest("PUT", Target(upload) + "?offset=" + std::to_string(offset), chunk,
                  "application/octet-stream"));
      if (exchange.outcome == Outcome::kNotSent) upload.in_flight_end.reset();
      if (exchange.outcome != Outcome::kAnswered) return false;
      const auto status = ParseUploadStatus(exchange.reply.body);
      if (exchange.reply.status != 200 || !status || status->id != *upload.id ||
          status->committed != offset + size || status->total != upload.size) {
        Fail(upload, "a chunk at " + std::to_string(offset) + " was answered " +
                         std::to_string(exchange.reply.status));
        upload.vanished = true;
        return false;
      }
      upload.acknowledged = offset + size;
      upload.in_flight_end.reset();
      ++chunks;
    }
    if (leave_after) return true;
    return Finalize(upload);
  }

  bool Finalize(Upload& upload) {
    ledger_.Sent(upload.envelope.digest);
    upload.finalize_unanswered = true;
    const Exchange exchange = connection_.Send(HttpRequest("POST", Target(upload) + "/finalize"));
    if (exchange.outcome == Outcome::kNotSent) upload.finalize_unanswered = false;
    if (exchange.outcome == Outcome::kNoAnswer) ledger_.Unanswered();
    if (exchange.outcome != Outcome::kAnswered) return false;
    upload.finalize_unanswered = false;
    const auto id = ParseReceipt(exchange.reply.body);
    if (exchange.reply.status != 201 || !id) {
      Fail(upload, "its finalize was answered " + std::to_string(exchange.reply.status));
      upload.vanished = true;
      return false;
    }
    ledger_.Acknowledge(*id, upload.envelope.digest, failures_);
    upload.finished = true;
    upload.resumed = round_ > upload.created_round;
    upload.DropBytes();
    return true;
  }

  KeptAliveConnection connection_;
  std::uint64_t round_;
  std::mt19937_64 random_;
  Ledger& ledger_;
  Failures& failures_;
};

// ---------------------------------------------------------------------------
// The checks after the last round

struct Counts {
  std::uint64_t rounds = 0;
  std::uint64_t kills = 0;
  std::uint64_t acknowledged = 0;
  std::uint64_t found = 0;
  std::uint64_t lost = 0;
  std::uint64_t unacknowledged = 0;
  std::uint64_t resumed = 0;
  std::uint64_t expired = 0;
};

std::string ErrorText(Error error) { return std::string(ErrorName(error)); }

// CheckStore opens the store the gateway left and checks it against the
// ledger and the uploads; returns the export queue's envelopes and their
// digests, for the export check.
std::map<storage::EnvelopeId, Digest> CheckStore(const Options& options, Ledger& ledger,
                                                 std::vector<std::unique_ptr<Upload>>& uploads,
                                                 Day first_day, Counts& counts,
                                                 Failures& failures) {
  std::map<storage::EnvelopeId, Digest> stored;
  auto opened = storage::OpenRocksDbStore(options.data_dir, {});
  if (!opened.ok()) {
    failures.Add("cannot open the store: " + ErrorText(opened.error()));
    counts.lost = counts.acknowledged;
    return stored;
  }
  storage::EnvelopeStore& store = *opened.value();

  // The export queue, in order: every envelope in it must be one that was
  // sent whole.
  std::set<Digest> stored_digests;
  std::uint64_t after = 0;
  for (;;) {
    auto page = store.ListEnvelopes(after, limits::kMaxStoreListEnvelopes);
    if (!page.ok()) {
      failures.Add("cannot list the export queue: " + ErrorText(page.error()));
      break;
    }
    if (page.value().empty()) break;
    for (const storage::QueuedEnvelope& entry : page.value()) {
      if (entry.seq <= after) failures.Add("the export queue is out of order");
      after = entry.seq;
      HashingSink sink;
      const Status read = store.ReadEnvelope(entry.id, sink);
      if (!read.ok()) {
        failures.Add("queued envelope " + entry.id.Hex() + " cannot be read: " +
                     ErrorText(read.error()));
        continue;
      }
      const std::uint64_t size = sink.count();
      const Digest digest = sink.Finish();
      if (ledger.sent.count(digest) == 0) {
        failures.Add("queued envelope " + entry.id.Hex() + " (" + std::to_string(size) +
                     " bytes) is not an envelope that was sent whole");
      }
      auto info = store.DescribeEnvelope(entry.id);
      if (!info.ok() || info.value().size != size || info.value().seq != entry.seq) {
        failures.Add("queued envelope " + entry.id.Hex() + " is described inconsistently");
      }
      if (!stored.emplace(entry.id, digest).second) {
        failures.Add("envelope " + entry.id.Hex() + " is queued twice");
      }
      stored_digests.insert(digest);
      if (ledger.acknowledged.count(entry.id) == 0) ++counts.unacknowledged;
    }
  }

  // Every acknowledged envelope, queued with exactly the bytes sent for it.
  // One missing from the queue is looked up directly, to tell a lost
  // envelope from one the queue forgot.
  for (const auto& [id, digest] : ledger.acknowledged) {
    const auto queued = stored.find(id);
    if (queued != stored.end()) {
      if (queued->second == digest) {
        ++counts.found;
      } else {
        ++counts.lost;
        failures.Add("acknowledged envelope " + id.Hex() + " holds other bytes than were sent");
      }
      continue;
    }
    HashingSink sink;
    const Status read = store.ReadEnvelope(id, sink);
    if (!read.ok()) {
      ++counts.lost;
      failures.Add("acknowledged envelope " + id.Hex() + " is not stored: " +
                   ErrorText(read.error()));
    } else if (sink.Finish() != digest) {
      ++counts.lost;
      failures.Add("acknowledged envelope " + id.Hex() + " is not queued, and holds other bytes "
                   "than were sent");
    } else {
      ++counts.found;
      failures.Add("acknowledged envelope " + id.Hex() + " is stored but not queued for export");
    }
  }
  if (counts.unacknowledged > ledger.unanswered) {
    failures.Add(std::to_string(counts.unacknowledged) +
                 " envelopes are stored without acknowledgement, but only " +
                 std::to_string(ledger.unanswered) + " requests went unanswered");
  }
  for (const auto& upload : uploads) {
    if (upload->receipt_lost && stored_digests.count(upload->envelope.digest) == 0) {
      failures.Add("upload " + upload->id->Hex() + " was finalized but its envelope is not stored");
    }
  }
  auto stats = store.Stats();
  if (!stats.ok()) {
    failures.Add("cannot read the store's totals: " + ErrorText(stats.error()));
    return stored;
  }
  if (stats.value().envelopes != stored.size()) {
    failures.Add("the store counts " + std::to_string(stats.value().envelopes) +
                 " envelopes but queues " + std::to_string(stored.size()));
  }

  // Unfinished uploads: each describes what its client was told, or the one
  // chunk in flight at the kill.
  const Day last_day = SystemClock().Today();
  std::uint64_t open_known = 0;
  std::uint64_t orphans = 0;
  for (const auto& upload : uploads) {
    if (upload->orphaned) ++orphans;
    if (!upload->open()) continue;
    auto info = store.DescribeUpload(*upload->id);
    if (!info.ok()) {
      if (upload->finalize_unanswered && info.error() == Error::kNotFound &&
          stored_digests.count(upload->envelope.digest) != 0) {
        continue;  // finalized at the last kill, its receipt lost
      }
      failures.Add("open upload " + upload->id->Hex() + " cannot be described: " +
                   ErrorText(info.error()));
      continue;
    }
    ++open_known;
    const std::uint64_t committed = info.value().committed;
    if (info.value().total != upload->size ||
        (committed != upload->acknowledged &&
         !(upload->in_flight_end && committed == *upload->in_flight_end)) ||
        info.value().created_day < first_day || info.value().created_day > last_day) {
      failures.Add("open upload " + upload->id->Hex() + " describes itself as " +
                   std::to_string(committed) + " of " + std::to_string(info.value().total) +
                   " bytes, created on day " + std::to_string(info.value().created_day) +
                   "; acknowledged " + std::to_string(upload->acknowledged) + " of " +
                   std::to_string(upload->size));
    }
  }
  const std::uint64_t open_uploads = stats.value().open_uploads;
  if (open_uploads < open_known || open_uploads > open_known + orphans) {
    failures.Add("the store counts " + std::to_string(open_uploads) + " open uploads; " +
                 std::to_string(open_known) + " are known and " + std::to_string(orphans) +
                 " more may exist unacknowledged");
  }

  // None expires on its last day; all expire the day after.
  const int days = options.upload_expiry_days;
  auto early = store.ExpireUploads(first_day + days, days);
  if (!early.ok() || early.value() != 0) {
    failures.Add("uploads expired before their time");
  }
  auto expired = store.ExpireUploads(last_day + days + 1, days);
  if (!expired.ok()) {
    failures.Add("cannot expire uploads: " + ErrorText(expired.error()));
  } else {
    counts.expired = expired.value();
    if (expired.value() != open_uploads) {
      failures.Add(std::to_string(expired.value()) + " uploads expired of " +
                   std::to_string(open_uploads) + " open");
    }
  }
  for (const auto& upload : uploads) {
    if (!upload->open()) continue;
    auto info = store.DescribeUpload(*upload->id);
    if (info.ok() || info.error() != Error::kNotFound) {
      failures.Add("upload " + upload->id->Hex() + " is still there after its expiry");
    }
  }
  auto after_expiry = store.Stats();
  if (!after_expiry.ok() || after_expiry.value().open_uploads != 0 ||
      after_expiry.value().upload_bytes != 0) {
    failures.Add("upload sessions or their bytes remain after the expiry");
  }
  return stored;
}

// RunAdminExport has amparo-admin export the store; false if it fails.
bool RunAdminExport(const Options& options) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  std::string arg0 = options.admin, arg1 = "-c", arg2 = options.config, arg3 = "export",
              arg4 = "--out", arg5 = options.export_file, arg6 = "--no-progress";
  char* argv[] = {arg0.data(), arg1.data(), arg2.data(), arg3.data(),
                  arg4.data(), arg5.data(), arg6.data(), nullptr};
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, options.admin.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return false;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// CheckExport verifies the export file against the node key and checks
// that it holds exactly the stored envelopes, byte for byte.
void CheckExport(const Options& options, const std::map<storage::EnvelopeId, Digest>& stored,
                 Failures& failures) {
  if (!RunAdminExport(options)) {
    failures.Add("amparo-admin export failed");
    return;
  }
  std::string hex;
  for (char c : options.node_key) {
    if (c != '-') hex += c;
  }
  std::array<std::uint8_t, crypto::kEd25519PublicKeySize> key_bytes{};
  if (!HexDecode(hex, key_bytes)) {
    failures.Add("the node key is malformed");
    return;
  }
  const std::vector<crypto::Ed25519PublicKey> nodes{
      crypto::Ed25519PublicKeyFrom(key_bytes).value()};
  const int fd = ::open(options.export_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    failures.Add("cannot open the export file");
    return;
  }
  FdSource source(fd);
  auto manifest = protocol::ReadExportPreamble(source, nodes);
  if (!manifest.ok()) {
    failures.Add("the export does not verify: " + ErrorText(manifest.error()));
    ::close(fd);
    return;
  }
  const auto& entries = manifest.value().entries;
  if (entries.size() != stored.size()) {
    failures.Add("the export holds " + std::to_string(entries.size()) + " envelopes, the store " +
                 std::to_string(stored.size()));
  }
  for (const protocol::ExportEntryInfo& entry : entries) {
    const storage::EnvelopeId id(entry.envelope_id);
    const auto found = stored.find(id);
    if (found == stored.end() || found->second != entry.sha256) {
      failures.Add("exported envelope " + id.Hex() + " is not a stored envelope");
    }
    HashingSink discard;
    if (const Status copied = protocol::CopyExportEntry(source, entry, discard); !copied.ok()) {
      failures.Add("exported envelope " + id.Hex() + " is damaged: " + ErrorText(copied.error()));
      break;
    }
  }
  if (!protocol::ExpectEndOfExport(source).ok()) failures.Add("the export has trailing bytes");
  ::close(fd);
  ::unlink(options.export_file.c_str());
}

// ---------------------------------------------------------------------------

int Run(const Options& options) {
  Failures failures;
  const std::uint64_t seed = options.seed != 0 ? options.seed : std::random_device()();
  std::mt19937_64 random(seed);
  const Day first_day = SystemClock().Today();

  auto sealer = EnvelopeSealer::Create(options.key_bundle, options.root_fingerprint);
  if (!sealer.ok()) {
    std::cerr << "crash_consistency: cannot use the key bundle: " << ErrorName(sealer.error())
              << '\n';
    return 2;
  }
  std::vector<SealedEnvelope> pool;
  for (std::uint64_t n = 0; n < kSmallEnvelopes; ++n) {
    auto envelope = sealer.value().Seal(Narrative(n), 0, 0);
    if (!envelope.ok() || envelope.value().bytes.size() > limits::kMaxSubmissionBodyBytes) {
      std::cerr << "crash_consistency: cannot seal a small envelope\n";
      return 2;
    }
    pool.push_back(std::move(envelope).value());
  }

  Ledger ledger;
  std::vector<std::unique_ptr<Upload>> uploads;
  Counts counts;
  std::uniform_int_distribution<int> load_ms(kMinLoadMs, kMaxLoadMs);
  std::uniform_int_distribution<std::size_t> spread(0, kUploadAttachmentSpread);
  std::bernoulli_distribution coin(0.5);
  std::bernoulli_distribution leave(0.3);
  std::uniform_int_distribution<std::size_t> leave_after(0, 8);
  for (std::uint64_t round = 0; round < options.rounds; ++round) {
    // The uploader resumes an open upload of an earlier round in about half
    // the rounds; it starts a new one in the other rounds and in half of
    // those, and leaves about a third of the new ones unfinished on purpose.
    UploadPlan plan;
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < uploads.size(); ++i) {
      if (uploads[i]->open()) open.push_back(i);
    }
    if (!open.empty() && coin(random)) {
      plan.resume = open[std::uniform_int_distribution<std::size_t>(0, open.size() - 1)(random)];
    }
    const bool fresh = !plan.resume || coin(random);
    if (fresh && leave(random)) plan.leave_after = leave_after(random);
    plan.seed = random();
    // The new upload's envelope is sealed while the gateway starts.
    std::future<Result<SealedEnvelope>> sealing;
    if (fresh) {
      sealing = std::async(std::launch::async, [&sealer, serial = kSmallEnvelopes + uploads.size(),
                                                size = kUploadAttachmentBytes + spread(random)] {
        return sealer.value().Seal(Narrative(serial), size, static_cast<std::uint8_t>(serial));
      });
    }

    GatewayProcess gateway;
    const bool started = gateway.Start(options.gateway, options.config, kStartTimeout);
    if (fresh) {
      auto envelope = sealing.get();
      if (!envelope.ok() || envelope.value().bytes.size() <= limits::kMaxSubmissionBodyBytes) {
        std::cerr << "crash_consistency: cannot seal an upload's envelope\n";
        return 2;
      }
      auto upload = std::make_unique<Upload>();
      upload->envelope = std::move(envelope).value();
      upload->size = upload->envelope.bytes.size();
      upload->created_round = round;
      plan.fresh = uploads.size();
      uploads.push_back(std::move(upload));
    }
    if (!started) {
      std::cerr << "crash_consistency: round " << round << ": the gateway did not start:\n"
                << gateway.log();
      failures.Print();
      return 1;
    }

    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < options.submitters; ++i) {
      threads.emplace_back(RunSubmitter, gateway.port(), std::cref(pool), random(),
                           std::cref(stop), std::ref(ledger), std::ref(failures));
    }
    threads.emplace_back([&, port = gateway.port()] {
      Uploader(port, round, plan.seed, ledger, failures).Run(plan, uploads);
    });
    gateway.DrainUntil(SteadyClock::now() + milliseconds(load_ms(random)));
    const int status = gateway.Stop(SIGKILL);
    stop = true;
    for (auto& thread : threads) thread.join();
    ++counts.rounds;
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
      ++counts.kills;
    } else {
      failures.Add("round " + std::to_string(round) + ": the gateway ended before the kill:\n" +
                   gateway.log());
    }
    CheckLog(gateway.log(), round, failures);
  }

  // After the last kill the gateway must still start, answer and stop
  // gracefully.
  {
    GatewayProcess gateway;
    if (!gateway.Start(options.gateway, options.config, kStartTimeout)) {
      failures.Add("the gateway did not start after the last round:\n" + gateway.log());
    } else {
      KeptAliveConnection connection(gateway.port(), kIoTimeout);
      const Exchange health = connection.Send(HttpRequest("GET", "/v1/health"));
      if (health.outcome != Outcome::kAnswered || health.reply.status != 200) {
        failures.Add("the gateway does not answer after the last round");
      }
      const int status = gateway.Stop(SIGTERM);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
          gateway.log().find("stopped") == std::string::npos) {
        failures.Add("the gateway did not stop gracefully:\n" + gateway.log());
      }
      CheckLog(gateway.log(), options.rounds, failures);
    }
  }

  counts.acknowledged = ledger.acknowledged.size();
  for (const auto& upload : uploads) {
    if (upload->resumed) ++counts.resumed;
  }
  const auto stored = CheckStore(options, ledger, uploads, first_day, counts, failures);
  if (!options.admin.empty()) CheckExport(options, stored, failures);

  std::printf("crash_consistency: rounds %llu, kills %llu, acknowledged %llu, found %llu, "
              "lost %llu, stored without acknowledgement %llu, uploads resumed %llu, "
              "uploads expired %llu\n",
              static_cast<unsigned long long>(counts.rounds),
              static_cast<unsigned long long>(counts.kills),
              static_cast<unsigned long long>(counts.acknowledged),
              static_cast<unsigned long long>(counts.found),
              static_cast<unsigned long long>(counts.lost),
              static_cast<unsigned long long>(counts.unacknowledged),
              static_cast<unsigned long long>(counts.resumed),
              static_cast<unsigned long long>(counts.expired));
  std::fflush(stdout);
  if (counts.lost > 0 || failures.count() > 0) {
    failures.Print();
    std::cerr << "crash_consistency: seed " << seed << '\n';
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace amparo::test

int main(int argc, char** argv) {
  CLI::App app{"crash_consistency: kill the gateway at random moments, then check the store"};
  amparo::test::Options options;
  app.add_option("--gateway", options.gateway, "amparo-gateway binary")->required();
  app.add_option("--config", options.config, "the gateway's configuration file")->required();
  app.add_option("--data-dir", options.data_dir, "the gateway's data folder")->required();
  app.add_option("--key-bundle", options.key_bundle, "the installed signed key bundle")
      ->required();
  app.add_option("--root-fingerprint", options.root_fingerprint, "the pinned root fingerprint")
      ->required();
  app.add_option("--admin", options.admin, "amparo-admin binary, to check an export");
  app.add_option("--node-key", options.node_key, "the node key amparo-admin init printed");
  app.add_option("--export-file", options.export_file, "where the export is written");
  app.add_option("--rounds", options.rounds, "kill and restart this many times");
  app.add_option("--seed", options.seed, "seed of the random choices (0: from the system)");
  app.add_option("--submitters", options.submitters, "concurrent submitters")
      ->check(CLI::Range(1, 64));
  app.add_option("--upload-expiry-days", options.upload_expiry_days,
                 "the gateway's upload_expiry_days");
  CLI11_PARSE(app, argc, argv);
  if (!options.admin.empty() && (options.node_key.empty() || options.export_file.empty())) {
    std::cerr << "crash_consistency: --admin needs --node-key and --export-file\n";
    return 2;
  }
  return amparo::test::Run(options);
}
