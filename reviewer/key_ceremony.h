#pragma once
// key_ceremony.h: the life cycle of the workstation's keys, as operations on
// an open keystore's content. Nothing here touches a file: the command saves
// the keystore once an operation succeeded, so a refused operation changes
// nothing.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "crypto/random.h"
#include "crypto/signing_key.h"
#include "proto/workstation.pb.h"

namespace amparo::reviewer {

// kDefaultKeyValidityDays is how long a new recipient key is offered;
// kDefaultBundleValidityDays how long a signed bundle is served before it
// must be re-signed (a short life limits what a stolen old bundle can do).
inline constexpr std::int64_t kDefaultKeyValidityDays = 730;
inline constexpr std::int64_t kDefaultBundleValidityDays = 90;

// DefaultBodies is the list a new keystore ships with: the treaty bodies, the
// Human Rights Council's special procedures, the Assistant Secretary-General
// on reprisals and regional bodies, as the seed documents name them.
std::vector<v1::ReceivingBody> DefaultBodies();

// NewKeystoreContent returns a keystore's first content: a fresh root
// signing key and the default bodies.
std::unique_ptr<v1::Keystore> NewKeystoreContent(Day today, crypto::RandomSource& random);

// AddBody adds a receiving body to the list; kInvalidArgument for a code that
// key bundles cannot carry or a name that is empty, kConflict if present.
Status AddBody(v1::Keystore& keystore, std::string_view code, std::string_view name);

// AddKey creates an X25519 key for a listed body and returns its id ("CAT-3").
// kNotFound if the body is not listed; kInvalidArgument for a bad label.
Result<std::string> AddKey(v1::Keystore& keystore, std::string_view body, std::string_view label,
                           Day today, std::int64_t validity_days, crypto::RandomSource& random);

// RotateKey gives an active key's body a new key with the same label and
// marks the old one retiring: no longer offered, still kept to open what was
// sealed to it. Returns the new id; kNotFound, or kConflict if not active.
Result<std::string> RotateKey(v1::Keystore& keystore, std::string_view key_id, Day today,
                              crypto::RandomSource& random);

// RevokeKey marks a key revoked: the next bundle lists it as revoked and
// raises the lowest accepted version, so that the gateway refuses envelopes
// sealed against bundles that offered it. kNotFound; kConflict if destroyed
// or revoked already.
Status RevokeKey(v1::Keystore& keystore, std::string_view key_id, Day today);

// DestroyKey erases a key's secret (crypto-shredding). kRefused while an
// imported case opens with no other key that is kept, unless `force`;
// kNotFound; kConflict if destroyed already.
Status DestroyKey(v1::Keystore& keystore, std::string_view key_id, Day today, bool force);

// CasesOnlyOpenedBy counts imported cases that no kept key but this one opens.
std::size_t CasesOnlyOpenedBy(const v1::Keystore& keystore, std::string_view key_id);

// SignKeyBundle builds the next bundle (version last + 1, the active keys
// still valid at `today`, every revoked id), signs it with the current root
// and the chain of root endorsements, verifies it against the first root as a
// client would, records its version and returns the SignedKeyBundle bytes.
// kInvalidArgument if no key is active.
Result<std::vector<std::uint8_t>> SignKeyBundle(v1::Keystore& keystore, Day today,
                                                std::int64_t validity_days);

// RotateRoot makes a new root signing key, endorsed by the current one, and
// returns its fingerprint. The old roots stay, to prove the chain.
std::string RotateRoot(v1::Keystore& keystore, Day today, crypto::RandomSource& random);

// RootFingerprint returns the fingerprint of the first root (what clients
// pin) or of the current one.
std::string FirstRootFingerprint(const v1::Keystore& keystore);
std::string CurrentRootFingerprint(const v1::Keystore& keystore);

// CurrentRootKey returns the current root signing key, which also signs the
// acknowledgements that go back to the gateway.
crypto::SigningKey CurrentRootKey(const v1::Keystore& keystore);

// KeyStateName is the word `keys list` shows.
std::string_view KeyStateName(v1::KeyState state);

}  // namespace amparo::reviewer
