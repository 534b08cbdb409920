#pragma once
// armor.h: age's ASCII armor, the strict PEM subset of RFC 7468 with the label
// "AGE ENCRYPTED FILE". Both directions stream with bounded memory.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/io.h"
#include "common/limits.h"
#include "common/result.h"

namespace amparo::crypto::age {

inline constexpr std::string_view kArmorBegin = "-----BEGIN AGE ENCRYPTED FILE-----";
inline constexpr std::string_view kArmorEnd = "-----END AGE ENCRYPTED FILE-----";
inline constexpr std::size_t kArmorColumns = 64;

// ArmorSource decodes an armored stream. It accepts up to
// kMaxArmorLeadingWhitespace bytes of whitespace before the BEGIN line, any
// whitespace after the END line, LF or CRLF line ends, and nothing else
// that is not canonical: every line but the last exactly 64 columns, canonical
// padded Base64, no headers, no empty lines. Read fails with kArmor on the
// first violation; the inner source must outlive it.
class ArmorSource final : public ByteSource {
 public:
  explicit ArmorSource(ByteSource& inner) : inner_(inner) {}
  Result<std::size_t> Read(std::span<std::uint8_t> out) override;

 private:
  enum class State { kBegin, kData, kDone };
  Result<int> NextByte();  // -1 at end of input
  Result<bool> ReadLine(std::string* line);  // false at end of input
  Status ReadBegin();
  Status ReadDataLine();
  Status CheckTrailer();

  ByteSource& inner_;
  std::array<std::uint8_t, 4096> input_{};
  std::size_t input_pos_ = 0;
  std::size_t input_len_ = 0;
  bool input_eof_ = false;
  std::array<std::uint8_t, 48> decoded_{};
  std::size_t decoded_pos_ = 0;
  std::size_t decoded_len_ = 0;
  bool last_line_seen_ = false;  // a short or padded line must be the last
  State state_ = State::kBegin;
};

// ArmorSink encodes everything written to it as armor. Finish writes the last
// line and the END line; without it the output is incomplete.
class ArmorSink final : public ByteSink {
 public:
  explicit ArmorSink(ByteSink& inner) : inner_(inner) {}
  Status Write(std::span<const std::uint8_t> data) override;
  Status Finish();

 private:
  Status Flush();
  ByteSink& inner_;
  std::array<std::uint8_t, 48> pending_{};
  std::size_t pending_len_ = 0;
  std::string output_;
  bool started_ = false;
};

// kArmorDetectionBytes is how much of a file's start LooksArmored needs to
// see every file that ArmorSource accepts.
inline constexpr std::size_t kArmorDetectionBytes =
    limits::kMaxArmorLeadingWhitespace + kArmorBegin.size();

// LooksArmored reports whether a file starting with `prefix` (its first
// kArmorDetectionBytes, or all of it) is armored: optional whitespace, then
// the BEGIN marker.
bool LooksArmored(std::span<const std::uint8_t> prefix);

}  // namespace amparo::crypto::age
