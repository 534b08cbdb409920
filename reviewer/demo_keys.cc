#include "reviewer/demo_keys.h"

#include <sys/stat.h>

#include "common/byte_reader.h"
#include "common/file_io.h"
#include "common/hex.h"
#include "crypto/identities.h"
#include "crypto/keys.h"
#include "crypto/signing_key.h"
#include "protocol/key_bundle.h"
#include "protocol/key_bundle_content.h"

namespace amparo::reviewer {
namespace {

constexpr Day kDemoValidityDays = 365;
constexpr std::string_view kDemoWarning =
    "# DEMO KEY, NOT FOR REAL CASES: generated without a key ceremony and stored unencrypted.\n";

Status WriteSecretFile(const std::filesystem::path& path, std::string_view public_line,
                       const crypto::SecretBuffer& secret) {
  crypto::SecretBuffer text(kDemoWarning.size() + public_line.size() + secret.size() + 1);
  auto* out = std::copy(kDemoWarning.begin(), kDemoWarning.end(), text.data());
  out = std::copy(public_line.begin(), public_line.end(), out);
  out = std::copy(secret.data(), secret.data() + secret.size(), out);
  *out = '\n';
  return WriteNewFile(path, AsText(text.span()));
}

}  // namespace

Result<DemoKeys> WriteDemoKeys(const std::filesystem::path& dir,
                               const std::vector<std::string>& bodies, Day today,
                               crypto::RandomSource& random) {
  if (bodies.empty()) return Error::kInvalidArgument;
  for (const auto& body : bodies) {
    if (!protocol::IsBodyCode(body)) return Error::kInvalidArgument;
  }
  if (::mkdir(dir.c_str(), 0700) != 0) return Error::kIo;

  const auto root = crypto::SigningKey::Generate(random);
  crypto::SecretBuffer root_secret(64);
  const std::string seed_hex = HexEncode(root.seed());
  std::copy(seed_hex.begin(), seed_hex.end(), root_secret.data());
  AMPARO_RETURN_IF_ERROR(WriteSecretFile(dir / "DEMO-root-signing-key.txt",
                                         "# root fingerprint: " +
                                             crypto::Fingerprint(root.public_key()) + "\n",
                                         root_secret));

  protocol::KeyBundleContent content;
  content.version = 1;
  content.issued_day = today;
  content.expires_day = today + kDemoValidityDays;
  content.lowest_accepted_version = 1;
  for (const auto& body : bodies) {
    const auto identity = crypto::age::X25519Identity::Generate(random);
    const std::string recipient = crypto::EncodeRecipient(identity.PublicKey());
    AMPARO_RETURN_IF_ERROR(WriteSecretFile(dir / ("DEMO-identity-" + body + ".txt"),
                                           "# public key: " + recipient + "\n",
                                           identity.EncodeSecret()));
    protocol::RecipientKeyEntry key;
    key.key_id = "demo-" + body + "-1";
    key.body = body;
    key.label = "DEMO key for " + body;
    key.public_key = identity.PublicKey();
    key.valid_from_day = today;
    key.valid_until_day = today + kDemoValidityDays;
    content.keys.push_back(std::move(key));
  }

  const auto bundle = protocol::EncodeKeyBundle(content);
  const auto signature = root.Sign(protocol::kKeyBundleSignatureContext, bundle);
  const auto signed_bundle =
      protocol::EncodeSignedKeyBundle(bundle, signature, root.public_key(), {});
  const std::string fingerprint = crypto::Fingerprint(root.public_key());
  auto pinned = crypto::ParseFingerprint(fingerprint);
  if (!pinned.ok()) return pinned.error();
  auto verified = protocol::VerifyKeyBundle(signed_bundle, pinned.value(), today);
  if (!verified.ok()) return verified.error();

  DemoKeys keys{fingerprint, dir / "DEMO-key-bundle.bin"};
  AMPARO_RETURN_IF_ERROR(WriteNewFile(keys.key_bundle, AsText(signed_bundle)));
  AMPARO_RETURN_IF_ERROR(WriteNewFile(dir / "DEMO-root-fingerprint.txt", fingerprint + "\n"));
  return keys;
}

}  // namespace amparo::reviewer
