#pragma once
// node_key.h: the gateway node's Ed25519 export-signing key. It signs export
// manifests so that the workstation can tell a genuine export from an altered
// or forged one on the transfer medium. It protects the crossing, not the
// store: whoever controls this host controls what it exports. It lives in a
// 0600 file the gateway process never reads; only amparo-admin does.

#include <filesystem>
#include <string>

#include "common/result.h"
#include "crypto/random.h"
#include "crypto/signing_key.h"

namespace amparo::admin {

// CreateNodeKey writes a new key file; kIo if it exists or cannot be written.
Result<crypto::SigningKey> CreateNodeKey(const std::filesystem::path& file,
                                         crypto::RandomSource& random);

// LoadNodeKey reads the key file; kIo if unreadable, kInvalidKey if malformed.
Result<crypto::SigningKey> LoadNodeKey(const std::filesystem::path& file);

// NodeKeyText is the public key as the workstation pins it: 64 hex digits in
// dash-separated groups of four.
std::string NodeKeyText(const crypto::Ed25519PublicKey& key);

}  // namespace amparo::admin
