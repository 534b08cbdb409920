#include "reviewer/followup_commands.h"

#include <iostream>
#include <map>
#include <optional>

#include "common/byte_reader.h"
#include "common/clock.h"
#include "common/exit_code.h"
#include "common/file_io.h"
#include "common/hex.h"
#include "common/limits.h"
#include "crypto/random.h"
#include "protocol/replies_file.h"
#include "protocol/reply_plaintext.h"
#include "reviewer/case_access.h"
#include "reviewer/followup_cases.h"
#include "reviewer/key_ceremony.h"
#include "reviewer/keystore_session.h"

namespace amparo::reviewer {
namespace {

namespace fs = std::filesystem;

fs::path OutboxDir(const Keystore& keystore) { return keystore.dir() / "outbox"; }

fs::path OutboxFile(const Keystore& keystore, const std::string& reply_id) {
  return OutboxDir(keystore) / (HexEncode(AsBytes(reply_id)) + ".reply");
}

// SealToOutbox seals `reply` for the case and stores it in the outbox, then
// records it; the keystore is saved by the caller.
int SealToOutbox(Keystore& keystore, v1::ImportedCase& imported, v1::Reply reply,
                 const std::vector<protocol::ReplyAttachment>& files) {
  // An addition is answered with the keys of the case it was linked to;
  // an addition not linked (yet) cannot be answered.
  const v1::ImportedCase* original = GoverningCase(keystore.data(), imported);
  if (original == nullptr) {
    return Fail("this additional information is not linked to a case; answer the case instead",
                kExitRejected);
  }
  const v1::ImportedCase& answering = *original;
  if (answering.reply_public_key().size() != 32 || answering.mailbox_id().size() != 32) {
    return Fail("this case cannot be answered: its submitter declined follow-up", kExitRejected);
  }
  crypto::X25519PublicKey recipient;
  std::copy(answering.reply_public_key().begin(), answering.reply_public_key().end(),
            recipient.bytes.begin());
  crypto::SystemRandom random;
  const v1::ReplyKind kind = reply.kind();
  auto sealed = protocol::SealReply(std::move(reply), files, recipient, random);
  if (!sealed.ok()) {
    return Fail(sealed.error() == Error::kLimitExceeded
                    ? "the reply is too large (at most 4 MiB with its attachments)"
                    : "the reply is outside its bounds (text at most 32 KiB, at most 8 files)",
                kExitUsage);
  }
  std::array<std::uint8_t, crypto::kReplyIdSize> id{};
  do {
    random.Fill(id);
  } while (id == std::array<std::uint8_t, crypto::kReplyIdSize>{});
  std::error_code error;
  fs::create_directories(OutboxDir(keystore), error);
  if (error) return Fail("cannot create the keystore's outbox folder", kExitIo);
  const std::string id_bytes(AsText(id));
  if (!WriteNewFile(OutboxFile(keystore, id_bytes), AsText(sealed.value())).ok()) {
    return Fail("cannot write the sealed reply to the outbox", kExitIo);
  }
  v1::OutgoingReply* record = imported.add_replies();
  record->set_reply_id(id_bytes);
  record->set_kind(kind);
  record->set_day(SystemClock().Today());
  record->set_sealed_length(sealed.value().size());
  return kExitSuccess;
}

}  // namespace

int RunReply(const KeystoreAccess& access, const std::string& case_id, const std::string& message,
             const std::vector<std::string>& attachments) {
  Session session(access);
  if (!session.keystore) return session.exit_code;
  v1::ImportedCase* imported = FindCase(session.keystore->data(), case_id);
  if (imported == nullptr) return Fail("no case " + case_id, kExitUsage);
  std::vector<protocol::ReplyAttachment> files;
  for (const std::string& path : attachments) {
    auto content = ReadSmallFile(path, limits::kMaxReplyPaddedBytes);
    if (!content.ok()) return Fail("cannot read " + path + " (at most 4 MiB)", ExitCodeFor(content.error()));
    const std::string name = fs::path(path).filename().string();
    files.push_back({name.empty() ? "attachment" : name, "application/octet-stream", "",
                     std::vector<std::uint8_t>(content.value().begin(), content.value().end())});
  }
  v1::Reply reply;
  reply.set_format_version(1);
  reply.set_kind(v1::REPLY_KIND_MESSAGE);
  reply.set_text(message);
  reply.set_day(SystemClock().Today());
  if (const int code = SealToOutbox(*session.keystore, *imported, std::move(reply), files); code != 0) {
    return code;
  }
  if (auto failed = SaveOrFail(*session.keystore)) return *failed;
  std::cout << "reply sealed for case " << case_id << "; it waits for export-replies\n";
  return kExitSuccess;
}

int RunStatus(const KeystoreAccess& access, const std::string& case_id, const std::string& state,
              bool share) {
  const auto status = ParseCaseStatus(state);
  if (!status) {
    return Fail("the status is one of received, under-assessment, action-taken, closed", kExitUsage);
  }
  Session session(access);
  if (!session.keystore) return session.exit_code;
  v1::ImportedCase* imported = FindCase(session.keystore->data(), case_id);
  if (imported == nullptr) return Fail("no case " + case_id, kExitUsage);
  if (share) {
    v1::Reply reply;
    reply.set_format_version(1);
    reply.set_kind(v1::REPLY_KIND_STATUS);
    reply.set_status(*status);
    reply.set_day(SystemClock().Today());
    if (const int code = SealToOutbox(*session.keystore, *imported, std::move(reply), {}); code != 0) {
      return code;
    }
  }
  v1::StatusChange* change = imported->add_statuses();
  change->set_status(*status);
  change->set_day(SystemClock().Today());
  change->set_shared(share);
  if (auto failed = SaveOrFail(*session.keystore)) return *failed;
  std::cout << "case " << case_id << ": " << CaseStatusName(*status)
            << (share ? ", sealed for the submitter; it waits for export-replies\n"
                      : ", recorded on this workstation only\n");
  return kExitSuccess;
}

int RunExportReplies(const KeystoreAccess& access, const std::string& output, bool again) {
  Session session(access);
  if (!session.keystore) return session.exit_code;
  Keystore& keystore = *session.keystore;
  v1::Keystore& data = keystore.data();
  protocol::RepliesFileContent content;
  content.batch_number = data.last_replies_batch() + 1;
  content.created_day = SystemClock().Today();
  std::vector<v1::OutgoingReply*> carried;
  std::map<std::string, std::size_t> per_mailbox;
  std::size_t waiting = 0;
  for (v1::ImportedCase& imported : *data.mutable_cases()) {
    for (v1::OutgoingReply& reply : *imported.mutable_replies()) {
      // --again writes every reply of the outbox once more, under a new
      // batch number: the gateway places those it lacks and skips the rest,
      // so a lost or refused file loses nothing.
      if (reply.exported_in() != 0 && !again) continue;
      // Oldest first, as many as one file holds, and never more than a
      // mailbox keeps, so that placing this file twice changes nothing.
      std::size_t& in_mailbox = per_mailbox[imported.mailbox_id()];
      if (content.entries.size() == limits::kMaxRepliesPerFile || in_mailbox == limits::kMailboxSlots) {
        ++waiting;
        continue;
      }
      auto sealed = ReadSmallFile(OutboxFile(keystore, reply.reply_id()), limits::kMaxSealedReplyBytes);
      if (!sealed.ok()) return Fail("a sealed reply is missing from the outbox", kExitIo);
      protocol::ReplyFileEntry entry;
      std::copy(imported.mailbox_id().begin(), imported.mailbox_id().end(), entry.mailbox_id.begin());
      std::copy(reply.reply_id().begin(), reply.reply_id().end(), entry.reply_id.begin());
      entry.sealed.assign(sealed.value().begin(), sealed.value().end());
      content.entries.push_back(std::move(entry));
      carried.push_back(&reply);
      ++in_mailbox;
    }
  }
  if (content.entries.empty()) {
    std::cout << "no reply waits for export\n";
    return kExitSuccess;
  }
  if (!protocol::ValidateReplies(content).ok()) return Fail("the outbox is damaged", kExitIo);
  // The whole file must fit the gateway's ceiling: leave the last replies
  // for the next file until it does.
  const auto root = CurrentRootKey(data);
  std::vector<std::uint8_t> file;
  for (;;) {
    const auto replies = protocol::EncodeReplies(content);
    file = protocol::EncodeRepliesFile(replies, root.Sign(protocol::kRepliesSignatureContext, replies),
                                       root.public_key());
    if (file.size() <= limits::kMaxRepliesFileBytes) break;
    content.entries.pop_back();
    carried.pop_back();
    ++waiting;
  }
  auto sink = AtomicFileSink::Create(output);
  if (!sink.ok() || !sink.value()->Write(file).ok() || !sink.value()->Commit().ok()) {
    return Fail("cannot write " + output, kExitIo);
  }
  for (v1::OutgoingReply* reply : carried) reply->set_exported_in(content.batch_number);
  data.set_last_replies_batch(content.batch_number);
  if (auto failed = SaveOrFail(keystore)) return *failed;
  std::cout << "replies file " << content.batch_number << ": " << content.entries.size()
            << " replies in " << output;
  if (waiting > 0) std::cout << "; " << waiting << " wait for the next file";
  std::cout << '\n';
  return kExitSuccess;
}

}  // namespace amparo::reviewer
