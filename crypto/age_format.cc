#include "crypto/age_format.h"

#include <sodium.h>

#include <algorithm>

#include "common/byte_reader.h"
#include "crypto/base64.h"
#include "crypto/hkdf.h"
#include "crypto/sodium.h"

namespace amparo::crypto::age {
namespace {

constexpr std::string_view kStanzaPrefix = "-> ";
constexpr std::string_view kMacPrefix = "---";
constexpr std::size_t kMacLineLength = 4 + 43;  // "--- " + 43 base64 characters

bool IsVisibleAscii(std::uint8_t c) { return c >= 33 && c <= 126; }

// SplitArguments splits on single spaces; an empty argument (double space,
// leading or trailing space) or an invisible character rejects the line.
bool SplitArguments(std::string_view line, std::vector<std::string>* args) {
  while (true) {
    const std::size_t space = line.find(' ');
    const std::string_view arg = line.substr(0, space);
    if (arg.empty()) return false;
    for (char c : arg) {
      if (!IsVisibleAscii(static_cast<std::uint8_t>(c))) return false;
    }
    if (args->size() == limits::kMaxStanzaArguments) return false;
    args->emplace_back(arg);
    if (space == std::string_view::npos) return true;
    line.remove_prefix(space + 1);
  }
}

// ParseStanza reads an argument line and its body lines. The body ends at the
// first line shorter than 64 columns, which may be empty.
bool ParseStanza(ByteReader& reader, Stanza* stanza) {
  std::span<const std::uint8_t> line;
  if (!reader.ConsumePrefix(kStanzaPrefix)) return false;
  if (!reader.ReadLine(limits::kMaxAgeHeaderBytes, &line)) return false;
  if (!SplitArguments(AsText(line), &stanza->args)) return false;

  std::string body_text;
  while (true) {
    if (!reader.ReadLine(kStanzaLineColumns, &line)) return false;
    const std::string_view text = AsText(line);
    if (!std::all_of(text.begin(), text.end(), IsBase64Char)) return false;
    body_text += text;
    if (text.size() < kStanzaLineColumns) break;
  }
  auto body = DecodeBase64(body_text, Base64Padding::kNone);
  if (!body) return false;
  stanza->body = std::move(*body);
  return true;
}

}  // namespace

Result<Header> ParseHeader(std::span<const std::uint8_t> encoded) {
  ByteReader reader(encoded);
  std::span<const std::uint8_t> line;
  if (!reader.ReadLine(kVersionLine.size(), &line) || AsText(line) != kVersionLine) {
    return Error::kHeader;
  }
  Header header;
  while (!reader.StartsWith(kMacPrefix)) {
    if (header.stanzas.size() == limits::kMaxAgeStanzas) return Error::kHeader;
    Stanza stanza;
    if (!ParseStanza(reader, &stanza)) return Error::kHeader;
    header.stanzas.push_back(std::move(stanza));
  }
  if (header.stanzas.empty()) return Error::kHeader;

  header.mac_input_size = encoded.size() - reader.remaining() + kMacPrefix.size();
  if (!reader.ReadLine(kMacLineLength, &line) || line.size() != kMacLineLength ||
      line[3] != ' ') {
    return Error::kHeader;
  }
  auto mac = DecodeBase64(AsText(line.subspan(4)), Base64Padding::kNone);
  if (!mac || mac->size() != kMacSize) return Error::kHeader;
  std::copy(mac->begin(), mac->end(), header.mac.begin());
  if (!reader.empty()) return Error::kHeader;
  return header;
}

std::string EncodeStanza(const Stanza& stanza) {
  std::string out(kStanzaPrefix);
  for (std::size_t i = 0; i < stanza.args.size(); ++i) {
    if (i > 0) out += ' ';
    out += stanza.args[i];
  }
  out += '\n';
  const std::string body = EncodeBase64(stanza.body, Base64Padding::kNone);
  std::size_t offset = 0;
  // Full 64-column lines, then a final shorter line (empty if needed).
  while (body.size() - offset >= kStanzaLineColumns) {
    out.append(body, offset, kStanzaLineColumns);
    out += '\n';
    offset += kStanzaLineColumns;
  }
  out.append(body, offset, std::string::npos);
  out += '\n';
  return out;
}

std::string EncodeHeaderMacInput(std::span<const Stanza> stanzas) {
  std::string out(kVersionLine);
  out += '\n';
  for (const Stanza& stanza : stanzas) out += EncodeStanza(stanza);
  out += kMacPrefix;
  return out;
}

std::array<std::uint8_t, kMacSize> HeaderMac(const FileKey& file_key,
                                             std::span<const std::uint8_t> mac_input) {
  SecretBytes<32> mac_key;
  HkdfSha256(file_key.span(), {}, "header", mac_key.span());
  return HmacSha256(mac_key.span(), mac_input);
}

Result<RawHeader> ReadHeader(ByteSource& source, std::size_t max_bytes) {
  max_bytes = std::min(max_bytes, limits::kMaxAgeHeaderBytes);
  RawHeader raw;
  std::size_t line_start = 0;  // start of the line not yet known to be complete
  std::array<std::uint8_t, 4096> block{};
  while (true) {
    // Examine every complete line received so far.
    while (true) {
      const auto begin = raw.encoded.begin() + static_cast<std::ptrdiff_t>(line_start);
      const auto newline = std::find(begin, raw.encoded.end(), std::uint8_t{'\n'});
      if (newline == raw.encoded.end()) break;
      const bool is_mac_line = (raw.encoded.end() - begin) >= 3 &&
                               std::equal(kMacPrefix.begin(), kMacPrefix.end(), begin,
                                          [](char c, std::uint8_t b) {
                                            return static_cast<std::uint8_t>(c) == b;
                                          });
      line_start = static_cast<std::size_t>(newline - raw.encoded.begin()) + 1;
      if (is_mac_line) {
        raw.leftover.assign(raw.encoded.begin() + static_cast<std::ptrdiff_t>(line_start),
                            raw.encoded.end());
        raw.encoded.resize(line_start);
        return raw;
      }
    }
    if (raw.encoded.size() >= max_bytes) return Error::kHeader;
    const std::size_t want = std::min(block.size(), max_bytes - raw.encoded.size());
    auto n = source.Read(std::span(block).first(want));
    if (!n.ok()) return n.error();
    if (n.value() == 0) return Error::kHeader;
    raw.encoded.insert(raw.encoded.end(), block.begin(),
                       block.begin() + static_cast<std::ptrdiff_t>(n.value()));
  }
}

SecretBytes<32> PayloadKey(const FileKey& file_key,
                           std::span<const std::uint8_t, kPayloadNonceSize> nonce) {
  SecretBytes<32> key;
  HkdfSha256(file_key.span(), nonce, "payload", key.span());
  return key;
}

std::array<std::uint8_t, 12> ChunkNonce(std::uint64_t counter, bool last) {
  std::array<std::uint8_t, 12> nonce{};
  for (std::size_t i = 0; i < 8; ++i) {
    nonce[10 - i] = static_cast<std::uint8_t>(counter >> (8 * i));
  }
  nonce[11] = last ? 1 : 0;
  return nonce;
}

SecretBytes<32> X25519WrapKey(std::span<const std::uint8_t, 32> shared_secret,
                              std::span<const std::uint8_t, 32> share,
                              std::span<const std::uint8_t, 32> recipient) {
  std::array<std::uint8_t, 64> salt{};
  std::copy(share.begin(), share.end(), salt.begin());
  std::copy(recipient.begin(), recipient.end(), salt.begin() + 32);
  SecretBytes<32> key;
  HkdfSha256(shared_secret, salt, "age-encryption.org/v1/X25519", key.span());
  return key;
}

Result<SecretBytes<32>> ScryptWrapKey(std::span<const std::uint8_t> passphrase,
                                      std::span<const std::uint8_t, 16> salt, int log_n) {
  if (log_n < 1 || log_n > limits::kMaxScryptLogN) return Error::kInvalidArgument;
  EnsureSodium();
  constexpr std::string_view kLabel = "age-encryption.org/v1/scrypt";
  std::array<std::uint8_t, kLabel.size() + 16> full_salt{};
  std::copy(kLabel.begin(), kLabel.end(), full_salt.begin());
  std::copy(salt.begin(), salt.end(), full_salt.begin() + kLabel.size());
  SecretBytes<32> key;
  if (crypto_pwhash_scryptsalsa208sha256_ll(passphrase.data(), passphrase.size(),
                                            full_salt.data(), full_salt.size(),
                                            std::uint64_t{1} << log_n, 8, 1, key.data(),
                                            key.size()) != 0) {
    return Error::kInvalidArgument;  // only on allocation failure
  }
  return key;
}

}  // namespace amparo::crypto::age
