#pragma once
// keystore.h: the workstation's keystore folder, opened with a passphrase.
//
//   DIR/keystore.amparo   the sealed Keystore message (keystore_file.h)
//   DIR/cases/            imported envelopes, still sealed to body keys
//   DIR/.lock             held while a command runs, so that two commands
//                         cannot both rewrite the keystore and lose a change
//
// Only an open Keystore holds secrets in memory; its destructor wipes them.

#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "crypto/passphrase_box.h"
#include "crypto/random.h"
#include "proto/workstation.pb.h"
#include "reviewer/keystore_file.h"

namespace amparo::reviewer {

inline constexpr std::uint32_t kKeystoreSchema = 1;

class Keystore {
 public:
  // Create makes DIR (mode 0700, it must not exist or be empty), seals
  // `initial` in it under a key derived from the passphrase, and returns it
  // open. kInvalidArgument if DIR holds anything, kIo if it cannot be written.
  static Result<Keystore> Create(const std::filesystem::path& dir,
                                 std::span<const std::uint8_t> passphrase,
                                 const crypto::PasswordHashCost& cost,
                                 std::unique_ptr<v1::Keystore> initial,
                                 crypto::RandomSource& random);

  // Open unseals DIR's keystore. kNotFound if there is none, kBadPassphrase
  // if the passphrase is wrong or the file was altered, kUnavailable if
  // another command holds it, kInvalidKey if the file is not a keystore.
  static Result<Keystore> Open(const std::filesystem::path& dir,
                               std::span<const std::uint8_t> passphrase);

  Keystore(Keystore&& other) noexcept;
  Keystore& operator=(Keystore&&) = delete;
  Keystore(const Keystore&) = delete;
  ~Keystore();

  v1::Keystore& data() { return *data_; }
  const v1::Keystore& data() const { return *data_; }
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path cases_dir() const { return dir_ / "cases"; }

  // Save seals the current content under a fresh nonce and replaces the file
  // atomically (written, synced, renamed, directory synced). kIo on failure,
  // in which case the previous file is intact.
  Status Save(crypto::RandomSource& random);

 private:
  Keystore(std::filesystem::path dir, int lock_fd, KeystoreHeader header,
           crypto::SecretBytes<crypto::kBoxKeyBytes> key, std::unique_ptr<v1::Keystore> data);

  std::filesystem::path dir_;
  int lock_fd_ = -1;
  KeystoreHeader header_;
  crypto::SecretBytes<crypto::kBoxKeyBytes> key_;
  std::unique_ptr<v1::Keystore> data_;
};

// WipeSecrets zeroes the secret fields of a Keystore message in place (root
// seeds, recipient secret keys) before its memory is released.
void WipeSecrets(v1::Keystore& keystore);

}  // namespace amparo::reviewer
