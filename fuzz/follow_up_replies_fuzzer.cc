// Fuzzes the submitter's reading of its mailbox (submit/follow_up.h,
// RunReplies): the gateway's answers come from the input, through the real
// GatewayClient over an in-memory connection, so that the MailboxListing
// parse, the refusals, the opening of each fetched reply with the receipt
// code's key and ReadReplyPlaintext all see hostile bytes. The input is the
// answers in order, each u32be(length) || the bytes of one HTTP response; a
// connection that closes is opened again on the answers that remain.
//
// Checked: the output is safe for a terminal (no C0 control but the line
// break, no DEL, no C1 control, no Unicode direction override or isolate);
// every line of the errors is one of the tool's own, and says nothing
// received; a success starts with the count of replies read, at most one per
// listed slot.
#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <iterator>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>

#include "common/exit_code.h"
#include "common/limits.h"
#include "crypto/followup_keys.h"
#include "crypto/receipt_code.h"
#include "fuzz/fuzz_support.h"
#include "submit/follow_up.h"
#include "submit/http_client.h"

namespace {

namespace submit = amparo::submit;
using amparo::fuzz::Check;

// kMaxConnections bounds the connections one input may open.
constexpr int kMaxConnections = 64;

// Answers hands out the input's answers in order.
class Answers {
 public:
  explicit Answers(std::span<const std::uint8_t> input) : rest_(input) {}

  // Next returns the next answer: what its length says, or what is left.
  std::span<const std::uint8_t> Next() {
    std::size_t length = 0;
    for (int i = 0; i < 4 && !rest_.empty(); ++i) {
      length = length << 8 | rest_.front();
      rest_ = rest_.subspan(1);
    }
    const auto answer = rest_.first(std::min(length, rest_.size()));
    rest_ = rest_.subspan(answer.size());
    return answer;
  }

 private:
  std::span<const std::uint8_t> rest_;
};

// AnswerStream answers each request with the next answer: the first read
// after a write takes it, and the stream ends where the answer does.
class AnswerStream final : public submit::Stream {
 public:
  explicit AnswerStream(Answers& answers) : answers_(answers) {}

  amparo::Status WriteAll(std::span<const std::uint8_t>, submit::Deadline) override {
    asked_ = true;
    return amparo::OkStatus();
  }

  amparo::Result<std::size_t> ReadSome(std::span<std::uint8_t> out, submit::Deadline) override {
    if (asked_) {
      current_ = answers_.Next();
      asked_ = false;
    }
    const std::size_t n = std::min(out.size(), current_.size());
    std::copy_n(current_.begin(), n, out.begin());
    current_ = current_.subspan(n);
    return n;
  }

  bool PeerClosedOrReadable() override { return !current_.empty(); }

 private:
  Answers& answers_;
  std::span<const std::uint8_t> current_;
  bool asked_ = false;
};

class AnswerConnector final : public submit::Connector {
 public:
  explicit AnswerConnector(Answers& answers) : answers_(answers) {}
  amparo::Result<std::unique_ptr<submit::Stream>> Connect() override {
    if (++connections_ > kMaxConnections) return amparo::Error::kUnavailable;
    return std::unique_ptr<submit::Stream>(std::make_unique<AnswerStream>(answers_));
  }
  std::string_view last_failure() const override { return "cannot connect"; }

 private:
  Answers& answers_;
  int connections_ = 0;
};

amparo::crypto::FollowUpKeys FuzzKeys() {
  amparo::fuzz::SeededRandom random(amparo::fuzz::kReceiptCodeName);
  auto keys = amparo::crypto::DeriveFollowUpKeys(amparo::crypto::GenerateReceiptCode(random));
  Check(keys.ok());
  return std::move(keys).value();
}

// TerminalSafe reports whether text holds none of what Printable replaces.
bool TerminalSafe(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto u = static_cast<unsigned char>(text[i]);
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    const auto third = i + 2 < text.size() ? static_cast<unsigned char>(text[i + 2]) : 0;
    if ((u < 0x20 && u != '\n') || u == 0x7f) return false;
    if (u == 0xc2 && next >= 0x80 && next <= 0x9f) return false;
    if (u == 0xe2 && ((next == 0x80 && third >= 0xaa && third <= 0xae) ||
                      (next == 0x81 && third >= 0xa6 && third <= 0xa9))) {
      return false;
    }
  }
  return true;
}

// KnownErrorLine reports whether a line of the errors is the tool's own.
bool KnownErrorLine(std::string_view line) {
  constexpr std::string_view kKnown[] = {
      "amparo-submit: warning: a reply does not open or read; it was left out",
      "amparo-submit: error: the gateway's answer is not a mailbox listing",
      "amparo-submit: error: too many requests for this code: try again in an hour",
  };
  if (std::find(std::begin(kKnown), std::end(kKnown), line) != std::end(kKnown)) return true;
  // The refusals and transport failures are fixed sentences too, but many:
  // none may hold a received byte, which is all that is checked of them.
  return line.starts_with("amparo-submit: error: ") && TerminalSafe(line);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const amparo::crypto::FollowUpKeys keys = FuzzKeys();
  Answers answers(std::span<const std::uint8_t>(data, size));
  submit::GatewayClient client(std::make_unique<AnswerConnector>(answers), "gateway.example");
  std::ostringstream out;
  std::ostringstream err;
  const int code = submit::RunReplies(client, keys, std::nullopt, out, err);

  const std::string printed = out.str();
  Check(TerminalSafe(printed));
  std::istringstream lines(err.str());
  for (std::string line; std::getline(lines, line);) Check(KnownErrorLine(line));
  if (code == amparo::kExitSuccess) {
    std::size_t count = 0;
    const auto [end, ec] = std::from_chars(printed.data(), printed.data() + printed.size(), count);
    Check(ec == std::errc() && count <= amparo::limits::kMailboxSlots);
    const std::string_view rest(end, static_cast<std::size_t>(printed.data() + printed.size() - end));
    Check(rest.starts_with(count == 1 ? " reply\n" : " replies\n"));
  } else {
    Check(err.str().find("amparo-submit: error: ") != std::string::npos);
  }
  return 0;
}
