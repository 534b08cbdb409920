// Fuzzes an export file as the workstation reads it: ReadExportPreamble pinned
// to the corpus node key, CopyExportEntry for every entry into a discarding
// sink, then ExpectEndOfExport; once in one piece and once through reads split
// at odd sizes. Both give the same verdict and content; a verified preamble is
// exactly the re-encoding of its content around its signature; an accepted
// file is exactly as long as its preamble and entries.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/io.h"
#include "common/result.h"
#include "crypto/signatures.h"
#include "fuzz/fuzz_support.h"
#include "protocol/export_file.h"

namespace {

namespace protocol = amparo::protocol;
using amparo::fuzz::Check;

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

// Outcome is what one pass over the input decided.
struct Outcome {
  bool preamble_ok = false;
  protocol::ExportManifestContent content;
  std::size_t entries_copied = 0;
  bool ok = false;
  amparo::Error error = amparo::Error::kNotFound;
};

Outcome Import(amparo::ByteSource& source, std::span<const amparo::crypto::Ed25519PublicKey> pins) {
  Outcome outcome;
  auto preamble = protocol::ReadExportPreamble(source, pins);
  if (!preamble.ok()) {
    outcome.error = preamble.error();
    return outcome;
  }
  outcome.preamble_ok = true;
  outcome.content = preamble.value();
  for (const protocol::ExportEntryInfo& entry : outcome.content.entries) {
    CountingSink sink;
    const amparo::Status copied = protocol::CopyExportEntry(source, entry, sink);
    if (!copied.ok()) {
      outcome.error = copied.error();
      return outcome;
    }
    Check(sink.count() == entry.length);
    ++outcome.entries_copied;
  }
  const amparo::Status end = protocol::ExpectEndOfExport(source);
  if (!end.ok()) {
    outcome.error = end.error();
    return outcome;
  }
  outcome.ok = true;
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const amparo::crypto::Ed25519PublicKey pinned{amparo::fuzz::kExportNodePublicKey};
  const std::array<amparo::crypto::Ed25519PublicKey, 1> pins = {pinned};
  const std::span<const std::uint8_t> input(data, size);

  amparo::SpanSource whole(input);
  const Outcome outcome = Import(whole, pins);
  static constexpr std::array<std::size_t, 4> kSteps = {1, 3, 8, 4093};
  amparo::fuzz::SplitSource split_source(input, kSteps);
  const Outcome split = Import(split_source, pins);
  Check(split.preamble_ok == outcome.preamble_ok && split.ok == outcome.ok &&
        split.entries_copied == outcome.entries_copied);
  if (!outcome.ok) Check(split.error == outcome.error);
  if (!outcome.preamble_ok) return 0;
  Check(split.content == outcome.content);

  const protocol::ExportManifestContent& content = outcome.content;
  Check(content.node_public_key == pinned);
  Check(protocol::ValidateExportManifest(content).ok());
  Check(protocol::LooksLikeExportFile(input));
  // Canonical: the preamble read is the one the writer makes of its content.
  std::uint32_t m = 0;
  for (std::size_t i = 5; i < 9; ++i) m = (m << 8) | input[i];
  const auto signature = input.subspan(9 + m - amparo::crypto::kEd25519SignatureSize)
                             .first<amparo::crypto::kEd25519SignatureSize>();
  amparo::VectorSink rewritten;
  Check(protocol::WriteExportPreamble(
            rewritten, protocol::EncodeSignedExportManifest(
                           protocol::EncodeExportManifest(content), signature))
            .ok());
  const std::vector<std::uint8_t> preamble(input.begin(), input.begin() + 9 + m);
  Check(rewritten.bytes() == preamble);
  if (outcome.ok) {
    std::uint64_t total = preamble.size();
    for (const protocol::ExportEntryInfo& entry : content.entries) total += entry.length;
    Check(total == size);
  }
  return 0;
}
