#include "admin/transfer_commands.h"

#include <unistd.h>

#include <iostream>
#include <limits>
#include <optional>
#include <vector>

#include "admin/node_key.h"
#include "common/clock.h"
#include "common/exit_code.h"
#include "common/file_io.h"
#include "common/limits.h"
#include "crypto/signatures.h"
#include "protocol/acknowledgement_file.h"
#include "protocol/export_file.h"
#include "protocol/key_bundle.h"
#include "protocol/mailbox_secret.h"
#include "protocol/replies_file.h"

namespace amparo::admin {
namespace {


// HashingSink computes the SHA-256 of what passes through it, and counts it.
class HashingSink final : public ByteSink {
 public:
  Status Write(std::span<const std::uint8_t> data) override {
    hasher_.Update(data);
    count_ += data.size();
    return OkStatus();
  }
  std::array<std::uint8_t, 32> Finish() { return hasher_.Finish(); }
  std::uint64_t count() const { return count_; }

 private:
  crypto::Sha256Hasher hasher_;
  std::uint64_t count_ = 0;
};

// Queued returns up to `max_count` envelopes of the export queue, oldest
// first: a flood of submissions delays the newest to the next export, and
// never blocks exporting.
Result<std::vector<storage::QueuedEnvelope>> Queued(storage::EnvelopeStore& store,
                                                    std::size_t max_count) {
  std::vector<storage::QueuedEnvelope> all;
  std::uint64_t after = 0;
  while (all.size() < max_count) {
    const std::size_t want = std::min(limits::kMaxStoreListEnvelopes, max_count - all.size());
    auto page = store.ListEnvelopes(after, want);
    if (!page.ok()) return page.error();
    if (page.value().empty()) break;
    after = page.value().back().seq;
    all.insert(all.end(), page.value().begin(), page.value().end());
  }
  return all;
}

// DeleteAll purges `ids` in store-sized batches and compacts, so that no
// live file keeps them; returns how many existed.
Result<std::size_t> DeleteAll(storage::EnvelopeStore& store,
                              const std::vector<storage::EnvelopeId>& ids) {
  std::size_t deleted = 0;
  for (std::size_t at = 0; at < ids.size(); at += limits::kMaxStoreDeleteEnvelopes) {
    const std::size_t n = std::min(limits::kMaxStoreDeleteEnvelopes, ids.size() - at);
    auto count = store.DeleteEnvelopes(std::span(ids).subspan(at, n));
    if (!count.ok()) return count.error();
    deleted += count.value();
  }
  AMPARO_RETURN_IF_ERROR(store.CompactAll());
  return deleted;
}

// AcceptedRoots is the root key whose acknowledgements this node accepts:
// the one that signed the installed bundle, reached from the pinned
// fingerprint through its chain. Who the root is does not expire with the
// bundle, so the bundle's expiry is not checked here: an expired bundle must
// not keep acknowledged ciphertext on the gateway.
Result<std::vector<crypto::Ed25519PublicKey>> AcceptedRoots(const AdminSettings& settings,
                                                            storage::EnvelopeStore& store) {
  auto pinned = crypto::ParseFingerprint(settings.root_fingerprint);
  if (!pinned.ok()) return Error::kInvalidArgument;
  auto current = store.CurrentKeyBundle();
  if (!current.ok()) return current.error();
  if (!current.value()) return Error::kNotFound;
  constexpr Day kIgnoreExpiry = 0;
  auto verified =
      protocol::VerifyKeyBundle(current.value()->signed_bytes, pinned.value(), kIgnoreExpiry);
  if (!verified.ok()) return verified.error();
  return std::vector<crypto::Ed25519PublicKey>{verified.value().signing_root};
}

int ImportAcknowledgement(const AdminSettings& settings, std::span<const std::uint8_t> file) {
  auto node = LoadNodeKey(settings.node_key_file);
  if (!node.ok()) return Fail("cannot read the node key (run amparo-admin init)", kExitIo);
  auto store = OpenStore(settings);
  if (!store.ok()) return FailWith(store.error());
  const Day today = SystemClock().Today();
  auto roots = AcceptedRoots(settings, *store.value());
  if (!roots.ok()) {
    return Fail("no verified key bundle is installed, so no root can be trusted for "
                "acknowledgements",
                kExitRejected);
  }
  auto ack = protocol::VerifyAcknowledgementFile(file, roots.value());
  if (!ack.ok()) {
    return Fail("the acknowledgement does not verify (" + std::string(ErrorName(ack.error())) +
                    "); nothing was purged",
                ExitCodeFor(ack.error()));
  }
  if (ack.value().content.node_public_key != node.value().public_key()) {
    return Fail("this acknowledgement is for another gateway node; nothing was purged",
                kExitRejected);
  }
  std::vector<storage::EnvelopeId> ids;
  for (const auto& raw : ack.value().content.envelope_ids) ids.emplace_back(raw);
  auto deleted = DeleteAll(*store.value(), ids);
  if (!deleted.ok()) return FailWith(deleted.error());
  auto audited = store.value()->AppendAudit(
      today, "acknowledgement of export " + std::to_string(ack.value().content.export_number) +
                 ": " + std::to_string(deleted.value()) + " envelopes purged");
  if (!audited.ok()) return FailWith(audited.error());
  std::cout << "acknowledgement of export " << ack.value().content.export_number << ": purged "
            << deleted.value() << " of " << ids.size() << " acknowledged envelopes ("
            << ids.size() - deleted.value() << " were gone already)\n";
  return kExitSuccess;
}

}  // namespace

int RunExport(const AdminSettings& settings, const std::string& output, bool progress) {
  auto node = LoadNodeKey(settings.node_key_file);
  if (!node.ok()) return Fail("cannot read the node key (run amparo-admin init)", kExitIo);
  auto store = OpenStore(settings);
  if (!store.ok()) return FailWith(store.error());
  auto queued = Queued(*store.value(), limits::kMaxExportEntries);
  if (!queued.ok()) return FailWith(queued.error());
  auto stats = store.value()->Stats();
  if (!stats.ok()) return FailWith(stats.error());

  protocol::ExportManifestContent manifest;
  manifest.node_public_key = node.value().public_key();
  manifest.created_day = SystemClock().Today();
  manifest.next_seq = stats.value().next_seq;
  std::uint64_t total_bytes = 0;
  for (const auto& entry : queued.value()) {
    auto info = store.value()->DescribeEnvelope(entry.id);
    if (!info.ok()) return FailWith(info.error());
    HashingSink hashing;
    const Status read = store.value()->ReadEnvelope(entry.id, hashing);
    if (!read.ok()) return FailWith(read.error());
    protocol::ExportEntryInfo item;
    std::copy(entry.id.bytes().begin(), entry.id.bytes().end(), item.envelope_id.begin());
    item.seq = entry.seq;
    item.length = hashing.count();
    item.sha256 = hashing.Finish();
    item.day = info.value().day;
    total_bytes += item.length;
    manifest.entries.push_back(item);
  }
  auto number = store.value()->TakeExportNumber();
  if (!number.ok()) return FailWith(number.error());
  manifest.export_number = number.value();
  if (const Status valid = protocol::ValidateExportManifest(manifest); !valid.ok()) {
    return FailWith(valid.error());
  }
  const auto manifest_bytes = protocol::EncodeExportManifest(manifest);
  const auto signature =
      node.value().Sign(protocol::kExportManifestSignatureContext, manifest_bytes);
  const auto signed_manifest = protocol::EncodeSignedExportManifest(manifest_bytes, signature);

  // The file appears under its name only once complete and synced.
  auto sink = AtomicFileSink::Create(output);
  if (!sink.ok()) return Fail("cannot create " + output, kExitIo);
  if (!protocol::WriteExportPreamble(*sink.value(), signed_manifest).ok()) {
    return Fail("cannot write " + output, kExitIo);
  }
  const bool show = progress && ::isatty(STDERR_FILENO) == 1;
  std::uint64_t written = 0;
  for (std::size_t i = 0; i < manifest.entries.size(); ++i) {
    const Status copied = store.value()->ReadEnvelope(queued.value()[i].id, *sink.value());
    if (!copied.ok()) return Fail("cannot write " + output, ExitCodeFor(copied.error()));
    written += manifest.entries[i].length;
    if (show) {
      std::cerr << "\rexporting: " << i + 1 << "/" << manifest.entries.size() << " envelopes, "
                << written / (1024 * 1024) << "/" << total_bytes / (1024 * 1024) << " MiB"
                << std::flush;
    }
  }
  if (show) std::cerr << '\n';
  if (!sink.value()->Commit().ok()) return Fail("cannot write " + output, kExitIo);
  auto audited = store.value()->AppendAudit(
      manifest.created_day, "export " + std::to_string(manifest.export_number) + " written: " +
                                std::to_string(manifest.entries.size()) + " envelopes");
  if (!audited.ok()) return FailWith(audited.error());
  std::cout << "export " << manifest.export_number << ": " << manifest.entries.size()
            << " envelopes (" << total_bytes << " bytes) written to " << output << '\n';
  if (stats.value().envelopes > manifest.entries.size()) {
    std::cout << stats.value().envelopes - manifest.entries.size()
              << " newer envelopes wait for the next export\n";
  }
  return kExitSuccess;
}

namespace {

// ImportReplies places a replies file's sealed replies in their mailboxes,
// named with this node's mailbox secret.
int ImportReplies(const AdminSettings& settings, std::span<const std::uint8_t> file) {
  auto secret = protocol::LoadMailboxSecret(settings.mailbox_secret_file);
  if (!secret.ok()) return Fail("cannot read the mailbox secret (run amparo-admin init)", kExitIo);
  auto store = OpenStore(settings);
  if (!store.ok()) return FailWith(store.error());
  auto roots = AcceptedRoots(settings, *store.value());
  if (!roots.ok()) {
    return Fail("no verified key bundle is installed, so no root can be trusted for replies",
                kExitRejected);
  }
  auto verified = protocol::VerifyRepliesFile(file, roots.value());
  if (!verified.ok()) {
    return Fail("the replies file does not verify (" + std::string(ErrorName(verified.error())) +
                    "); nothing was placed",
                ExitCodeFor(verified.error()));
  }
  const protocol::RepliesFileContent& content = verified.value().content;
  const Day today = SystemClock().Today();
  // Retention counts from the day the workstation signed the file, so that
  // importing it again cannot give its replies a new lease.
  if (today - content.created_day > settings.mailbox_retention_days) {
    return Fail("this replies file is older than the reply retention; nothing was placed",
                kExitRejected);
  }
  std::vector<storage::StoredReply> replies;
  for (const protocol::ReplyFileEntry& entry : content.entries) {
    replies.push_back({crypto::MailboxKeyFor(secret.value(), entry.mailbox_id),
                       storage::ReplyId(entry.reply_id), entry.sealed});
  }
  auto placed = store.value()->PlaceReplies(content.batch_number, replies, content.created_day);
  if (!placed.ok()) {
    if (placed.error() == Error::kConflict) {
      return Fail("this replies file is older than one already imported; nothing was placed",
                  kExitRejected);
    }
    return FailWith(placed.error());
  }
  auto audited = store.value()->AppendAudit(
      today, "replies file " + std::to_string(content.batch_number) + ": " +
                 std::to_string(placed.value()) + " replies placed");
  if (!audited.ok()) return FailWith(audited.error());
  std::cout << "replies file " << content.batch_number << ": placed " << placed.value() << " of "
            << replies.size() << " replies (" << replies.size() - placed.value()
            << " were placed before)\n";
  return kExitSuccess;
}

}  // namespace

int RunImport(const AdminSettings& settings, const std::string& input) {
  // Every kind of file is read whole, at most the largest limit, and told
  // apart by its first bytes.
  auto text = ReadSmallFile(input, limits::kMaxRepliesFileBytes);
  if (!text.ok()) {
    return Fail(text.error() == Error::kLimitExceeded ? input + " is too large to be a transfer "
                                                                "file from the workstation"
                                                      : "cannot read " + input,
                ExitCodeFor(text.error()));
  }
  const std::span<const std::uint8_t> bytes(
      reinterpret_cast<const std::uint8_t*>(text.value().data()), text.value().size());
  if (protocol::LooksLikeAcknowledgementFile(bytes)) return ImportAcknowledgement(settings, bytes);
  if (protocol::LooksLikeRepliesFile(bytes)) return ImportReplies(settings, bytes);
  return RunKeysInstall(settings, input);
}

int RunPurge(const AdminSettings& settings, long older_than_days) {
  if (older_than_days < 0) return Fail("--older-than must be 0 or more days", kExitUsage);
  auto store = OpenStore(settings);
  if (!store.ok()) return FailWith(store.error());
  const Day today = SystemClock().Today();
  std::vector<storage::EnvelopeId> expired;
  // All of the queue, page by page: retention applies to every envelope.
  auto queued = Queued(*store.value(), std::numeric_limits<std::size_t>::max());
  if (!queued.ok()) return FailWith(queued.error());
  for (const auto& entry : queued.value()) {
    auto info = store.value()->DescribeEnvelope(entry.id);
    if (!info.ok()) return FailWith(info.error());
    if (today - info.value().day > older_than_days) expired.push_back(entry.id);
  }
  auto deleted = DeleteAll(*store.value(), expired);
  if (!deleted.ok()) return FailWith(deleted.error());
  auto audited = store.value()->AppendAudit(
      today, "retention purge: " + std::to_string(deleted.value()) +
                 " unacknowledged envelopes older than " + std::to_string(older_than_days) +
                 " days");
  if (!audited.ok()) return FailWith(audited.error());
  std::cout << "purged " << deleted.value() << " envelopes never acknowledged and older than "
            << older_than_days << " days\n";
  return kExitSuccess;
}

int RunKeysInstall(const AdminSettings& settings, const std::string& bundle_path) {
  auto pinned = crypto::ParseFingerprint(settings.root_fingerprint);
  if (!pinned.ok()) {
    return Fail("root_fingerprint is missing from the configuration or malformed", kExitUsage);
  }
  auto bytes = ReadSmallFile(bundle_path, limits::kMaxSignedKeyBundleBytes);
  if (!bytes.ok()) return FailWith(bytes.error());
  auto store = OpenStore(settings);
  if (!store.ok()) return FailWith(store.error());
  const Day today = SystemClock().Today();

  // What was accepted before bounds what may follow: no rollback.
  std::optional<protocol::AcceptedKeyBundle> last;
  auto current = store.value()->CurrentKeyBundle();
  if (!current.ok()) return FailWith(current.error());
  if (current.value()) {
    // Even an expired installed bundle bounds what may follow it.
    constexpr Day kIgnoreExpiry = 0;
    auto verified =
        protocol::VerifyKeyBundle(current.value()->signed_bytes, pinned.value(), kIgnoreExpiry);
    if (verified.ok()) last = protocol::AcceptedStateOf(verified.value());
  }
  const std::span<const std::uint8_t> candidate(
      reinterpret_cast<const std::uint8_t*>(bytes.value().data()), bytes.value().size());
  auto verified = protocol::VerifyKeyBundle(candidate, pinned.value(), today, last);
  if (!verified.ok()) return FailWith(verified.error());
  const std::uint64_t version = verified.value().content.version;
  if (last && version == last->version) {
    return Fail("this key bundle version is already installed", kExitRejected);
  }
  const Status stored = store.value()->PutKeyBundle(version, candidate);
  if (!stored.ok()) return FailWith(stored.error());
  auto audited =
      store.value()->AppendAudit(today, "key bundle version " + std::to_string(version) + " installed");
  if (!audited.ok()) return FailWith(audited.error());
  std::cout << "installed key bundle version " << version << " ("
            << verified.value().content.keys.size()
            << " recipient keys); the gateway serves it now, or from its next start if it "
               "is stopped\n";
  return kExitSuccess;
}

}  // namespace amparo::admin
