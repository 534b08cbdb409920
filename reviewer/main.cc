// amparo-review: the air-gapped workstation tool. This surface is
// `keygen` and `decrypt`, with the conventions of the reference age tools.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <array>
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"amparo-review: the air-gapped workstation tool"};
  app.require_subcommand(1);

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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? amparo::kExitSuccess : amparo::kExitUsage;
  }
  if (keygen->parsed()) return RunKeygen(keygen_output);
  if (demo->parsed()) return RunDemoKeys(demo_dir, demo_bodies);
  return RunDecrypt(decrypt_options);
}
