// make_corpus.cc: writes the named seeds of every fuzz corpus: the age files of
// the C2SP CCTV vectors (without their vector header; zlib-compressed ones are
// skipped), a few envelope vectors (without their header), and files sealed or
// signed here under a seeded random source or fixed seeds, so that every run
// writes the same bytes. Inputs that fuzzing adds keep their hash names.
//
// usage: fuzz_make_corpus [--check] CORPUS_DIR CCTV_VECTORS_DIR ENVELOPE_VECTORS_DIR
// With --check nothing is written: it exits non-zero if a seed is missing from
// CORPUS_DIR or differs from what it would write.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/byte_reader.h"
#include "common/hex.h"
#include "common/io.h"
#include "common/limits.h"
#include "crypto/age_decrypt.h"
#include "crypto/age_encrypt.h"
#include "crypto/age_format.h"
#include "crypto/armor.h"
#include "crypto/base64.h"
#include "crypto/bech32.h"
#include "crypto/followup_keys.h"
#include "crypto/identities.h"
#include "crypto/keys.h"
#include "crypto/random.h"
#include "crypto/recipients.h"
#include "crypto/secret.h"
#include "crypto/signatures.h"
#include "crypto/signing_key.h"
#include "fuzz/fuzz_key_bundle.h"
#include "fuzz/fuzz_support.h"
#include "proto/api.pb.h"
#include "proto/submission.pb.h"
#include "protocol/acknowledgement_file.h"
#include "protocol/envelope_builder.h"
#include "protocol/envelope_format.h"
#include "protocol/export_file.h"
#include "protocol/key_bundle.h"
#include "protocol/key_bundle_content.h"
#include "protocol/padme.h"
#include "protocol/plaintext_framing.h"
#include "protocol/replies_file.h"
#include "protocol/reply_plaintext.h"
#include "crypto/passphrase_box.h"
#include "crypto/receipt_code.h"
#include "reviewer/key_ceremony.h"
#include "reviewer/keystore.h"
#include "reviewer/keystore_file.h"
#include "storage/control_protocol.h"
#include "storage/records.h"

namespace {

namespace fs = std::filesystem;
namespace crypto = amparo::crypto;
namespace age = amparo::crypto::age;
using Bytes = std::vector<std::uint8_t>;

void Require(bool condition, std::string_view what) {
  if (condition) return;
  std::fprintf(stderr, "make_corpus: %.*s\n", static_cast<int>(what.size()), what.data());
  std::exit(1);
}

Bytes ToBytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

using amparo::fuzz::BundleContent;
using amparo::fuzz::SeededRandom;
using amparo::fuzz::SignedBundle;

Bytes RandomBytes(std::string_view name, std::size_t size) {
  Bytes bytes(size);
  SeededRandom random(name);
  random.Fill(bytes);
  return bytes;
}

// FixedStanzaRecipient writes a stanza given in advance, to seal files with
// stanzas that no real recipient type produces.
class FixedStanzaRecipient final : public age::Recipient {
 public:
  explicit FixedStanzaRecipient(age::Stanza stanza) : stanza_(std::move(stanza)) {}
  amparo::Result<age::Stanza> Wrap(const age::FileKey&, crypto::RandomSource&) const override {
    return stanza_;
  }

 private:
  age::Stanza stanza_;
};

crypto::SecretBuffer Secret(std::string_view text) {
  crypto::SecretBuffer secret(text.size());
  std::copy(text.begin(), text.end(), secret.data());
  return secret;
}

// Seal encrypts `plaintext_size` bytes that depend on `name`, with randomness
// that depends on it too.
Bytes Seal(std::string_view name, std::span<const age::Recipient* const> recipients,
           std::size_t plaintext_size) {
  const Bytes plaintext = RandomBytes(std::string(name) + "/plaintext", plaintext_size);
  amparo::SpanSource in(plaintext);
  amparo::VectorSink out;
  SeededRandom random(name);
  Require(age::Encrypt(recipients, in, out, random).ok(), "cannot seal a seed");
  return out.bytes();
}

std::string Armored(std::span<const std::uint8_t> bytes) {
  amparo::VectorSink sink;
  age::ArmorSink armor(sink);
  Require(armor.Write(bytes).ok() && armor.Finish().ok(), "cannot armor a seed");
  return std::string(amparo::AsText(sink.bytes()));
}

std::string WithCrlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

std::size_t HeaderSize(const Bytes& file) {
  amparo::SpanSource source(file);
  auto raw = age::ReadHeader(source);
  Require(raw.ok(), "a sealed seed has no header");
  return raw.value().encoded.size();
}

Bytes Prefix(const Bytes& bytes, std::size_t size) {
  return Bytes(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(size));
}

class Corpus {
 public:
  void Add(const std::string& target, const std::string& name, Bytes bytes) {
    const bool fresh = seeds_[target].emplace(name, std::move(bytes)).second;
    Require(fresh, "two seeds share a name");
  }
  void Add(const std::string& target, const std::string& name, std::string_view text) {
    Add(target, name, ToBytes(text));
  }
  const std::map<std::string, std::map<std::string, Bytes>>& seeds() const { return seeds_; }

 private:
  std::map<std::string, std::map<std::string, Bytes>> seeds_;
};

// AddCctvVectors imports every vector that is not compressed: armored files
// into the armor corpus, binary ones into the header and decryption corpora,
// and the identities they name into the Bech32 and key-file corpora.
void AddCctvVectors(const fs::path& dir, Corpus& corpus) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  Require(!files.empty(), "no CCTV vector found");
  std::sort(files.begin(), files.end());
  std::vector<std::string> identities;
  for (const fs::path& path : files) {
    std::ifstream in(path, std::ios::binary);
    const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t blank = content.find("\n\n");
    Require(blank != std::string::npos, "a CCTV vector has no empty line");
    const std::string_view header = std::string_view(content).substr(0, blank + 1);
    const std::string_view age_file = std::string_view(content).substr(blank + 2);
    bool compressed = false;
    bool armored = false;
    for (std::size_t start = 0; start < header.size();) {
      const std::size_t end = header.find('\n', start);
      const std::string_view line = header.substr(start, end - start);
      start = end + 1;
      if (line.starts_with("compressed:")) compressed = true;
      if (line.starts_with("armored:")) armored = true;
      if (line.starts_with("identity: ")) {
        const std::string identity(line.substr(10));
        if (std::find(identities.begin(), identities.end(), identity) == identities.end()) {
          identities.push_back(identity);
        }
      }
    }
    if (compressed) continue;
    const std::string name = "cctv_" + path.filename().string();
    if (armored) {
      corpus.Add("armor", name, age_file);
    } else {
      corpus.Add("age_header", name, age_file);
      corpus.Add("age_decrypt", name, age_file);
    }
  }
  std::string x25519_file;
  for (std::size_t i = 0; i < identities.size(); ++i) {
    const std::string& identity = identities[i];
    const bool hybrid = identity.starts_with("AGE-SECRET-KEY-PQ-");
    const std::string name =
        (hybrid ? "cctv_identity_hybrid_" : "cctv_identity_x25519_") + std::to_string(i + 1);
    corpus.Add("bech32", name, identity);
    if (hybrid) corpus.Add("key_files", name, identity + "\n");
    if (!hybrid) x25519_file += identity + "\n";
  }
  corpus.Add("key_files", "cctv_identities_x25519", x25519_file);
}

void AddAgeFiles(Corpus& corpus) {
  const age::X25519Recipient fuzz_key(age::X25519Identity::Parse(amparo::fuzz::kIdentity).value().PublicKey());
  SeededRandom other_random("other identity");
  const age::X25519Recipient other(age::X25519Identity::Generate(other_random).PublicKey());

  // Small files go to both corpora; files over one chunk only to age_decrypt.
  const auto add = [&corpus](const std::string& name, const Bytes& file) {
    if (file.size() < age::kChunkSize) corpus.Add("age_header", name, file);
    corpus.Add("age_decrypt", name, file);
  };
  const auto seal = [&add](const std::string& name, std::vector<const age::Recipient*> to,
                           std::size_t plaintext_size) {
    Bytes file = Seal(name, to, plaintext_size);
    add(name, file);
    return file;
  };

  seal("gen_x25519_empty_payload", {&fuzz_key}, 0);
  const Bytes short_file = seal("gen_x25519_short_payload", {&fuzz_key}, 100);
  seal("gen_x25519_last_chunk_full", {&fuzz_key}, age::kChunkSize);
  const Bytes two_chunks = seal("gen_x25519_two_chunks", {&fuzz_key}, age::kChunkSize + 1);
  add("gen_x25519_two_chunks_missing_last", Prefix(two_chunks, two_chunks.size() - 1 - age::kTagSize));

  Bytes trailing = short_file;
  trailing.push_back(0);
  add("gen_x25519_trailing_byte", trailing);
  add("gen_x25519_truncated_tag", Prefix(short_file, short_file.size() - 1));
  add("gen_x25519_no_nonce", Prefix(short_file, HeaderSize(short_file)));
  add("gen_x25519_short_nonce", Prefix(short_file, HeaderSize(short_file) + age::kPayloadNonceSize / 2));

  seal("gen_x25519_two_recipients", {&other, &fuzz_key}, 50);
  seal("gen_x25519_no_match", {&other}, 50);
  std::vector<age::X25519Recipient> others;
  for (int i = 0; i < 10; ++i) {
    SeededRandom random("other identity " + std::to_string(i));
    others.emplace_back(age::X25519Identity::Generate(random).PublicKey());
  }
  std::vector<const age::Recipient*> many;
  for (const auto& recipient : others) many.push_back(&recipient);
  many.push_back(&fuzz_key);
  seal("gen_x25519_eleven_recipients", many, 20);

  for (const int log_n : {1, amparo::fuzz::kMaxScryptLogN, amparo::fuzz::kMaxScryptLogN + 1}) {
    const age::ScryptRecipient scrypt(Secret(amparo::fuzz::kPassphrase), log_n);
    seal("gen_scrypt_log_n_" + std::to_string(log_n), {&scrypt}, 60);
  }
  const age::ScryptRecipient wrong_passphrase(Secret("hunter2"), 2);
  seal("gen_scrypt_wrong_passphrase", {&wrong_passphrase}, 60);

  const FixedStanzaRecipient grease({{"grease-1", "a", "b+c"}, RandomBytes("grease body", 100)});
  seal("gen_grease_then_x25519", {&grease, &fuzz_key}, 30);
  std::vector<std::string> sixteen = {"many"};
  for (int i = 1; i < 16; ++i) sixteen.push_back(std::to_string(i));
  const FixedStanzaRecipient many_args({sixteen, {}});
  seal("gen_stanza_sixteen_arguments", {&fuzz_key, &many_args}, 30);
  const FixedStanzaRecipient body_48({{"body48"}, RandomBytes("body 48", 48)});
  seal("gen_stanza_body_full_line", {&body_48, &fuzz_key}, 30);
  const FixedStanzaRecipient empty_body({{"empty"}, {}});
  seal("gen_stanza_empty_body", {&empty_body, &fuzz_key}, 30);
}

void AddArmor(Corpus& corpus) {
  constexpr std::array<std::size_t, 8> kSizes = {1, 2, 3, 47, 48, 49, 96, 97};
  for (const std::size_t size : kSizes) {
    const std::string name = "gen_armor_" + std::to_string(size) + "_bytes";
    corpus.Add("armor", name, Armored(RandomBytes(name, size)));
  }
  corpus.Add("armor", "gen_armor_empty", Armored({}));
  const age::X25519Recipient fuzz_key(age::X25519Identity::Parse(amparo::fuzz::kIdentity).value().PublicKey());
  const std::vector<const age::Recipient*> to = {&fuzz_key};
  const std::string armored = Armored(Seal("gen_armor_age_file", to, 100));
  corpus.Add("armor", "gen_armor_age_file", armored);
  corpus.Add("armor", "gen_armor_age_file_crlf", WithCrlf(armored));
  corpus.Add("armor", "gen_armor_age_file_whitespace_around", "\n\t \r\n" + armored + "\n \n");
  corpus.Add("armor", "gen_armor_age_file_no_final_newline", std::string_view(armored).substr(0, armored.size() - 1));
}

void AddBase64(Corpus& corpus) {
  const std::vector<std::pair<std::string, std::string>> texts = {
      {"gen_empty", ""},
      {"gen_one_byte_padded", "AA=="},
      {"gen_two_bytes_padded", "AAE="},
      {"gen_three_bytes", "AQID"},
      {"gen_one_byte_unpadded", "AA"},
      {"gen_two_bytes_unpadded", "AAE"},
      {"gen_non_canonical_bits_padded", "AB=="},
      {"gen_non_canonical_bits_unpadded", "AAF"},
      {"gen_alphabet", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"},
      {"gen_padding_inside", "AA==AA=="},
      {"gen_triple_padding", "A==="},
      {"gen_url_alphabet", "-_-_"},
      {"gen_one_character_group", "AAAAA"},
      {"gen_stanza_share", crypto::EncodeBase64(RandomBytes("share", 32), crypto::Base64Padding::kNone)},
      {"gen_header_mac", crypto::EncodeBase64(RandomBytes("mac", 32), crypto::Base64Padding::kNone)},
      {"gen_armor_line", crypto::EncodeBase64(RandomBytes("armor line", 47), crypto::Base64Padding::kRequired)},
  };
  for (const auto& [name, text] : texts) corpus.Add("base64", name, text);
}

// Bech32WithChecksum returns hrp "1" data with a valid checksum, whatever
// padding the data implies, so that a decoder must reject it after the
// checksum. `data` holds characters of the Bech32 alphabet, in lower case.
std::string Bech32WithChecksum(std::string_view hrp, std::string_view data) {
  constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  constexpr std::array<std::uint32_t, 5> kGenerator = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa,
                                                       0x3d4233dd, 0x2a1462b3};
  std::vector<std::uint32_t> values;
  for (char c : hrp) values.push_back(static_cast<unsigned char>(c) >> 5);
  values.push_back(0);
  for (char c : hrp) values.push_back(static_cast<unsigned char>(c) & 31U);
  for (char c : data) values.push_back(static_cast<std::uint32_t>(kCharset.find(c)));
  values.insert(values.end(), 6, 0);
  std::uint32_t checksum = 1;
  for (const std::uint32_t value : values) {
    const std::uint32_t top = checksum >> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    for (std::size_t i = 0; i < kGenerator.size(); ++i) {
      if ((top >> i) & 1U) checksum ^= kGenerator[i];
    }
  }
  checksum ^= 1;
  std::string out = std::string(hrp) + "1" + std::string(data);
  for (int i = 5; i >= 0; --i) out += kCharset[(checksum >> (5 * i)) & 31U];
  return out;
}

void AddKeys(Corpus& corpus) {
  SeededRandom random("key file identity");
  const age::X25519Identity identity = age::X25519Identity::Generate(random);
  const std::string secret(amparo::AsText(identity.EncodeSecret().span()));
  const std::string recipient = crypto::EncodeRecipient(identity.PublicKey());
  SeededRandom second_random("second key file identity");
  const age::X25519Identity second = age::X25519Identity::Generate(second_random);
  const std::string second_secret(amparo::AsText(second.EncodeSecret().span()));
  const std::string second_recipient = crypto::EncodeRecipient(second.PublicKey());

  std::string upper_recipient = recipient;
  std::transform(upper_recipient.begin(), upper_recipient.end(), upper_recipient.begin(),
                 [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; });
  std::string lower_secret = secret;
  std::transform(lower_secret.begin(), lower_secret.end(), lower_secret.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  std::string bad_checksum = recipient;
  bad_checksum.back() = bad_checksum.back() == 'q' ? 'p' : 'q';
  // The 52 characters of a 32-byte key leave 4 padding bits in the last one.
  std::string key_chars = recipient.substr(4, 52);
  std::string nonzero_padding = key_chars;
  nonzero_padding.back() = nonzero_padding.back() == 'p' ? 'q' : 'p';
  Require(Bech32WithChecksum("age", key_chars) == recipient, "Bech32WithChecksum is wrong");

  const std::vector<std::pair<std::string, std::string>> bech32 = {
      {"gen_recipient", recipient},
      {"gen_identity", secret},
      {"gen_recipient_upper_case", upper_recipient},
      {"gen_identity_lower_case", lower_secret},
      {"gen_recipient_bad_checksum", bad_checksum},
      {"gen_recipient_nonzero_padding", Bech32WithChecksum("age", nonzero_padding)},
      {"gen_recipient_padding_too_long", Bech32WithChecksum("age", key_chars + "qq")},
      {"gen_checksum_only", Bech32WithChecksum("age", "")},
      {"gen_one_group", Bech32WithChecksum("age", "q")},
      {"gen_recipient_31_bytes", crypto::EncodeBech32("age", RandomBytes("short key", 31), crypto::Bech32Case::kLower)},
      {"gen_recipient_33_bytes", crypto::EncodeBech32("age", RandomBytes("long key", 33), crypto::Bech32Case::kLower)},
      {"gen_other_hrp", crypto::EncodeBech32("age1pq", RandomBytes("pq key", 40), crypto::Bech32Case::kLower)},
      {"gen_mixed_case", "age1QPZRY9X8gf2tvdw0s3jn54khce6mua7l"},
      {"gen_bip173_upper", "A12UEL5L"},
      {"gen_bip173_long_hrp",
       "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs"},
      {"gen_bip173_charset", "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"},
      {"gen_bip173_split", "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w"},
      {"gen_bip173_symbol_hrp", "?1ezyfcl"},
      {"gen_no_separator", "pzry9x0s0muk"},
      {"gen_empty_hrp", "1pzry9x0s0muk"},
      {"gen_short_checksum", "li1dgmt3"},
  };
  for (const auto& [name, text] : bech32) corpus.Add("bech32", name, text);

  const std::vector<std::pair<std::string, std::string>> files = {
      {"gen_identity_file_keygen",
       "# created: 2024-01-01T00:00:00Z\n# public key: " + recipient + "\n" + secret + "\n"},
      {"gen_identity_file_two_keys", secret + "\n\n" + second_secret + "\n"},
      {"gen_identity_file_crlf", WithCrlf("# key\n" + secret + "\n")},
      {"gen_identity_file_no_final_newline", secret},
      {"gen_identity_file_lower_case", lower_secret + "\n"},
      {"gen_comments_only", "# nothing here\n\n#\n"},
      {"gen_empty", ""},
      {"gen_recipients_file", "# reviewers\n" + recipient + "\n\n" + second_recipient + "\n"},
      {"gen_recipients_file_crlf", WithCrlf(recipient + "\n" + second_recipient + "\n")},
      {"gen_recipients_file_upper_case", upper_recipient + "\n"},
      {"gen_recipient_with_space", " " + recipient + "\n"},
      {"gen_identity_and_recipient", secret + "\n" + recipient + "\n"},
  };
  for (const auto& [name, text] : files) corpus.Add("key_files", name, text);
}

// AddEnvelopeVectors imports a few envelope vectors, accepted and refused at
// various steps, without their textual header.
void AddEnvelopeVectors(const fs::path& dir, Corpus& corpus) {
  constexpr std::array<std::string_view, 8> kNames = {
      "ok_one_body",          "ok_eight_bodies",      "ok_max_bundle_version", "p_2048",
      "header_trailing_byte", "length_one_byte_short", "age_nine_stanzas",     "format_2"};
  for (const std::string_view name : kNames) {
    std::ifstream in(dir / name, std::ios::binary);
    Require(static_cast<bool>(in), "an envelope vector is missing");
    const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t blank = content.find("\n\n");
    Require(blank != std::string::npos, "an envelope vector has no empty line");
    corpus.Add("envelope_validator", "vector_" + std::string(name),
               std::string_view(content).substr(blank + 2));
  }
}

crypto::SigningKey SigningKeyFromSeed(std::string_view seed) {
  Require(seed.size() == 32, "a signing seed is not 32 bytes");
  auto key = crypto::SigningKey::FromSeed(ToBytes(seed));
  Require(key.ok(), "cannot make a signing key");
  return std::move(key).value();
}

// AddKeyBundles signs bundles with the root that the key_bundle target pins,
// and adds one signed by another root, one with a broken signature, one
// expired, and bare KeyBundle content.
void AddKeyBundles(Corpus& corpus) {
  namespace protocol = amparo::protocol;
  const crypto::SigningKey root = SigningKeyFromSeed(amparo::fuzz::kKeyBundleRootSeed);
  const std::string fingerprint = crypto::Fingerprint(root.public_key());
  if (fingerprint != amparo::fuzz::kKeyBundleRootFingerprint) {
    std::fprintf(stderr, "make_corpus: kKeyBundleRootFingerprint should be %s\n", fingerprint.c_str());
    std::exit(1);
  }
  const std::int64_t today = amparo::fuzz::kKeyBundleToday;
  const auto content = BundleContent("bundle keys", 3, today + 30);
  const Bytes signed_bundle = SignedBundle(root, content);
  const auto pinned = crypto::Sha256(root.public_key().bytes);
  Require(protocol::VerifyKeyBundle(signed_bundle, pinned, today).ok(), "the bundle seed does not verify");
  corpus.Add("key_bundle", "gen_bundle", signed_bundle);
  const Bytes one_key = SignedBundle(root, BundleContent("bundle one key", 1, today));
  Require(protocol::VerifyKeyBundle(one_key, pinned, today).ok(), "the one-key seed does not verify");
  corpus.Add("key_bundle", "gen_bundle_one_key_expires_today", one_key);
  corpus.Add("key_bundle", "gen_bundle_expired", SignedBundle(root, BundleContent("bundle expired", 2, today - 1)));
  const crypto::SigningKey other = SigningKeyFromSeed("another fuzz root, never pinned!");
  corpus.Add("key_bundle", "gen_bundle_other_root", SignedBundle(other, content));
  Bytes broken = signed_bundle;
  broken[broken.size() / 2] ^= 0x01;
  corpus.Add("key_bundle", "gen_bundle_flipped_byte", broken);
  corpus.Add("key_bundle", "gen_bundle_content_only", protocol::EncodeKeyBundle(content));
}

// SigningKeyMatching makes the key of a fuzz_support.h seed and checks that
// it is the public key the target pins.
crypto::SigningKey SigningKeyMatching(std::string_view seed,
                                      const std::array<std::uint8_t, 32>& public_key,
                                      std::string_view name) {
  crypto::SigningKey key = SigningKeyFromSeed(seed);
  if (key.public_key().bytes != public_key) {
    std::fprintf(stderr, "make_corpus: %.*s should be {", static_cast<int>(name.size()), name.data());
    for (const std::uint8_t byte : key.public_key().bytes) std::fprintf(stderr, "0x%02x, ", byte);
    std::fprintf(stderr, "}\n");
    std::exit(1);
  }
  return key;
}

Bytes ExportFile(const crypto::SigningKey& node, const amparo::protocol::ExportManifestContent& content,
                 const std::vector<Bytes>& envelopes) {
  namespace protocol = amparo::protocol;
  const Bytes manifest = protocol::EncodeExportManifest(content);
  const auto signature = node.Sign(protocol::kExportManifestSignatureContext, manifest);
  amparo::VectorSink sink;
  Require(protocol::WriteExportPreamble(sink, protocol::EncodeSignedExportManifest(manifest, signature)).ok(),
          "cannot write an export preamble");
  Bytes file = sink.bytes();
  for (const Bytes& envelope : envelopes) file.insert(file.end(), envelope.begin(), envelope.end());
  return file;
}

// AddExportFiles signs exports with the node key that the export_file target
// pins: two valid ones, and others refused at each step of ENVELOPE.md
// section 16.1 or while copying an entry.
void AddExportFiles(Corpus& corpus) {
  namespace protocol = amparo::protocol;
  const crypto::SigningKey node = SigningKeyMatching(
      amparo::fuzz::kExportNodeSeed, amparo::fuzz::kExportNodePublicKey, "kExportNodePublicKey");
  protocol::ExportManifestContent content;
  content.node_public_key = node.public_key();
  content.export_number = 4;
  content.created_day = amparo::fuzz::kKeyBundleToday;
  content.next_seq = 40;
  std::vector<Bytes> envelopes;
  for (const std::size_t size : {std::size_t{60}, std::size_t{200}, std::size_t{1}}) {
    const std::string name = "export envelope " + std::to_string(envelopes.size());
    envelopes.push_back(RandomBytes(name, size));
    std::array<std::uint8_t, 16> id{};
    SeededRandom(name + " id").Fill(id);
    content.entries.push_back({id, 30 + envelopes.size(), size, crypto::Sha256(envelopes.back()),
                               amparo::fuzz::kKeyBundleToday - 1});
  }
  const Bytes file = ExportFile(node, content, envelopes);
  amparo::SpanSource source(file);
  const crypto::Ed25519PublicKey pins[] = {node.public_key()};
  Require(protocol::ReadExportPreamble(source, pins).ok(), "the export seed does not verify");
  corpus.Add("export_file", "gen_export_three_envelopes", file);

  protocol::ExportManifestContent empty = content;
  empty.entries.clear();
  corpus.Add("export_file", "gen_export_empty", ExportFile(node, empty, {}));

  const crypto::SigningKey other = SigningKeyFromSeed("another fuzz node, never pinned!");
  protocol::ExportManifestContent others = content;
  others.node_public_key = other.public_key();
  corpus.Add("export_file", "gen_export_other_node", ExportFile(other, others, envelopes));

  const std::size_t preamble = file.size() - 261;
  Bytes flipped_signature = file;
  flipped_signature[preamble - 1] ^= 0x01;
  corpus.Add("export_file", "gen_export_flipped_signature", flipped_signature);
  Bytes flipped_envelope = file;
  flipped_envelope[preamble + 70] ^= 0x01;
  corpus.Add("export_file", "gen_export_flipped_envelope_byte", flipped_envelope);
  Bytes bad_version = file;
  bad_version[4] = 2;
  corpus.Add("export_file", "gen_export_version_2", bad_version);
  Bytes trailing = file;
  trailing.push_back(0);
  corpus.Add("export_file", "gen_export_trailing_byte", trailing);
  corpus.Add("export_file", "gen_export_truncated_last_envelope", Prefix(file, file.size() - 1));
  corpus.Add("export_file", "gen_export_preamble_only", Prefix(file, preamble));

  protocol::ExportManifestContent duplicate = content;
  duplicate.entries[2].envelope_id = duplicate.entries[0].envelope_id;
  corpus.Add("export_file", "gen_export_duplicate_id", ExportFile(node, duplicate, envelopes));
}

// AddAcknowledgementFiles signs acknowledgements with the root that the
// acknowledgement_file target accepts, and adds refused ones.
void AddAcknowledgementFiles(Corpus& corpus) {
  namespace protocol = amparo::protocol;
  const crypto::SigningKey root =
      SigningKeyMatching(amparo::fuzz::kAcknowledgementRootSeed,
                         amparo::fuzz::kAcknowledgementRootPublicKey, "kAcknowledgementRootPublicKey");
  const auto sign = [](const crypto::SigningKey& key, const protocol::AcknowledgementContent& content) {
    const Bytes bytes = protocol::EncodeAcknowledgement(content);
    return protocol::EncodeAcknowledgementFile(
        bytes, key.Sign(protocol::kAcknowledgementSignatureContext, bytes), key.public_key());
  };
  protocol::AcknowledgementContent content;
  content.node_public_key = SigningKeyFromSeed(amparo::fuzz::kExportNodeSeed).public_key();
  content.export_number = 4;
  content.created_day = amparo::fuzz::kKeyBundleToday;
  for (int i = 0; i < 3; ++i) {
    std::array<std::uint8_t, 16> id{};
    SeededRandom("export envelope " + std::to_string(i) + " id").Fill(id);
    content.envelope_ids.push_back(id);
  }
  const Bytes file = sign(root, content);
  const crypto::Ed25519PublicKey roots[] = {root.public_key()};
  Require(protocol::VerifyAcknowledgementFile(file, roots).ok(), "the acknowledgement seed does not verify");
  corpus.Add("acknowledgement_file", "gen_ack_three_ids", file);
  protocol::AcknowledgementContent none = content;
  none.envelope_ids.clear();
  corpus.Add("acknowledgement_file", "gen_ack_no_ids", sign(root, none));
  corpus.Add("acknowledgement_file", "gen_ack_other_root",
             sign(SigningKeyFromSeed("another fuzz root, never pinned!"), content));
  Bytes flipped = file;
  flipped[flipped.size() / 2] ^= 0x01;
  corpus.Add("acknowledgement_file", "gen_ack_flipped_byte", flipped);
  Bytes unknown_field = file;
  unknown_field.push_back(0x78);
  unknown_field.push_back(0x01);
  corpus.Add("acknowledgement_file", "gen_ack_unknown_field", unknown_field);
  protocol::AcknowledgementContent zero_id = content;
  zero_id.envelope_ids[1] = {};
  corpus.Add("acknowledgement_file", "gen_ack_zero_id", sign(root, zero_id));
}

// AddRepliesFiles signs replies files with the acknowledgement root, which
// the replies_file target accepts too, and adds refused ones.
void AddRepliesFiles(Corpus& corpus) {
  namespace protocol = amparo::protocol;
  const crypto::SigningKey root =
      SigningKeyMatching(amparo::fuzz::kAcknowledgementRootSeed,
                         amparo::fuzz::kAcknowledgementRootPublicKey, "kAcknowledgementRootPublicKey");
  const auto sign = [](const crypto::SigningKey& key, const protocol::RepliesFileContent& content) {
    const Bytes bytes = protocol::EncodeReplies(content);
    return protocol::EncodeRepliesFile(bytes, key.Sign(protocol::kRepliesSignatureContext, bytes),
                                       key.public_key());
  };
  protocol::RepliesFileContent content;
  content.batch_number = 2;
  content.created_day = amparo::fuzz::kKeyBundleToday;
  for (int i = 0; i < 2; ++i) {
    protocol::ReplyFileEntry entry;
    SeededRandom("reply " + std::to_string(i) + " mailbox").Fill(entry.mailbox_id);
    SeededRandom("reply " + std::to_string(i) + " id").Fill(entry.reply_id);
    entry.sealed = RandomBytes("reply " + std::to_string(i) + " sealed", 300);
    content.entries.push_back(entry);
  }
  const Bytes file = sign(root, content);
  const crypto::Ed25519PublicKey roots[] = {root.public_key()};
  Require(protocol::VerifyRepliesFile(file, roots).ok(), "the replies seed does not verify");
  corpus.Add("replies_file", "gen_replies_two", file);
  corpus.Add("replies_file", "gen_replies_other_root",
             sign(SigningKeyFromSeed("another fuzz root, never pinned!"), content));
  Bytes flipped = file;
  flipped[flipped.size() / 2] ^= 0x01;
  corpus.Add("replies_file", "gen_replies_flipped_byte", flipped);
  protocol::RepliesFileContent same_id = content;
  same_id.entries[1].reply_id = same_id.entries[0].reply_id;
  corpus.Add("replies_file", "gen_replies_same_id", sign(root, same_id));
}

// AddReplyPlaintexts opens nothing: it frames replies as the workstation
// does, by sealing to a seeded identity and opening again.
void AddReplyPlaintexts(Corpus& corpus) {
  namespace protocol = amparo::protocol;
  SeededRandom random("reply plaintexts");
  const age::X25519Identity identity = age::X25519Identity::Generate(random);
  const auto plaintext_of = [&](const amparo::v1::Reply& reply,
                                const std::vector<protocol::ReplyAttachment>& files) {
    auto sealed = protocol::SealReply(reply, files, identity.PublicKey(), random);
    Require(sealed.ok(), "cannot seal a reply seed");
    amparo::SpanSource in(sealed.value());
    amparo::VectorSink out;
    const age::Identity* identities[] = {&identity};
    Require(age::Decrypt(identities, in, out).ok(), "cannot open a reply seed");
    return out.bytes();
  };
  amparo::v1::Reply message;
  message.set_format_version(1);
  message.set_kind(amparo::v1::REPLY_KIND_MESSAGE);
  message.set_text("We received your report and will contact you.");
  message.set_day(amparo::fuzz::kKeyBundleToday);
  corpus.Add("reply_plaintext", "gen_message", plaintext_of(message, {}));
  corpus.Add("reply_plaintext", "gen_message_with_file",
             plaintext_of(message, {{"note.txt", "text/plain", "a note", ToBytes("hello")}}));
  amparo::v1::Reply status;
  status.set_format_version(1);
  status.set_kind(amparo::v1::REPLY_KIND_STATUS);
  status.set_status(amparo::v1::CASE_STATUS_ACTION_TAKEN);
  Bytes status_plaintext = plaintext_of(status, {});
  corpus.Add("reply_plaintext", "gen_status", status_plaintext);
  status_plaintext.back() = 1;
  corpus.Add("reply_plaintext", "gen_status_dirty_padding", status_plaintext);
}

void AddHttpResponses(Corpus& corpus) {
  const std::vector<std::pair<std::string, std::string>> responses = {
      {"gen_ok_json",
       "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}"},
      {"gen_created_close",
       "HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"},
      {"gen_no_content", "HTTP/1.1 204 No Content\r\n\r\n"},
      {"gen_body_over_small_limit",
       "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 20\r\n\r\nno such upload here."},
      {"gen_incomplete_body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"},
      {"gen_chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"},
      {"gen_two_lengths", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx"},
      {"gen_bare_lf", "HTTP/1.1 200 OK\nContent-Length: 0\n\n"},
      {"gen_http10", "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"},
  };
  for (const auto& [name, text] : responses) corpus.Add("http_response", name, text);
}

void AddSocks5Replies(Corpus& corpus) {
  const std::vector<std::pair<std::string, Bytes>> replies = {
      {"gen_ipv4", {5, 0, 0, 1, 127, 0, 0, 1, 0x23, 0x5a}},
      {"gen_ipv6", {5, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 187}},
      {"gen_domain", {5, 0, 0, 3, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 1, 187}},
      {"gen_empty_domain", {5, 0, 0, 3, 0, 0, 80}},
      {"gen_refused", {5, 5, 0, 1, 0, 0, 0, 0, 0, 0}},
      {"gen_onion_not_found", {5, 0xF0, 0, 1, 0, 0, 0, 0, 0, 0}},
      {"gen_trailing_byte", {5, 0, 0, 1, 10, 0, 0, 1, 0, 80, 0}},
      {"gen_unknown_type", {5, 0, 0, 2, 0, 0, 0, 0, 0, 0}},
      {"gen_socks4", {0, 90, 0, 80, 127, 0, 0, 1}},
  };
  for (const auto& [name, bytes] : replies) corpus.Add("socks5_reply", name, bytes);
}

void AddGatewayConfigs(Corpus& corpus) {
  const std::vector<std::pair<std::string, std::string>> configs = {
      {"gen_full",
       "# amparo-gateway\nlisten_address = 0.0.0.0\nport = 8443\nthreads = 4\nmax_connections = 256\n"
       "handshake_timeout_seconds = 10\nheader_timeout_seconds = 10\nbody_timeout_seconds = 300\n"
       "idle_timeout_seconds = 30\ncertificate = tls/cert.pem\nprivate_key = /etc/amparo/key.pem\n"
       "data_dir = data\nweb_root = www\nmax_upload_bytes = 104857600\nupload_expiry_days = 7\n"
       "log_level = debug\nroot_fingerprint = 0123-4567\nself_signed_certificate = no\n"},
      {"gen_empty", ""},
      {"gen_comments_and_blanks", "# only comments\n\n   \t\r\n  # indented\n"},
      {"gen_crlf", "port = 443\r\nlog_level = warn\r\n"},
      {"gen_unknown_key", "prot = 443\n"},
      {"gen_repeated_key", "port = 1\nport = 2\n"},
      {"gen_no_equals", "port 443\n"},
      {"gen_empty_key", " = value\n"},
      {"gen_over_ceiling", "threads = 100000000\nmax_upload_bytes = 18446744073709551616\n"},
      {"gen_equals_in_value", "root_fingerprint = a=b=c\nself_signed_certificate=yes"},
      {"gen_user_and_sandbox", "user = amparo-gw\nsandbox = no\n"},
      {"gen_user_leading_dash", "user = -root\n"},
      {"gen_onion_port", "port = 8443\nonion_port = 8080\n"},
      {"gen_onion_port_is_the_tls_port", "port = 8443\nonion_port = 8443\n"},
  };
  for (const auto& [name, text] : configs) corpus.Add("gateway_config", name, text);
}

// PlaintextManifest is a small Submission whose manifest describes `files`.
amparo::v1::Submission PlaintextManifest(const std::vector<Bytes>& files) {
  amparo::v1::Submission submission;
  submission.set_format_version(1);
  submission.set_key_bundle_version(3);
  submission.set_language("es");
  submission.add_bodies("BODY_A");
  submission.set_narrative("fuzz plaintext");
  for (std::size_t i = 0; i < files.size(); ++i) {
    amparo::v1::Attachment* entry = submission.add_attachments();
    entry->set_file_name("file-" + std::to_string(i) + ".pdf");
    entry->set_media_type("application/pdf");
    entry->set_length(files[i].size());
    entry->set_sha256(std::string(amparo::AsText(crypto::Sha256(files[i]))));
  }
  return submission;
}

Bytes Serialized(const amparo::v1::Submission& submission) {
  return ToBytes(submission.SerializeAsString());
}

// PlaintextSelector is the 4 bytes that make the plaintext_reader target
// read with padded length P: u32be(P - 4096).
Bytes PlaintextSelector(std::uint64_t padded_length) {
  const auto x = static_cast<std::uint32_t>(padded_length - amparo::protocol::kMinPaddedLength);
  return {static_cast<std::uint8_t>(x >> 24), static_cast<std::uint8_t>(x >> 16),
          static_cast<std::uint8_t>(x >> 8), static_cast<std::uint8_t>(x)};
}

// AttachmentInputs are the sources over `files` and the streams the framing
// reads; the streams point into the sources, which a move keeps in place.
struct AttachmentInputs {
  std::vector<amparo::SpanSource> sources;
  std::vector<amparo::protocol::AttachmentStream> streams;
};

AttachmentInputs AttachmentInputsOf(const std::vector<Bytes>& files) {
  AttachmentInputs inputs;
  inputs.sources.reserve(files.size());
  for (const Bytes& file : files) {
    inputs.sources.emplace_back(file);
    inputs.streams.push_back({&inputs.sources.back(), file.size()});
  }
  return inputs;
}

// PlaintextSeed is the selector of P and the plaintext FramedPlaintextSource
// writes of `submission` and `files`, P being the smallest bucket unless
// given.
Bytes PlaintextSeed(const Bytes& submission, const std::vector<Bytes>& files,
                    std::uint64_t padded_length = 0) {
  namespace protocol = amparo::protocol;
  const AttachmentInputs inputs = AttachmentInputsOf(files);
  const auto& streams = inputs.streams;
  if (padded_length == 0) {
    const auto content = protocol::FramedContentLength(submission.size(), streams);
    Require(content.ok(), "a plaintext seed is too large");
    padded_length = protocol::PaddedLength(content.value()).value();
  }
  Bytes seed = PlaintextSelector(padded_length);
  seed.resize(4 + padded_length);
  protocol::FramedPlaintextSource source(submission, streams, padded_length);
  const auto read = amparo::ReadFull(source, std::span(seed).subspan(4));
  Require(read.ok() && read.value() == padded_length, "cannot frame a plaintext seed");
  return seed;
}

// HandFramedPlaintextSeed frames u32be(body size) || body || zeros to 4096,
// for framings the writer refuses to produce.
Bytes HandFramedPlaintextSeed(const Bytes& body) {
  const std::uint64_t padded_length = amparo::protocol::kMinPaddedLength;
  Bytes seed = PlaintextSelector(padded_length);
  const auto s = static_cast<std::uint32_t>(body.size());
  seed.insert(seed.end(), {static_cast<std::uint8_t>(s >> 24), static_cast<std::uint8_t>(s >> 16),
                           static_cast<std::uint8_t>(s >> 8), static_cast<std::uint8_t>(s)});
  seed.insert(seed.end(), body.begin(), body.end());
  Require(seed.size() <= 4 + padded_length, "a hand-framed plaintext seed is too large");
  seed.resize(4 + padded_length, 0);
  return seed;
}

// AddPlaintexts frames valid plaintexts, with and without attachments, and
// plaintexts refused at each check of the plaintext reader.
// AddKeystoreFiles seals small keystores under keystore_file's fixed box key,
// with each accepted cost, and breaks them one way each.
void AddKeystoreFiles(Corpus& corpus) {
  crypto::SecretBytes<crypto::kBoxKeyBytes> key;
  for (std::size_t i = 0; i < key.size(); ++i) key.data()[i] = amparo::fuzz::kKeystoreBoxKeyByte;
  SeededRandom random("keystore_file");
  const auto seal = [&](const crypto::PasswordHashCost& cost, std::string_view content) {
    amparo::reviewer::KeystoreHeader header;
    header.cost = cost;
    random.Fill(header.salt);
    Bytes file = amparo::reviewer::EncodeKeystoreHeader(header);
    const auto box = crypto::SealBox(key, file, ToBytes(content), random);
    file.insert(file.end(), box.begin(), box.end());
    return file;
  };
  const Bytes moderate = seal(crypto::kPasswordHashModerate, "a keystore");
  corpus.Add("keystore_file", "gen_moderate", moderate);
  corpus.Add("keystore_file", "gen_interactive", seal(crypto::kPasswordHashInteractive, "k"));
  corpus.Add("keystore_file", "gen_sensitive", seal(crypto::kPasswordHashSensitive, ""));
  Bytes flipped = moderate;
  flipped.back() ^= 1;
  corpus.Add("keystore_file", "gen_flipped_tag", flipped);
  Bytes cheap = moderate;
  cheap[8] = 1;  // opslimit 1
  corpus.Add("keystore_file", "gen_cost_too_low", cheap);
  corpus.Add("keystore_file", "gen_header_only",
             Bytes(moderate.begin(), moderate.begin() + amparo::reviewer::kKeystoreHeaderBytes));
}

// Frame returns the control frame of `message`.
Bytes Frame(const google::protobuf::MessageLite& message) {
  auto frame = amparo::storage::EncodeControlFrame(message);
  Require(frame.ok(), "cannot frame a control message");
  return frame.value();
}

void AddControlFrames(Corpus& corpus) {
  using amparo::storage::ControlMethod;
  const std::string target = "control_frame";
  const auto method = [](ControlMethod m) { return static_cast<std::uint32_t>(m); };
  amparo::v1::ControlRequest list;
  list.set_method(method(ControlMethod::kListEnvelopes));
  list.set_number(41);
  list.set_count(65536);
  corpus.Add(target, "gen_list_request", Frame(list));
  amparo::v1::ControlRequest purge;
  purge.set_method(method(ControlMethod::kDeleteEnvelopes));
  for (int i = 0; i < 3; ++i) purge.add_ids(std::string(16, static_cast<char>('a' + i)));
  corpus.Add(target, "gen_delete_request", Frame(purge));
  amparo::v1::ControlRequest audit;
  audit.set_method(method(ControlMethod::kAppendAudit));
  audit.set_number(20000);
  audit.set_text("key bundle version 3 installed");
  corpus.Add(target, "gen_audit_request", Frame(audit));
  amparo::v1::ControlResponse listed;
  listed.add_seqs(1);
  listed.add_seqs(~0ull);
  listed.add_ids(std::string(16, 'x'));
  listed.add_ids(std::string(16, 'y'));
  corpus.Add(target, "gen_list_response", Frame(listed));
  amparo::v1::ControlResponse chunk;
  chunk.set_more(true);
  chunk.set_data(std::string(300, 'c'));
  corpus.Add(target, "gen_chunk_response", Frame(chunk));
  amparo::v1::ControlResponse failed;
  failed.set_error(amparo::storage::ErrorCode(amparo::Error::kNotFound));
  corpus.Add(target, "gen_error_response", Frame(failed));
  Bytes unknown = Frame(audit);
  unknown.insert(unknown.end(), {0xf8, 0x01, 0x05});  // field 31, not in the schema
  unknown[3] = static_cast<std::uint8_t>(unknown[3] + 3);
  corpus.Add(target, "gen_unknown_field", unknown);
  corpus.Add(target, "gen_over_limit", Bytes{0x00, 0x80, 0x00, 0x01, 0x08, 0x01});
  corpus.Add(target, "gen_short", Bytes{0x00, 0x00, 0x00, 0x09, 0x08});
}

void AddPlaintexts(Corpus& corpus) {
  const std::string target = "plaintext_reader";
  const Bytes none = Serialized(PlaintextManifest({}));
  const Bytes plain = PlaintextSeed(none, {});
  corpus.Add(target, "gen_plaintext_no_attachments", plain);
  const std::vector<Bytes> files = {RandomBytes("plaintext file 0", 300), {},
                                    RandomBytes("plaintext file 2", 5000)};
  const Bytes three_submission = Serialized(PlaintextManifest(files));
  const Bytes three = PlaintextSeed(three_submission, files);
  corpus.Add(target, "gen_plaintext_three_attachments", three);
  const std::vector<Bytes> empty_files(32);
  corpus.Add(target, "gen_plaintext_32_empty_attachments",
             PlaintextSeed(Serialized(PlaintextManifest(empty_files)), empty_files));

  Bytes mismatch = three;
  mismatch[4 + 4 + three_submission.size() + 10] ^= 0x01;
  corpus.Add(target, "gen_plaintext_digest_mismatch", mismatch);
  Bytes padding = plain;
  padding.back() = 0x01;
  corpus.Add(target, "gen_plaintext_nonzero_padding", padding);
  corpus.Add(target, "gen_plaintext_one_byte_short", Prefix(plain, plain.size() - 1));
  Bytes longer = plain;
  longer.push_back(0);
  corpus.Add(target, "gen_plaintext_one_byte_long", longer);
  corpus.Add(target, "gen_plaintext_larger_bucket",
             PlaintextSeed(none, {}, 2 * amparo::protocol::kMinPaddedLength));
  Bytes unknown = none;
  unknown.insert(unknown.end(), {0x98, 0x06, 0x01});  // field 99, varint 1
  corpus.Add(target, "gen_plaintext_unknown_field", PlaintextSeed(unknown, {}));
  const std::vector<Bytes> one = {files[0]};
  amparo::v1::Submission bad_name = PlaintextManifest(one);
  bad_name.mutable_attachments(0)->set_file_name("a/b");
  corpus.Add(target, "gen_plaintext_bad_file_name", PlaintextSeed(Serialized(bad_name), one));

  corpus.Add(target, "gen_plaintext_submission_length_zero", HandFramedPlaintextSeed({}));
  amparo::v1::Submission past = PlaintextManifest(one);
  past.mutable_attachments(0)->set_length(std::uint64_t{1} << 40);
  corpus.Add(target, "gen_plaintext_length_past_padded", HandFramedPlaintextSeed(Serialized(past)));
}

// HttpRequest is one HTTP/1.1 request with a Host field, `fields` (each
// ending in CRLF) and, for a body or a POST or PUT, its Content-Length.
std::string HttpRequest(std::string_view method, std::string_view target, std::string_view fields = {},
                        std::string_view body = {}) {
  std::string request = std::string(method) + " " + std::string(target) +
                        " HTTP/1.1\r\nHost: gateway.example\r\n" + std::string(fields);
  if (!body.empty() || method == "POST" || method == "PUT") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return request + "\r\n" + std::string(body);
}

// GatewayEnvelope seals a minimum-bucket envelope to the key bundle that the
// http_request target's gateway has installed.
Bytes GatewayEnvelope() {
  namespace protocol = amparo::protocol;
  const Bytes signed_bundle = amparo::fuzz::GatewayKeyBundle();
  const auto pinned = crypto::Sha256(amparo::fuzz::KeyBundleRoot().public_key().bytes);
  auto bundle = protocol::VerifyKeyBundle(signed_bundle, pinned, amparo::fuzz::kKeyBundleToday);
  Require(bundle.ok(), "the gateway's key bundle does not verify");
  amparo::v1::Submission submission;
  submission.set_format_version(1);
  submission.set_key_bundle_version(bundle.value().content.version);
  submission.set_language("es");
  submission.add_bodies("BODY_A");
  submission.set_narrative("fuzz submission");
  amparo::VectorSink out;
  SeededRandom random("http_request envelope");
  Require(protocol::SealEnvelope({bundle.value(), amparo::fuzz::kKeyBundleToday, submission, {}}, out,
                                 random)
              .ok(),
          "cannot seal the gateway envelope");
  Require(out.bytes().size() < amparo::limits::kMaxSubmissionBodyBytes, "the gateway envelope is large");
  return out.bytes();
}

// AddHttpRequests writes a valid request for each route of the gateway, the
// upload steps after the creation that names the upload (the first id the
// gateway draws for an input), and requests at the edges of the server's
// limits and framing.
void AddHttpRequests(Corpus& corpus) {
  namespace protocol = amparo::protocol;
  const std::string target = "http_request";
  const auto text = [](const auto& bytes) { return std::string(bytes.begin(), bytes.end()); };
  const std::string envelope = text(GatewayEnvelope());
  const std::string head = envelope.substr(0, protocol::kMaxEnvelopeHeadBytes);
  const std::string rest = envelope.substr(head.size());

  amparo::v1::UploadRequest create;
  create.set_total_length(envelope.size());
  create.set_head(head);
  const std::string create_upload = HttpRequest("POST", "/v1/uploads", "", create.SerializeAsString());
  std::array<std::uint8_t, 16> id{};
  SeededRandom(amparo::fuzz::kGatewayRandomName).Fill(id);
  Require(std::any_of(id.begin(), id.end(), [](std::uint8_t b) { return b != 0; }), "a zero upload id");
  const std::string upload = "/v1/uploads/" + amparo::HexEncode(id);
  const std::string chunk =
      HttpRequest("PUT", upload + "?offset=" + std::to_string(head.size()),
                  "Content-Type: application/octet-stream\r\n", rest);

  amparo::v1::MailboxRequest list;
  list.set_token(std::string(amparo::fuzz::kMailboxToken));
  const std::string list_body = list.SerializeAsString();
  amparo::v1::MailboxFetchRequest fetch;
  fetch.set_token(std::string(amparo::fuzz::kMailboxToken));
  fetch.set_reply_id(std::string(16, static_cast<char>(amparo::fuzz::kMailboxReplyIdByte)));
  const std::string list_request = HttpRequest("POST", "/v1/mailbox/list", "", list_body);

  // A request for /v1/health padded by one field to `size` header bytes.
  const auto padded_to = [](std::size_t size) {
    const std::string start = "GET /v1/health HTTP/1.1\r\nHost: gateway.example\r\nX-Pad: ";
    const std::string end = "\r\n\r\n";
    return start + std::string(size - start.size() - end.size(), 'p') + end;
  };
  std::string chunked = "POST /v1/mailbox/list HTTP/1.1\r\nHost: gateway.example\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n";
  char size_line[16];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", list_body.size() - 10);
  chunked += size_line + list_body.substr(0, list_body.size() - 10) + "\r\n";
  chunked += "a\r\n" + list_body.substr(list_body.size() - 10) + "\r\n0\r\n\r\n";
  const std::string over_chunked = "POST /v1/mailbox/list HTTP/1.1\r\nHost: gateway.example\r\n"
                                   "Transfer-Encoding: chunked\r\n\r\n81\r\n" +
                                   std::string(0x81, 'x') + "\r\n0\r\n\r\n";

  const std::vector<std::pair<std::string, std::string>> requests = {
      {"gen_get_health", HttpRequest("GET", "/v1/health")},
      {"gen_get_keys", HttpRequest("GET", "/v1/keys")},
      {"gen_head_keys", HttpRequest("HEAD", "/v1/keys")},
      {"gen_get_page", HttpRequest("GET", "/")},
      {"gen_post_submission",
       HttpRequest("POST", "/v1/submissions", "Content-Type: application/octet-stream\r\n", envelope)},
      {"gen_post_submission_expect_continue",
       HttpRequest("POST", "/v1/submissions", "Expect: 100-continue\r\n", envelope)},
      {"gen_post_submission_malformed", HttpRequest("POST", "/v1/submissions", "", "AMPE, but not an envelope")},
      {"gen_upload_create", create_upload},
      {"gen_upload_chunk", create_upload + chunk},
      {"gen_upload_offset", create_upload + HttpRequest("GET", upload)},
      {"gen_upload_finalize",
       create_upload + chunk + HttpRequest("GET", upload) + HttpRequest("POST", upload + "/finalize")},
      {"gen_upload_finalize_incomplete", create_upload + HttpRequest("POST", upload + "/finalize")},
      {"gen_mailbox_list", list_request},
      {"gen_mailbox_fetch", HttpRequest("POST", "/v1/mailbox/fetch", "", fetch.SerializeAsString())},
      {"gen_mailbox_rate_limited", list_request + list_request + list_request + list_request},
      {"gen_mailbox_chunked", chunked},
      {"gen_mailbox_chunked_over_limit", over_chunked},
      {"gen_mailbox_declared_over_limit", HttpRequest("POST", "/v1/mailbox/list", "", std::string(129, 'x'))},
      {"gen_header_at_limit", padded_to(amparo::limits::kMaxRequestHeaderBytes)},
      {"gen_header_one_over_limit", padded_to(amparo::limits::kMaxRequestHeaderBytes + 1)},
      {"gen_pipelined_pair", HttpRequest("GET", "/v1/health") + HttpRequest("GET", "/v1/keys")},
      {"gen_connection_close_then_more",
       HttpRequest("GET", "/v1/health", "Connection: close\r\n") + HttpRequest("GET", "/v1/keys")},
      {"gen_http10", "GET /v1/health HTTP/1.0\r\n\r\n"},
      {"gen_wrong_method", HttpRequest("DELETE", "/v1/keys")},
      {"gen_bad_request_line", "GET /v1/health HTTP/9.9\r\n\r\n"},
      // Hosts for the onion listener's check: a v3 name with a port, and
      // near misses.
      {"gen_onion_host",
       "GET /v1/health HTTP/1.1\r\nHost: "
       "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.ONION.:80\r\n\r\n"},
      {"gen_onion_host_near_misses",
       "GET /v1/health HTTP/1.1\r\nHost: ..onion\r\n\r\n"
       "GET /v1/health HTTP/1.1\r\nHost: a.onion:123456\r\n\r\n"
       "GET /v1/health HTTP/1.1\r\nHost: a.onion.example\r\n\r\n"},
  };
  for (const auto& [name, request] : requests) corpus.Add(target, name, request);
}

// AddStorageRecords encodes one record of each kind the store writes, and
// a few it must refuse.
void AddStorageRecords(Corpus& corpus) {
  namespace records = amparo::storage::records;
  const std::string target = "storage_records";
  amparo::storage::AuditDigest first{};
  amparo::storage::AuditDigest second{};
  SeededRandom("audit digests").Fill(first);
  SeededRandom("audit digests 2").Fill(second);
  const std::string upload = records::Encode(records::UploadRecord{5000, 924, 20000, 7});
  std::string over_total = upload;
  over_total[14] = 1;  // committed 66460, over the total of 5000
  std::string format_2 = records::Encode(records::EnvelopeRecord{41, 20000, 5113, 3});
  format_2[0] = 2;
  const std::vector<std::pair<std::string, std::string>> seeds = {
      {"gen_envelope_record", records::Encode(records::EnvelopeRecord{41, 20000, 5113, 3})},
      {"gen_upload_record", upload},
      {"gen_totals", records::Encode(records::Totals{2, 10226, 1, 924})},
      {"gen_audit_record", records::Encode(records::AuditRecord{1, 20000, {}, first, "key bundle version 3 installed"})},
      {"gen_audit_record_empty_text", records::Encode(records::AuditRecord{2, 20001, first, second, ""})},
      {"gen_audit_head", records::Encode(records::AuditHead{2, second})},
      {"gen_reply_record", records::Encode(records::ReplyRecord{3, 20000, 4300})},
      {"gen_u64", records::U64(0x0102030405060708ULL)},
      {"gen_chunk_key", records::ChunkKey(7, 1024 * 1024)},
      {"gen_upload_committed_over_total", over_total},
      {"gen_envelope_record_format_2", format_2},
      {"gen_envelope_record_trailing_byte", records::Encode(records::EnvelopeRecord{1, 2, 3, 4}) + '\0'},
  };
  for (const auto& [name, bytes] : seeds) corpus.Add(target, name, bytes);
}

Bytes SerializedKeystore(const amparo::v1::Keystore& keystore) {
  return ToBytes(keystore.SerializeAsString());
}

// AddKeystorePlaintexts writes Keystore messages as the key ceremony and
// the imports leave them: a new keystore, one with keys, a pinned node and
// cases (an addition to link, one linked), and a few that Open or the key
// ring refuse.
void AddKeystorePlaintexts(Corpus& corpus) {
  namespace reviewer = amparo::reviewer;
  const std::string target = "keystore_plaintext";
  const amparo::Day today = amparo::fuzz::kKeyBundleToday;
  SeededRandom random("keystore plaintext");
  std::unique_ptr<amparo::v1::Keystore> keystore = reviewer::NewKeystoreContent(today, random);
  corpus.Add(target, "gen_new_keystore", SerializedKeystore(*keystore));

  const auto cat = reviewer::AddKey(*keystore, "CAT", "CAT key", today, 730, random);
  const auto spt = reviewer::AddKey(*keystore, "SPT", "SPT key", today, 730, random);
  const auto ced = reviewer::AddKey(*keystore, "CED", "CED key", today, 730, random);
  Require(cat.ok() && spt.ok() && ced.ok(), "cannot add keystore keys");
  Require(reviewer::DestroyKey(*keystore, ced.value(), today, false).ok(), "cannot destroy a key");
  amparo::v1::PinnedNode* node = keystore->add_nodes();
  node->set_public_key(std::string(32, '\x22'));
  node->set_last_export_number(41);
  node->set_imported_through_seq(30);
  node->add_seen_above(33);
  node->add_seen_above(35);
  const auto add_case = [&](std::string_view name, std::uint64_t seq, const std::string& opened_by) {
    amparo::v1::ImportedCase* imported = keystore->add_cases();
    imported->set_envelope_id(std::string(amparo::AsText(RandomBytes(std::string(name) + " id", 16))));
    imported->set_node_public_key(node->public_key());
    imported->set_seq(seq);
    imported->set_arrival_day(today - 2);
    imported->set_import_day(today);
    imported->add_opened_by(opened_by);
    imported->set_envelope_length(5113);
    imported->set_state(amparo::v1::CASE_STATE_RECEIVED);
    return imported;
  };
  amparo::v1::ImportedCase* original = add_case("original", 31, cat.value());
  original->set_mailbox_id(std::string(amparo::AsText(RandomBytes("mailbox id", 32))));
  original->set_reply_public_key(std::string(amparo::AsText(RandomBytes("reply key", 32))));
  original->set_public_reference("C-0123456789");
  original->set_assigned_to("focal point");
  amparo::v1::StatusChange* status = original->add_statuses();
  status->set_status(amparo::v1::CASE_STATUS_UNDER_ASSESSMENT);
  status->set_day(today);
  status->set_shared(true);
  amparo::v1::OutgoingReply* reply = original->add_replies();
  reply->set_reply_id(std::string(amparo::AsText(RandomBytes("outgoing reply", 16))));
  reply->set_kind(amparo::v1::REPLY_KIND_STATUS);
  reply->set_day(today);
  reply->set_sealed_length(4300);
  amparo::v1::CaseEvent* event = original->add_history();
  event->set_day(today);
  event->set_by("focal point");
  event->set_note("assessment started");
  event->set_state(amparo::v1::CASE_STATE_PENDING_ASSESSMENT);
  amparo::v1::ImportedCase* unlinked = add_case("addition", 34, cat.value());
  unlinked->set_adds_to_case(true);
  unlinked->set_mailbox_id(original->mailbox_id());
  unlinked->set_reply_public_key(original->reply_public_key());
  amparo::v1::ImportedCase* linked = add_case("linked addition", 35, spt.value());
  linked->set_adds_to_case(true);
  linked->set_adds_to(original->envelope_id());
  add_case("destroyed key's case", 33, ced.value());
  corpus.Add(target, "gen_keystore_with_cases", SerializedKeystore(*keystore));

  amparo::v1::Keystore huge_ledger = *keystore;
  huge_ledger.mutable_nodes(0)->set_last_export_number(std::uint64_t{1} << 63);
  corpus.Add(target, "gen_node_huge_next_seq", SerializedKeystore(huge_ledger));
  amparo::v1::Keystore schema_2 = *keystore;
  schema_2.set_schema(2);
  corpus.Add(target, "gen_schema_2", SerializedKeystore(schema_2));
  amparo::v1::Keystore bad_secret = *keystore;
  std::string& secret = *bad_secret.mutable_keys(0)->mutable_secret_key();
  secret.back() = secret.back() == 'Q' ? 'P' : 'Q';
  corpus.Add(target, "gen_bad_secret_key", SerializedKeystore(bad_secret));
  reviewer::WipeSecrets(*keystore);
}

// CaseBundle is a verified bundle whose BODY_A key is kIdentity's, so that
// the case_file target's key ring opens what is sealed to BODY_A.
amparo::protocol::VerifiedKeyBundle CaseBundle() {
  namespace protocol = amparo::protocol;
  protocol::KeyBundleContent content = BundleContent("case file keys", 2, amparo::fuzz::kKeyBundleToday + 30);
  content.keys[0].public_key = age::X25519Identity::Parse(amparo::fuzz::kIdentity).value().PublicKey();
  const crypto::SigningKey root = amparo::fuzz::KeyBundleRoot();
  auto verified = protocol::VerifyKeyBundle(SignedBundle(root, content), root.public_key(),
                                            amparo::fuzz::kKeyBundleToday);
  Require(verified.ok(), "the case file bundle does not verify");
  return std::move(verified).value();
}

// CaseEnvelope seals a Submission to `bodies` with the given attachments.
Bytes CaseEnvelope(const amparo::protocol::VerifiedKeyBundle& bundle, std::string_view name,
                   const std::vector<std::string>& bodies, const std::vector<Bytes>& files) {
  namespace protocol = amparo::protocol;
  amparo::v1::Submission submission = PlaintextManifest(files);
  submission.clear_bodies();
  for (const std::string& body : bodies) submission.add_bodies(body);
  submission.set_key_bundle_version(bundle.content.version);
  const AttachmentInputs inputs = AttachmentInputsOf(files);
  const auto& streams = inputs.streams;
  amparo::VectorSink out;
  SeededRandom random(name);
  Require(protocol::SealEnvelope({bundle, amparo::fuzz::kKeyBundleToday, submission, streams}, out, random).ok(),
          "cannot seal a case seed");
  return out.bytes();
}

// AddCaseFiles seals cases the case_file target's key opens, one it does
// not, and breaks one at the end of its payload and by its length.
void AddCaseFiles(Corpus& corpus) {
  const std::string target = "case_file";
  const auto bundle = CaseBundle();
  const Bytes minimal = CaseEnvelope(bundle, "case minimal", {"BODY_A"}, {});
  corpus.Add(target, "gen_case_minimal", minimal);
  corpus.Add(target, "gen_case_with_attachment",
             CaseEnvelope(bundle, "case attachment", {"BODY_A"}, {RandomBytes("case attachment", 300)}));
  corpus.Add(target, "gen_case_larger_bucket",
             CaseEnvelope(bundle, "case larger", {"BODY_A"}, {RandomBytes("case larger", 5000)}));
  corpus.Add(target, "gen_case_two_bodies", CaseEnvelope(bundle, "case two", {"BODY_B", "BODY_A"}, {}));
  corpus.Add(target, "gen_case_other_body_only", CaseEnvelope(bundle, "case other", {"BODY_B"}, {}));
  Bytes flipped = minimal;
  flipped.back() ^= 0x01;
  corpus.Add(target, "gen_case_flipped_tag", flipped);
  corpus.Add(target, "gen_case_one_byte_short", Prefix(minimal, minimal.size() - 1));
}

// AddApiMessages writes the gateway's answers as libprotobuf encodes them,
// and encodings the strict readers refuse.
void AddApiMessages(Corpus& corpus) {
  const std::string target = "api_messages";
  amparo::v1::SubmissionReceipt receipt;
  receipt.set_envelope_id(std::string(amparo::AsText(RandomBytes("receipt id", 16))));
  const std::string receipt_bytes = receipt.SerializeAsString();
  amparo::v1::UploadStatus status;
  status.set_upload_id(std::string(amparo::AsText(RandomBytes("upload id", 16))));
  status.set_committed_length(924);
  status.set_total_length(5113);
  const std::string status_bytes = status.SerializeAsString();
  amparo::v1::ErrorBody error;
  error.set_code("stale_key_bundle");
  error.set_message("The keys used are no longer accepted: fetch the current keys and seal again.");
  amparo::v1::ErrorBody conflict;
  conflict.set_code("conflict");
  conflict.set_message("The request conflicts with the upload's state.");
  amparo::v1::UploadStatus over = status;
  over.set_committed_length(6000);
  // Field 2 given twice; the same with a varint of 2 bytes for 1; field 4.
  const std::string repeated = status_bytes + std::string("\x10\x01", 2);
  const std::string long_varint = std::string("\x0a\x10", 2) + status.upload_id() + std::string("\x10\x81\x00", 3);
  const std::string unknown = receipt_bytes + std::string("\x20\x01", 2);
  const std::vector<std::pair<std::string, std::string>> messages = {
      {"gen_receipt", receipt_bytes},
      {"gen_upload_status", status_bytes},
      {"gen_upload_status_zero_committed", std::string("\x0a\x10", 2) + status.upload_id() + "\x18\x05"},
      {"gen_error_stale_key_bundle", error.SerializeAsString()},
      {"gen_error_conflict", conflict.SerializeAsString()},
      {"gen_upload_status_committed_over_total", over.SerializeAsString()},
      {"gen_upload_status_repeated_field", repeated},
      {"gen_upload_status_long_varint", long_varint},
      {"gen_receipt_unknown_field", unknown},
      {"gen_receipt_short_id", std::string("\x0a\x0f", 2) + std::string(15, 'r')},
      {"gen_empty", ""},
  };
  for (const auto& [name, bytes] : messages) corpus.Add(target, name, bytes);
}

// HttpAnswer is an HTTP/1.1 response of the gateway, with `fields` (each
// ending in CRLF) before its Content-Length.
std::string HttpAnswer(int status, std::string_view reason, std::string_view content_type,
                       std::string_view body, std::string_view fields = {}) {
  return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) + "\r\nContent-Type: " +
         std::string(content_type) + "\r\n" + std::string(fields) +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

// Answers frames answers as the follow_up_replies target reads them.
Bytes Answers(const std::vector<std::string>& answers) {
  Bytes out;
  for (const std::string& answer : answers) {
    const auto n = static_cast<std::uint32_t>(answer.size());
    out.insert(out.end(), {static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                           static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)});
    out.insert(out.end(), answer.begin(), answer.end());
  }
  return out;
}

// AddFollowUpReplies writes a mailbox's answers to the follow_up_replies
// target: a listing, then one answer per fetch, the replies sealed to the
// reply key of its receipt code; and listings and answers it must refuse.
void AddFollowUpReplies(Corpus& corpus) {
  namespace protocol = amparo::protocol;
  const std::string target = "follow_up_replies";
  SeededRandom code_random(amparo::fuzz::kReceiptCodeName);
  auto keys = crypto::DeriveFollowUpKeys(crypto::GenerateReceiptCode(code_random));
  Require(keys.ok(), "cannot derive the follow-up keys");
  SeededRandom random("follow_up_replies seal");
  const auto seal = [&](const amparo::v1::Reply& reply, const std::vector<protocol::ReplyAttachment>& files,
                        const crypto::X25519PublicKey& to) {
    auto sealed = protocol::SealReply(reply, files, to, random);
    Require(sealed.ok(), "cannot seal a follow-up reply");
    return std::string(sealed.value().begin(), sealed.value().end());
  };
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < amparo::limits::kMailboxSlots; ++i) {
    ids.push_back(std::string(amparo::AsText(RandomBytes("listed id " + std::to_string(i), 16))));
  }
  const auto listing_of = [](const std::vector<std::string>& listed) {
    amparo::v1::MailboxListing listing;
    for (const std::string& id : listed) listing.add_reply_ids(id);
    return listing.SerializeAsString();
  };
  const std::string protobuf = "application/x-protobuf";
  const std::string listing = HttpAnswer(200, "OK", protobuf, listing_of(ids));
  amparo::v1::ErrorBody not_found;
  not_found.set_code("not_found");
  not_found.set_message("Not found.");
  const std::string missing = HttpAnswer(404, "Not Found", protobuf, not_found.SerializeAsString());
  amparo::v1::ErrorBody limited;
  limited.set_code("rate_limited");
  limited.set_message("Too many requests for this mailbox: try again later.");

  amparo::v1::Reply message;
  message.set_format_version(1);
  message.set_kind(amparo::v1::REPLY_KIND_MESSAGE);
  message.set_text("We received your report.\nWe will write again.");
  message.set_day(amparo::fuzz::kKeyBundleToday);
  amparo::v1::Reply status;
  status.set_format_version(1);
  status.set_kind(amparo::v1::REPLY_KIND_STATUS);
  status.set_status(amparo::v1::CASE_STATUS_ACTION_TAKEN);
  status.set_day(amparo::fuzz::kKeyBundleToday - 3);
  const auto fetched = [&](const std::string& sealed) {
    return HttpAnswer(200, "OK", "application/octet-stream", sealed);
  };
  const auto rest_missing = [&](std::vector<std::string> answers, std::size_t from) {
    for (std::size_t i = from; i < amparo::limits::kMailboxSlots; ++i) answers.push_back(missing);
    return answers;
  };
  SeededRandom other_random("follow_up_replies other key");
  const auto other = age::X25519Identity::Generate(other_random).PublicKey();

  corpus.Add(target, "gen_empty_mailbox", Answers(rest_missing({listing}, 0)));
  corpus.Add(target, "gen_one_message",
             Answers(rest_missing({listing, fetched(seal(message, {}, keys.value().reply_public_key))}, 1)));
  corpus.Add(target, "gen_status_and_message_with_file",
             Answers(rest_missing({listing, fetched(seal(message, {{"note.txt", "text/plain", "", ToBytes("hello")}},
                                                         keys.value().reply_public_key)),
                                   fetched(seal(status, {}, keys.value().reply_public_key))},
                                  2)));
  corpus.Add(target, "gen_reply_to_another_key",
             Answers(rest_missing({listing, fetched(seal(message, {}, other))}, 1)));
  corpus.Add(target, "gen_rate_limited",
             Answers({HttpAnswer(429, "Too Many Requests", protobuf, limited.SerializeAsString())}));
  corpus.Add(target, "gen_listing_short",
             Answers({HttpAnswer(200, "OK", protobuf, listing_of({ids.begin(), ids.end() - 1}))}));
  corpus.Add(target, "gen_listing_one_id_repeated",
             Answers({HttpAnswer(200, "OK", protobuf, listing_of(std::vector<std::string>(16, ids[0]))),
                      fetched(seal(status, {}, keys.value().reply_public_key))}));
  corpus.Add(target, "gen_listing_unknown_field",
             Answers({HttpAnswer(200, "OK", protobuf, listing_of(ids) + std::string("\x10\x01", 2))}));
  corpus.Add(target, "gen_listing_connection_close",
             Answers(rest_missing({HttpAnswer(200, "OK", protobuf, listing_of(ids), "Connection: close\r\n")}, 0)));
  corpus.Add(target, "gen_fetch_unavailable",
             Answers({listing, HttpAnswer(503, "Service Unavailable", protobuf, "")}));
}

// AddSubmissionFiles writes prepared Submission files: accepted for CAT with
// or without bodies named, and refused for each rule LoadSubmissionFile has.
void AddSubmissionFiles(Corpus& corpus) {
  const std::string target = "submission_file";
  amparo::v1::Submission submission = PlaintextManifest({});
  submission.clear_bodies();
  submission.clear_key_bundle_version();
  corpus.Add(target, "gen_no_bodies", Serialized(submission));
  amparo::v1::Submission for_cat = submission;
  for_cat.add_bodies("CAT");
  corpus.Add(target, "gen_for_cat", Serialized(for_cat));
  amparo::v1::Submission version_0 = for_cat;
  version_0.set_format_version(0);
  corpus.Add(target, "gen_format_version_0", Serialized(version_0));
  amparo::v1::Submission version_2 = for_cat;
  version_2.set_format_version(2);
  corpus.Add(target, "gen_format_version_2", Serialized(version_2));
  amparo::v1::Submission other_body = submission;
  other_body.add_bodies("SPT");
  corpus.Add(target, "gen_other_body", Serialized(other_body));
  corpus.Add(target, "gen_with_attachment", Serialized(PlaintextManifest({RandomBytes("submission file", 10)})));
  Bytes unknown = Serialized(for_cat);
  unknown.insert(unknown.end(), {0x98, 0x06, 0x01});  // field 99, varint 1
  corpus.Add(target, "gen_unknown_field", unknown);
  corpus.Add(target, "gen_empty", Bytes{});
}

bool SameFile(const fs::path& path, const Bytes& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  const Bytes on_disk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return on_disk == bytes;
}

}  // namespace

int main(int argc, char** argv) {
  const bool check = argc == 5 && std::string_view(argv[1]) == "--check";
  if (argc != 4 && !check) {
    std::fprintf(stderr, "usage: %s [--check] CORPUS_DIR CCTV_VECTORS_DIR ENVELOPE_VECTORS_DIR\n",
                 argv[0]);
    return 2;
  }
  const fs::path corpus_dir = argv[argc - 3];
  const fs::path vectors_dir = argv[argc - 2];
  const fs::path envelope_vectors_dir = argv[argc - 1];

  Corpus corpus;
  AddCctvVectors(vectors_dir, corpus);
  AddAgeFiles(corpus);
  AddArmor(corpus);
  AddBase64(corpus);
  AddKeys(corpus);
  AddEnvelopeVectors(envelope_vectors_dir, corpus);
  AddKeyBundles(corpus);
  AddExportFiles(corpus);
  AddAcknowledgementFiles(corpus);
  AddRepliesFiles(corpus);
  AddReplyPlaintexts(corpus);
  AddHttpResponses(corpus);
  AddSocks5Replies(corpus);
  AddGatewayConfigs(corpus);
  AddPlaintexts(corpus);
  AddKeystoreFiles(corpus);
  AddControlFrames(corpus);
  AddHttpRequests(corpus);
  AddStorageRecords(corpus);
  AddKeystorePlaintexts(corpus);
  AddCaseFiles(corpus);
  AddApiMessages(corpus);
  AddFollowUpReplies(corpus);
  AddSubmissionFiles(corpus);

  std::size_t count = 0;
  std::size_t stale = 0;
  for (const auto& [target, seeds] : corpus.seeds()) {
    const fs::path dir = corpus_dir / target;
    if (!check) fs::create_directories(dir);
    for (const auto& [name, bytes] : seeds) {
      ++count;
      if (check) {
        if (!SameFile(dir / name, bytes)) {
          std::fprintf(stderr, "make_corpus: %s/%s is missing or stale\n", target.c_str(), name.c_str());
          ++stale;
        }
        continue;
      }
      std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
      out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
      Require(static_cast<bool>(out), "cannot write a seed");
    }
  }
  std::printf("%s %zu seeds, %zu missing or stale\n", check ? "checked" : "wrote", count, stale);
  return stale == 0 ? 0 : 1;
}
