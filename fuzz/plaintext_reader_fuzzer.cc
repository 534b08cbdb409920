// Fuzzes PlaintextReader, the workstation's split of an opened envelope's
// plaintext. Input: u32be(x) || plaintext, where P = 4096 + x mod (1 MiB -
// 4096 + 1); the plaintext is written once whole and once in pieces whose
// sizes the byte at each piece's start chooses. Both give the same verdict;
// every refusal is kMalformedEnvelope; an accepted plaintext is exactly P
// bytes, its Submission is ready, and each sink got exactly its entry's
// length, in manifest order.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/io.h"
#include "common/limits.h"
#include "common/result.h"
#include "fuzz/fuzz_support.h"
#include "protocol/plaintext_reader.h"

namespace {

namespace protocol = amparo::protocol;
using amparo::fuzz::Check;

constexpr std::uint64_t kMinPadded = 4096;
constexpr std::uint64_t kMaxPadded = 1024 * 1024;
constexpr std::array<std::size_t, 8> kSteps = {1, 2, 3, 4, 7, 64, 4093, 65536};

// CountingSink discards what it is given, counting it.
class CountingSink final : public amparo::ByteSink {
 public:
  amparo::Status Write(std::span<const std::uint8_t> data) override {
    count_ += data.size();
    return amparo::OkStatus();
  }
  std::uint64_t count() const { return count_; }

 private:
  std::uint64_t count_ = 0;
};

// Outcome is what one pass over the plaintext decided.
struct Outcome {
  amparo::Status status;
  std::vector<std::size_t> opened;    // attachment indexes, in call order
  std::vector<std::uint64_t> counts;  // bytes each sink received
  bool ready = false;
  std::uint64_t fed = 0;
};

Outcome Read(std::uint64_t padded_length, std::span<const std::uint8_t> plaintext, bool split) {
  Outcome outcome;
  std::vector<CountingSink> sinks(amparo::limits::kMaxAttachments);
  protocol::PlaintextReader reader(
      padded_length, [&](std::size_t index, const amparo::v1::Attachment&) -> amparo::ByteSink* {
        // The reader never opens more entries than it accepts.
        Check(index < sinks.size() && index == outcome.opened.size());
        outcome.opened.push_back(index);
        return &sinks[index];
      });
  amparo::Status status;
  while (!plaintext.empty() && status.ok()) {
    const std::size_t step = split ? kSteps[plaintext.front() % kSteps.size()] : plaintext.size();
    const auto piece = plaintext.first(std::min(step, plaintext.size()));
    status = reader.Write(piece);
    if (status.ok()) outcome.fed += piece.size();
    plaintext = plaintext.subspan(piece.size());
  }
  outcome.status = status.ok() ? reader.Finish() : status;
  outcome.ready = reader.submission_ready();
  if (outcome.status.ok()) {
    for (std::size_t i = 0; i < outcome.opened.size(); ++i) outcome.counts.push_back(sinks[i].count());
    const auto& attachments = reader.submission().attachments();
    Check(static_cast<std::size_t>(attachments.size()) == outcome.opened.size());
    for (int i = 0; i < attachments.size(); ++i) {
      Check(outcome.counts[static_cast<std::size_t>(i)] == attachments[i].length());
      Check(protocol::ValidateAttachmentEntry(attachments[i]).ok());
    }
  }
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const std::uint32_t selector = (std::uint32_t{data[0]} << 24) | (std::uint32_t{data[1]} << 16) |
                                 (std::uint32_t{data[2]} << 8) | data[3];
  const std::uint64_t padded_length = kMinPadded + selector % (kMaxPadded - kMinPadded + 1);
  const std::span<const std::uint8_t> plaintext(data + 4, size - 4);

  const Outcome whole = Read(padded_length, plaintext, false);
  const Outcome split = Read(padded_length, plaintext, true);
  Check(whole.status.ok() == split.status.ok());
  for (const Outcome* outcome : {&whole, &split}) {
    if (!outcome->status.ok()) {
      Check(outcome->status.error() == amparo::Error::kMalformedEnvelope);
      continue;
    }
    Check(outcome->fed == padded_length && plaintext.size() == padded_length);
    Check(outcome->ready);
  }
  if (whole.status.ok()) Check(whole.opened == split.opened && whole.counts == split.counts);
  return 0;
}
