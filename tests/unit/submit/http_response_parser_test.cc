#include "submit/http_response_parser.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "common/byte_reader.h"
#include "submit/client_limits.h"

namespace amparo::submit {
namespace {

constexpr std::size_t kBodyLimit = 1024;

Result<std::optional<HttpResponse>> Parse(std::string_view text,
                                          std::size_t body_limit = kBodyLimit) {
  return ParseResponse(AsBytes(text), body_limit);
}

// A head of exactly `size` bytes: status line, one padding header, the
// length header and the empty line.
std::string HeadOfSize(std::size_t size) {
  const std::string start = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Pad: ";
  const std::string end = "\r\n\r\n";
  return start + std::string(size - start.size() - end.size(), 'a') + end;
}

TEST(HttpResponseParserTest, ParsesAResponseWithABody) {
  auto parsed = Parse(
      "HTTP/1.1 201 Created\r\nContent-Type: application/x-protobuf\r\n"
      "Content-Length: 5\r\nCache-Control: no-store\r\n\r\nhello");
  ASSERT_TRUE(parsed.ok());
  ASSERT_TRUE(parsed.value().has_value());
  const HttpResponse& response = *parsed.value();
  EXPECT_EQ(response.head.status, 201);
  EXPECT_EQ(response.head.content_type, "application/x-protobuf");
  EXPECT_EQ(response.head.content_length, 5u);
  EXPECT_FALSE(response.head.connection_close);
  EXPECT_EQ(AsText(response.body), "hello");
}

TEST(HttpResponseParserTest, AcceptsHeaderNamesInAnyCaseAndTrimsBlanks) {
  auto parsed = Parse("HTTP/1.1 200 OK\r\ncontent-LENGTH:\t2 \r\nCONNECTION: Keep-Alive, Close\r\n\r\nok");
  ASSERT_TRUE(parsed.ok());
  ASSERT_TRUE(parsed.value().has_value());
  EXPECT_EQ(parsed.value()->head.content_length, 2u);
  EXPECT_TRUE(parsed.value()->head.connection_close);
}

TEST(HttpResponseParserTest, AcceptsAnEmptyReasonPhraseAndAnEmptyBody) {
  auto parsed = Parse("HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(parsed.ok());
  ASSERT_TRUE(parsed.value().has_value());
  EXPECT_EQ(parsed.value()->head.status, 404);
  EXPECT_TRUE(parsed.value()->body.empty());
}

TEST(HttpResponseParserTest, NoContentNeedsNoLength) {
  auto parsed = Parse("HTTP/1.1 204 No Content\r\n\r\n");
  ASSERT_TRUE(parsed.ok());
  ASSERT_TRUE(parsed.value().has_value());
  EXPECT_EQ(parsed.value()->head.content_length, 0u);
  EXPECT_EQ(Parse("HTTP/1.1 204 No Content\r\nContent-Length: 1\r\n\r\nx").error(), Error::kIo);
}

TEST(HttpResponseParserTest, EveryTruncationIsIncomplete) {
  const std::string full = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";
  for (std::size_t n = 0; n < full.size(); ++n) {
    auto parsed = Parse(std::string_view(full).substr(0, n));
    ASSERT_TRUE(parsed.ok()) << n;
    EXPECT_FALSE(parsed.value().has_value()) << n;
  }
  auto parsed = Parse(full);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed.value().has_value());
}

TEST(HttpResponseParserTest, HeadOfExactlyTheLimitIsAccepted) {
  const std::string head = HeadOfSize(client_limits::kMaxResponseHeadBytes);
  ASSERT_EQ(head.size(), client_limits::kMaxResponseHeadBytes);
  auto end = FindResponseHeadEnd(AsBytes(head));
  ASSERT_TRUE(end.ok());
  ASSERT_TRUE(end.value().has_value());
  EXPECT_EQ(*end.value(), client_limits::kMaxResponseHeadBytes);
  auto parsed = Parse(head);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed.value().has_value());
}

TEST(HttpResponseParserTest, HeadOneByteOverTheLimitIsRefused) {
  const std::string head = HeadOfSize(client_limits::kMaxResponseHeadBytes + 1);
  EXPECT_EQ(FindResponseHeadEnd(AsBytes(head)).error(), Error::kLimitExceeded);
  EXPECT_EQ(Parse(head).error(), Error::kLimitExceeded);
  EXPECT_EQ(ParseResponseHead(AsBytes(head), kBodyLimit).error(), Error::kLimitExceeded);
  // Refused as soon as the limit is reached, not only once the head ends.
  EXPECT_EQ(Parse(std::string_view(head).substr(0, client_limits::kMaxResponseHeadBytes)).error(),
            Error::kLimitExceeded);
  auto short_of_limit = Parse(std::string_view(head).substr(0, client_limits::kMaxResponseHeadBytes - 1));
  ASSERT_TRUE(short_of_limit.ok());
  EXPECT_FALSE(short_of_limit.value().has_value());
}

TEST(HttpResponseParserTest, TooManyHeaderFieldsAreRefused) {
  std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n";
  for (std::size_t i = 1; i < client_limits::kMaxResponseHeaders; ++i) head += "X: y\r\n";
  EXPECT_TRUE(Parse(head + "\r\n").ok());
  EXPECT_EQ(Parse(head + "X: y\r\n\r\n").error(), Error::kLimitExceeded);
}

TEST(HttpResponseParserTest, BodyAtTheLimitIsAcceptedAndOneMoreRefused) {
  const std::string body(kBodyLimit, 'b');
  auto at_limit = Parse("HTTP/1.1 200 OK\r\nContent-Length: 1024\r\n\r\n" + body);
  ASSERT_TRUE(at_limit.ok());
  EXPECT_TRUE(at_limit.value().has_value());
  // Refused from the head alone, before any body byte arrives.
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nContent-Length: 1025\r\n\r\n").error(),
            Error::kLimitExceeded);
}

TEST(HttpResponseParserTest, BadStatusLinesAreRefused) {
  for (const char* line : {
           "HTTP/1.0 200 OK",      // another version
           "HTTP/2 200 OK",        //
           "http/1.1 200 OK",      // the version is case-sensitive
           "HTTP/1.1 200",         // no space before the reason
           "HTTP/1.1  200 OK",     // two spaces
           "HTTP/1.1 20 OK",       // two digits
           "HTTP/1.1 2000 OK",     // four digits
           "HTTP/1.1 2x0 OK",      // not a digit
           "HTTP/1.1 100 Continue",  // interim
           "HTTP/1.1 600 Nope",    // out of range
           "HTTP/1.1 200 O\x01K",  // control character in the reason
           "HTTP/1.1 200 OK\r",    // stray CR
           "ICY 200 OK",           //
       }) {
    const std::string text = std::string(line) + "\r\nContent-Length: 0\r\n\r\n";
    EXPECT_EQ(Parse(text).error(), Error::kIo) << line;
  }
}

TEST(HttpResponseParserTest, AStreamThatIsNotHttpFailsBeforeItsHeadEnds) {
  EXPECT_EQ(Parse("SSH-2.0-").error(), Error::kIo);
  auto prefix = Parse("HTTP/1.");
  ASSERT_TRUE(prefix.ok());
  EXPECT_FALSE(prefix.value().has_value());
}

TEST(HttpResponseParserTest, BadLineEndingsAreRefused) {
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n").error(), Error::kIo);
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n\r\n").error(), Error::kIo);
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nX: a\rb\r\nContent-Length: 0\r\n\r\n").error(), Error::kIo);
}

TEST(HttpResponseParserTest, MalformedHeaderFieldsAreRefused) {
  for (const char* field : {
           "Content-Length : 0",       // blank before the colon
           " Folded: value",           // obsolete line folding
           "No colon here",            //
           ": empty name",             //
           "Bad\x01Name: x",           //
           "X: nul\x7F",               // DEL in a value
       }) {
    const std::string text =
        std::string("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n") + field + "\r\n\r\n";
    EXPECT_EQ(Parse(text).error(), Error::kIo) << field;
  }
}

TEST(HttpResponseParserTest, ContentLengthMustBeOneDecimalNumber) {
  for (const char* value : {"", "+1", "-1", "1.0", "0x10", "1 2", "12345678901234567890"}) {
    const std::string text = std::string("HTTP/1.1 200 OK\r\nContent-Length: ") + value + "\r\n\r\n";
    EXPECT_EQ(Parse(text).error(), Error::kIo) << value;
  }
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx").error(),
            Error::kIo);
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\n\r\n").error(), Error::kIo);  // no length at all
}

TEST(HttpResponseParserTest, BodyLongerThanContentLengthIsRefused) {
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabc").error(), Error::kIo);
  // A second response after the first is refused too: nothing is pipelined.
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n").error(),
            Error::kIo);
}

TEST(HttpResponseParserTest, BodyShorterThanContentLengthIsIncomplete) {
  auto parsed = Parse("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabc");
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed.value().has_value());
}

TEST(HttpResponseParserTest, TransferEncodingIsRefused) {
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").error(),
            Error::kIo);
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nTransfer-Encoding: identity\r\n\r\n")
                .error(),
            Error::kIo);
}

TEST(HttpResponseParserTest, DuplicateContentTypeOrConnectionIsRefused) {
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nContent-Type: a/b\r\n"
                  "Content-Type: a/b\r\n\r\n")
                .error(),
            Error::kIo);
  EXPECT_EQ(Parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n"
                  "Connection: keep-alive\r\n\r\n")
                .error(),
            Error::kIo);
}

TEST(HttpResponseParserTest, ParseResponseHeadWantsExactlyOneHead) {
  EXPECT_EQ(ParseResponseHead(AsBytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"), kBodyLimit)
                .error(),
            Error::kIo);
  EXPECT_EQ(
      ParseResponseHead(AsBytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nx"), kBodyLimit)
          .error(),
      Error::kIo);
}

}  // namespace
}  // namespace amparo::submit

namespace amparo::submit {
namespace {

// Random edits of valid responses must never crash the parser, and whatever
// it accepts must be self-consistent. A light stand-in for fuzzing that runs
// in every build.
TEST(HttpResponseParserTest, SurvivesRandomEdits) {
  const std::vector<std::string> seeds = {
      "HTTP/1.1 201 Created\r\nContent-Type: application/x-protobuf\r\nContent-Length: 18\r\n\r\n"
      "\x0a\x10" "0123456789abcdef",
      "HTTP/1.1 409 Conflict\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd",
      "HTTP/1.1 204 No Content\r\n\r\n",
  };
  std::mt19937 random(1234);
  for (int round = 0; round < 20000; ++round) {
    std::string text = seeds[static_cast<std::size_t>(round) % seeds.size()];
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = random() % text.size();
      switch (random() % 4) {
        case 0: text[at] = static_cast<char>(random() & 0xFF); break;
        case 1: text.erase(at, 1 + random() % 8); break;
        case 2: text.insert(at, std::string(1 + random() % 8, static_cast<char>(random() & 0xFF))); break;
        default: text.resize(at); break;
      }
    }
    auto parsed = ParseResponse(AsBytes(text), 64);
    if (parsed.ok() && parsed.value().has_value()) {
      const HttpResponse& response = *parsed.value();
      EXPECT_EQ(response.body.size(), response.head.content_length);
      EXPECT_GE(response.head.status, 200);
      EXPECT_LE(response.head.status, 599);
    }
  }
}

}  // namespace
}  // namespace amparo::submit
