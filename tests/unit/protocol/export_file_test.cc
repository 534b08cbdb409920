// export_file_test.cc: export files round-trip through the writer and the
// streaming reader; every failure of ENVELOPE.md section 16.1 is refused with
// its error and in its order; each limit holds at N and N + 1; entries are
// copied in bounded blocks and refused when their bytes do not match.

#include "protocol/export_file.h"
#include "protocol/canonical_encoding.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "common/limits.h"
#include "crypto/signing_key.h"
#include "proto/transfer.pb.h"
#include "protocol/key_bundle.h"
#include "tests/support/byte_streams.h"
#include "tests/support/deterministic_random.h"

namespace amparo::protocol {
namespace {

using crypto::SigningKey;
using Bytes = std::vector<std::uint8_t>;

constexpr std::int64_t kToday = 20000;

SigningKey NodeKey(std::uint64_t seed) {
  amparo::test::DeterministicRandom random(seed);
  return SigningKey::Generate(random);
}

std::array<std::uint8_t, 16> IdOf(std::uint64_t n) {
  std::array<std::uint8_t, 16> id{};
  for (std::size_t i = 0; i < 8; ++i) id[15 - i] = static_cast<std::uint8_t>(n >> (8 * i));
  return id;
}

Bytes EnvelopeBytes(std::size_t size, std::uint8_t salt) {
  Bytes bytes = amparo::test::PatternBytes(size);
  for (std::uint8_t& byte : bytes) byte = static_cast<std::uint8_t>(byte ^ salt);
  return bytes;
}

// TestExport is a manifest and the envelopes it lists.
struct TestExport {
  ExportManifestContent content;
  std::vector<Bytes> envelopes;
};

TestExport MakeExport(const SigningKey& node, std::vector<std::size_t> sizes) {
  TestExport out;
  out.content.node_public_key = node.public_key();
  out.content.export_number = 7;
  out.content.created_day = kToday;
  out.content.next_seq = 100;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    Bytes envelope = EnvelopeBytes(sizes[i], static_cast<std::uint8_t>(i));
    out.content.entries.push_back({IdOf(1000 + i), 10 + 3 * i, envelope.size(),
                                   crypto::Sha256(envelope), kToday - 1});
    out.envelopes.push_back(std::move(envelope));
  }
  return out;
}

Bytes SignManifestBytes(std::span<const std::uint8_t> manifest, const SigningKey& key,
                        std::string_view context = kExportManifestSignatureContext) {
  return EncodeSignedExportManifest(manifest, key.Sign(context, manifest));
}

Bytes Preamble(std::span<const std::uint8_t> signed_manifest) {
  VectorSink sink;
  EXPECT_TRUE(WriteExportPreamble(sink, signed_manifest).ok());
  return sink.bytes();
}

Bytes PreambleOf(const ExportManifestContent& content, const SigningKey& key) {
  return Preamble(SignManifestBytes(EncodeExportManifest(content), key));
}

Bytes FileOf(const TestExport& test_export, const SigningKey& key) {
  Bytes file = PreambleOf(test_export.content, key);
  for (const Bytes& envelope : test_export.envelopes) {
    file.insert(file.end(), envelope.begin(), envelope.end());
  }
  return file;
}

Result<ExportManifestContent> ReadPreamble(std::span<const std::uint8_t> file,
                                           const SigningKey& pinned) {
  SpanSource source(file);
  const crypto::Ed25519PublicKey pins[] = {pinned.public_key()};
  return ReadExportPreamble(source, pins);
}

Error ErrorOf(const Result<ExportManifestContent>& result) {
  EXPECT_FALSE(result.ok());
  return result.ok() ? Error::kNotFound : result.error();
}

// Imported is everything a reader takes from a whole export file.
struct Imported {
  ExportManifestContent content;
  std::vector<Bytes> envelopes;
};

Result<Imported> ImportAll(ByteSource& source, std::span<const crypto::Ed25519PublicKey> pins) {
  auto content = ReadExportPreamble(source, pins);
  if (!content.ok()) return content.error();
  Imported imported{content.value(), {}};
  for (const ExportEntryInfo& entry : imported.content.entries) {
    VectorSink sink;
    AMPARO_RETURN_IF_ERROR(CopyExportEntry(source, entry, sink));
    imported.envelopes.push_back(sink.bytes());
  }
  AMPARO_RETURN_IF_ERROR(ExpectEndOfExport(source));
  return imported;
}

// CountingSource counts the bytes it has handed out.
class CountingSource final : public ByteSource {
 public:
  explicit CountingSource(ByteSource& inner) : inner_(inner) {}
  Result<std::size_t> Read(std::span<std::uint8_t> out) override {
    auto n = inner_.Read(out);
    if (n.ok()) count_ += n.value();
    return n;
  }
  std::size_t count() const { return count_; }

 private:
  ByteSource& inner_;
  std::size_t count_ = 0;
};

// LargestWriteSink remembers the largest single write and the total.
class LargestWriteSink final : public ByteSink {
 public:
  Status Write(std::span<const std::uint8_t> data) override {
    largest_ = std::max(largest_, data.size());
    total_ += data.size();
    return OkStatus();
  }
  std::size_t largest() const { return largest_; }
  std::size_t total() const { return total_; }

 private:
  std::size_t largest_ = 0;
  std::size_t total_ = 0;
};

// LengthDelimited returns tag, a minimal varint length and bytes.
Bytes LengthDelimited(std::uint8_t tag, std::span<const std::uint8_t> bytes) {
  Bytes out = {tag};
  for (std::uint64_t n = bytes.size(); ; n >>= 7) {
    if (n < 0x80) {
      out.push_back(static_cast<std::uint8_t>(n));
      break;
    }
    out.push_back(static_cast<std::uint8_t>((n & 0x7f) | 0x80));
  }
  out.insert(out.end(), bytes.begin(), bytes.end());
  return out;
}

Bytes Concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

class ExportFileTest : public ::testing::Test {
 protected:
  const SigningKey node_ = NodeKey(1);
  const SigningKey other_node_ = NodeKey(2);
};

TEST_F(ExportFileTest, ConstantsAreThoseOfTheSpecification) {
  EXPECT_EQ(kExportManifestSignatureContext, std::string_view("amparo/v1 export manifest\0", 26));
  EXPECT_EQ(kExportFileMagic, "AMPX");
  EXPECT_EQ(kExportFileVersion, 1);
  EXPECT_EQ(kExportCopyBlockBytes, 65536u);
}

TEST_F(ExportFileTest, RoundTripsEnvelopesOfEverySizeThroughSlowReads) {
  // Sizes around the copy block, so that blocks end inside and at the edge.
  const TestExport test_export =
      MakeExport(node_, {1, 4995, kExportCopyBlockBytes, kExportCopyBlockBytes + 1,
                         3 * kExportCopyBlockBytes + 17});
  const Bytes file = FileOf(test_export, node_);
  for (const std::size_t per_read : {std::size_t{1}, std::size_t{7}, std::size_t{100000}}) {
    amparo::test::TrickleSource source(file, per_read);
    const crypto::Ed25519PublicKey pins[] = {other_node_.public_key(), node_.public_key()};
    auto imported = ImportAll(source, pins);
    ASSERT_TRUE(imported.ok()) << per_read;
    EXPECT_EQ(imported.value().content, test_export.content);
    EXPECT_EQ(imported.value().envelopes, test_export.envelopes);
  }
}

TEST_F(ExportFileTest, AnEmptyExportRoundTrips) {
  const TestExport test_export = MakeExport(node_, {});
  const Bytes file = FileOf(test_export, node_);
  SpanSource source(file);
  const crypto::Ed25519PublicKey pins[] = {node_.public_key()};
  auto imported = ImportAll(source, pins);
  ASSERT_TRUE(imported.ok());
  EXPECT_EQ(imported.value().content, test_export.content);
}

TEST_F(ExportFileTest, ReadsExactlyThePreamble) {
  const TestExport test_export = MakeExport(node_, {10, 20});
  const Bytes file = FileOf(test_export, node_);
  const Bytes preamble = PreambleOf(test_export.content, node_);
  SpanSource inner(file);
  CountingSource source(inner);
  const crypto::Ed25519PublicKey pins[] = {node_.public_key()};
  ASSERT_TRUE(ReadExportPreamble(source, pins).ok());
  EXPECT_EQ(source.count(), preamble.size());
  VectorSink first;
  ASSERT_TRUE(CopyExportEntry(source, test_export.content.entries[0], first).ok());
  EXPECT_EQ(first.bytes(), test_export.envelopes[0]);
  EXPECT_EQ(source.count(), preamble.size() + 10);
}

TEST_F(ExportFileTest, EncodingIsCanonicalWithTheKeyFirst) {
  const TestExport test_export = MakeExport(node_, {5, 6});
  const Bytes manifest = EncodeExportManifest(test_export.content);
  EXPECT_EQ(manifest, EncodeExportManifest(test_export.content));
  ASSERT_GE(manifest.size(), 34u);
  EXPECT_EQ(manifest[0], 0x0a);
  EXPECT_EQ(manifest[1], 0x20);
  EXPECT_TRUE(std::equal(node_.public_key().bytes.begin(), node_.public_key().bytes.end(),
                         manifest.begin() + 2));
  v1::ExportManifest parsed;
  ASSERT_TRUE(parsed.ParseFromArray(manifest.data(), static_cast<int>(manifest.size())));
  EXPECT_EQ(parsed.entries_size(), 2);
  EXPECT_EQ(parsed.export_number(), 7u);

  const auto signature = node_.Sign(kExportManifestSignatureContext, manifest);
  const Bytes signed_manifest = EncodeSignedExportManifest(manifest, signature);
  EXPECT_EQ(signed_manifest, Concat({LengthDelimited(0x0a, manifest), LengthDelimited(0x12, signature)}));
  const Bytes preamble = Preamble(signed_manifest);
  const auto m = signed_manifest.size();
  EXPECT_EQ(Bytes(preamble.begin(), preamble.begin() + 9),
            (Bytes{'A', 'M', 'P', 'X', 1, static_cast<std::uint8_t>(m >> 24),
                   static_cast<std::uint8_t>(m >> 16), static_cast<std::uint8_t>(m >> 8),
                   static_cast<std::uint8_t>(m)}));
  EXPECT_EQ(preamble.size(), 9 + m);
}

TEST_F(ExportFileTest, LooksLikeChecksTheMagicOnly) {
  const Bytes file = FileOf(MakeExport(node_, {3}), node_);
  EXPECT_TRUE(LooksLikeExportFile(file));
  EXPECT_TRUE(LooksLikeExportFile(AsBytes("AMPX")));
  EXPECT_TRUE(LooksLikeExportFile(AsBytes("AMPX\x02 anything")));
  EXPECT_FALSE(LooksLikeExportFile(AsBytes("AMP")));
  EXPECT_FALSE(LooksLikeExportFile(AsBytes("AMPA\x01")));
  EXPECT_FALSE(LooksLikeExportFile(AsBytes("AMPE")));
  EXPECT_FALSE(LooksLikeExportFile({}));
}

// --- Step 1: framing ---------------------------------------------------------

TEST_F(ExportFileTest, BadMagicOrVersionIsMalformed) {
  const Bytes file = FileOf(MakeExport(node_, {3}), node_);
  for (const std::size_t at : {0u, 1u, 2u, 3u}) {
    Bytes bad = file;
    bad[at] ^= 0x20;
    EXPECT_EQ(ErrorOf(ReadPreamble(bad, node_)), Error::kMalformedTransfer) << at;
  }
  for (const std::uint8_t version : std::initializer_list<std::uint8_t>{0, 2, 0xff}) {
    Bytes bad = file;
    bad[4] = version;
    EXPECT_EQ(ErrorOf(ReadPreamble(bad, node_)), Error::kMalformedTransfer) << int{version};
  }
}

TEST_F(ExportFileTest, TruncatedPreambleIsMalformedAtEveryLength) {
  const Bytes preamble = PreambleOf(MakeExport(node_, {3, 4}).content, node_);
  for (std::size_t size = 0; size < preamble.size(); ++size) {
    const std::span<const std::uint8_t> cut(preamble.data(), size);
    EXPECT_EQ(ErrorOf(ReadPreamble(cut, node_)), Error::kMalformedTransfer) << size;
  }
  EXPECT_TRUE(ReadPreamble(preamble, node_).ok());
}

TEST_F(ExportFileTest, AFailingSourceReportsItsError) {
  const Bytes preamble = PreambleOf(MakeExport(node_, {3}).content, node_);
  for (const std::size_t good : {0u, 5u, 9u, 40u}) {
    amparo::test::FailingSource failing(0);
    PrefixedSource source(std::span<const std::uint8_t>(preamble).first(good), failing);
    const crypto::Ed25519PublicKey pins[] = {node_.public_key()};
    EXPECT_EQ(ErrorOf(ReadExportPreamble(source, pins)), Error::kIo) << good;
  }
}

TEST_F(ExportFileTest, ManifestLengthAtNAndNPlusOne) {
  // A canonical SignedExportManifest of exactly N bytes whose manifest
  // starts with the pinned key and carries a wrong signature: read whole,
  // it fails at step 3. One byte more is refused before anything after the
  // framing is read.
  const auto signed_of_size = [&](std::size_t size) {
    const std::size_t overhead = 1 + 4 + 66;  // manifest tag and length, signature
    Bytes manifest = LengthDelimited(0x0a, node_.public_key().bytes);
    manifest.resize(size - overhead, 0);
    const std::array<std::uint8_t, 64> signature{};
    Bytes out = EncodeSignedExportManifest(manifest, signature);
    EXPECT_EQ(out.size(), size);
    return out;
  };
  const Bytes at = Preamble(signed_of_size(limits::kMaxExportManifestBytes));
  EXPECT_EQ(ErrorOf(ReadPreamble(at, node_)), Error::kBadSignature);

  Bytes over = {'A', 'M', 'P', 'X', 1};
  const auto m = static_cast<std::uint32_t>(limits::kMaxExportManifestBytes + 1);
  for (int shift = 24; shift >= 0; shift -= 8) over.push_back(static_cast<std::uint8_t>(m >> shift));
  over.resize(over.size() + 100, 0);
  SpanSource inner(over);
  CountingSource source(inner);
  const crypto::Ed25519PublicKey pins[] = {node_.public_key()};
  EXPECT_EQ(ErrorOf(ReadExportPreamble(source, pins)), Error::kLimitExceeded);
  EXPECT_EQ(source.count(), 9u);
  // The largest u32 too.
  std::fill(over.begin() + 5, over.begin() + 9, 0xff);
  EXPECT_EQ(ErrorOf(ReadPreamble(over, node_)), Error::kLimitExceeded);
}

TEST_F(ExportFileTest, WriterRefusesAManifestOverTheLimit) {
  const Bytes at(limits::kMaxExportManifestBytes, 0);
  LargestWriteSink counted;
  EXPECT_TRUE(WriteExportPreamble(counted, at).ok());
  EXPECT_EQ(counted.total(), 9 + limits::kMaxExportManifestBytes);
  const Bytes over(limits::kMaxExportManifestBytes + 1, 0);
  LargestWriteSink nothing;
  EXPECT_EQ(WriteExportPreamble(nothing, over).error(), Error::kLimitExceeded);
  EXPECT_EQ(nothing.total(), 0u);
  amparo::test::FailingSink failing(4);
  EXPECT_EQ(WriteExportPreamble(failing, Bytes(10, 0)).error(), Error::kIo);
}

// --- Step 2: the signed wrapper, canonical --------------------------------------

TEST_F(ExportFileTest, SignedWrapperMustBeCanonical) {
  const Bytes manifest = EncodeExportManifest(MakeExport(node_, {3}).content);
  const auto signature = node_.Sign(kExportManifestSignatureContext, manifest);
  const Bytes manifest_field = LengthDelimited(0x0a, manifest);
  const Bytes signature_field = LengthDelimited(0x12, signature);
  ASSERT_TRUE(ReadPreamble(Preamble(Concat({manifest_field, signature_field})), node_).ok());

  Bytes non_minimal_length = {0x0a};
  non_minimal_length.push_back(static_cast<std::uint8_t>((manifest.size() & 0x7f) | 0x80));
  non_minimal_length.push_back(static_cast<std::uint8_t>((manifest.size() >> 7) | 0x80));
  non_minimal_length.push_back(0x00);
  non_minimal_length.insert(non_minimal_length.end(), manifest.begin(), manifest.end());
  ASSERT_LT(manifest.size(), 1u << 14);

  const std::array<std::uint8_t, 63> short_signature{};
  const std::array<std::uint8_t, 65> long_signature{};
  const std::vector<Bytes> refused = {
      Concat({manifest_field, signature_field, {0x78, 0x01}}),       // unknown field 15
      Concat({manifest_field, signature_field, {0x1a, 0x00}}),       // unknown field 3
      Concat({signature_field, manifest_field}),                     // out of order
      Concat({manifest_field, signature_field, signature_field}),    // field twice
      Concat({manifest_field, manifest_field, signature_field}),
      Concat({non_minimal_length, signature_field}),
      Concat({manifest_field}),                                      // no signature
      Concat({signature_field}),                                     // no manifest
      Concat({manifest_field, LengthDelimited(0x12, short_signature)}),
      Concat({manifest_field, LengthDelimited(0x12, long_signature)}),
      Concat({LengthDelimited(0x0a, {}), signature_field}),
      Bytes{},
      Bytes{0xff, 0xff, 0xff},
  };
  for (std::size_t i = 0; i < refused.size(); ++i) {
    EXPECT_EQ(ErrorOf(ReadPreamble(Preamble(refused[i]), node_)), Error::kMalformedTransfer) << i;
  }
}

TEST_F(ExportFileTest, ManifestMustStartWithItsKey) {
  // A signed manifest whose fields are out of order: its key is not where
  // step 2 reads it, so it is refused before the signature is checked.
  const Bytes key_field = LengthDelimited(0x0a, node_.public_key().bytes);
  const Bytes number_field = {0x10, 0x07};
  const Bytes next_seq_field = {0x20, 0x01};
  const Bytes out_of_order = Concat({number_field, key_field, next_seq_field});
  EXPECT_EQ(ErrorOf(ReadPreamble(Preamble(SignManifestBytes(out_of_order, node_)), node_)),
            Error::kMalformedTransfer);
  const Bytes in_order = Concat({key_field, number_field, next_seq_field});
  EXPECT_TRUE(ReadPreamble(Preamble(SignManifestBytes(in_order, node_)), node_).ok());
  // A key of the wrong length.
  const Bytes short_key = Concat(
      {LengthDelimited(0x0a, std::span(node_.public_key().bytes).first(31)), number_field});
  EXPECT_EQ(ErrorOf(ReadPreamble(Preamble(SignManifestBytes(short_key, node_)), node_)),
            Error::kMalformedTransfer);
}

// --- Step 3: the pinned node and its signature --------------------------------

TEST_F(ExportFileTest, NodeMustBePinned) {
  const Bytes file = FileOf(MakeExport(node_, {3}), node_);
  EXPECT_EQ(ErrorOf(ReadPreamble(file, other_node_)), Error::kBadSignature);
  SpanSource source(file);
  EXPECT_EQ(ErrorOf(ReadExportPreamble(source, {})), Error::kBadSignature);
}

TEST_F(ExportFileTest, ManifestClaimingAPinnedNodeButSignedByAnotherIsRefused) {
  const Bytes manifest = EncodeExportManifest(MakeExport(node_, {3}).content);
  EXPECT_EQ(ErrorOf(ReadPreamble(Preamble(SignManifestBytes(manifest, other_node_)), node_)),
            Error::kBadSignature);
}

TEST_F(ExportFileTest, FlippedSignatureOrManifestBitIsRefused) {
  const Bytes manifest = EncodeExportManifest(MakeExport(node_, {3}).content);
  const auto signature = node_.Sign(kExportManifestSignatureContext, manifest);
  for (std::size_t bit = 0; bit < 8 * signature.size(); bit += 37) {
    auto flipped = signature;
    flipped[bit / 8] = static_cast<std::uint8_t>(flipped[bit / 8] ^ (1u << (bit % 8)));
    EXPECT_EQ(ErrorOf(ReadPreamble(Preamble(EncodeSignedExportManifest(manifest, flipped)), node_)),
              Error::kBadSignature)
        << bit;
  }
  // Past the key, so the claimed signer stays the pinned node.
  for (std::size_t at = 34; at < manifest.size(); ++at) {
    Bytes tampered = manifest;
    tampered[at] ^= 0x01;
    EXPECT_EQ(ErrorOf(ReadPreamble(Preamble(EncodeSignedExportManifest(tampered, signature)), node_)),
              Error::kBadSignature)
        << at;
  }
}

TEST_F(ExportFileTest, OtherContextsAreRefused) {
  const Bytes manifest = EncodeExportManifest(MakeExport(node_, {3}).content);
  for (const std::string_view context :
       {std::string_view("amparo/v1 export manifest"), std::string_view(""),
        kKeyBundleSignatureContext, std::string_view("amparo/v1 acknowledgement\0", 26),
        std::string_view("amparo/v2 export manifest\0", 26)}) {
    EXPECT_EQ(ErrorOf(ReadPreamble(Preamble(SignManifestBytes(manifest, node_, context)), node_)),
              Error::kBadSignature);
  }
}

// --- Step 4: the signed manifest's content -------------------------------------

TEST_F(ExportFileTest, EveryBoundOfTheContentIsChecked) {
  const TestExport base = MakeExport(node_, {3, 4, 5});
  ASSERT_TRUE(ValidateExportManifest(base.content).ok());
  const std::vector<std::pair<std::string, void (*)(ExportManifestContent&)>> breaks = {
      {"duplicate id", [](ExportManifestContent& c) { c.entries[2].envelope_id = c.entries[0].envelope_id; }},
      {"zero id", [](ExportManifestContent& c) { c.entries[1].envelope_id = {}; }},
      {"equal seqs", [](ExportManifestContent& c) { c.entries[1].seq = c.entries[0].seq; }},
      {"decreasing seqs", [](ExportManifestContent& c) { c.entries[1].seq = c.entries[0].seq - 1; }},
      {"seq zero", [](ExportManifestContent& c) { c.entries[0].seq = 0; }},
      {"seq at next_seq", [](ExportManifestContent& c) { c.entries[2].seq = c.next_seq; }},
      {"seq past next_seq", [](ExportManifestContent& c) { c.next_seq = c.entries[2].seq - 1; }},
      {"length zero", [](ExportManifestContent& c) { c.entries[0].length = 0; }},
      {"length over", [](ExportManifestContent& c) { c.entries[0].length = limits::kMaxEnvelopeBytes + 1; }},
      {"day negative", [](ExportManifestContent& c) { c.entries[0].day = -1; }},
      {"day over", [](ExportManifestContent& c) { c.entries[0].day = limits::kMaxDay + 1; }},
      {"export number zero", [](ExportManifestContent& c) { c.export_number = 0; }},
      {"next_seq zero", [](ExportManifestContent& c) { c.next_seq = 0; c.entries.clear(); }},
      {"created day negative", [](ExportManifestContent& c) { c.created_day = -1; }},
      {"created day over", [](ExportManifestContent& c) { c.created_day = limits::kMaxDay + 1; }},
  };
  for (const auto& [name, apply] : breaks) {
    ExportManifestContent content = base.content;
    apply(content);
    EXPECT_EQ(ValidateExportManifest(content).error(), Error::kMalformedTransfer) << name;
    EXPECT_EQ(ErrorOf(ReadPreamble(PreambleOf(content, node_), node_)), Error::kMalformedTransfer)
        << name;
  }
}

TEST_F(ExportFileTest, ValuesAtTheirBoundsAreAccepted) {
  TestExport test_export = MakeExport(node_, {3, 4});
  ExportManifestContent& content = test_export.content;
  content.entries[0].seq = 1;
  content.entries[1].seq = content.next_seq - 1;
  content.entries[0].length = limits::kMaxEnvelopeBytes;
  content.entries[0].day = 0;
  content.entries[1].day = limits::kMaxDay;
  content.created_day = limits::kMaxDay;
  content.export_number = std::numeric_limits<std::uint64_t>::max();
  auto read = ReadPreamble(PreambleOf(content, node_), node_);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value(), content);
  content.created_day = 0;
  content.next_seq = 1;
  content.entries.clear();
  EXPECT_TRUE(ReadPreamble(PreambleOf(content, node_), node_).ok());
}

TEST_F(ExportFileTest, SignedManifestWithUnknownFieldsOrNonCanonicalBytesIsRefused) {
  const TestExport test_export = MakeExport(node_, {3});
  const Bytes manifest = EncodeExportManifest(test_export.content);
  const auto refused = [&](const Bytes& bytes) {
    return ErrorOf(ReadPreamble(Preamble(SignManifestBytes(bytes, node_)), node_));
  };
  // Unknown field 15 at the top level.
  EXPECT_EQ(refused(Concat({manifest, {0x78, 0x01}})), Error::kMalformedTransfer);
  // Unknown field 9 inside an entry.
  v1::ExportManifest message;
  ASSERT_TRUE(message.ParseFromArray(manifest.data(), static_cast<int>(manifest.size())));
  v1::ExportEntry* entry = message.mutable_entries(0);
  entry->GetReflection()->MutableUnknownFields(entry)->AddVarint(9, 1);
  const std::string with_unknown = message.SerializeAsString();
  EXPECT_EQ(refused(Bytes(with_unknown.begin(), with_unknown.end())), Error::kMalformedTransfer);
  // A second node_public_key after the first: libprotobuf would keep the
  // second, not the signer's.
  const Bytes second_key = LengthDelimited(0x0a, other_node_.public_key().bytes);
  EXPECT_EQ(refused(Concat({manifest, second_key})), Error::kMalformedTransfer);
  // The same key given twice, and an explicit zero: same values, other bytes.
  const Bytes same_key = LengthDelimited(0x0a, node_.public_key().bytes);
  EXPECT_EQ(refused(Concat({manifest, same_key})), Error::kMalformedTransfer);
  EXPECT_EQ(refused(Concat({manifest, {0x18, 0x00}})), Error::kMalformedTransfer);
  // Entry fields of the wrong size.
  message.Clear();
  ASSERT_TRUE(message.ParseFromArray(manifest.data(), static_cast<int>(manifest.size())));
  message.mutable_entries(0)->set_envelope_id(std::string(17, '\x01'));
  const std::string long_id = message.SerializeAsString();
  EXPECT_EQ(refused(Bytes(long_id.begin(), long_id.end())), Error::kMalformedTransfer);
  message.mutable_entries(0)->set_envelope_id(std::string(16, '\x01'));
  message.mutable_entries(0)->set_sha256(std::string(31, '\x01'));
  const std::string short_digest = message.SerializeAsString();
  EXPECT_EQ(refused(Bytes(short_digest.begin(), short_digest.end())), Error::kMalformedTransfer);
  // Garbage that is not a manifest past its key, but signed.
  EXPECT_EQ(refused(Concat({same_key, {0xff, 0xff}})), Error::kMalformedTransfer);
}

// MaximalManifest has n entries with every field at its largest valid value.
ExportManifestContent MaximalManifest(const SigningKey& node, std::size_t n) {
  ExportManifestContent content;
  content.node_public_key = node.public_key();
  content.export_number = std::numeric_limits<std::uint64_t>::max();
  content.created_day = limits::kMaxDay;
  content.next_seq = std::numeric_limits<std::uint64_t>::max();
  content.entries.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    ExportEntryInfo& entry = content.entries[i];
    entry.envelope_id = IdOf(i + 1);
    entry.seq = content.next_seq - n + i;
    entry.length = limits::kMaxEnvelopeBytes;
    entry.sha256.fill(0xab);
    entry.day = limits::kMaxDay;
  }
  return content;
}

TEST_F(ExportFileTest, EntriesAtTheLimitAndOneMore) {
  // At their largest, kMaxExportEntries entries take exactly the bytes
  // limits.h counts, within kMaxExportManifestBytes, and verify.
  ExportManifestContent content = MaximalManifest(node_, limits::kMaxExportEntries);
  const Bytes at = Preamble(SignManifestBytes(EncodeExportManifest(content), node_));
  EXPECT_EQ(at.size(), 9u + 76000132u);
  EXPECT_LE(at.size() - 9, limits::kMaxExportManifestBytes);
  auto read = ReadPreamble(at, node_);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value().entries.size(), limits::kMaxExportEntries);

  content = MaximalManifest(node_, limits::kMaxExportEntries + 1);
  EXPECT_EQ(ValidateExportManifest(content).error(), Error::kMalformedTransfer);
  const Bytes over = Preamble(SignManifestBytes(EncodeExportManifest(content), node_));
  EXPECT_EQ(ErrorOf(ReadPreamble(over, node_)), Error::kMalformedTransfer);
}

// --- The order of the steps -------------------------------------------------------

TEST_F(ExportFileTest, TheFirstFailingStepDecides) {
  const ExportManifestContent good = MakeExport(node_, {3}).content;
  ExportManifestContent bad_content = good;
  bad_content.entries.push_back(bad_content.entries[0]);  // duplicate id, seq not increasing
  const Bytes good_signed = SignManifestBytes(EncodeExportManifest(good), node_);

  // Within step 1: the magic and the version before the length.
  Bytes over_limit = {'A', 'M', 'P', 'X', 1, 0xff, 0xff, 0xff, 0xff};
  Bytes bad_magic_over_limit = over_limit;
  bad_magic_over_limit[0] = 'X';
  Bytes bad_version_over_limit = over_limit;
  bad_version_over_limit[4] = 2;
  EXPECT_EQ(ErrorOf(ReadPreamble(over_limit, node_)), Error::kLimitExceeded);
  EXPECT_EQ(ErrorOf(ReadPreamble(bad_magic_over_limit, node_)), Error::kMalformedTransfer);
  EXPECT_EQ(ErrorOf(ReadPreamble(bad_version_over_limit, node_)), Error::kMalformedTransfer);

  // Steps 1 and 3: a bad version around a manifest signed by a stranger.
  Bytes bad_version = Preamble(SignManifestBytes(EncodeExportManifest(good), other_node_));
  bad_version[4] = 2;
  EXPECT_EQ(ErrorOf(ReadPreamble(bad_version, node_)), Error::kMalformedTransfer);

  // Steps 2 and 3: an unknown wrapper field around a stranger's manifest.
  const Bytes stranger = SignManifestBytes(EncodeExportManifest(good), other_node_);
  EXPECT_EQ(ErrorOf(ReadPreamble(Preamble(stranger), node_)), Error::kBadSignature);
  EXPECT_EQ(ErrorOf(ReadPreamble(Preamble(Concat({stranger, {0x78, 0x01}})), node_)),
            Error::kMalformedTransfer);

  // Steps 3 and 4: bad content under a wrong signature, or by an unpinned node.
  const Bytes bad_manifest = EncodeExportManifest(bad_content);
  EXPECT_EQ(ErrorOf(ReadPreamble(Preamble(SignManifestBytes(bad_manifest, node_)), node_)),
            Error::kMalformedTransfer);
  auto wrong_signature = node_.Sign(kExportManifestSignatureContext, bad_manifest);
  wrong_signature[10] ^= 0x04;
  EXPECT_EQ(ErrorOf(ReadPreamble(Preamble(EncodeSignedExportManifest(bad_manifest, wrong_signature)),
                                 node_)),
            Error::kBadSignature);
  ExportManifestContent bad_by_stranger = bad_content;
  bad_by_stranger.node_public_key = other_node_.public_key();
  EXPECT_EQ(ErrorOf(ReadPreamble(PreambleOf(bad_by_stranger, other_node_), node_)),
            Error::kBadSignature);
  EXPECT_TRUE(ReadPreamble(Preamble(good_signed), node_).ok());
}

// --- Entries and the end of the file ------------------------------------------------

TEST_F(ExportFileTest, CopiesInBlocksOfAtMost64KiB) {
  const Bytes envelope = EnvelopeBytes(3 * kExportCopyBlockBytes + 5, 9);
  const ExportEntryInfo entry{IdOf(1), 1, envelope.size(), crypto::Sha256(envelope), kToday};
  SpanSource source(envelope);
  LargestWriteSink sink;
  ASSERT_TRUE(CopyExportEntry(source, entry, sink).ok());
  EXPECT_EQ(sink.total(), envelope.size());
  EXPECT_EQ(sink.largest(), kExportCopyBlockBytes);
}

TEST_F(ExportFileTest, DigestMismatchIsABadSignature) {
  const TestExport test_export = MakeExport(node_, {100, kExportCopyBlockBytes + 3});
  for (const std::size_t entry : {0u, 1u}) {
    for (const std::size_t at : {std::size_t{0}, test_export.envelopes[entry].size() - 1}) {
      TestExport tampered = test_export;
      tampered.envelopes[entry][at] ^= 0x80;
      const Bytes file = FileOf(tampered, node_);  // the manifest keeps the old digests
      SpanSource source(file);
      const crypto::Ed25519PublicKey pins[] = {node_.public_key()};
      auto imported = ImportAll(source, pins);
      ASSERT_FALSE(imported.ok());
      EXPECT_EQ(imported.error(), Error::kBadSignature) << entry << " " << at;
    }
  }
}

TEST_F(ExportFileTest, TruncatedEntryIsMalformed) {
  const TestExport test_export = MakeExport(node_, {100, 2 * kExportCopyBlockBytes});
  const Bytes file = FileOf(test_export, node_);
  const std::size_t preamble = PreambleOf(test_export.content, node_).size();
  for (const std::size_t cut : {std::size_t{1}, std::size_t{100}, kExportCopyBlockBytes,
                                kExportCopyBlockBytes + 101}) {
    const std::span<const std::uint8_t> truncated(file.data(), file.size() - cut);
    SpanSource source(truncated);
    const crypto::Ed25519PublicKey pins[] = {node_.public_key()};
    auto imported = ImportAll(source, pins);
    ASSERT_FALSE(imported.ok());
    EXPECT_EQ(imported.error(), Error::kMalformedTransfer) << cut;
  }
  // Ending right after the preamble.
  SpanSource source(std::span<const std::uint8_t>(file.data(), preamble));
  const crypto::Ed25519PublicKey pins[] = {node_.public_key()};
  auto imported = ImportAll(source, pins);
  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error(), Error::kMalformedTransfer);
}

TEST_F(ExportFileTest, TrailingBytesAreMalformed) {
  Bytes file = FileOf(MakeExport(node_, {10}), node_);
  file.push_back(0);
  SpanSource source(file);
  const crypto::Ed25519PublicKey pins[] = {node_.public_key()};
  auto imported = ImportAll(source, pins);
  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error(), Error::kMalformedTransfer);
  SpanSource empty(std::span<const std::uint8_t>{});
  EXPECT_TRUE(ExpectEndOfExport(empty).ok());
  amparo::test::FailingSource failing(0);
  EXPECT_EQ(ExpectEndOfExport(failing).error(), Error::kIo);
}

TEST_F(ExportFileTest, CopyReportsReadAndWriteFailures) {
  const Bytes envelope = EnvelopeBytes(2 * kExportCopyBlockBytes, 1);
  const ExportEntryInfo entry{IdOf(1), 1, envelope.size(), crypto::Sha256(envelope), kToday};
  amparo::test::FailingSource failing_source(kExportCopyBlockBytes + 1);
  VectorSink sink;
  EXPECT_EQ(CopyExportEntry(failing_source, entry, sink).error(), Error::kIo);
  SpanSource source(envelope);
  amparo::test::FailingSink failing_sink(kExportCopyBlockBytes);
  EXPECT_EQ(CopyExportEntry(source, entry, failing_sink).error(), Error::kIo);
}

TEST_F(ExportFileTest, CopyRefusesLengthsNoManifestHolds) {
  SpanSource source(std::span<const std::uint8_t>{});
  VectorSink sink;
  ExportEntryInfo entry{IdOf(1), 1, 0, {}, kToday};
  EXPECT_EQ(CopyExportEntry(source, entry, sink).error(), Error::kInvalidArgument);
  entry.length = limits::kMaxEnvelopeBytes + 1;
  EXPECT_EQ(CopyExportEntry(source, entry, sink).error(), Error::kInvalidArgument);
  EXPECT_TRUE(sink.bytes().empty());
}

}  // namespace
}  // namespace amparo::protocol

namespace amparo::protocol {
namespace {

TEST(CanonicalEncodingTest, CountsTopLevelFieldsWithoutParsing) {
  // field 1 varint 5; field 5 length 0; field 5 length 1 "x"; field 2 fixed64.
  const std::vector<std::uint8_t> bytes = {0x08, 0x05, 0x2a, 0x00, 0x2a, 0x01, 'x',
                                           0x11, 1,    2,    3,    4,    5,    6, 7, 8};
  const auto counts = CountTopLevelFields(bytes, 5);
  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(counts->total, 4u);
  EXPECT_EQ(counts->of_field, 2u);
  // A length past the end, a field number 0, wire type 3, a non-minimal tag.
  for (const std::vector<std::uint8_t>& bad :
       {std::vector<std::uint8_t>{0x2a, 0x05, 'x'}, std::vector<std::uint8_t>{0x00, 0x01},
        std::vector<std::uint8_t>{0x0b}, std::vector<std::uint8_t>{0x88, 0x00, 0x01}}) {
    EXPECT_FALSE(CountTopLevelFields(bad, 5).has_value());
  }
  EXPECT_EQ(CountTopLevelFields({}, 5)->total, 0u);
}

TEST(CanonicalEncodingTest, RepeatedFieldWithinItsLimitsAtNAndNPlusOne) {
  std::vector<std::uint8_t> bytes;
  for (int i = 0; i < 3; ++i) bytes.insert(bytes.end(), {0x2a, 0x00});  // field 5, empty
  EXPECT_TRUE(RepeatedFieldWithin(bytes, 5, 3));
  EXPECT_FALSE(RepeatedFieldWithin(bytes, 5, 2));
  for (std::size_t i = 0; i < kMaxSingularFields; ++i) bytes.insert(bytes.end(), {0x08, 0x01});
  EXPECT_TRUE(RepeatedFieldWithin(bytes, 5, 3));
  bytes.insert(bytes.end(), {0x08, 0x01});
  EXPECT_FALSE(RepeatedFieldWithin(bytes, 5, 3));
}

}  // namespace
}  // namespace amparo::protocol
