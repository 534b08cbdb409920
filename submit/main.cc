// amparo-submit: the submitter's command-line client. This surface is
// `encrypt`, which seals a file to age recipients with the same conventions as
// the reference age tool. It links the sealing side of crypto/ only.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "common/cli_io.h"
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
  std::cerr << "amparo-submit: error: " << message << '\n';
  return code;
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"amparo-submit: seal files on this device for the chosen receiving bodies"};
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
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? amparo::kExitSuccess : amparo::kExitUsage;
  }
  return RunEncrypt(options);
}
