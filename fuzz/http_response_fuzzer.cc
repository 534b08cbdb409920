// Fuzzes the client's HTTP response parser (ParseResponse, with it
// FindResponseHeadEnd and ParseResponseHead) under a small and a large body
// limit: an accepted response has a body no longer than the limit and exactly
// its Content-Length, is the head found plus that body, and no strict prefix
// of it is anything but incomplete.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "common/result.h"
#include "fuzz/fuzz_support.h"
#include "submit/http_response_parser.h"

namespace {

namespace submit = amparo::submit;
using amparo::fuzz::Check;

constexpr std::array<std::size_t, 2> kLimits = {16, 1 << 20};

bool SameHead(const submit::HttpResponseHead& a, const submit::HttpResponseHead& b) {
  return a.status == b.status && a.content_length == b.content_length &&
         a.content_type == b.content_type && a.connection_close == b.connection_close;
}

void CheckIncomplete(std::span<const std::uint8_t> prefix, std::size_t limit) {
  const auto parsed = submit::ParseResponse(prefix, limit);
  Check(parsed.ok() && !parsed.value().has_value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  std::optional<submit::HttpResponse> accepted_small;
  for (const std::size_t limit : kLimits) {
    const auto parsed = submit::ParseResponse(input, limit);
    if (!parsed.ok() || !parsed.value().has_value()) {
      // A response within the small limit is within the large one too.
      Check(!accepted_small.has_value());
      continue;
    }
    const submit::HttpResponse& response = *parsed.value();
    Check(response.body.size() <= limit);
    Check(response.body.size() == response.head.content_length);
    Check(response.head.status >= 200 && response.head.status <= 599);

    const auto end = submit::FindResponseHeadEnd(input);
    Check(end.ok() && end.value().has_value());
    const std::size_t head_length = *end.value();
    Check(head_length + response.body.size() == size);
    const auto head = submit::ParseResponseHead(input.first(head_length), limit);
    Check(head.ok() && SameHead(head.value(), response.head));
    const auto body = input.subspan(head_length);
    Check(std::equal(body.begin(), body.end(), response.body.begin(), response.body.end()));

    CheckIncomplete(input.first(0), limit);
    CheckIncomplete(input.first(head_length - 1), limit);
    CheckIncomplete(input.first(size - 1), limit);
    if (accepted_small.has_value()) {
      Check(SameHead(accepted_small->head, response.head) && accepted_small->body == response.body);
    } else {
      accepted_small = response;
    }
  }
  return 0;
}
