#include "crypto/bech32.h"

#include <array>

#include "common/ascii.h"

namespace amparo::crypto {
namespace {

constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr std::size_t kChecksumLength = 6;

std::uint32_t PolyMod(std::span<const std::uint8_t> values) {
  constexpr std::array<std::uint32_t, 5> kGenerator = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa,
                                                       0x3d4233dd, 0x2a1462b3};
  std::uint32_t checksum = 1;
  for (std::uint8_t value : values) {
    const std::uint32_t top = checksum >> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    for (std::size_t i = 0; i < kGenerator.size(); ++i) {
      if ((top >> i) & 1) checksum ^= kGenerator[i];
    }
  }
  return checksum;
}

// ExpandHrp returns the checksum prefix of hrp, with room for `extra` more
// values so that appending them never reallocates (and never frees a copy).
std::vector<std::uint8_t> ExpandHrp(std::string_view hrp, std::size_t extra) {
  std::vector<std::uint8_t> out;
  out.reserve(hrp.size() * 2 + 1 + extra);
  for (char c : hrp) out.push_back(static_cast<std::uint8_t>(static_cast<unsigned char>(c) >> 5));
  out.push_back(0);
  for (char c : hrp) out.push_back(static_cast<std::uint8_t>(static_cast<unsigned char>(c) & 31));
  return out;
}

// Scrub overwrites a vector that may have held key material before it is
// freed; Bech32 carries secret keys, so no intermediate copy may linger.
void Scrub(std::vector<std::uint8_t>& bytes) {
  volatile std::uint8_t* p = bytes.data();
  for (std::size_t i = 0; i < bytes.size(); ++i) p[i] = 0;
}

// ConvertBits regroups bits; when decoding (pad == false) leftover bits must
// be fewer than `from` and all zero, else the encoding is not canonical.
std::optional<std::vector<std::uint8_t>> ConvertBits(std::span<const std::uint8_t> in, int from,
                                                     int to, bool pad) {
  std::uint32_t accumulator = 0;
  int bits = 0;
  const std::uint32_t max_value = (1U << to) - 1U;
  std::vector<std::uint8_t> out;
  out.reserve(in.size() * static_cast<std::size_t>(from) / static_cast<std::size_t>(to) + 1);
  for (std::uint8_t value : in) {
    if ((value >> from) != 0) {
      Scrub(out);
      return std::nullopt;
    }
    accumulator = (accumulator << from) | value;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push_back(static_cast<std::uint8_t>((accumulator >> bits) & max_value));
    }
    accumulator &= (1U << bits) - 1U;
  }
  if (pad) {
    if (bits > 0) out.push_back(static_cast<std::uint8_t>((accumulator << (to - bits)) & max_value));
  } else if (bits >= from || accumulator != 0) {
    Scrub(out);
    return std::nullopt;
  }
  return out;
}

char ToUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

std::string EncodeBech32(std::string_view hrp, std::span<const std::uint8_t> data,
                         Bech32Case letter_case) {
  std::string lower_hrp;
  for (char c : hrp) lower_hrp += AsciiLower(c);
  auto values = *ConvertBits(data, 8, 5, /*pad=*/true);
  auto checksum_input = ExpandHrp(lower_hrp, values.size() + kChecksumLength);
  checksum_input.insert(checksum_input.end(), values.begin(), values.end());
  checksum_input.insert(checksum_input.end(), kChecksumLength, 0);
  const std::uint32_t checksum = PolyMod(checksum_input) ^ 1;

  std::string out;
  out.reserve(lower_hrp.size() + 1 + values.size() + kChecksumLength);
  out += lower_hrp;
  out += '1';
  for (std::uint8_t v : values) out += kCharset[v];
  for (std::size_t i = 0; i < kChecksumLength; ++i) {
    out += kCharset[(checksum >> (5 * (kChecksumLength - 1 - i))) & 31];
  }
  if (letter_case == Bech32Case::kUpper) {
    for (char& c : out) c = ToUpper(c);
  }
  Scrub(values);
  Scrub(checksum_input);
  return out;
}

std::optional<Bech32Decoded> DecodeBech32(std::string_view text) {
  bool has_lower = false;
  bool has_upper = false;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126) return std::nullopt;
    has_lower |= (c >= 'a' && c <= 'z');
    has_upper |= (c >= 'A' && c <= 'Z');
  }
  if (has_lower && has_upper) return std::nullopt;

  const std::size_t separator = text.rfind('1');
  if (separator == std::string_view::npos || separator == 0 ||
      separator + 1 + kChecksumLength > text.size()) {
    return std::nullopt;
  }
  Bech32Decoded decoded;
  for (char c : text.substr(0, separator)) decoded.hrp += AsciiLower(c);

  std::vector<std::uint8_t> values;
  values.reserve(text.size() - separator - 1);
  for (char c : text.substr(separator + 1)) {
    const std::size_t index = kCharset.find(AsciiLower(c));
    if (index == std::string_view::npos) {
      Scrub(values);
      return std::nullopt;
    }
    values.push_back(static_cast<std::uint8_t>(index));
  }
  auto checksum_input = ExpandHrp(decoded.hrp, values.size());
  checksum_input.insert(checksum_input.end(), values.begin(), values.end());
  const bool checksum_ok = PolyMod(checksum_input) == 1;
  Scrub(checksum_input);
  std::optional<std::vector<std::uint8_t>> data;
  if (checksum_ok) data = ConvertBits(std::span(values).first(values.size() - kChecksumLength), 5, 8,
                                      /*pad=*/false);
  Scrub(values);
  if (!data) return std::nullopt;
  decoded.data = std::move(*data);
  return decoded;
}

}  // namespace amparo::crypto
