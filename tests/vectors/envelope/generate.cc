// generate.cc: writes the envelope test vectors, one scenario per file, from
// fixed seeds, so that the same build always writes the same bytes.
//
//   envelope_vector_generator OUTPUT_DIR        write every vector
//   envelope_vector_generator --check DIR       exit 1 unless DIR holds
//                                               exactly these vectors
//
// File format (as the C2SP CCTV age vectors): header lines "key: value",
// an empty line, then the envelope bytes. Keys: expect (ok, malformed
// envelope, unsupported format version, stale key bundle, padded length not
// a bucket, length mismatch, limit exceeded), lowest accepted version and
// max padded length (the AcceptancePolicy, defaults 1 and the compiled
// ceiling), identity (the X25519 secret key of a chosen body, for ok
// vectors), comment. Each file is checked with ValidateEnvelope, as a
// stream with no declared length.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "common/io.h"
#include "crypto/age_format.h"
#include "crypto/base64.h"
#include "crypto/identities.h"
#include "proto/submission.pb.h"
#include "protocol/envelope_builder.h"
#include "protocol/envelope_format.h"
#include "protocol/envelope_header.h"
#include "tests/support/deterministic_random.h"
#include "tests/support/hex.h"

namespace amparo::protocol {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

constexpr std::uint64_t kSeed = 0x414d5045;  // "AMPE"
constexpr std::int64_t kToday = 20000;

const std::vector<std::string> kBodies = {"CAT", "SPT", "CED", "CEDAW", "CERD", "CESCR", "CRC",
                                          "CRPD"};

struct Vector {
  std::string name;
  std::string expect;
  std::string comment;
  std::optional<std::uint64_t> lowest_accepted_version;
  std::optional<std::uint64_t> max_padded_length;
  std::string identity;
  Bytes bytes;
};

crypto::age::X25519Identity BodyIdentity(std::size_t i) {
  test::DeterministicRandom random(kSeed + 1000 + i);
  return crypto::age::X25519Identity::Generate(random);
}

std::string IdentityText(std::size_t i) {
  const auto secret = BodyIdentity(i).EncodeSecret();
  return std::string(AsText(secret.span()));
}

VerifiedKeyBundle Bundle(std::uint64_t version) {
  VerifiedKeyBundle bundle;
  KeyBundleContent& content = bundle.content;
  content.version = version;
  content.issued_day = kToday - 1;
  content.expires_day = kToday + 90;
  content.lowest_accepted_version = 1;
  for (std::size_t i = 0; i < kBodies.size(); ++i) {
    RecipientKeyEntry key;
    key.key_id = kBodies[i] + "-1";
    key.body = kBodies[i];
    key.label = kBodies[i];
    key.public_key = BodyIdentity(i).PublicKey();
    key.valid_from_day = kToday - 1;
    key.valid_until_day = kToday + 365;
    content.keys.push_back(key);
  }
  return bundle;
}

// Seal returns a real envelope to the first `bodies` bodies, with one
// attachment of `attachment` bytes if non-zero.
Bytes Seal(std::size_t bodies, std::uint64_t seed, std::uint64_t version = 5,
           std::size_t attachment = 0) {
  const VerifiedKeyBundle bundle = Bundle(version);
  v1::Submission submission;
  submission.set_format_version(1);
  submission.set_key_bundle_version(version);
  submission.set_language("en");
  for (std::size_t i = 0; i < bodies; ++i) submission.add_bodies(kBodies[i]);
  submission.set_narrative("Test vector: no real allegation.");
  Bytes data(attachment);
  for (std::size_t i = 0; i < attachment; ++i) data[i] = static_cast<std::uint8_t>(i * 7);
  SpanSource source(data);
  std::vector<AttachmentStream> streams;
  if (attachment > 0) {
    v1::Attachment* entry = submission.add_attachments();
    entry->set_file_name("evidence.bin");
    entry->set_media_type("application/octet-stream");
    entry->set_length(attachment);
    entry->set_sha256(std::string(32, '\0'));
    streams.push_back({&source, attachment});
  }
  test::DeterministicRandom random(kSeed + seed);
  VectorSink out;
  if (!SealEnvelope({bundle, kToday, submission, streams}, out, random).ok()) std::abort();
  return out.bytes();
}

std::size_t HeaderLength(const Bytes& envelope) {
  return (std::size_t{envelope[4]} << 8) | envelope[5];
}

Bytes AgeHeader(const Bytes& envelope) {
  const auto begin = envelope.begin() + static_cast<std::ptrdiff_t>(6 + HeaderLength(envelope));
  return {begin, begin + static_cast<std::ptrdiff_t>(kAgeHeaderLength)};
}

// Rest returns everything after the EnvelopeHeader: age header and payload.
Bytes Rest(const Bytes& envelope) {
  return {envelope.begin() + static_cast<std::ptrdiff_t>(6 + HeaderLength(envelope)),
          envelope.end()};
}

Bytes Frame(const Bytes& header, const Bytes& rest, std::size_t declared_length) {
  Bytes out(kEnvelopeMagic.begin(), kEnvelopeMagic.end());
  out.push_back(static_cast<std::uint8_t>(declared_length >> 8));
  out.push_back(static_cast<std::uint8_t>(declared_length));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

Bytes Frame(const Bytes& header, const Bytes& rest) { return Frame(header, rest, header.size()); }

Bytes Header(std::uint64_t version, std::uint64_t padded) {
  auto header = EncodeEnvelopeHeader({kFormatVersion, version, padded});
  if (!header.ok()) std::abort();
  return header.value();
}

// FakeRest is the age header of a real envelope followed by a zero payload
// of the length P implies: enough for checks that never read the payload.
Bytes FakeRest(const Bytes& age_header, std::uint64_t padded) {
  Bytes out = age_header;
  out.resize(out.size() + static_cast<std::size_t>(ExpectedPayloadLength(padded)), 0);
  return out;
}

// EditedAgeHeader re-encodes the stanzas of a real age header, with `edit`
// applied, and the original MAC line.
template <typename Edit>
Bytes EditedAgeHeader(const Bytes& age_header, Edit edit) {
  auto parsed = crypto::age::ParseHeader(age_header);
  if (!parsed.ok()) std::abort();
  auto stanzas = parsed.value().stanzas;
  edit(stanzas);
  std::string text = crypto::age::EncodeHeaderMacInput(stanzas);
  text += ' ';
  text += crypto::EncodeBase64(parsed.value().mac, crypto::Base64Padding::kNone);
  text += '\n';
  const auto bytes = AsBytes(text);
  return {bytes.begin(), bytes.end()};
}

Bytes Replace(Bytes bytes, std::size_t at, std::string_view with) {
  std::copy(with.begin(), with.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at));
  return bytes;
}

// SetUnusedBit sets the lowest unused bit of the base64 character at `at`
// (the last of a 43-character encoding of 32 bytes).
Bytes SetUnusedBit(Bytes bytes, std::size_t at) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  bytes[at] = static_cast<std::uint8_t>(kAlphabet[kAlphabet.find(static_cast<char>(bytes[at])) | 1]);
  return bytes;
}

Bytes Concat(const Bytes& a, const Bytes& b) {
  Bytes out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

std::vector<Vector> AllVectors() {
  std::vector<Vector> v;
  const auto add = [&v](std::string name, std::string expect, std::string comment, Bytes bytes) {
    v.push_back({std::move(name), std::move(expect), std::move(comment), std::nullopt,
                 std::nullopt, "", std::move(bytes)});
    return &v.back();
  };
  const std::string ok = "ok";
  const std::string malformed = "malformed envelope";
  const std::string unsupported = "unsupported format version";
  const std::string stale = "stale key bundle";
  const std::string not_bucket = "padded length not a bucket";
  const std::string mismatch = "length mismatch";
  const std::string limit = "limit exceeded";

  const Bytes base = Seal(1, 1);  // L = 7, P = 4096, 4995 bytes
  const Bytes age = AgeHeader(base);
  const Bytes rest = Rest(base);
  const Bytes rest_4096 = FakeRest(age, 4096);

  // ---- accepted ----
  add("ok_one_body", ok, "one real stanza and seven fillers, P = 4096", base)->identity =
      IdentityText(0);
  add("ok_eight_bodies", ok, "eight real stanzas", Seal(8, 2))->identity = IdentityText(7);
  add("ok_two_chunks", ok, "a 65536-byte attachment: P = 67584, two STREAM chunks",
      Seal(3, 3, 5, 65536))
      ->identity = IdentityText(2);
  add("ok_max_bundle_version", ok, "bundle version 2^64 - 1, a 10-byte varint (L = 16)",
      Seal(1, 4, ~std::uint64_t{0}))
      ->identity = IdentityText(0);
  add("ok_newer_than_lowest", ok, "bundle version 5, lowest accepted 3", base)
      ->lowest_accepted_version = 3;
  add("ok_at_lowest", ok, "bundle version 5, lowest accepted 5", base)->lowest_accepted_version = 5;
  add("ok_at_configured_maximum", ok, "P = 4096 with a configured maximum of 4096", base)
      ->max_padded_length = 4096;

  // ---- step 1: magic ----
  add("magic_empty", malformed, "no bytes at all", {});
  add("magic_five_bytes", malformed, "fewer than 6 bytes", Bytes(base.begin(), base.begin() + 5));
  add("magic_lower_case", malformed, "magic 'ampe'", Replace(base, 0, "ampe"));
  add("magic_plain_age_file", malformed, "a bare age file is not an envelope", rest);

  // ---- step 2: header length ----
  add("header_length_zero", malformed, "L = 0", Frame({}, rest, 0));
  {
    Bytes header(65, 0);
    header[0] = 0x08;
    header[1] = 0x02;
    add("header_length_65", malformed, "L = 65, even with a format-2 header", Frame(header, rest));
    header.resize(64);
    add("header_length_64", unsupported,
        "L = 64 passes the framing check; the header declares format 2", Frame(header, rest));
  }
  add("header_length_beyond_end", malformed, "L = 64 but the stream ends after 10 header bytes",
      Frame(Header(5, 4096), Bytes(3, 0), 64));

  // ---- step 3: format version ----
  add("format_2", unsupported, "format_version = 2, otherwise canonical",
      Frame(test::FromHex("08021005188020"), rest));
  add("format_0", unsupported, "format_version = 0 is not 1",
      Frame(test::FromHex("08001005188020"), rest));
  add("format_2_non_minimal", unsupported,
      "format_version 2 as the non-minimal varint 82 00: step 3 precedes step 4",
      Frame(test::FromHex("0882001005188020"), rest));
  add("format_2_other_fields", unsupported, "format 2 followed by bytes version 1 does not know",
      Frame(test::FromHex("0802ffffff"), rest));
  add("format_2_pow32_plus_1", unsupported,
      "format_version 2^32 + 1, which a uint32 field would truncate to 1",
      Frame(test::FromHex("0881808080101005188020"), rest));
  add("format_over_64_bits", unsupported, "a 10-byte varint whose value exceeds 64 bits",
      Frame(test::FromHex("08818080808080808080021005188020"), rest));
  add("format_2_and_stale", unsupported, "format 2 and a stale bundle: step 3 decides",
      Frame(test::FromHex("08021001188020"), rest))
      ->lowest_accepted_version = 9;

  // ---- step 4: canonical header ----
  const std::vector<std::pair<std::string, std::string>> non_canonical = {
      {"header_unknown_field", "08011005188020200a"},
      {"header_fields_out_of_order", "08011880201005"},
      {"header_repeated_field", "080110051005188020"},
      {"header_overlong_bundle_version", "0801108500188020"},
      {"header_overlong_padded_length", "080110051880a000"},
      {"header_overlong_format_one", "0881001005188020"},
      {"header_zero_bundle_version", "08011000188020"},
      {"header_zero_padded_length", "080110051800"},
      {"header_wrong_wire_type", "0a01011005188020"},
      {"header_fixed32_padded_length", "080110051d00100000"},
      {"header_trailing_byte", "0801100518802000"},
      {"header_missing_field", "08011005"},
      {"header_truncated_varint", "080110051880"},
      {"header_format_varint_cut", "0882"},
  };
  for (const auto& [name, hex] : non_canonical) {
    add(name, malformed, "EnvelopeHeader " + hex + " is not canonical",
        Frame(test::FromHex(hex), rest));
  }
  add("header_non_canonical_and_stale", malformed,
      "a non-canonical header with a stale version: step 4 decides",
      Frame(test::FromHex("0801108100188020"), rest))
      ->lowest_accepted_version = 9;

  // ---- step 5: stale key bundle ----
  add("stale_bundle", stale, "bundle version 5, lowest accepted 6", base)->lowest_accepted_version = 6;
  {
    Vector* vector = add("stale_and_over_maximum", stale,
                         "stale and P over the configured maximum: step 5 decides",
                         Frame(Header(5, 8192), FakeRest(age, 8192)));
    vector->lowest_accepted_version = 6;
    vector->max_padded_length = 4096;
  }

  // ---- step 6: limits ----
  add("over_configured_maximum", limit, "P = 8192 with a configured maximum of 4096",
      Seal(1, 5, 5, 5000))
      ->max_padded_length = 4096;
  add("over_compiled_ceiling", limit,
      "P = 1107296256, the first bucket over 1 GiB (the payload is absent)",
      Frame(Header(5, 1107296256), age));
  add("over_ceiling_not_bucket", limit, "P = 2^64 - 1: the limit is checked before the bucket",
      Frame(Header(5, ~std::uint64_t{0}), age));

  // ---- step 7: bucket ----
  add("p_4095", not_bucket, "P = 4095, below the floor", Frame(Header(5, 4095), FakeRest(age, 4095)));
  add("p_2048", not_bucket, "P = 2048, a Padmé value below the floor",
      Frame(Header(5, 2048), FakeRest(age, 2048)));
  add("p_4097", not_bucket, "P = 4097, not a Padmé value", Frame(Header(5, 4097), FakeRest(age, 4097)));
  add("p_4097_wrong_length", not_bucket, "not a bucket and the wrong length: step 7 decides",
      Frame(Header(5, 4097), rest));

  // ---- step 8: age header ----
  {
    const std::size_t stanza = 22;  // first stanza line
    add("age_version_line", malformed, "age-encryption.org/v2",
        Frame(Header(5, 4096), Replace(rest, 0, "age-encryption.org/v2")));
    add("age_crlf", malformed, "CR instead of LF after the version line",
        Frame(Header(5, 4096), Replace(rest, 21, "\r")));
    add("age_other_type", malformed, "a stanza of type Y25519, same length",
        Frame(Header(5, 4096), Replace(rest, stanza + 3, "Y25519")));
    add("age_lower_case_type", malformed, "a stanza of type x25519",
        Frame(Header(5, 4096), Replace(rest, stanza + 3, "x25519")));
    add("age_share_non_canonical", malformed, "an unused bit set in a share's last character",
        Frame(Header(5, 4096), SetUnusedBit(rest, stanza + 10 + 42)));
    add("age_body_non_canonical", malformed, "an unused bit set in a body's last character",
        Frame(Header(5, 4096), SetUnusedBit(rest, stanza + 54 + 42)));
    add("age_mac_non_canonical", malformed, "an unused bit set in the MAC's last character",
        Frame(Header(5, 4096), SetUnusedBit(rest, kAgeHeaderLength - 2)));
    const Bytes payload(rest.begin() + static_cast<std::ptrdiff_t>(kAgeHeaderLength), rest.end());
    const auto seven = EditedAgeHeader(age, [](auto& s) { s.pop_back(); });
    add("age_seven_stanzas", malformed, "7 stanzas, the payload made 98 bytes longer",
        Frame(Header(5, 4096), Concat(Concat(seven, Bytes(98, 0)), payload)));
    const auto nine = EditedAgeHeader(age, [](auto& s) { s.push_back(s.front()); });
    add("age_nine_stanzas", malformed, "9 stanzas", Frame(Header(5, 4096), Concat(nine, payload)));
    const auto grease = EditedAgeHeader(age, [](auto& s) {
      s[3].args = {"Ha9-grease", "x"};
      s[3].body.assign(32, 0x5a);
    });
    add("age_grease_stanza", malformed, "a grease stanza in place of one X25519 stanza",
        Frame(Header(5, 4096), Concat(grease, payload)));
    const auto extra = EditedAgeHeader(age, [](auto& s) { s[0].args.push_back("x"); });
    add("age_extra_argument", malformed, "an X25519 stanza with a third argument",
        Frame(Header(5, 4096), Concat(extra, payload)));
    const auto long_body = EditedAgeHeader(age, [](auto& s) { s[5].body.push_back(0); });
    add("age_long_body", malformed, "a 33-byte stanza body",
        Frame(Header(5, 4096), Concat(long_body, payload)));
    Bytes bad_and_short = Replace(rest, 0, "AGE");
    bad_and_short.resize(bad_and_short.size() - 100);
    add("age_malformed_and_short", malformed,
        "a bad age header and a short payload: step 8 precedes step 9",
        Frame(Header(5, 4096), bad_and_short));
  }

  // ---- step 9 (and a stream ending inside the age header) ----
  add("length_one_byte_short", mismatch, "the last byte is missing",
      Bytes(base.begin(), base.end() - 1));
  add("length_one_byte_long", mismatch, "one byte too many", Concat(base, Bytes(1, 0)));
  add("length_no_payload", mismatch, "the stream ends after the age header",
      Bytes(base.begin(), base.begin() + 6 + 7 + 854));
  add("length_inside_age_header", mismatch, "the stream ends inside the age header",
      Bytes(base.begin(), base.begin() + 6 + 7 + 400));
  add("length_inside_bad_age_header", mismatch,
      "the stream ends inside an age header whose first bytes are already wrong",
      Bytes(base.begin(), base.begin() + 6 + 7 + 400 - 1));
  v.back().bytes[13] = 'X';
  add("length_after_header", mismatch, "the stream ends right after the EnvelopeHeader",
      Bytes(base.begin(), base.begin() + 13));
  add("length_two_chunk_short", mismatch, "a two-chunk envelope missing its last chunk's tag",
      [&] {
        Bytes two = Seal(1, 6, 5, 65536);
        two.resize(two.size() - 16);
        return two;
      }());
  return v;
}

std::string Serialize(const Vector& vector) {
  std::string out = "expect: " + vector.expect + "\n";
  if (vector.lowest_accepted_version) {
    out += "lowest accepted version: " + std::to_string(*vector.lowest_accepted_version) + "\n";
  }
  if (vector.max_padded_length) {
    out += "max padded length: " + std::to_string(*vector.max_padded_length) + "\n";
  }
  if (!vector.identity.empty()) out += "identity: " + vector.identity + "\n";
  out += "comment: " + vector.comment + "\n\n";
  out.append(vector.bytes.begin(), vector.bytes.end());
  return out;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int Run(int argc, char** argv) {
  const bool check = argc == 3 && std::string_view(argv[1]) == "--check";
  if (!(argc == 2 && argv[1][0] != '-') && !check) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR | --check DIR\n", argv[0]);
    return 2;
  }
  const fs::path dir = argv[check ? 2 : 1];
  const auto vectors = AllVectors();
  std::set<std::string> names;
  int problems = 0;
  for (const Vector& vector : vectors) {
    if (!names.insert(vector.name).second) {
      std::fprintf(stderr, "duplicate vector name %s\n", vector.name.c_str());
      return 1;
    }
    const std::string content = Serialize(vector);
    if (check) {
      if (!fs::exists(dir / vector.name) || ReadFile(dir / vector.name) != content) {
        std::fprintf(stderr, "%s: missing or different\n", vector.name.c_str());
        ++problems;
      }
    } else {
      std::ofstream out(dir / vector.name, std::ios::binary | std::ios::trunc);
      out << content;
      if (!out) {
        std::fprintf(stderr, "%s: cannot write\n", vector.name.c_str());
        return 1;
      }
    }
  }
  if (check) {
    // Vector files have no extension; anything else (this file, README) is not one.
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (entry.path().has_extension() || names.contains(name)) continue;
      std::fprintf(stderr, "%s: not produced by the generator\n", name.c_str());
      ++problems;
    }
  }
  std::printf("%zu vectors %s\n", vectors.size(), check ? "checked" : "written");
  return problems == 0 ? 0 : 1;
}

}  // namespace
}  // namespace amparo::protocol

int main(int argc, char** argv) { return amparo::protocol::Run(argc, argv); }
