// cctv_test.cc: every C2SP CCTV age vector must yield its expected class, and
// the plaintext released (even before a payload failure) must match its hash;
// a vector that needs hybrid recipients, which are not implemented, must fail
// and release nothing.

#include <gtest/gtest.h>
#include <sodium.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/byte_reader.h"
#include "common/io.h"
#include "crypto/age_decrypt.h"
#include "crypto/armor.h"
#include "crypto/identities.h"
#include "crypto/secret.h"

namespace amparo::crypto::age {
namespace {

namespace fs = std::filesystem;

struct Vector {
  std::string name;
  std::string expect;
  std::optional<std::string> payload_sha256;
  std::vector<std::string> identities;
  std::vector<std::string> passphrases;
  bool armored = false;
  bool compressed = false;
  std::vector<std::uint8_t> file;
};

std::vector<std::uint8_t> Inflate(const std::vector<std::uint8_t>& in) {
  z_stream stream{};
  EXPECT_EQ(inflateInit(&stream), Z_OK);
  std::vector<std::uint8_t> out;
  std::array<std::uint8_t, 65536> block{};
  stream.next_in = const_cast<Bytef*>(in.data());
  stream.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    stream.next_out = block.data();
    stream.avail_out = static_cast<uInt>(block.size());
    rc = inflate(&stream, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      ADD_FAILURE() << "zlib error " << rc;
      break;
    }
    out.insert(out.end(), block.begin(), block.begin() + (block.size() - stream.avail_out));
  }
  inflateEnd(&stream);
  return out;
}

// LoadVector reads a vector; with header_only, its header lines alone (the
// file, which may inflate to megabytes, is left empty).
Vector LoadVector(const fs::path& path, bool header_only = false) {
  std::ifstream file(path, std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(file)),
                                  std::istreambuf_iterator<char>());
  Vector vector;
  vector.name = path.filename().string();
  ByteReader reader(bytes);
  std::span<const std::uint8_t> line;
  while (reader.ReadLine(bytes.size(), &line) && !line.empty()) {
    const std::string_view text = AsText(line);
    const std::size_t colon = text.find(": ");
    const std::string key(text.substr(0, colon));
    const std::string value(text.substr(colon + 2));
    if (key == "expect") vector.expect = value;
    if (key == "payload") vector.payload_sha256 = value;
    if (key == "identity") vector.identities.push_back(value);
    if (key == "passphrase") vector.passphrases.push_back(value);
    if (key == "armored") vector.armored = value == "yes";
    if (key == "compressed") vector.compressed = true;
  }
  if (header_only) return vector;
  vector.file.assign(reader.rest().begin(), reader.rest().end());
  if (vector.compressed) vector.file = Inflate(vector.file);
  return vector;
}

std::vector<fs::path> VectorPaths() {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(AMPARO_CCTV_DIR)) paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());
  return paths;
}

// Hybrid post-quantum recipients are planned, not implemented.
bool NeedsHybrid(const Vector& vector) {
  return std::any_of(vector.identities.begin(), vector.identities.end(), [](const auto& id) {
    return id.starts_with("AGE-SECRET-KEY-PQ-");
  });
}

std::string Sha256Hex(const std::vector<std::uint8_t>& data) {
  std::array<std::uint8_t, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), data.data(), data.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (std::uint8_t b : digest) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  return hex;
}

std::string ClassOf(const Status& status) {
  if (status.ok()) return "success";
  switch (status.error()) {
    case Error::kArmor: return "armor failure";
    case Error::kHeader: return "header failure";
    case Error::kNoMatch: return "no match";
    case Error::kHmac: return "HMAC failure";
    case Error::kPayload: return "payload failure";
    default: return "unexpected error: " + std::string(ErrorName(status.error()));
  }
}

// Decrypted is what one vector's decryption returned and released.
struct Decrypted {
  Status status;
  std::vector<std::uint8_t> released;
};

// The identity of the CCTV X25519 vectors (most vectors name it).
constexpr std::string_view kCctvX25519Identity =
    "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";

// DecryptVector decrypts the vector's file with those of its identities this
// implementation parses (X25519 and passphrases; hybrid ones are left out),
// and with `extra` X25519 identities.
Decrypted DecryptVector(const Vector& vector, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> texts = vector.identities;
  texts.insert(texts.end(), extra.begin(), extra.end());
  std::vector<std::unique_ptr<Identity>> owned;
  for (const auto& text : texts) {
    if (text.starts_with("AGE-SECRET-KEY-PQ-")) continue;
    auto identity = X25519Identity::Parse(text);
    EXPECT_TRUE(identity.ok()) << "cannot parse identity " << text;
    if (!identity.ok()) continue;
    owned.push_back(std::make_unique<X25519Identity>(std::move(identity).value()));
  }
  for (const auto& passphrase : vector.passphrases) {
    SecretBuffer secret(passphrase.size());
    std::copy(passphrase.begin(), passphrase.end(), secret.data());
    owned.push_back(std::make_unique<ScryptIdentity>(std::move(secret)));
  }
  std::vector<const Identity*> identities;
  for (const auto& identity : owned) identities.push_back(identity.get());

  SpanSource file(vector.file);
  VectorSink released;
  Decrypted result;
  if (vector.armored) {
    ArmorSource armored(file);
    result.status = Decrypt(identities, armored, released);
  } else {
    result.status = Decrypt(identities, file, released);
  }
  result.released = released.bytes();
  return result;
}

class CctvTest : public testing::TestWithParam<std::string> {};

TEST_P(CctvTest, YieldsExpectedClassAndReleasedPlaintext) {
  const Vector vector = LoadVector(fs::path(AMPARO_CCTV_DIR) / GetParam());
  ASSERT_FALSE(vector.expect.empty()) << "vector without expect: " << vector.name;
  ASSERT_FALSE(NeedsHybrid(vector)) << "a hybrid vector in the supported suite";

  const Decrypted decrypted = DecryptVector(vector);
  EXPECT_EQ(ClassOf(decrypted.status), vector.expect);
  if (vector.payload_sha256) {
    EXPECT_EQ(Sha256Hex(decrypted.released), *vector.payload_sha256);
  } else {
    EXPECT_TRUE(decrypted.released.empty()) << "plaintext released for a failing header";
  }
}

// Hybrid ML-KEM-768 + X25519 recipients are not implemented. A file whose
// only matching stanza is a hybrid one must then fail, as any unknown stanza
// type does, and release nothing, whatever the vector expects of an
// implementation that has them. The CCTV X25519 identity is added, so that
// the X25519 unwrapping walks every stanza of the header rather than the
// decryption stopping early for want of an identity.
class CctvHybridTest : public testing::TestWithParam<std::string> {};

TEST_P(CctvHybridTest, FailsWithoutReleasingPlaintext) {
  const Vector vector = LoadVector(fs::path(AMPARO_CCTV_DIR) / GetParam());
  ASSERT_TRUE(NeedsHybrid(vector)) << "not a hybrid vector: " << vector.name;

  const Decrypted decrypted = DecryptVector(vector, {std::string(kCctvX25519Identity)});
  EXPECT_FALSE(decrypted.status.ok()) << "a hybrid-only file decrypted";
  EXPECT_NE(ClassOf(decrypted.status).rfind("unexpected", 0), 0u)
      << "not an age failure class: " << ClassOf(decrypted.status);
  EXPECT_TRUE(decrypted.released.empty()) << "plaintext released for a hybrid-only file";
}

// VectorNames lists the vectors that need hybrid recipients, or those that
// do not.
std::vector<std::string> VectorNames(bool hybrid) {
  std::vector<std::string> names;
  for (const auto& path : VectorPaths()) {
    if (NeedsHybrid(LoadVector(path, /*header_only=*/true)) == hybrid) {
      names.push_back(path.filename().string());
    }
  }
  return names;
}

std::string TestName(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Vectors, CctvTest, testing::ValuesIn(VectorNames(false)), TestName);
INSTANTIATE_TEST_SUITE_P(HybridVectors, CctvHybridTest, testing::ValuesIn(VectorNames(true)),
                         TestName);

// The suites cover every vector: each runs in one of them.
TEST(CctvSummary, EveryVectorRunsInOneSuite) {
  std::map<std::string, int> by_class;
  int hybrid = 0;
  const auto paths = VectorPaths();
  for (const auto& path : paths) {
    const Vector vector = LoadVector(path);
    if (NeedsHybrid(vector)) {
      ++hybrid;
    } else {
      ++by_class[vector.expect];
    }
  }
  int run = 0;
  std::string summary;
  for (const auto& [expect, count] : by_class) {
    run += count;
    summary += " " + expect + "=" + std::to_string(count);
  }
  std::cout << "CCTV age vectors: " << paths.size() << " total, " << run << " run (" << summary
            << " ), " << hybrid << " hybrid, checked to fail without plaintext\n";
  EXPECT_EQ(static_cast<std::size_t>(run + hybrid), paths.size());
  EXPECT_GT(run, 100);
}

}  // namespace
}  // namespace amparo::crypto::age
