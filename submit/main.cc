// amparo-submit: the submitter's command-line client. `keys` lists the bodies
// a verified key bundle offers, `send` seals a submission on this device and
// uploads it and shows its receipt code once, `replies` reads what the bodies
// answered with that code alone, and `encrypt` seals a file to age recipients
// with the same conventions as the reference age tool. Of crypto's opening
// side it links only what opens its own follow-up replies.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <array>
#include <memory>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "common/cli_io.h"
#include "crypto/signatures.h"
#include "crypto/followup_keys.h"
#include "crypto/receipt_code.h"
#include "submit/code_input.h"
#include "submit/commands.h"
#include "submit/follow_up.h"
#include "submit/gateway_url.h"
#include "submit/http_client.h"
#include "submit/key_fetch.h"
#include "common/exit_code.h"
#include "common/file_io.h"
#include "common/limits.h"
#include "crypto/age_encrypt.h"
#include "crypto/armor.h"
#include "crypto/keys.h"
#include "crypto/random.h"
#include "crypto/recipients.h"

namespace {

using amparo::Error;
namespace age = amparo::crypto::age;

int Fail(std::string_view message, int code) {
  return amparo::ReportFailure(std::cerr, "amparo-submit", message, code);
}

int Fail(Error error) { return Fail(amparo::ErrorName(error), amparo::ExitCodeFor(error)); }

struct EncryptOptions {
  std::vector<std::string> recipients;
  std::vector<std::string> recipient_files;
  bool armor = false;
  std::string output;
  std::string input;
};

int RunEncrypt(const EncryptOptions& options) {
  std::vector<amparo::crypto::X25519PublicKey> keys;
  for (const std::string& text : options.recipients) {
    auto key = amparo::crypto::ParseRecipient(text);
    if (!key.ok()) return Fail("invalid recipient: expected an age1... public key",
                               amparo::kExitInvalidKey);
    keys.push_back(key.value());
  }
  for (const std::string& path : options.recipient_files) {
    auto content = amparo::ReadSmallFile(path, amparo::limits::kMaxKeyFileBytes);
    if (!content.ok()) return Fail(content.error());
    auto file_keys = age::ParseRecipientsFile(content.value());
    if (!file_keys.ok()) return Fail("invalid recipients file", amparo::kExitInvalidKey);
    keys.insert(keys.end(), file_keys.value().begin(), file_keys.value().end());
  }
  if (keys.empty()) return Fail("at least one recipient is required (-r or -R)", amparo::kExitUsage);

  std::vector<age::X25519Recipient> recipients;
  recipients.reserve(keys.size());
  std::vector<const age::Recipient*> pointers;
  for (const auto& key : keys) pointers.push_back(&recipients.emplace_back(key));

  auto input = amparo::CommandInput::Open(options.input);
  if (!input.ok()) return Fail("cannot open input", amparo::kExitIo);
  auto output = amparo::CommandOutput::Open(options.output);
  if (!output.ok()) return Fail("cannot create output", amparo::kExitIo);
  if (!options.armor && output.value().is_terminal()) {
    return Fail("refusing to write binary output to a terminal; use -a or -o", amparo::kExitUsage);
  }

  amparo::crypto::SystemRandom random;
  amparo::Status status;
  if (options.armor) {
    age::ArmorSink armored(output.value().sink());
    status = age::Encrypt(pointers, input.value().source(), armored, random);
    if (status.ok()) status = armored.Finish();
  } else {
    status = age::Encrypt(pointers, input.value().source(), output.value().sink(), random);
  }
  if (status.ok()) status = output.value().Commit();
  if (!status.ok()) return Fail(status.error());
  return amparo::kExitSuccess;
}

// GatewayOptions are the flags shared by the commands that reach a gateway.
struct GatewayOptions {
  std::string gateway;
  std::string root_fingerprint;
  std::string socks5;
  std::string cacert;
  bool insecure_demo = false;
};

// Connection is a client and the pinned root, ready for a command.
struct Connection {
  std::unique_ptr<amparo::submit::GatewayClient> client;
  std::array<std::uint8_t, 32> fingerprint{};
};

// Connect validates the flags and builds the client; on failure it prints
// one line and returns the exit code in `code`.
std::optional<Connection> Connect(const GatewayOptions& options, int* code) {
  namespace submit = amparo::submit;
  auto url = submit::ParseGatewayUrl(options.gateway);
  if (!url.ok()) {
    *code = Fail("--gateway must be https://HOST[:PORT], or http://NAME.onion[:PORT] for an "
                 "onion service",
                 amparo::kExitUsage);
    return std::nullopt;
  }
  auto fingerprint = amparo::crypto::ParseFingerprint(options.root_fingerprint);
  if (!fingerprint.ok()) {
    *code = Fail("--root-fingerprint is not a root key fingerprint (64 hex digits)",
                 amparo::kExitUsage);
    return std::nullopt;
  }
  submit::ClientOptions client_options;
  client_options.gateway = url.value();
  if (!options.socks5.empty()) {
    auto proxy = submit::ParseHostPort(options.socks5);
    if (!proxy.ok()) {
      *code = Fail("--socks5 must be HOST:PORT, e.g. 127.0.0.1:9050", amparo::kExitUsage);
      return std::nullopt;
    }
    client_options.socks5 = proxy.value();
  }
  // An onion address given to the system resolver would leave this device in
  // clear, to whoever runs the DNS, and cannot resolve anyway.
  if (url.value().onion && !client_options.socks5.has_value()) {
    *code = Fail("a .onion gateway can only be reached through Tor: add --socks5 127.0.0.1:9050",
                 amparo::kExitUsage);
    return std::nullopt;
  }
  // Over plain HTTP to an onion service there is no certificate to check:
  // a flag that would do nothing is a mistake to report, not to ignore.
  if (!url.value().tls && (options.insecure_demo || !options.cacert.empty())) {
    *code = Fail("--cacert and --insecure-demo apply to https:// gateways only",
                 amparo::kExitUsage);
    return std::nullopt;
  }
  client_options.tls.cacert_file = options.cacert;
  client_options.tls.insecure_demo = options.insecure_demo;
  if (options.insecure_demo) {
    std::cerr << "amparo-submit: warning: --insecure-demo accepts a self-signed gateway "
                 "certificate without verifying who issued it; use it only with a "
                 "demonstration gateway\n";
  }
  auto client = submit::GatewayClient::Create(client_options);
  if (!client.ok()) {
    *code = Fail("cannot load the TLS trust store or the --cacert file", amparo::kExitIo);
    return std::nullopt;
  }
  return Connection{std::move(client.value()), fingerprint.value()};
}

void AddGatewayOptions(CLI::App* command, GatewayOptions& options) {
  command->add_option("--gateway", options.gateway,
                      "gateway address, https://HOST[:PORT] or http://NAME.onion[:PORT]")
      ->required();
  command->add_option("--root-fingerprint", options.root_fingerprint,
                      "fingerprint of the root key, published by the operators out of band")
      ->required();
  command->add_option("--socks5", options.socks5,
                      "connect through this SOCKS5 proxy, e.g. Tor at 127.0.0.1:9050; the "
                      "gateway's name is resolved by the proxy");
  auto* cacert = command->add_option("--cacert", options.cacert,
                                     "trust only the certificate authorities in this PEM file");
  auto* insecure = command->add_flag("--insecure-demo", options.insecure_demo,
                                     "accept a demonstration gateway's self-signed certificate");
  cacert->excludes(insecure);
}

int RunKeysCommand(const GatewayOptions& options) {
  int code = amparo::kExitSuccess;
  auto connection = Connect(options, &code);
  if (!connection) return code;
  return amparo::submit::RunKeys(*connection->client, connection->fingerprint,
                                 amparo::submit::TodayUtc(), std::cout, std::cerr);
}

// FollowUpOptions choose how a submission can be followed up.
struct FollowUpOptions {
  bool none = false;            // --no-follow-up: no code, no replies
  std::optional<int> code_fd;   // --code-fd: add to the case of this code
};

constexpr std::string_view kCodeAdvice =
    "Write this code down and keep it apart from this computer. With it alone you can read the\n"
    "bodies' replies (amparo-submit replies) and add information to this case (amparo-submit send\n"
    "--code-fd). It is shown only this once and stored nowhere; anyone who has it can read the\n"
    "replies and write in your name.\n";

int RunSendCommand(const GatewayOptions& options, amparo::submit::SendRequest request,
                   bool no_progress, const FollowUpOptions& follow_up) {
  int code = amparo::kExitSuccess;
  auto connection = Connect(options, &code);
  if (!connection) return code;
  amparo::crypto::SystemRandom random;
  std::optional<amparo::crypto::SecretBuffer> new_code;
  std::optional<amparo::crypto::FollowUpKeys> keys;
  if (!follow_up.none) {
    auto receipt = follow_up.code_fd ? amparo::submit::ReadReceiptCode(follow_up.code_fd)
                                     : amparo::Result<amparo::crypto::SecretBuffer>(
                                           amparo::crypto::GenerateReceiptCode(random));
    if (!receipt.ok()) return Fail("the receipt code does not read: 10 words of the list", amparo::kExitUsage);
    auto derived = amparo::crypto::DeriveFollowUpKeys(receipt.value());
    if (!derived.ok()) return Fail("not enough memory to derive the follow-up keys", amparo::kExitIo);
    keys.emplace(std::move(derived).value());
    request.follow_up = &*keys;
    request.adds_to_case = follow_up.code_fd.has_value();
    request.form.adds_to_case = request.adds_to_case;
    if (!follow_up.code_fd) new_code.emplace(std::move(receipt).value());
  }
  amparo::submit::SendEnvironment environment;
  environment.today = amparo::submit::TodayUtc();
  environment.random = &random;
  environment.temp_dir = amparo::submit::DefaultTempDir();
  environment.show_progress = !no_progress;
  const int sent = amparo::submit::RunSend(*connection->client, connection->fingerprint, request,
                                           environment, std::cout, std::cerr);
  if (sent == amparo::kExitSuccess && new_code) {
    std::cout << "receipt code: "
              << std::string_view(reinterpret_cast<const char*>(new_code->data()), new_code->size())
              << '\n'
              << kCodeAdvice;
    std::cout.flush();
  }
  if (sent == amparo::kExitSuccess && follow_up.code_fd) {
    std::cout << "added to the case of this receipt code\n";
  }
  return sent;
}

int RunRepliesCommand(const GatewayOptions& options, std::optional<int> code_fd,
                      const std::string& out_dir) {
  auto receipt = amparo::submit::ReadReceiptCode(code_fd);
  if (!receipt.ok()) return Fail("the receipt code does not read: 10 words of the list", amparo::kExitUsage);
  int code = amparo::kExitSuccess;
  auto connection = Connect(options, &code);
  if (!connection) return code;
  auto keys = amparo::crypto::DeriveFollowUpKeys(receipt.value());
  if (!keys.ok()) return Fail("not enough memory to derive the follow-up keys", amparo::kExitIo);
  std::optional<std::filesystem::path> out;
  if (!out_dir.empty()) out = out_dir;
  return amparo::submit::RunReplies(*connection->client, keys.value(), out, std::cout, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"amparo-submit: seal a submission on this device for the chosen receiving bodies"};
  app.require_subcommand(1);
  EncryptOptions options;
  auto* encrypt = app.add_subcommand("encrypt", "Encrypt IN (or standard input) with age v1");
  encrypt->add_option("-r,--recipient", options.recipients, "age1... public key (repeatable)")
      ->allow_extra_args(false);
  encrypt->add_option("-R,--recipients-file", options.recipient_files,
                      "file with one age1... recipient per line (repeatable)")
      ->allow_extra_args(false);
  encrypt->add_flag("-a,--armor", options.armor, "write ASCII armor");
  encrypt->add_option("-o,--output", options.output, "output file (default: standard output)");
  encrypt->add_option("input", options.input, "input file (default: standard input)");

  GatewayOptions keys_options;
  auto* keys = app.add_subcommand(
      "keys", "Fetch the gateway's key bundle, verify it and list the bodies one can write to");
  AddGatewayOptions(keys, keys_options);

  GatewayOptions send_options;
  amparo::submit::SendRequest send_request;
  bool no_progress = false;
  auto& form = send_request.form;
  auto* send = app.add_subcommand("send", "Seal a submission on this device and upload it");
  AddGatewayOptions(send, send_options);
  send->add_option("--body", form.bodies, "code of a receiving body (repeatable, 1 to 8)")
      ->required()
      ->allow_extra_args(false);
  auto* file = send->add_option("--submission-file", form.submission_file,
                                "a prepared Submission (binary protobuf) instead of the answers");
  std::vector<CLI::Option*> answers = {
      send->add_option("--reporter-role", form.reporter_role,
                       "targeted-person, relative, legal-representative, organisation, witness "
                       "or other"),
      send->add_option("--state", form.state, "State concerned, two-letter country code"),
      send->add_option("--language", form.language, "language of the narrative, e.g. es"),
      send->add_option("--narrative-file", form.narrative_file,
                       "the account in your own words, UTF-8 text of at most 64 KiB"),
      send->add_option("--consent-raise-with-state", form.consent_raise_with_state,
                       "yes|no: the body may raise the case with the State (default no; --code-fd: unchanged)"),
      send->add_option("--consent-share-within-un", form.consent_share_within_un,
                       "yes|no: the information may go to other UN bodies (default no; --code-fd: unchanged)"),
      send->add_option("--consent-share-regional", form.consent_share_regional,
                       "yes|no: it may go to a regional human rights mechanism (default no; --code-fd: unchanged)"),
      send->add_option("--consent-sg-report", form.consent_sg_report,
                       "named|anonymous|no: in the Secretary-General's report (default no; --code-fd: unchanged)"),
      send->add_option("--consent-publication", form.consent_publication,
                       "named|anonymous|no: the body may make the case public (default no; --code-fd: unchanged)"),
      send->add_option("--consent-contact", form.consent_contact,
                       "yes|no: the body may contact you outside Amparo (default no; --code-fd: unchanged)"),
  };
  for (CLI::Option* answer : answers) file->excludes(answer);
  send->add_option("--attach", send_request.attachments, "a file to attach (repeatable, at most 32)")
      ->allow_extra_args(false);
  send->add_flag("--no-progress", no_progress, "never draw progress bars");
  FollowUpOptions follow_up;
  int send_code_fd = -1;
  auto* no_follow_up = send->add_flag("--no-follow-up", follow_up.none,
                                      "no receipt code: the bodies cannot answer through the gateway");
  send->add_option("--code-fd", send_code_fd,
                   "add information to the case of the receipt code read from this descriptor")
      ->excludes(no_follow_up);

  GatewayOptions replies_options;
  int replies_code_fd = -1;
  std::string replies_out;
  auto* replies = app.add_subcommand(
      "replies", "Read the bodies' replies with your receipt code (asked for, or --code-fd)");
  AddGatewayOptions(replies, replies_options);
  replies->add_option("--code-fd", replies_code_fd, "read the receipt code from this descriptor");
  replies->add_option("--out", replies_out, "folder for the replies' attachments (none if absent)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? amparo::kExitSuccess : amparo::kExitUsage;
  }
  if (keys->parsed()) return RunKeysCommand(keys_options);
  if (send->parsed()) {
    if (send_code_fd >= 0) follow_up.code_fd = send_code_fd;
    return RunSendCommand(send_options, send_request, no_progress, follow_up);
  }
  if (replies->parsed()) {
    return RunRepliesCommand(replies_options,
                             replies_code_fd >= 0 ? std::optional<int>(replies_code_fd) : std::nullopt,
                             replies_out);
  }
  return RunEncrypt(options);
}
