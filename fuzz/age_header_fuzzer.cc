// Fuzzes ReadHeader over a stream then ParseHeader: the header read is the
// same however the stream is split, and a header is accepted only in its
// canonical encoding, so re-encoding what was parsed gives back the exact
// bytes received; scrypt work factors in it agree with a reference parser.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "common/byte_reader.h"
#include "common/io.h"
#include "common/limits.h"
#include "crypto/age_format.h"
#include "crypto/base64.h"
#include "crypto/identities.h"
#include "fuzz/fuzz_support.h"

namespace {

namespace age = amparo::crypto::age;
using amparo::fuzz::Check;

constexpr std::array<std::size_t, 6> kSteps = {1, 2, 3, 61, 4096, 7};

// ReadAndRest reads a header from `source`, then the rest of the stream; on
// success the three parts together are the input.
struct ReadAndRest {
  amparo::Result<age::RawHeader> raw;
  std::vector<std::uint8_t> rest;
};

ReadAndRest ReadFrom(amparo::ByteSource& source, std::span<const std::uint8_t> input) {
  ReadAndRest out{age::ReadHeader(source), {}};
  out.rest.resize(input.size());
  const auto n = amparo::ReadFull(source, out.rest);
  Check(n.ok());
  out.rest.resize(n.value());
  return out;
}

bool IsMacLine(std::string_view line) { return line.starts_with("---"); }

// CheckRawHeader: the header read ends with its first line that starts with
// "---", and nothing was lost or invented.
void CheckRawHeader(const ReadAndRest& read, std::span<const std::uint8_t> input) {
  const age::RawHeader& raw = read.raw.value();
  std::vector<std::uint8_t> joined = raw.encoded;
  joined.insert(joined.end(), raw.leftover.begin(), raw.leftover.end());
  joined.insert(joined.end(), read.rest.begin(), read.rest.end());
  Check(std::equal(joined.begin(), joined.end(), input.begin(), input.end()));

  std::string_view text = amparo::AsText(raw.encoded);
  Check(text.ends_with('\n'));
  text.remove_suffix(1);
  const std::size_t last_line = text.rfind('\n') == std::string_view::npos ? 0 : text.rfind('\n') + 1;
  Check(IsMacLine(text.substr(last_line)));
  for (std::size_t start = 0; start < last_line;) {
    const std::size_t end = text.find('\n', start);
    Check(!IsMacLine(text.substr(start, end - start)));
    start = end + 1;
  }
}

bool IsArgument(const std::string& arg) {
  return !arg.empty() &&
         std::all_of(arg.begin(), arg.end(), [](char c) { return c >= 33 && c <= 126; });
}

void CheckCanonical(const age::Header& header, std::span<const std::uint8_t> encoded) {
  Check(!header.stanzas.empty() && header.stanzas.size() <= amparo::limits::kMaxAgeStanzas);
  for (const age::Stanza& stanza : header.stanzas) {
    Check(!stanza.args.empty() && stanza.args.size() <= amparo::limits::kMaxStanzaArguments);
    Check(std::all_of(stanza.args.begin(), stanza.args.end(), IsArgument));
  }
  const std::string mac_input = age::EncodeHeaderMacInput(header.stanzas);
  Check(header.mac_input_size == mac_input.size());
  const std::string reencoded =
      mac_input + ' ' + amparo::crypto::EncodeBase64(header.mac, amparo::crypto::Base64Padding::kNone) + '\n';
  Check(amparo::AsText(encoded) == reencoded);
}

// ReferenceWorkFactor reads a canonical decimal in [1, max_log_n] another way.
std::optional<int> ReferenceWorkFactor(std::string_view text, int max_log_n) {
  int value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || std::to_string(value) != text) {
    return std::nullopt;
  }
  if (value < 1 || value > max_log_n) return std::nullopt;
  return value;
}

void CheckWorkFactor(std::string_view text) {
  for (const int max_log_n : {amparo::fuzz::kMaxScryptLogN, amparo::limits::kMaxScryptLogN}) {
    const auto parsed = age::ParseScryptWorkFactor(text, max_log_n);
    const auto expected = ReferenceWorkFactor(text, max_log_n);
    Check(parsed.ok() == expected.has_value());
    if (parsed.ok()) Check(parsed.value() == *expected);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  CheckWorkFactor(amparo::fuzz::AsChars(data, size));

  amparo::SpanSource whole(input);
  const ReadAndRest read = ReadFrom(whole, input);
  amparo::fuzz::SplitSource split(input, kSteps);
  const ReadAndRest read_split = ReadFrom(split, input);
  Check(read.raw.ok() == read_split.raw.ok());

  const auto direct = age::ParseHeader(input);
  if (!read.raw.ok()) {
    Check(read.raw.error() == read_split.raw.error());
    Check(size > amparo::limits::kMaxAgeHeaderBytes || !direct.ok());
    return 0;
  }
  CheckRawHeader(read, input);
  CheckRawHeader(read_split, input);
  Check(read.raw.value().encoded == read_split.raw.value().encoded);

  const auto header = age::ParseHeader(read.raw.value().encoded);
  const bool nothing_after = read.raw.value().encoded.size() == size;
  Check(direct.ok() == (header.ok() && nothing_after));
  if (!header.ok()) return 0;
  CheckCanonical(header.value(), read.raw.value().encoded);
  for (const age::Stanza& stanza : header.value().stanzas) {
    for (const std::string& arg : stanza.args) CheckWorkFactor(arg);
  }
  return 0;
}
