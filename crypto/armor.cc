#include "crypto/armor.h"

#include <algorithm>

#include "common/byte_reader.h"
#include "common/limits.h"
#include "crypto/base64.h"

namespace amparo::crypto::age {
namespace {

constexpr std::size_t kMaxArmorLine = kArmorColumns + 1;  // a CR may precede LF
constexpr std::size_t kOutputFlushBytes = 16 * 1024;

bool IsWhitespace(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

Result<int> ArmorSource::NextByte() {
  if (input_pos_ == input_len_) {
    if (input_eof_) return -1;
    auto n = inner_.Read(input_);
    if (!n.ok()) return n.error();
    input_pos_ = 0;
    input_len_ = n.value();
    if (input_len_ == 0) {
      input_eof_ = true;
      return -1;
    }
  }
  return input_[input_pos_++];
}

Result<bool> ArmorSource::ReadLine(std::string* line) {
  line->clear();
  while (true) {
    auto c = NextByte();
    if (!c.ok()) return c.error();
    if (c.value() < 0) return !line->empty();
    if (c.value() == '\n') break;
    if (line->size() == kMaxArmorLine) return Error::kArmor;
    *line += static_cast<char>(c.value());
  }
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

Status ArmorSource::ReadBegin() {
  int c = 0;
  std::size_t whitespace = 0;
  while (true) {
    auto next = NextByte();
    if (!next.ok()) return next.error();
    c = next.value();
    if (!IsWhitespace(c)) break;
    if (++whitespace > limits::kMaxArmorLeadingWhitespace) return Error::kArmor;
  }
  if (c < 0) return Error::kArmor;
  std::string line(1, static_cast<char>(c));
  std::string rest;
  auto got = ReadLine(&rest);
  if (!got.ok()) return got.error();
  line += rest;
  // ReadLine only stops early at end of input; BEGIN needs its line end.
  if (line != kArmorBegin || input_eof_) return Error::kArmor;
  state_ = State::kData;
  return OkStatus();
}

Status ArmorSource::CheckTrailer() {
  while (true) {
    auto c = NextByte();
    if (!c.ok()) return c.error();
    if (c.value() < 0) break;
    if (!IsWhitespace(c.value())) return Error::kArmor;
  }
  state_ = State::kDone;
  return OkStatus();
}

Status ArmorSource::ReadDataLine() {
  std::string line;
  auto got = ReadLine(&line);
  if (!got.ok()) return got.error();
  if (!got.value()) return Error::kArmor;  // no END line
  if (line == kArmorEnd) return CheckTrailer();
  if (last_line_seen_ || line.empty() || line.size() > kArmorColumns || line.size() % 4 != 0) {
    return Error::kArmor;
  }
  auto decoded = DecodeBase64(line, Base64Padding::kRequired);
  if (!decoded) return Error::kArmor;
  last_line_seen_ = line.size() < kArmorColumns || line.back() == '=';
  std::copy(decoded->begin(), decoded->end(), decoded_.begin());
  decoded_pos_ = 0;
  decoded_len_ = decoded->size();
  return OkStatus();
}

Result<std::size_t> ArmorSource::Read(std::span<std::uint8_t> out) {
  if (state_ == State::kBegin) AMPARO_RETURN_IF_ERROR(ReadBegin());
  while (decoded_pos_ == decoded_len_) {
    if (state_ == State::kDone || out.empty()) return std::size_t{0};
    AMPARO_RETURN_IF_ERROR(ReadDataLine());
  }
  const std::size_t n = std::min(out.size(), decoded_len_ - decoded_pos_);
  std::copy_n(decoded_.begin() + static_cast<std::ptrdiff_t>(decoded_pos_), n, out.begin());
  decoded_pos_ += n;
  return n;
}

Status ArmorSink::Write(std::span<const std::uint8_t> data) {
  if (!started_) {
    output_ += kArmorBegin;
    output_ += '\n';
    started_ = true;
  }
  while (!data.empty()) {
    const std::size_t n = std::min(data.size(), pending_.size() - pending_len_);
    std::copy_n(data.begin(), n, pending_.begin() + static_cast<std::ptrdiff_t>(pending_len_));
    pending_len_ += n;
    data = data.subspan(n);
    if (pending_len_ == pending_.size()) {
      output_ += EncodeBase64(pending_, Base64Padding::kRequired);
      output_ += '\n';
      pending_len_ = 0;
      if (output_.size() >= kOutputFlushBytes) AMPARO_RETURN_IF_ERROR(Flush());
    }
  }
  return OkStatus();
}

Status ArmorSink::Flush() {
  Status status = inner_.Write(AsBytes(output_));
  output_.clear();
  return status;
}

Status ArmorSink::Finish() {
  AMPARO_RETURN_IF_ERROR(Write({}));
  if (pending_len_ > 0) {
    output_ += EncodeBase64(std::span(pending_).first(pending_len_), Base64Padding::kRequired);
    output_ += '\n';
    pending_len_ = 0;
  }
  output_ += kArmorEnd;
  output_ += '\n';
  return Flush();
}

bool LooksArmored(std::span<const std::uint8_t> prefix) {
  ByteReader reader(prefix);
  std::uint8_t c = 0;
  while (!reader.empty() && IsWhitespace(reader.rest()[0])) reader.ReadU8(&c);
  return reader.StartsWith(kArmorBegin);
}

}  // namespace amparo::crypto::age
