#pragma once
// fuzz_support.h: what the fuzz targets and the corpus generator share.

#include <stdlib.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

#include "common/io.h"
#include "common/result.h"
#include "crypto/random.h"

namespace amparo::fuzz {

// kIdentity is the X25519 identity that age_decrypt opens with: the one of
// the C2SP CCTV vectors, so that imported vectors reach the payload as well
// as the files make_corpus seals to it.
inline constexpr std::string_view kIdentity =
    "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";
// kPassphrase opens the scrypt seeds (and the CCTV scrypt vectors, whose work
// factor is above kMaxScryptLogN).
inline constexpr std::string_view kPassphrase = "password";
// kMaxScryptLogN keeps every scrypt attempt to a few microseconds.
inline constexpr int kMaxScryptLogN = 4;

// kKeyBundleRootSeed is the 32-byte seed of the root key that signs the
// key_bundle seeds, and kKeyBundleRootFingerprint its fingerprint, which the
// key_bundle target pins so that those seeds reach the verified code;
// make_corpus checks that the two agree.
inline constexpr std::string_view kKeyBundleRootSeed = "amparo fuzz key bundle root seed";
static_assert(kKeyBundleRootSeed.size() == 32);
inline constexpr std::string_view kKeyBundleRootFingerprint =
    "9d05-2d6c-289a-d654-fc4b-e7c5-202e-6b41-47a6-ce87-3abe-1bb0-9f5e-e183-e814-3430";
// kKeyBundleToday is the day (since 1970-01-01) on which key_bundle verifies.
inline constexpr std::int64_t kKeyBundleToday = 20000;

// kExportNodeSeed is the 32-byte seed of the gateway node key that signs the
// export_file seeds, and kExportNodePublicKey its public key, which the
// export_file target pins; make_corpus checks that the two agree.
inline constexpr std::string_view kExportNodeSeed = "amparo fuzz export node key seed";
static_assert(kExportNodeSeed.size() == 32);
inline constexpr std::array<std::uint8_t, 32> kExportNodePublicKey = {
    0x22, 0x27, 0xab, 0xec, 0x24, 0x6f, 0xb7, 0xa5, 0xd9, 0xc0, 0x53, 0x6f, 0x0d, 0x67, 0x53, 0x37,
    0xca, 0xf4, 0xca, 0x27, 0x7e, 0x68, 0x0f, 0x6a, 0x9b, 0x5c, 0xaf, 0x1a, 0xf7, 0x0c, 0x4e, 0x6e};

// kAcknowledgementRootSeed is the 32-byte seed of the root key that signs the
// acknowledgement_file seeds, and kAcknowledgementRootPublicKey its public
// key, which that target accepts; make_corpus checks that the two agree.
inline constexpr std::string_view kAcknowledgementRootSeed = "amparo fuzz acknowledgement root";
static_assert(kAcknowledgementRootSeed.size() == 32);
inline constexpr std::array<std::uint8_t, 32> kAcknowledgementRootPublicKey = {
    0xf1, 0xd1, 0xb2, 0x05, 0x74, 0xe6, 0x1b, 0x92, 0x48, 0x75, 0x39, 0x34, 0xf0, 0xb6, 0x6d, 0x64,
    0xfe, 0x5f, 0xbb, 0x5a, 0x73, 0x3c, 0x84, 0xe1, 0x40, 0xca, 0x32, 0x3b, 0xc7, 0xdc, 0xcb, 0xdc};

// kKeystoreBoxKeyByte fills the box key that keystore_file opens seeds with,
// in place of a key derived from a passphrase (Argon2id is too slow to fuzz).
inline constexpr std::uint8_t kKeystoreBoxKeyByte = 0x4b;

// kGatewayRandomName seeds the random source that draws the ids of the
// http_request target's gateway, afresh for every input, so that a seed can
// name the upload its first request creates (make_corpus draws it alike).
inline constexpr std::string_view kGatewayRandomName = "http_request gateway ids";
// kMailboxSecretByte fills that gateway's mailbox secret K; the mailbox of
// kMailboxToken holds one reply, whose 16-byte id is kMailboxReplyIdByte
// repeated, so that the seeds can list and fetch it.
inline constexpr std::uint8_t kMailboxSecretByte = 0x6b;
inline constexpr std::string_view kMailboxToken = "amparo fuzz mailbox token 32 by!";
static_assert(kMailboxToken.size() == 32);
inline constexpr std::uint8_t kMailboxReplyIdByte = 0x72;

// kReceiptCodeName seeds the random source that draws the receipt code of
// the follow_up_replies target, whose reply key opens the replies that
// make_corpus seals.
inline constexpr std::string_view kReceiptCodeName = "follow_up_replies receipt code";

// Check stops the process with a crash that libFuzzer and ctest both see when
// a property of a target does not hold.
inline void Check(bool condition) {
  if (!condition) __builtin_trap();
}

// ScratchFile is a file in a private folder of its own, for targets whose
// parser reads a path; the folder goes at exit.
class ScratchFile {
 public:
  // ScratchFile makes the folder (a mkdtemp of `prefix`) for `name`.
  ScratchFile(std::string_view prefix, std::string_view name) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / (std::string(prefix) + ".XXXXXX")).string();
    Check(::mkdtemp(pattern.data()) != nullptr);
    dir_ = pattern;
    file_ = dir_ / name;
  }
  ~ScratchFile() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  // Write replaces the file's content with `bytes` and returns its path.
  const std::filesystem::path& Write(const std::uint8_t* data, std::size_t size) {
    // A new file each time: ext4 writes back a file truncated to 0 as soon
    // as it is closed, which would cost more than the whole target.
    std::error_code ignored;
    std::filesystem::remove(file_, ignored);
    std::ofstream out(file_, std::ios::binary);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    Check(static_cast<bool>(out));
    return file_;
  }

 private:
  std::filesystem::path dir_;
  std::filesystem::path file_;
};

// AsChars views fuzzer input as text.
inline std::string_view AsChars(const std::uint8_t* data, std::size_t size) {
  return size == 0 ? std::string_view() : std::string_view(reinterpret_cast<const char*>(data), size);
}

// SeededRandom is SplitMix64 seeded with the FNV-1a hash of a name, so that
// what it draws depends on the name only: seeds and the targets that must
// predict them draw the same bytes.
class SeededRandom final : public crypto::RandomSource {
 public:
  explicit SeededRandom(std::string_view name) {
    for (char c : name) {
      state_ ^= static_cast<unsigned char>(c);
      state_ *= 0x100000001b3ULL;
    }
  }

  void Fill(std::span<std::uint8_t> out) override {
    for (std::uint8_t& byte : out) byte = static_cast<std::uint8_t>(Next() >> 56);
  }

 private:
  std::uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  std::uint64_t state_ = 0xcbf29ce484222325ULL;
};

// SplitSource serves a borrowed span a few bytes per Read, the counts cycling
// through `steps` (each at least 1), so that a parser meets every read
// boundary a slow stream could give it. Both spans must outlive it.
class SplitSource final : public ByteSource {
 public:
  SplitSource(std::span<const std::uint8_t> data, std::span<const std::size_t> steps)
      : data_(data), steps_(steps) {}

  Result<std::size_t> Read(std::span<std::uint8_t> out) override {
    const std::size_t step = steps_[next_step_++ % steps_.size()];
    const std::size_t n = std::min({out.size(), step, data_.size()});
    std::copy_n(data_.begin(), n, out.begin());
    data_ = data_.subspan(n);
    return n;
  }

 private:
  std::span<const std::uint8_t> data_;
  std::span<const std::size_t> steps_;
  std::size_t next_step_ = 0;
};

}  // namespace amparo::fuzz
