// Fuzzes ArmorSource read to the end with small reads: the outcome does not
// depend on how reads are split, and accepted armor is the canonical encoding
// (ArmorSink's) of what it decodes to, but for surrounding whitespace and CRLF.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/byte_reader.h"
#include "common/error.h"
#include "common/io.h"
#include "crypto/armor.h"
#include "fuzz/fuzz_support.h"

namespace {

namespace age = amparo::crypto::age;
using amparo::fuzz::Check;

constexpr std::size_t kBufferSize = 4096;
constexpr std::array<std::size_t, 1> kOneRead = {kBufferSize};
constexpr std::array<std::size_t, 7> kSmallReads = {1, 2, 5, 47, 48, 49, 3};
constexpr std::array<std::size_t, 5> kTrickle = {1, 3, 7, 64, 5};

struct Outcome {
  std::optional<amparo::Error> error;
  std::vector<std::uint8_t> bytes;
  bool operator==(const Outcome&) const = default;
};

Outcome ReadAll(amparo::ByteSource& inner, std::span<const std::size_t> read_sizes) {
  age::ArmorSource armor(inner);
  Outcome outcome;
  std::array<std::uint8_t, kBufferSize> buffer{};
  for (std::size_t i = 0;; ++i) {
    auto n = armor.Read(std::span(buffer).first(read_sizes[i % read_sizes.size()]));
    if (!n.ok()) {
      outcome.error = n.error();
      return outcome;
    }
    if (n.value() == 0) return outcome;
    outcome.bytes.insert(outcome.bytes.end(), buffer.begin(),
                         buffer.begin() + static_cast<std::ptrdiff_t>(n.value()));
  }
}

std::string Canonical(std::span<const std::uint8_t> bytes) {
  amparo::VectorSink sink;
  age::ArmorSink armor(sink);
  Check(armor.Write(bytes).ok());
  Check(armor.Finish().ok());
  return std::string(amparo::AsText(sink.bytes()));
}

// Normalised drops the whitespace age tolerates around the armor and turns
// CRLF line ends into LF.
std::string Normalised(std::string_view text) {
  constexpr std::string_view kWhitespace = " \t\r\n";
  const std::size_t first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  text = text.substr(first, text.find_last_not_of(kWhitespace) + 1 - first);
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i];
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  amparo::SpanSource whole(input);
  const Outcome outcome = ReadAll(whole, kOneRead);
  amparo::fuzz::SplitSource trickle(input, kTrickle);
  Check(ReadAll(trickle, kSmallReads) == outcome);
  if (outcome.error) return 0;

  Check(age::LooksArmored(input));
  const std::string canonical = Canonical(outcome.bytes);
  Check(Normalised(amparo::fuzz::AsChars(data, size)) == Normalised(canonical));
  amparo::SpanSource again(amparo::AsBytes(canonical));
  Check(ReadAll(again, kSmallReads) == outcome);
  return 0;
}
