#pragma once
// test_key_bundle.h: a root key, one X25519 identity per body and a key
// bundle signed by the root, made deterministically for tests.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "crypto/identities.h"
#include "crypto/signing_key.h"
#include "protocol/key_bundle.h"
#include "protocol/key_bundle_content.h"
#include "tests/support/deterministic_random.h"

namespace amparo::test {

struct TestKeyBundle {
  std::unique_ptr<crypto::SigningKey> root;
  std::map<std::string, crypto::age::X25519Identity> identities;  // by body
  std::vector<std::uint8_t> signed_bytes;
  protocol::VerifiedKeyBundle verified;
  std::array<std::uint8_t, 32> fingerprint{};
};

// MakeTestKeyBundle signs a bundle of `version` for `bodies`, valid from
// today - 1 to today + 30, accepting versions from lowest_accepted.
inline TestKeyBundle MakeTestKeyBundle(const std::vector<std::string>& bodies,
                                       std::uint64_t version, std::uint64_t lowest_accepted,
                                       std::int64_t today, std::uint64_t seed = 1) {
  DeterministicRandom random(seed);
  TestKeyBundle out;
  out.root = std::make_unique<crypto::SigningKey>(crypto::SigningKey::Generate(random));
  protocol::KeyBundleContent content;
  content.version = version;
  content.issued_day = today - 1;
  content.expires_day = today + 30;
  content.lowest_accepted_version = lowest_accepted;
  for (const auto& body : bodies) {
    auto identity = crypto::age::X25519Identity::Generate(random);
    protocol::RecipientKeyEntry key;
    key.key_id = "test-" + body;
    key.body = body;
    key.label = "test key";
    key.public_key = identity.PublicKey();
    key.valid_from_day = today - 1;
    key.valid_until_day = today + 30;
    content.keys.push_back(key);
    out.identities.emplace(body, std::move(identity));
  }
  const auto bundle = protocol::EncodeKeyBundle(content);
  const auto signature = out.root->Sign(protocol::kKeyBundleSignatureContext, bundle);
  out.signed_bytes = protocol::EncodeSignedKeyBundle(bundle, signature, out.root->public_key(), {});
  out.fingerprint = crypto::Sha256(out.root->public_key().bytes);
  auto verified = protocol::VerifyKeyBundle(out.signed_bytes, out.fingerprint, today);
  if (!verified.ok()) std::abort();
  out.verified = std::move(verified).value();
  return out;
}

}  // namespace amparo::test
