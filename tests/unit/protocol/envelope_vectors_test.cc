// envelope_vectors_test.cc: every file of tests/vectors/envelope yields its
// expected result through ValidateEnvelope; the accepted ones also open with
// their identity to a plaintext of exactly P bytes.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "common/io.h"
#include "crypto/age_decrypt.h"
#include "crypto/identities.h"
#include "protocol/envelope_format.h"
#include "protocol/envelope_validator.h"

namespace amparo::protocol {
namespace {

namespace fs = std::filesystem;

struct EnvelopeVector {
  std::string expect;
  AcceptancePolicy policy;
  std::string identity;
  std::vector<std::uint8_t> bytes;
};

EnvelopeVector Load(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  const std::vector<std::uint8_t> content((std::istreambuf_iterator<char>(file)),
                                          std::istreambuf_iterator<char>());
  EnvelopeVector vector;
  ByteReader reader(content);
  std::span<const std::uint8_t> line;
  while (reader.ReadLine(content.size(), &line) && !line.empty()) {
    const std::string_view text = AsText(line);
    const std::size_t colon = text.find(": ");
    if (colon == std::string_view::npos) {
      ADD_FAILURE() << "bad header line in " << path.filename();
      break;
    }
    const std::string key(text.substr(0, colon));
    const std::string value(text.substr(colon + 2));
    if (key == "expect") vector.expect = value;
    if (key == "lowest accepted version") vector.policy.lowest_accepted_bundle_version = std::stoull(value);
    if (key == "max padded length") vector.policy.max_padded_length = std::stoull(value);
    if (key == "identity") vector.identity = value;
  }
  vector.bytes.assign(reader.rest().begin(), reader.rest().end());
  return vector;
}

std::string NameOf(const Result<EnvelopeHead>& result) {
  if (result.ok()) return "ok";
  switch (result.error()) {
    case Error::kMalformedEnvelope: return "malformed envelope";
    case Error::kUnsupportedFormatVersion: return "unsupported format version";
    case Error::kStaleKeyBundle: return "stale key bundle";
    case Error::kPaddedLengthNotBucket: return "padded length not a bucket";
    case Error::kLengthMismatch: return "length mismatch";
    case Error::kLimitExceeded: return "limit exceeded";
    default: return "unexpected: " + std::string(ErrorName(result.error()));
  }
}

std::vector<std::string> VectorNames() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(AMPARO_ENVELOPE_VECTOR_DIR)) {
    // Vector files have no extension; the generator and README do.
    if (!entry.path().has_extension()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class EnvelopeVectorsTest : public testing::TestWithParam<std::string> {};

TEST_P(EnvelopeVectorsTest, YieldsTheExpectedResult) {
  const EnvelopeVector vector = Load(fs::path(AMPARO_ENVELOPE_VECTOR_DIR) / GetParam());
  ASSERT_FALSE(vector.expect.empty());
  const auto result = ValidateEnvelope(vector.bytes, vector.policy);
  EXPECT_EQ(NameOf(result), vector.expect);
  if (!result.ok() || vector.identity.empty()) return;

  auto identity = crypto::age::X25519Identity::Parse(vector.identity);
  ASSERT_TRUE(identity.ok());
  const crypto::age::Identity* identities[] = {&identity.value()};
  // The age file starts at the age header.
  SpanSource in{std::span(vector.bytes).subspan(result.value().head_length - kAgeHeaderLength)};
  VectorSink out;
  ASSERT_TRUE(crypto::age::Decrypt(identities, in, out).ok());
  EXPECT_EQ(out.bytes().size(), result.value().padded_length);
}

TEST(EnvelopeVectorsSuiteTest, CoversEveryResult) {
  std::map<std::string, int> counts;
  for (const auto& name : VectorNames()) {
    ++counts[Load(fs::path(AMPARO_ENVELOPE_VECTOR_DIR) / name).expect];
  }
  for (const char* expect : {"ok", "malformed envelope", "unsupported format version",
                             "stale key bundle", "padded length not a bucket", "length mismatch",
                             "limit exceeded"}) {
    EXPECT_GT(counts[expect], 0) << expect;
  }
}

INSTANTIATE_TEST_SUITE_P(Files, EnvelopeVectorsTest, testing::ValuesIn(VectorNames()),
                         [](const testing::TestParamInfo<std::string>& param) { return param.param; });

}  // namespace
}  // namespace amparo::protocol
