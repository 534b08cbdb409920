#include "submit/http_response_parser.h"

#include <algorithm>
#include <string_view>

#include "common/byte_reader.h"
#include "submit/client_limits.h"
#include "submit/http_grammar.h"

namespace amparo::submit {
namespace {

constexpr std::string_view kHeadTerminator = "\r\n\r\n";
// kMaxContentLengthDigits keeps the value far from overflowing 64 bits.
constexpr std::size_t kMaxContentLengthDigits = 19;

bool IsDigit(std::uint8_t c) { return c >= '0' && c <= '9'; }

// RFC 9110 section 5.5: field-vchar, SP, HTAB; obs-text allowed.
bool IsFieldValueChar(std::uint8_t c) { return c == '\t' || (c >= 0x20 && c != 0x7F); }

bool IsBlank(std::uint8_t c) { return c == ' ' || c == '\t'; }

std::uint8_t Lower(std::uint8_t c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<std::uint8_t>(c - 'A' + 'a') : c;
}

bool EqualsIgnoreCase(std::span<const std::uint8_t> bytes, std::string_view lower) {
  return bytes.size() == lower.size() &&
         std::equal(bytes.begin(), bytes.end(), lower.begin(),
                    [](std::uint8_t b, char c) { return Lower(b) == static_cast<std::uint8_t>(c); });
}

std::span<const std::uint8_t> TrimBlanks(std::span<const std::uint8_t> value) {
  while (!value.empty() && IsBlank(value.front())) value = value.subspan(1);
  while (!value.empty() && IsBlank(value.back())) value = value.first(value.size() - 1);
  return value;
}

// ReadCrlfLine takes one line ending in CRLF, without it; false if the line
// does not end in CRLF or holds another CR.
bool ReadCrlfLine(ByteReader& reader, std::span<const std::uint8_t>* line) {
  std::span<const std::uint8_t> raw;
  if (!reader.ReadLine(client_limits::kMaxResponseHeadBytes, &raw)) return false;
  if (raw.empty() || raw.back() != '\r') return false;
  *line = raw.first(raw.size() - 1);
  return std::find(line->begin(), line->end(), std::uint8_t{'\r'}) == line->end();
}

// ParseStatusLine: "HTTP/1.1" SP 3DIGIT SP reason-phrase.
Result<int> ParseStatusLine(std::span<const std::uint8_t> line) {
  ByteReader reader(line);
  if (!reader.ConsumePrefix("HTTP/1.1 ")) return Error::kIo;
  std::span<const std::uint8_t> digits;
  if (!reader.ReadBytes(3, &digits)) return Error::kIo;
  int status = 0;
  for (const std::uint8_t d : digits) {
    if (!IsDigit(d)) return Error::kIo;
    status = status * 10 + (d - '0');
  }
  std::uint8_t space = 0;
  if (!reader.ReadU8(&space) || space != ' ') return Error::kIo;
  for (const std::uint8_t c : reader.rest()) {
    if (!IsFieldValueChar(c)) return Error::kIo;
  }
  // Interim (1xx) responses answer requests this client never makes
  // (Expect, Upgrade); a final status is required.
  if (status < 200 || status > 599) return Error::kIo;
  return status;
}

Result<std::uint64_t> ParseContentLength(std::span<const std::uint8_t> value) {
  if (value.empty() || value.size() > kMaxContentLengthDigits) return Error::kIo;
  std::uint64_t length = 0;
  for (const std::uint8_t d : value) {
    if (!IsDigit(d)) return Error::kIo;
    length = length * 10 + static_cast<std::uint64_t>(d - '0');
  }
  return length;
}

// HasCloseToken reports whether a Connection value lists "close".
bool HasCloseToken(std::span<const std::uint8_t> value) {
  while (!value.empty()) {
    const auto comma = std::find(value.begin(), value.end(), std::uint8_t{','});
    const auto length = static_cast<std::size_t>(comma - value.begin());
    if (EqualsIgnoreCase(TrimBlanks(value.first(length)), "close")) return true;
    value = value.subspan(comma == value.end() ? length : length + 1);
  }
  return false;
}

}  // namespace

Result<std::optional<std::size_t>> FindResponseHeadEnd(std::span<const std::uint8_t> bytes) {
  const auto window = bytes.first(std::min(bytes.size(), client_limits::kMaxResponseHeadBytes));
  const auto terminator = AsBytes(kHeadTerminator);
  const auto found = std::search(window.begin(), window.end(), terminator.begin(), terminator.end());
  if (found != window.end()) {
    return std::optional<std::size_t>(static_cast<std::size_t>(found - window.begin()) +
                                      kHeadTerminator.size());
  }
  if (bytes.size() >= client_limits::kMaxResponseHeadBytes) return Error::kLimitExceeded;
  return std::optional<std::size_t>();
}

Result<HttpResponseHead> ParseResponseHead(std::span<const std::uint8_t> head,
                                           std::size_t max_body_bytes) {
  if (head.size() > client_limits::kMaxResponseHeadBytes) return Error::kLimitExceeded;
  ByteReader reader(head);
  std::span<const std::uint8_t> line;
  if (!ReadCrlfLine(reader, &line)) return Error::kIo;
  auto status = ParseStatusLine(line);
  if (!status.ok()) return status.error();

  HttpResponseHead result;
  result.status = status.value();
  std::optional<std::uint64_t> content_length;
  bool have_content_type = false;
  bool have_connection = false;
  std::size_t fields = 0;
  for (;;) {
    if (!ReadCrlfLine(reader, &line)) return Error::kIo;
    if (line.empty()) break;
    if (++fields > client_limits::kMaxResponseHeaders) return Error::kLimitExceeded;
    // A line starting with a blank would be an obsolete folded continuation;
    // a name followed by a blank before the colon is a smuggling vector. Both
    // are refused (RFC 9112 sections 5.1 and 5.2).
    const auto colon = std::find(line.begin(), line.end(), std::uint8_t{':'});
    if (colon == line.end() || colon == line.begin()) return Error::kIo;
    const auto name = line.first(static_cast<std::size_t>(colon - line.begin()));
    if (!std::all_of(name.begin(), name.end(), [](std::uint8_t c) { return IsTokenChar(c); })) return Error::kIo;
    const auto raw_value = line.subspan(name.size() + 1);
    if (!std::all_of(raw_value.begin(), raw_value.end(), IsFieldValueChar)) return Error::kIo;
    const auto value = TrimBlanks(raw_value);

    if (EqualsIgnoreCase(name, "content-length")) {
      // Two lengths, even equal ones, mean that something between the
      // gateway and this client rewrote the message.
      if (content_length.has_value()) return Error::kIo;
      auto parsed = ParseContentLength(value);
      if (!parsed.ok()) return parsed.error();
      content_length = parsed.value();
    } else if (EqualsIgnoreCase(name, "transfer-encoding")) {
      // The gateway always sends a Content-Length; a transfer coding (chunked
      // or another) is not supported, and never guessed at.
      return Error::kIo;
    } else if (EqualsIgnoreCase(name, "content-type")) {
      if (have_content_type) return Error::kIo;
      have_content_type = true;
      result.content_type.assign(AsText(value));
    } else if (EqualsIgnoreCase(name, "connection")) {
      if (have_connection) return Error::kIo;
      have_connection = true;
      result.connection_close = HasCloseToken(value);
    }
  }
  if (!reader.empty()) return Error::kIo;

  const bool bodiless = result.status == 204 || result.status == 304;
  if (bodiless) {
    if (content_length.has_value() && content_length.value() != 0) return Error::kIo;
    result.content_length = 0;
  } else {
    // Without a length the body would run to the end of the connection,
    // which a truncating attacker could cut anywhere.
    if (!content_length.has_value()) return Error::kIo;
    result.content_length = content_length.value();
  }
  if (result.content_length > max_body_bytes) return Error::kLimitExceeded;
  return result;
}

Result<std::optional<HttpResponse>> ParseResponse(std::span<const std::uint8_t> bytes,
                                                  std::size_t max_body_bytes) {
  auto end = FindResponseHeadEnd(bytes);
  if (!end.ok()) return end.error();
  if (!end.value().has_value()) {
    // The status line can be checked before the head is complete, so that a
    // stream that is not HTTP/1.1 fails at once.
    constexpr std::string_view kVersion = "HTTP/1.1 ";
    const std::size_t n = std::min(bytes.size(), kVersion.size());
    if (AsText(bytes.first(n)) != kVersion.substr(0, n)) return Error::kIo;
    return std::optional<HttpResponse>();
  }
  const std::size_t head_length = *end.value();
  auto head = ParseResponseHead(bytes.first(head_length), max_body_bytes);
  if (!head.ok()) return head.error();
  const auto body = bytes.subspan(head_length);
  if (body.size() < head.value().content_length) return std::optional<HttpResponse>();
  if (body.size() > head.value().content_length) return Error::kIo;
  HttpResponse response;
  response.head = std::move(head.value());
  response.body.assign(body.begin(), body.end());
  return std::optional<HttpResponse>(std::move(response));
}

}  // namespace amparo::submit
