#include "reviewer/key_ceremony.h"

#include <algorithm>

#include "crypto/identities.h"
#include "crypto/signatures.h"
#include "crypto/signing_key.h"
#include "protocol/key_bundle.h"
#include "protocol/key_bundle_content.h"
#include "common/limits.h"

namespace amparo::reviewer {
namespace {

v1::WorkstationKey* FindKey(v1::Keystore& keystore, std::string_view key_id) {
  for (auto& key : *keystore.mutable_keys()) {
    if (key.key_id() == key_id) return &key;
  }
  return nullptr;
}

bool BodyListed(const v1::Keystore& keystore, std::string_view code) {
  return std::any_of(keystore.bodies().begin(), keystore.bodies().end(),
                     [&](const auto& body) { return body.code() == code; });
}

crypto::Ed25519PublicKey PublicKeyOf(const v1::RootKey& root) {
  return crypto::Ed25519PublicKeyFrom(std::span<const std::uint8_t>(
                                          reinterpret_cast<const std::uint8_t*>(root.public_key().data()),
                                          root.public_key().size()))
      .value();
}

crypto::SigningKey SigningKeyOf(const v1::RootKey& root) {
  return crypto::SigningKey::FromSeed(
             std::span<const std::uint8_t>(
                 reinterpret_cast<const std::uint8_t*>(root.seed().data()), root.seed().size()))
      .value();
}

v1::RootKey NewRoot(Day today, crypto::RandomSource& random) {
  const auto key = crypto::SigningKey::Generate(random);
  v1::RootKey root;
  root.set_seed(key.seed().data(), key.seed().size());
  root.set_public_key(key.public_key().bytes.data(), key.public_key().bytes.size());
  root.set_created_day(today);
  return root;
}

std::string NewKeyId(v1::Keystore& keystore, std::string_view body) {
  const std::uint64_t number = keystore.next_key_number() + 1;
  keystore.set_next_key_number(number);
  return std::string(body) + "-" + std::to_string(number);
}

v1::WorkstationKey NewKey(std::string key_id, std::string_view body, std::string_view label,
                          Day today, std::int64_t validity_days, crypto::RandomSource& random) {
  const auto identity = crypto::age::X25519Identity::Generate(random);
  const auto secret = identity.EncodeSecret();
  v1::WorkstationKey key;
  key.set_key_id(std::move(key_id));
  key.set_body(std::string(body));
  key.set_label(std::string(label));
  key.set_secret_key(reinterpret_cast<const char*>(secret.data()), secret.size());
  const auto public_key = identity.PublicKey();
  key.set_public_key(public_key.bytes.data(), public_key.bytes.size());
  key.set_created_day(today);
  key.set_valid_from_day(today);
  key.set_valid_until_day(today + validity_days);
  key.set_state(v1::KEY_STATE_ACTIVE);
  key.set_state_day(today);
  return key;
}

bool Kept(const v1::WorkstationKey& key) { return key.state() != v1::KEY_STATE_DESTROYED; }

}  // namespace

std::vector<v1::ReceivingBody> DefaultBodies() {
  static constexpr std::pair<std::string_view, std::string_view> kBodies[] = {
      {"CAT", "Committee against Torture"},
      {"SPT", "Subcommittee on Prevention of Torture"},
      {"CED", "Committee on Enforced Disappearances"},
      {"CEDAW", "Committee on the Elimination of Discrimination against Women"},
      {"CERD", "Committee on the Elimination of Racial Discrimination"},
      {"CESCR", "Committee on Economic, Social and Cultural Rights"},
      {"CRC", "Committee on the Rights of the Child"},
      {"CRPD", "Committee on the Rights of Persons with Disabilities"},
      {"CMW", "Committee on Migrant Workers"},
      {"CCPR", "Human Rights Committee"},
      {"HRC_SP", "Human Rights Council special procedures"},
      {"ASG_REPRISALS", "Assistant Secretary-General for Human Rights (reprisals)"},
      {"IACHR", "Inter-American Commission on Human Rights"},
      {"ACHPR", "African Commission on Human and Peoples' Rights"},
  };
  std::vector<v1::ReceivingBody> bodies;
  for (const auto& [code, name] : kBodies) {
    v1::ReceivingBody body;
    body.set_code(std::string(code));
    body.set_name(std::string(name));
    bodies.push_back(std::move(body));
  }
  return bodies;
}

std::unique_ptr<v1::Keystore> NewKeystoreContent(Day today, crypto::RandomSource& random) {
  auto keystore = std::make_unique<v1::Keystore>();
  keystore->set_schema(1);
  *keystore->add_roots() = NewRoot(today, random);
  keystore->set_lowest_accepted_version(1);
  for (auto& body : DefaultBodies()) *keystore->add_bodies() = std::move(body);
  return keystore;
}

Status AddBody(v1::Keystore& keystore, std::string_view code, std::string_view name) {
  if (!protocol::IsBodyCode(code) || name.empty() || name.size() > limits::kMaxKeyLabelBytes) {
    return Error::kInvalidArgument;
  }
  if (BodyListed(keystore, code)) return Error::kConflict;
  auto* body = keystore.add_bodies();
  body->set_code(std::string(code));
  body->set_name(std::string(name));
  return OkStatus();
}

Result<std::string> AddKey(v1::Keystore& keystore, std::string_view body, std::string_view label,
                           Day today, std::int64_t validity_days, crypto::RandomSource& random) {
  if (!BodyListed(keystore, body)) return Error::kNotFound;
  if (label.empty() || label.size() > limits::kMaxKeyLabelBytes || validity_days < 1 ||
      today + validity_days > limits::kMaxDay) {
    return Error::kInvalidArgument;
  }
  std::string id = NewKeyId(keystore, body);
  *keystore.add_keys() = NewKey(id, body, label, today, validity_days, random);
  return id;
}

Result<std::string> RotateKey(v1::Keystore& keystore, std::string_view key_id, Day today,
                              crypto::RandomSource& random) {
  v1::WorkstationKey* old_key = FindKey(keystore, key_id);
  if (old_key == nullptr) return Error::kNotFound;
  if (old_key->state() != v1::KEY_STATE_ACTIVE) return Error::kConflict;
  const std::int64_t validity = std::max<std::int64_t>(
      1, old_key->valid_until_day() - old_key->valid_from_day());
  const std::string body = old_key->body();
  const std::string label = old_key->label();
  std::string id = NewKeyId(keystore, body);
  old_key->set_state(v1::KEY_STATE_RETIRING);
  old_key->set_state_day(today);
  old_key->set_replaced_by(id);
  // add_keys may move the elements: old_key is not used past this point.
  *keystore.add_keys() = NewKey(id, body, label, today, validity, random);
  return id;
}

Status RevokeKey(v1::Keystore& keystore, std::string_view key_id, Day today) {
  v1::WorkstationKey* key = FindKey(keystore, key_id);
  if (key == nullptr) return Error::kNotFound;
  if (key->state() == v1::KEY_STATE_REVOKED || key->state() == v1::KEY_STATE_DESTROYED) {
    return Error::kConflict;
  }
  key->set_state(v1::KEY_STATE_REVOKED);
  key->set_state_day(today);
  keystore.set_raise_lowest_version(true);
  return OkStatus();
}

std::size_t CasesOnlyOpenedBy(const v1::Keystore& keystore, std::string_view key_id) {
  std::size_t count = 0;
  for (const auto& imported : keystore.cases()) {
    bool by_this = false;
    bool by_another = false;
    for (const auto& opener : imported.opened_by()) {
      if (opener == key_id) {
        by_this = true;
        continue;
      }
      for (const auto& key : keystore.keys()) {
        if (key.key_id() == opener && Kept(key)) by_another = true;
      }
    }
    if (by_this && !by_another) ++count;
  }
  return count;
}

Status DestroyKey(v1::Keystore& keystore, std::string_view key_id, Day today, bool force) {
  v1::WorkstationKey* key = FindKey(keystore, key_id);
  if (key == nullptr) return Error::kNotFound;
  if (key->state() == v1::KEY_STATE_DESTROYED) return Error::kConflict;
  if (!force && CasesOnlyOpenedBy(keystore, key_id) > 0) return Error::kRefused;
  crypto::Wipe({reinterpret_cast<std::uint8_t*>(key->mutable_secret_key()->data()),
                key->secret_key().size()});
  key->clear_secret_key();
  // Bundles that still offer the key must stop being accepted: an envelope
  // sealed to it from now on could never be opened.
  if (key->state() == v1::KEY_STATE_ACTIVE || key->state() == v1::KEY_STATE_RETIRING) {
    keystore.set_raise_lowest_version(true);
  }
  key->set_state(v1::KEY_STATE_DESTROYED);
  key->set_state_day(today);
  return OkStatus();
}

Result<std::vector<std::uint8_t>> SignKeyBundle(v1::Keystore& keystore, Day today,
                                                std::int64_t validity_days) {
  if (validity_days < 1 || today + validity_days > limits::kMaxDay) return Error::kInvalidArgument;
  protocol::KeyBundleContent content;
  content.version = keystore.last_bundle_version() + 1;
  content.issued_day = today;
  content.expires_day = today + validity_days;
  content.lowest_accepted_version =
      keystore.raise_lowest_version() ? content.version : keystore.lowest_accepted_version();
  for (const auto& key : keystore.keys()) {
    // A destroyed key opens nothing any more: no client may seal to it.
    if (key.state() == v1::KEY_STATE_REVOKED || key.state() == v1::KEY_STATE_DESTROYED) {
      content.revoked_key_ids.push_back(key.key_id());
    }
    if (key.state() != v1::KEY_STATE_ACTIVE || key.valid_until_day() < today) continue;
    protocol::RecipientKeyEntry entry;
    entry.key_id = key.key_id();
    entry.body = key.body();
    entry.label = key.label();
    std::copy_n(key.public_key().begin(), entry.public_key.bytes.size(),
                entry.public_key.bytes.begin());
    entry.valid_from_day = key.valid_from_day();
    entry.valid_until_day = std::min<std::int64_t>(key.valid_until_day(), content.expires_day);
    content.keys.push_back(std::move(entry));
  }
  if (content.keys.empty()) return Error::kInvalidArgument;
  AMPARO_RETURN_IF_ERROR(protocol::ValidateKeyBundleContent(content));

  const auto bundle = protocol::EncodeKeyBundle(content);
  const v1::RootKey& current = *keystore.roots().rbegin();
  const auto signature = SigningKeyOf(current).Sign(protocol::kKeyBundleSignatureContext, bundle);
  std::vector<protocol::RootEndorsementEntry> chain;
  for (int i = 1; i < keystore.roots_size(); ++i) {
    protocol::RootEndorsementEntry entry;
    entry.new_root = PublicKeyOf(keystore.roots(i));
    std::copy_n(keystore.roots(i).endorsement().begin(), entry.signature.size(),
                entry.signature.begin());
    chain.push_back(entry);
  }
  auto signed_bundle = protocol::EncodeSignedKeyBundle(bundle, signature, PublicKeyOf(current),
                                                       chain, PublicKeyOf(keystore.roots(0)));
  // Verified as a client pinned to the first root's fingerprint would, before
  // it leaves.
  auto pinned = crypto::ParseFingerprint(FirstRootFingerprint(keystore));
  if (!pinned.ok()) return pinned.error();
  auto verified = protocol::VerifyKeyBundle(signed_bundle, pinned.value(), today);
  if (!verified.ok()) return verified.error();

  keystore.set_last_bundle_version(content.version);
  keystore.set_lowest_accepted_version(content.lowest_accepted_version);
  keystore.set_raise_lowest_version(false);
  return signed_bundle;
}

std::string RotateRoot(v1::Keystore& keystore, Day today, crypto::RandomSource& random) {
  const crypto::SigningKey previous = SigningKeyOf(*keystore.roots().rbegin());
  v1::RootKey root = NewRoot(today, random);
  const auto endorsement = previous.Sign(
      protocol::kRootEndorsementSignatureContext,
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(root.public_key().data()),
                                    root.public_key().size()));
  root.set_endorsement(endorsement.data(), endorsement.size());
  const std::string fingerprint = crypto::Fingerprint(PublicKeyOf(root));
  *keystore.add_roots() = std::move(root);
  return fingerprint;
}

std::string FirstRootFingerprint(const v1::Keystore& keystore) {
  return crypto::Fingerprint(PublicKeyOf(keystore.roots(0)));
}

std::string CurrentRootFingerprint(const v1::Keystore& keystore) {
  return crypto::Fingerprint(PublicKeyOf(*keystore.roots().rbegin()));
}

crypto::SigningKey CurrentRootKey(const v1::Keystore& keystore) {
  return SigningKeyOf(*keystore.roots().rbegin());
}

std::string_view KeyStateName(v1::KeyState state) {
  switch (state) {
    case v1::KEY_STATE_ACTIVE: return "active";
    case v1::KEY_STATE_RETIRING: return "retiring";
    case v1::KEY_STATE_REVOKED: return "revoked";
    case v1::KEY_STATE_DESTROYED: return "destroyed";
    default: return "unknown";
  }
}

}  // namespace amparo::reviewer
