#include "reviewer/case_commands.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>

#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "common/byte_reader.h"
#include "common/clock.h"
#include "common/exit_code.h"
#include "common/file_io.h"
#include "common/hex.h"
#include "crypto/random.h"
#include "protocol/acknowledgement_file.h"
#include "protocol/export_file.h"
#include "protocol/plaintext_reader.h"
#include "crypto/mailbox.h"
#include "reviewer/case_access.h"
#include "reviewer/case_files.h"
#include "reviewer/case_labels.h"
#include "reviewer/consent_policy.h"
#include "reviewer/followup_cases.h"
#include "reviewer/import_ledger.h"
#include "reviewer/key_ceremony.h"
#include "reviewer/keystore_session.h"

namespace amparo::reviewer {
namespace {

namespace fs = std::filesystem;
using EnvelopeIdBytes = std::array<std::uint8_t, 16>;

v1::PinnedNode* FindNode(v1::Keystore& data, const crypto::Ed25519PublicKey& key) {
  for (auto& node : *data.mutable_nodes()) {
    const auto stored = AsBytes(node.public_key());
    if (std::equal(stored.begin(), stored.end(), key.bytes.begin(), key.bytes.end())) {
      return &node;
    }
  }
  return nullptr;
}

// DiscardSink accepts and forgets bytes (an entry already imported is still
// read and its digest checked, so that the rest of the file stays framed).
class DiscardSink final : public ByteSink {
 public:
  Status Write(std::span<const std::uint8_t>) override { return OkStatus(); }
};

// StagingDir is a private folder inside cases/ for one import: everything is
// written there first and moved into cases/ only when the whole export has
// verified, so a tampered export leaves nothing behind.
class StagingDir {
 public:
  static Result<StagingDir> Create(const fs::path& cases) {
    std::string pattern = (cases / ".import-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) return Error::kIo;
    return StagingDir(pattern);
  }
  StagingDir(StagingDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  ~StagingDir() {
    if (path_.empty()) return;
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  explicit StagingDir(fs::path path) : path_(std::move(path)) {}
  fs::path path_;
};

// Stage copies one export entry into a new file, synced.
Status Stage(ByteSource& source, const protocol::ExportEntryInfo& entry, const fs::path& file) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Error::kIo;
  FdSink sink(fd);
  Status status = protocol::CopyExportEntry(source, entry, sink);
  if (status.ok() && ::fsync(fd) != 0) status = Error::kIo;
  if (::close(fd) != 0 && status.ok()) status = Error::kIo;
  return status;
}

// Verified is an envelope of the export that opened and whose plaintext
// verified.
struct Verified {
  const protocol::ExportEntryInfo* entry;
  std::vector<std::string> opened_by;
};

// CheckOpens finds the keys that open a staged envelope and decrypts it
// whole, checking the plaintext's framing: a case is kept only if it can be
// read. Returns nullopt-like empty openers when no key opens it.
Result<std::vector<std::string>> CheckOpens(const fs::path& file, const KeyRing& ring) {
  auto layout = ReadEnvelopeLayout(file);
  if (!layout.ok()) return layout.error();
  auto openers = KeysThatOpen(file, layout.value(), ring);
  if (!openers.ok() || openers.value().empty()) return openers;
  protocol::PlaintextReader reader(layout.value().padded_length);
  AMPARO_RETURN_IF_ERROR(OpenEnvelope(file, layout.value(), ring, reader));
  AMPARO_RETURN_IF_ERROR(reader.Finish());
  return openers;
}

// Printable escapes what a submitter wrote before it reaches the reviewer's
// terminal: C0 controls (escape sequences could rewrite the screen or forge
// rows) become \xNN, then TerminalText replaces the rest of what a terminal
// could obey; other UTF-8 passes.
std::string Printable(std::string_view text) {
  std::string out;
  for (const char raw : text) {
    const auto c = static_cast<unsigned char>(raw);
    if (c < 0x20 || c == 0x7f || c == '\\') {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    } else {
      out += raw;
    }
  }
  return TerminalText(out);
}

// JsonOf renders a Submission as one line of JSON, field names as in
// submission.proto and enums as their numbers, for scripts. C1 control
// characters, which some terminals obey, are escaped as \u00NN; JSON itself
// escapes the C0 ones.
std::optional<std::string> JsonOf(const v1::Submission& submission) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_enums_as_ints = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(submission, &json, options).ok()) {
    return std::nullopt;
  }
  std::string out;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const auto c = static_cast<unsigned char>(json[i]);
    const auto next = i + 1 < json.size() ? static_cast<unsigned char>(json[i + 1]) : 0;
    if (c == 0xc2 && next >= 0x80 && next <= 0x9f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", next);
      out += escaped;
      ++i;
    } else {
      out += json[i];
    }
  }
  return out;
}

// EventLine is one change of a case's history for the terminal.
std::string EventLine(const v1::CaseEvent& event) {
  return FormatDay(event.day()) + " by " + TerminalText(event.by()) + ": " + TerminalText(EventChange(event)) +
         (event.note().empty() ? "" : " (" + TerminalText(event.note()) + ")");
}

std::string Joined(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ",") + Printable(item);
  return text.empty() ? "-" : text;
}

}  // namespace

int RunImport(const KeystoreAccess& access, const std::string& input, const std::string& ack_out) {
  Session session(access);
  if (!session.keystore) return session.exit_code;
  Keystore& keystore = *session.keystore;
  v1::Keystore& data = keystore.data();

  std::vector<crypto::Ed25519PublicKey> pinned;
  for (const auto& node : data.nodes()) {
    auto key = crypto::Ed25519PublicKeyFrom(
        {reinterpret_cast<const std::uint8_t*>(node.public_key().data()), node.public_key().size()});
    if (key.ok()) pinned.push_back(key.value());
  }
  if (pinned.empty()) {
    return Fail("no gateway node is pinned (amparo-review gateway pin KEY)", kExitUsage);
  }
  const int fd = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail("cannot open " + input, kExitIo);
  FdSource source(fd);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};

  auto manifest = protocol::ReadExportPreamble(source, pinned);
  if (!manifest.ok()) {
    const std::string why = manifest.error() == Error::kBadSignature
                                ? "it is not signed by a pinned gateway node, or was altered"
                                : std::string(ErrorName(manifest.error()));
    return Fail("the export does not verify: " + why + "; nothing was imported",
                ExitCodeFor(manifest.error()));
  }
  const protocol::ExportManifestContent& content = manifest.value();
  if (FindNode(data, content.node_public_key) == nullptr) {
    return Fail("the export's node is not pinned; nothing was imported", kExitBadSignature);
  }
  auto ring = LoadKeyRing(data);
  if (!ring.ok()) return FailWith(ring.error());
  auto staging = StagingDir::Create(keystore.cases_dir());
  if (!staging.ok()) return Fail("cannot write in the keystore's cases folder", kExitIo);

  // 1. Copy every entry, each checked against the signed digest; the first
  //    failure abandons the whole import.
  std::vector<const protocol::ExportEntryInfo*> fresh;
  std::vector<const protocol::ExportEntryInfo*> known;
  for (const auto& entry : content.entries) {
    const std::string hex = HexEncode(entry.envelope_id);
    Status copied;
    if (FindCase(data, hex) != nullptr) {
      DiscardSink discard;
      copied = protocol::CopyExportEntry(source, entry, discard);
      known.push_back(&entry);
    } else {
      copied = Stage(source, entry, staging.value().path() / (hex + ".envelope"));
      fresh.push_back(&entry);
    }
    if (!copied.ok()) {
      return Fail("envelope " + hex + " of the export does not verify (" +
                      std::string(ErrorName(copied.error())) + "); nothing was imported",
                  ExitCodeFor(copied.error()));
    }
  }
  if (const Status end = protocol::ExpectEndOfExport(source); !end.ok()) {
    return Fail("the export has bytes after its last envelope; nothing was imported",
                ExitCodeFor(end.error()));
  }

  // 2. Open each new envelope with every key: keep what opens and reads.
  //    An envelope that opens but does not read was sealed that way (the
  //    signed digest vouches for the transfer): anyone holding the public
  //    keys can make one. It is reported and left out, not acknowledged,
  //    and it must not stop the import of everyone else's submissions.
  std::vector<Verified> opened;
  std::vector<std::string> unopened;
  std::vector<std::pair<std::string, Error>> unreadable;
  for (const auto* entry : fresh) {
    const std::string hex = HexEncode(entry->envelope_id);
    auto openers = CheckOpens(staging.value().path() / (hex + ".envelope"), ring.value());
    if (!openers.ok()) {
      unreadable.emplace_back(hex, openers.error());
      continue;
    }
    if (openers.value().empty()) {
      unopened.push_back(hex);
    } else {
      opened.push_back({entry, std::move(openers).value()});
    }
  }

  // 3. Commit: move the cases in, then record them in the keystore.
  for (const auto& item : opened) {
    const std::string hex = HexEncode(item.entry->envelope_id);
    std::error_code error;
    fs::rename(staging.value().path() / (hex + ".envelope"), CaseFile(keystore, hex), error);
    if (error) return Fail("cannot move a case into the keystore", kExitIo);
  }
  if (!opened.empty() && !SyncDirectoryOf(CaseFile(keystore, "x")).ok()) {
    return Fail("cannot sync the cases folder", kExitIo);
  }
  const Day today = SystemClock().Today();
  std::size_t follow_ups = 0;
  for (const auto& item : opened) {
    auto* imported = data.add_cases();
    imported->set_envelope_id(item.entry->envelope_id.data(), item.entry->envelope_id.size());
    imported->set_node_public_key(content.node_public_key.bytes.data(),
                                  content.node_public_key.bytes.size());
    imported->set_seq(item.entry->seq);
    imported->set_arrival_day(item.entry->day);
    imported->set_import_day(today);
    imported->set_envelope_length(item.entry->length);
    for (const auto& id : item.opened_by) imported->add_opened_by(id);
    // Casework starts: received on the day of import.
    imported->set_state(v1::CASE_STATE_RECEIVED);
    v1::CaseEvent* received = imported->add_history();
    received->set_day(today);
    received->set_by("import");
    received->set_state(v1::CASE_STATE_RECEIVED);
    // Follow-up: where replies go, and whether this adds to another case.
    const std::string hex = HexEncode(item.entry->envelope_id);
    auto submission = ReadCaseSubmission(CaseFile(keystore, hex), ring.value());
    if (submission.ok() && submission.value().has_follow_up() &&
        submission.value().follow_up().mailbox_id().size() == crypto::kMailboxIdSize &&
        submission.value().follow_up().reply_x25519_public_key().size() == 32) {
      imported->set_mailbox_id(submission.value().follow_up().mailbox_id());
      imported->set_reply_public_key(submission.value().follow_up().reply_x25519_public_key());
      imported->set_adds_to_case(submission.value().adds_to_case());
      ++follow_ups;
    }
  }
  const std::size_t linked = LinkAdditions(data);
  v1::PinnedNode* node = FindNode(data, content.node_public_key);
  const bool replay = node->last_export_number() >= content.export_number;
  std::vector<std::uint64_t> seqs;
  for (const auto& entry : content.entries) seqs.push_back(entry.seq);
  const auto gaps = RecordExport(*node, seqs, content.next_seq);
  if (!replay) node->set_last_export_number(content.export_number);
  if (auto failed = SaveOrFail(keystore)) return *failed;

  // 4. The acknowledgement names every envelope of this export that the
  //    workstation now holds, so that a lost one can be written again by
  //    importing the same export again.
  protocol::AcknowledgementContent ack;
  ack.node_public_key = content.node_public_key;
  ack.export_number = content.export_number;
  ack.created_day = today;
  for (const auto& item : opened) ack.envelope_ids.push_back(item.entry->envelope_id);
  for (const auto* entry : known) ack.envelope_ids.push_back(entry->envelope_id);
  const auto ack_bytes = protocol::EncodeAcknowledgement(ack);
  const auto root = CurrentRootKey(data);
  const auto signature = root.Sign(protocol::kAcknowledgementSignatureContext, ack_bytes);
  const auto file = protocol::EncodeAcknowledgementFile(ack_bytes, signature, root.public_key());
  auto sink = AtomicFileSink::Create(ack_out);
  if (!sink.ok() || !sink.value()->Write(file).ok() || !sink.value()->Commit().ok()) {
    return Fail("the cases are imported, but the acknowledgement could not be written to " +
                    ack_out + " (import the same export again to write it)",
                kExitIo);
  }

  std::cout << "export " << content.export_number << ": " << content.entries.size()
            << " envelopes; " << opened.size() << " imported, " << known.size()
            << " imported before, " << unopened.size() << " opened by none of this "
            << "workstation's keys, " << unreadable.size() << " opened but unreadable\n";
  for (const auto& hex : unopened) std::cout << "  not opened: " << hex << '\n';
  for (const auto& [hex, error] : unreadable) {
    std::cout << "  unreadable (" << ErrorName(error) << "), not acknowledged: " << hex << '\n';
  }
  if (replay) {
    std::cout << "warning: export " << content.export_number
              << " is not newer than the last one imported from this node (a replay, or an "
                 "export imported twice)\n";
  }
  if (!gaps.empty()) {
    std::cout << "warning: sequence numbers the node assigned but no export carried: "
              << DescribeRanges(gaps)
              << " (envelopes purged by retention, or withheld by the gateway)\n";
  }
  if (follow_ups > 0 || linked > 0) {
    std::cout << follow_ups << " of the new cases can be answered through the gateway; " << linked
              << " additional information linked to its case\n";
  }
  std::cout << "acknowledgement for the gateway: " << ack_out << " (" << ack.envelope_ids.size()
            << " envelopes)\n";
  return kExitSuccess;
}

int RunShow(const KeystoreAccess& access, const std::string& case_id, bool json) {
  Session session(access);
  if (!session.keystore) return session.exit_code;
  const auto& data = session.keystore->data();
  const v1::ImportedCase* imported = FindCase(data, case_id);
  if (imported == nullptr) return Fail("no case " + case_id, kExitUsage);
  auto ring = LoadKeyRing(data);
  if (!ring.ok()) return FailWith(ring.error());
  const fs::path file = CaseFile(*session.keystore, case_id);
  auto layout = ReadEnvelopeLayout(file);
  if (!layout.ok()) return FailWith(layout.error());
  protocol::PlaintextReader reader(layout.value().padded_length);
  Status opened = OpenEnvelope(file, layout.value(), ring.value(), reader);
  if (opened.ok()) opened = reader.Finish();
  if (!opened.ok()) {
    if (opened.error() == Error::kNoMatch) {
      return Fail("no kept key opens this case: the keys that did were destroyed", kExitNoMatch);
    }
    return FailWith(opened.error());
  }
  if (json) {
    auto text = JsonOf(reader.submission());
    if (!text) return FailWith(Error::kMalformedEnvelope);
    std::cout << *text << '\n';
    return kExitSuccess;
  }
  std::cout << "case " << case_id << "\narrived " << FormatDay(imported->arrival_day())
            << ", imported " << FormatDay(imported->import_day()) << ", opened by "
            << Joined(imported->opened_by()) << "\n\n";
  std::string text;
  google::protobuf::TextFormat::Printer printer;
  printer.SetUseUtf8StringEscaping(true);
  printer.PrintToString(reader.submission(), &text);
  std::cout << TerminalText(text, /*keep_newlines=*/true);
  // Follow-up: what this workstation did with the case, and what it links.
  std::cout << "\nfollow-up: "
            << (imported->mailbox_id().empty() ? "declined by the submitter"
                                               : "the submitter can read replies")
            << '\n';
  if (!imported->adds_to().empty()) std::cout << "adds information to case " << CaseHex(imported->adds_to()) << '\n';
  for (const auto& other : data.cases()) {
    if (other.adds_to() == imported->envelope_id()) {
      std::cout << "additional information: case " << CaseHex(other.envelope_id()) << '\n';
    }
  }
  // Casework: the life cycle, and the consent every output obeys.
  std::cout << "\nstate: " << CaseStateLabel(imported->state()) << "\nassigned to: "
            << (imported->assigned_to().empty() ? "nobody" : TerminalText(imported->assigned_to())) << '\n';
  for (const auto& event : imported->history()) std::cout << "history " << EventLine(event) << '\n';
  if (const v1::ImportedCase* governing = GoverningCase(data, *imported); governing != nullptr) {
    auto consent = ConsentOfCase(*session.keystore, ring.value(), *governing);
    if (consent.ok()) {
      for (const std::string& line : Describe(consent.value().consent)) std::cout << "consent in force: " << line << '\n';
      for (const std::string& line : consent.value().not_applied) {
        std::cout << "consent not applied (confirm with the person): " << line << '\n';
      }
    }
  } else {
    std::cout << "consent in force: none, until this additional information is linked to its case\n";
  }
  for (const auto& change : imported->statuses()) {
    std::cout << "status " << FormatDay(change.day()) << ": " << CaseStatusName(change.status())
              << (change.shared() ? " (shared)" : "") << '\n';
  }
  for (const auto& sent : imported->replies()) {
    std::cout << "reply " << FormatDay(sent.day()) << ": "
              << (sent.kind() == v1::REPLY_KIND_STATUS ? "status" : "message") << ", "
              << (sent.exported_in() == 0 ? "waiting for export-replies"
                                          : "in replies file " + std::to_string(sent.exported_in()))
              << '\n';
  }
  return kExitSuccess;
}

int RunAttachments(const KeystoreAccess& access, const std::string& case_id,
                   const std::string& out_dir) {
  Session session(access);
  if (!session.keystore) return session.exit_code;
  const auto& data = session.keystore->data();
  if (FindCase(data, case_id) == nullptr) return Fail("no case " + case_id, kExitUsage);
  auto ring = LoadKeyRing(data);
  if (!ring.ok()) return FailWith(ring.error());
  const fs::path file = CaseFile(*session.keystore, case_id);
  auto layout = ReadEnvelopeLayout(file);
  if (!layout.ok()) return FailWith(layout.error());

  // A folder made here is private; an existing one keeps its permissions.
  std::error_code error;
  const bool created = fs::create_directories(out_dir, error);
  if (error || (created && ::chmod(out_dir.c_str(), 0700) != 0)) {
    return Fail("cannot create " + out_dir, kExitIo);
  }
  auto staging = StagingDir::Create(out_dir);
  if (!staging.ok()) return Fail("cannot write in " + out_dir, kExitIo);

  // Each attachment goes to a file in the staging folder; they are moved
  // to their names only once the whole envelope verified. The names are
  // attachment-NN: the submitter's file name is shown, never used as a path.
  struct Output {
    int fd = -1;
    std::unique_ptr<FdSink> sink;
    fs::path staged;
    fs::path final_path;
    std::string description;
  };
  std::vector<Output> outputs;
  Status failure;
  protocol::PlaintextReader reader(
      layout.value().padded_length,
      [&](std::size_t index, const v1::Attachment& attachment) -> ByteSink* {
        char name[32];
        std::snprintf(name, sizeof name, "attachment-%02zu", index + 1);
        Output out;
        out.staged = staging.value().path() / name;
        out.final_path = fs::path(out_dir) / name;
        out.description = std::string(name) + "\t" + Printable(attachment.file_name()) + "\t" +
                          Printable(attachment.media_type()) + "\t" +
                          std::to_string(attachment.length()) + " bytes";
        out.fd = ::open(out.staged.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (out.fd < 0) {
          failure = Error::kIo;
          return nullptr;
        }
        out.sink = std::make_unique<FdSink>(out.fd);
        outputs.push_back(std::move(out));
        return outputs.back().sink.get();
      });
  Status opened = OpenEnvelope(file, layout.value(), ring.value(), reader);
  if (opened.ok()) opened = reader.Finish();
  if (opened.ok() && !failure.ok()) opened = failure;
  for (auto& out : outputs) {
    if (opened.ok() && ::fsync(out.fd) != 0) opened = Error::kIo;
    ::close(out.fd);
  }
  if (!opened.ok()) {
    return Fail("the case did not verify (" + std::string(ErrorName(opened.error())) +
                    "); no attachment was written",
                ExitCodeFor(opened.error()));
  }
  for (const auto& out : outputs) {
    // link() refuses to replace an existing file.
    if (::link(out.staged.c_str(), out.final_path.c_str()) != 0) {
      return Fail(out.final_path.string() + " exists already; remove it or choose another folder",
                  kExitIo);
    }
  }
  for (const auto& out : outputs) std::cout << out.description << '\n';
  if (outputs.empty()) std::cout << "the case has no attachments\n";
  return kExitSuccess;
}

}  // namespace amparo::reviewer
