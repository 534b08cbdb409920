#pragma once
// fuzz_key_bundle.h: the key bundles that make_corpus signs for the seeds
// and that the http_request target installs in its gateway, all made from
// fixed seeds (fuzz_support.h), so that the same bytes come out every time.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/byte_reader.h"
#include "crypto/identities.h"
#include "crypto/signing_key.h"
#include "fuzz/fuzz_support.h"
#include "protocol/key_bundle.h"
#include "protocol/key_bundle_content.h"

namespace amparo::fuzz {

// BundleContent is a version 3 bundle, accepting versions from 2, issued the
// day before kKeyBundleToday, with `key_count` keys alternately of BODY_A
// and BODY_B, drawn from a SeededRandom of `name`, valid for 30 days.
inline protocol::KeyBundleContent BundleContent(std::string_view name, std::size_t key_count,
                                                std::int64_t expires_day) {
  SeededRandom random(name);
  protocol::KeyBundleContent content;
  content.version = 3;
  content.issued_day = kKeyBundleToday - 1;
  content.expires_day = expires_day;
  content.lowest_accepted_version = 2;
  for (std::size_t i = 0; i < key_count; ++i) {
    protocol::RecipientKeyEntry key;
    key.key_id = "key-" + std::to_string(i);
    key.body = i % 2 == 0 ? "BODY_A" : "BODY_B";
    key.label = "fuzz key " + std::to_string(i);
    key.public_key = crypto::age::X25519Identity::Generate(random).PublicKey();
    key.valid_from_day = kKeyBundleToday - 1;
    key.valid_until_day = kKeyBundleToday + 30;
    content.keys.push_back(key);
  }
  content.revoked_key_ids = {"old-key"};
  return content;
}

// SignedBundle returns the SignedKeyBundle of `content` signed by `root`,
// with no root chain.
inline std::vector<std::uint8_t> SignedBundle(const crypto::SigningKey& root,
                                              const protocol::KeyBundleContent& content) {
  const std::vector<std::uint8_t> bundle = protocol::EncodeKeyBundle(content);
  const auto signature = root.Sign(protocol::kKeyBundleSignatureContext, bundle);
  return protocol::EncodeSignedKeyBundle(bundle, signature, root.public_key(), {});
}

// KeyBundleRoot is the root key of kKeyBundleRootSeed.
inline crypto::SigningKey KeyBundleRoot() {
  return crypto::SigningKey::FromSeed(AsBytes(kKeyBundleRootSeed)).value();
}

// GatewayKeyBundle is the bundle that the http_request target installs and
// that its envelope seeds are sealed to: three keys, signed by the
// kKeyBundleRootSeed root (the key_bundle seed gen_bundle).
inline std::vector<std::uint8_t> GatewayKeyBundle() {
  return SignedBundle(KeyBundleRoot(), BundleContent("bundle keys", 3, kKeyBundleToday + 30));
}

}  // namespace amparo::fuzz
