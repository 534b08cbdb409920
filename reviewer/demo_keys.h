#pragma once
// demo_keys.h: a complete set of DEMO keys for trying Amparo on one machine:
// a root signing key, one X25519 identity per receiving body, and a key
// bundle signed by that root. Every file is named DEMO; none of them is
// protected by a passphrase. Real keys come from the keystore ceremony.

#include <filesystem>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "crypto/random.h"

namespace amparo::reviewer {

// DemoKeys reports what WriteDemoKeys created.
struct DemoKeys {
  std::string root_fingerprint;
  std::filesystem::path key_bundle;
};

// WriteDemoKeys creates `dir` (which must not exist) with mode 0700 and
// writes into it, each file 0600: DEMO-root-signing-key.txt,
// DEMO-identity-<BODY>.txt for every body, DEMO-key-bundle.bin (version 1,
// valid 365 days from today) and DEMO-root-fingerprint.txt. The bundle is
// verified against the fingerprint before anything is reported.
// kInvalidArgument for no body or a malformed body code; kIo if a file
// cannot be written.
Result<DemoKeys> WriteDemoKeys(const std::filesystem::path& dir,
                               const std::vector<std::string>& bodies, Day today,
                               crypto::RandomSource& random);

}  // namespace amparo::reviewer
