// amparo-review: the air-gapped workstation tool. The keystore commands
// (init, keys, bodies, bundle, root, gateway, import, list, show,
// attachments, reply, status, export-replies, case, report, register) unlock the passphrase-sealed keystore and refuse to run on a
// networked machine; keygen, decrypt and demo-keys are standalone tools with
// the conventions of the reference age tools.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <array>
#include <cstdlib>
#include <optional>
#include <iostream>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "common/cli_io.h"
#include "common/clock.h"
#include "common/exit_code.h"
#include "common/file_io.h"
#include "common/limits.h"
#include "crypto/age_decrypt.h"
#include "crypto/armor.h"
#include "crypto/identities.h"
#include "crypto/keys.h"
#include "crypto/random.h"
#include "crypto/secret.h"
#include "reviewer/demo_keys.h"
#include "reviewer/case_commands.h"
#include "reviewer/case_labels.h"
#include "reviewer/case_report.h"
#include "reviewer/casework_commands.h"
#include "reviewer/followup_commands.h"
#include "reviewer/key_ceremony.h"
#include "reviewer/keystore_commands.h"

namespace {

using amparo::Error;
namespace age = amparo::crypto::age;

int Fail(std::string_view message, int code) {
  return amparo::ReportFailure(std::cerr, "amparo-review", message, code);
}

int Fail(Error error) { return Fail(amparo::ErrorName(error), amparo::ExitCodeFor(error)); }

// KeygenText builds the identity file in locked memory; it holds the secret.
amparo::crypto::SecretBuffer KeygenText(const age::X25519Identity& identity,
                                        const std::string& public_line) {
  const auto secret = identity.EncodeSecret();
  amparo::crypto::SecretBuffer text(public_line.size() + secret.size() + 1);
  auto* out = std::copy(public_line.begin(), public_line.end(), text.data());
  out = std::copy(secret.data(), secret.data() + secret.size(), out);
  *out = '\n';
  return text;
}

int RunKeygen(const std::string& output) {
  amparo::crypto::SystemRandom random;
  const auto identity = age::X25519Identity::Generate(random);
  const std::string recipient = amparo::crypto::EncodeRecipient(identity.PublicKey());
  const auto text = KeygenText(identity, "# public key: " + recipient + "\n");
  const std::string_view view = amparo::AsText(text.span());

  if (!output.empty() && output != "-") {
    // Created 0600 and never over an existing file: a key is not replaced by accident.
    const auto status = amparo::WriteNewFile(output, view);
    if (!status.ok()) return Fail("cannot create the identity file (does it already exist?)",
                                  amparo::kExitIo);
    std::cerr << "Public key: " << recipient << '\n';
    return amparo::kExitSuccess;
  }
  amparo::FdSink out(STDOUT_FILENO);
  if (!out.Write(text.span()).ok()) return Fail(Error::kIo);
  if (::isatty(STDOUT_FILENO) != 1) std::cerr << "Public key: " << recipient << '\n';
  return amparo::kExitSuccess;
}

struct DecryptOptions {
  std::vector<std::string> identity_files;
  std::string output;
  std::string input;
};

int RunDecrypt(const DecryptOptions& options) {
  std::vector<age::X25519Identity> identities;
  for (const std::string& path : options.identity_files) {
    auto content = amparo::ReadSmallFile(path, amparo::limits::kMaxKeyFileBytes);
    if (!content.ok()) return Fail("cannot read the identity file", amparo::kExitIo);
    auto parsed = age::ParseIdentityFile(content.value());
    amparo::crypto::Wipe({reinterpret_cast<std::uint8_t*>(content.value().data()),
                          content.value().size()});
    if (!parsed.ok()) return Fail("invalid identity file", amparo::kExitInvalidKey);
    for (auto& identity : parsed.value()) identities.push_back(std::move(identity));
  }
  if (identities.empty()) return Fail("at least one identity file is required (-i)",
                                      amparo::kExitUsage);
  std::vector<const age::Identity*> pointers;
  for (const auto& identity : identities) pointers.push_back(&identity);

  auto input = amparo::CommandInput::Open(options.input);
  if (!input.ok()) return Fail("cannot open input", amparo::kExitIo);
  auto output = amparo::CommandOutput::Open(options.output);
  if (!output.ok()) return Fail("cannot create output", amparo::kExitIo);

  // Peek at the start to tell armored input from binary, then replay it.
  std::vector<std::uint8_t> prefix(age::kArmorDetectionBytes);
  auto peeked = amparo::ReadFull(input.value().source(), prefix);
  if (!peeked.ok()) return Fail(peeked.error());
  const auto seen = std::span(prefix).first(peeked.value());
  amparo::PrefixedSource replay(seen, input.value().source());

  amparo::Status status;
  if (age::LooksArmored(seen)) {
    age::ArmorSource armored(replay);
    status = age::Decrypt(pointers, armored, output.value().sink());
  } else {
    status = age::Decrypt(pointers, replay, output.value().sink());
  }
  // On failure the output file is never committed: its temporary is removed.
  if (status.ok()) status = output.value().Commit();
  if (!status.ok()) return Fail(status.error());
  return amparo::kExitSuccess;
}

int RunDemoKeys(const std::string& dir, const std::vector<std::string>& bodies) {
  amparo::crypto::SystemRandom random;
  auto keys = amparo::reviewer::WriteDemoKeys(dir, bodies, amparo::SystemClock().Today(), random);
  if (!keys.ok()) {
    return Fail("cannot create the demo keys (does the folder exist already?)",
                amparo::ExitCodeFor(keys.error()));
  }
  std::cout << "DEMO keys written to " << dir << " (never use them for real cases)\n"
            << "root fingerprint: " << keys.value().root_fingerprint << '\n'
            << "signed key bundle: " << keys.value().key_bundle.string() << '\n';
  return amparo::kExitSuccess;
}

// ListFlags are the filters of `list` as typed; Resolve reads the words.
struct ListFlags {
  amparo::reviewer::CaseFilter filter;
  std::string state;
  std::string type;
  int year = 0;

  // Resolve returns the filter, or nullopt with *why set.
  std::optional<amparo::reviewer::CaseFilter> Resolve(std::string* why) const {
    amparo::reviewer::CaseFilter resolved = filter;
    if (!state.empty()) {
      resolved.state = amparo::reviewer::ParseCaseState(state);
      if (!resolved.state) {
        *why = "--state is one of received, pending-assessment, reprisal-established, "
               "not-established, insufficient-information, action-decided, follow-up, closed";
        return std::nullopt;
      }
    }
    if (!type.empty()) {
      const auto parsed = amparo::reviewer::ParseReprisalType(type);
      if (!parsed) {
        *why = "--type is a reprisal type as submission.proto names it, in lower case with "
               "dashes: arrest-or-detention, travel-ban, surveillance, ...";
        return std::nullopt;
      }
      resolved.type = *parsed;
    }
    if (year != 0) resolved.year = year;
    return resolved;
  }
};

// DefaultKeystoreDir: $AMPARO_KEYSTORE, else ~/.amparo-keystore.
std::string DefaultKeystoreDir() {
  if (const char* dir = std::getenv("AMPARO_KEYSTORE"); dir != nullptr && *dir != '\0') return dir;
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : ".") + "/.amparo-keystore";
}

}  // namespace

int main(int argc, char** argv) {
  namespace reviewer = amparo::reviewer;
  CLI::App app{"amparo-review: the air-gapped workstation tool"};
  app.require_subcommand(1);
  app.fallthrough();

  std::string keystore_dir = DefaultKeystoreDir();
  reviewer::KeystoreAccess access;
  app.add_option("--keystore", keystore_dir, "keystore folder ($AMPARO_KEYSTORE)");
  app.add_option("--passphrase-fd", access.passphrase_fd,
                 "read the passphrase from this descriptor instead of the terminal");
  app.add_flag("--allow-network", access.allow_network,
               "run even though a network interface is up (breaks the air gap)");

  std::string keygen_output;
  auto* keygen = app.add_subcommand("keygen", "Generate an X25519 identity (age-keygen format)");
  keygen->add_option("-o,--output", keygen_output, "write to a new file, mode 0600");

  DecryptOptions decrypt_options;
  auto* decrypt = app.add_subcommand("decrypt", "Decrypt an age file (binary or armored)");
  decrypt->add_option("-i,--identity", decrypt_options.identity_files,
                      "identity file (repeatable)")
      ->allow_extra_args(false);
  decrypt->add_option("-o,--output", decrypt_options.output,
                      "output file, created only if decryption succeeds");
  decrypt->add_option("input", decrypt_options.input, "input file (default: standard input)");

  std::string demo_dir;
  std::vector<std::string> demo_bodies = {"CAT", "SPT", "CED", "CCPR", "ASG_REPRISALS"};
  auto* demo = app.add_subcommand(
      "demo-keys", "Create DEMO keys and a signed DEMO key bundle (never for real cases)");
  demo->add_option("-o,--out", demo_dir, "new folder for the demo keys")->required();
  demo->add_option("--body", demo_bodies, "receiving body code (repeatable)")
      ->allow_extra_args(false);

  std::string kdf = "moderate";
  std::vector<std::string> gateway_keys;
  auto* init = app.add_subcommand("init", "Create the keystore and the root signing key");
  init->add_option("--kdf", kdf, "Argon2id cost: interactive, moderate (default), sensitive");
  init->add_option("--gateway-key", gateway_keys,
                   "pin a gateway node's export key, as amparo-admin init prints it (repeatable)")
      ->allow_extra_args(false);

  auto* keys = app.add_subcommand("keys", "Recipient keys of the receiving bodies");
  keys->require_subcommand(1);
  std::string body, label, key_id;
  long valid_days = reviewer::kDefaultKeyValidityDays;
  bool force = false;
  auto* keys_add = keys->add_subcommand("add", "Create a key for a body");
  keys_add->add_option("--body", body, "body code (see: bodies list)")->required();
  keys_add->add_option("--label", label, "label shown to submitters")->required();
  keys_add->add_option("--valid-days", valid_days, "days the key is offered (default 730)");
  auto* keys_rotate = keys->add_subcommand("rotate", "Replace a key; the old one is kept, retiring");
  keys_rotate->add_option("id", key_id, "key id")->required();
  auto* keys_revoke = keys->add_subcommand("revoke", "Revoke a key");
  keys_revoke->add_option("id", key_id, "key id")->required();
  auto* keys_destroy = keys->add_subcommand("destroy", "Erase a key's secret (crypto-shredding)");
  keys_destroy->add_option("id", key_id, "key id")->required();
  keys_destroy->add_flag("--force", force, "even if imported cases open with this key only");
  auto* keys_list = keys->add_subcommand("list", "List the keys and the bundle state");

  auto* bodies = app.add_subcommand("bodies", "The list of receiving bodies");
  bodies->require_subcommand(1);
  auto* bodies_list = bodies->add_subcommand("list", "List the bodies");
  std::string body_code, body_name;
  auto* bodies_add = bodies->add_subcommand("add", "Add a body");
  bodies_add->add_option("code", body_code, "code, e.g. ECTHR")->required();
  bodies_add->add_option("name", body_name, "name")->required();

  auto* bundle = app.add_subcommand("bundle", "Signed key bundles");
  bundle->require_subcommand(1);
  std::string bundle_output;
  long bundle_days = reviewer::kDefaultBundleValidityDays;
  auto* bundle_sign = bundle->add_subcommand("sign", "Sign the next key bundle");
  bundle_sign->add_option("-o,--output", bundle_output, "new file for the signed bundle")
      ->required();
  bundle_sign->add_option("--valid-days", bundle_days, "days the bundle is valid (default 90)");

  auto* root = app.add_subcommand("root", "The root signing key");
  root->require_subcommand(1);
  auto* root_rotate = root->add_subcommand("rotate", "Make a new root, endorsed by the current one");

  auto* gateway = app.add_subcommand("gateway", "Gateway nodes whose exports are accepted");
  gateway->require_subcommand(1);
  std::string node_key;
  auto* gateway_pin = gateway->add_subcommand("pin", "Pin another node's export key");
  gateway_pin->add_option("key", node_key, "as amparo-admin init prints it")->required();
  auto* gateway_list = gateway->add_subcommand(
      "list", "List the pinned nodes and the last export imported from each");

  std::string import_path, ack_out, case_id, attachments_out;
  auto* import_command = app.add_subcommand(
      "import", "Verify a gateway export, keep the cases it opens, write the acknowledgement");
  import_command->add_option("file", import_path, "export file from amparo-admin export")
      ->required();
  import_command->add_option("--ack-out", ack_out, "acknowledgement file for the gateway")
      ->required();
  auto* list = app.add_subcommand("list", "List the imported cases, filtered");
  ListFlags list_flags;
  list->add_option("--state", list_flags.state, "life-cycle state, e.g. pending-assessment");
  list->add_option("--body", list_flags.filter.body, "sent to this body code");
  list->add_option("--country", list_flags.filter.country, "State concerned or country of an incident");
  list->add_option("--type", list_flags.type, "type of reprisal, e.g. detention");
  list->add_option("--assigned", list_flags.filter.assigned_to, "assigned to this focal point");
  list->add_option("--year", list_flags.year, "year of arrival");
  list->add_option("--search", list_flags.filter.text, "text in the narrative, names or notes");
  auto* show = app.add_subcommand("show", "Show a case");
  show->add_option("id", case_id, "case id (as list shows it)")->required();
  bool show_json = false;
  std::string show_html;
  auto* show_format = show->add_option_group("format");
  show_format->add_flag("--json", show_json,
                        "one line of JSON (submission.proto names, enums as numbers), for scripts");
  show_format->add_option("--html", show_html,
                          "write the case and its history as a page to read from file://");
  show_format->require_option(0, 1);

  auto* case_command = app.add_subcommand("case", "Casework: state, assignment, course of action");
  case_command->require_subcommand(1);
  reviewer::EventOptions event;
  std::string case_value;
  const auto add_event = [&](CLI::App* command) {
    command->add_option("id", case_id, "case id")->required();
    command->add_option("value", case_value, "see --help")->required();
    command->add_option("--by", event.by, "who makes the change")->required();
    command->add_option("--note", event.note, "why, at most 1 KiB");
  };
  auto* case_state = case_command->add_subcommand(
      "state", "Record the allegation's state: received, pending-assessment, reprisal-established, "
               "not-established, insufficient-information, action-decided, follow-up, closed");
  add_event(case_state);
  auto* case_assign = case_command->add_subcommand("assign", "Assign the case to a focal point");
  add_event(case_assign);
  auto* case_action = case_command->add_subcommand(
      "action", "Record a course of action, refused unless the person's consent allows it");
  add_event(case_action);
  bool without_names = false;
  case_action->add_flag("--without-names", without_names,
                        "the action gives its addressee no name or identifying detail (without it, "
                        "the action is taken to name people, and needs that consent)");

  int report_year = 0;
  int report_k = reviewer::kDefaultSuppression;
  std::string report_csv, report_html;
  auto* report = app.add_subcommand(
      "report", "Annual statistics, counts below k suppressed (CSV, self-contained HTML)");
  report->add_option("--year", report_year, "year of arrival")->required();
  report->add_option("--k", report_k, "suppress counts below k (default 5, at least 3)");
  report->add_option("--csv", report_csv, "write the tables as CSV");
  report->add_option("--html", report_html, "write the report with charts as HTML");
  std::string register_csv, register_html;
  auto* register_command = app.add_subcommand(
      "register", "The public register: only cases consented for publication, at that level");
  register_command->add_option("--csv", register_csv, "write it as CSV");
  register_command->add_option("--html", register_html, "write it as HTML");
  std::string reply_message, status_state, replies_out;
  std::vector<std::string> reply_files;
  bool status_share = false;
  auto* reply = app.add_subcommand("reply", "Seal a reply to the case's submitter (follow-up)");
  reply->add_option("id", case_id, "case id")->required();
  reply->add_option("--message", reply_message, "the text, at most 32 KiB")->required();
  reply->add_option("--attach", reply_files, "a file to send with it (repeatable)");
  auto* status_command = app.add_subcommand(
      "status", "Record a case's status: received, under-assessment, action-taken, closed");
  status_command->add_option("id", case_id, "case id")->required();
  status_command->add_option("state", status_state, "the status")->required();
  status_command->add_flag("--share", status_share, "seal it for the submitter too");
  auto* export_replies = app.add_subcommand(
      "export-replies", "Write the sealed replies waiting in the outbox to a signed file");
  export_replies->add_option("--out", replies_out, "the replies file for amparo-admin import")
      ->required();
  bool replies_again = false;
  export_replies->add_flag("--again", replies_again,
                           "every reply of the outbox again, after a file was lost or refused");
  auto* attachments = app.add_subcommand(
      "attachments", "Write a case's attachments, only once the whole case verified");
  attachments->add_option("id", case_id, "case id")->required();
  attachments->add_option("--out", attachments_out, "folder for the files")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? amparo::kExitSuccess : amparo::kExitUsage;
  }
  access.dir = keystore_dir;
  if (keygen->parsed()) return RunKeygen(keygen_output);
  if (demo->parsed()) return RunDemoKeys(demo_dir, demo_bodies);
  if (decrypt->parsed()) return RunDecrypt(decrypt_options);
  if (init->parsed()) return reviewer::RunInit(access, kdf, gateway_keys);
  if (keys_add->parsed()) return reviewer::RunKeysAdd(access, body, label, valid_days);
  if (keys_rotate->parsed()) return reviewer::RunKeysRotate(access, key_id);
  if (keys_revoke->parsed()) return reviewer::RunKeysRevoke(access, key_id);
  if (keys_destroy->parsed()) return reviewer::RunKeysDestroy(access, key_id, force);
  if (keys_list->parsed()) return reviewer::RunKeysList(access);
  if (bodies_list->parsed()) return reviewer::RunBodiesList(access);
  if (bodies_add->parsed()) return reviewer::RunBodiesAdd(access, body_code, body_name);
  if (bundle_sign->parsed()) return reviewer::RunBundleSign(access, bundle_output, bundle_days);
  if (root_rotate->parsed()) return reviewer::RunRootRotate(access);
  if (gateway_pin->parsed()) return reviewer::RunGatewayPin(access, node_key);
  if (gateway_list->parsed()) return reviewer::RunGatewayList(access);
  if (import_command->parsed()) return reviewer::RunImport(access, import_path, ack_out);
  if (list->parsed()) {
    std::string why;
    const auto filter = list_flags.Resolve(&why);
    if (!filter) return Fail(why, amparo::kExitUsage);
    return reviewer::RunList(access, *filter);
  }
  if (show->parsed() && !show_html.empty()) return reviewer::RunShowHtml(access, case_id, show_html);
  if (show->parsed()) return reviewer::RunShow(access, case_id, show_json);
  if (case_state->parsed()) return reviewer::RunCaseState(access, case_id, case_value, event);
  if (case_assign->parsed()) return reviewer::RunCaseAssign(access, case_id, case_value, event);
  if (case_action->parsed()) {
    return reviewer::RunCaseAction(access, case_id, case_value, !without_names, event);
  }
  if (report->parsed()) {
    return reviewer::RunReport(access, report_year, report_k, report_csv, report_html);
  }
  if (register_command->parsed()) return reviewer::RunRegister(access, register_csv, register_html);
  if (reply->parsed()) return reviewer::RunReply(access, case_id, reply_message, reply_files);
  if (status_command->parsed()) return reviewer::RunStatus(access, case_id, status_state, status_share);
  if (export_replies->parsed()) return reviewer::RunExportReplies(access, replies_out, replies_again);
  if (attachments->parsed()) return reviewer::RunAttachments(access, case_id, attachments_out);
  return amparo::kExitUsage;
}
