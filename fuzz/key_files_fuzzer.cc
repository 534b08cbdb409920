// Fuzzes ParseIdentityFile and ParseRecipientsFile: a file is accepted exactly
// when every line but empty ones and '#' comments is a key (and, for
// identities, one is), and each key parsed re-encodes to its line.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/byte_reader.h"
#include "crypto/identities.h"
#include "crypto/keys.h"
#include "crypto/recipients.h"
#include "fuzz/fuzz_support.h"

namespace {

namespace age = amparo::crypto::age;
using amparo::fuzz::Check;

// KeyLines is a second, independent reading of the key-file line format.
std::vector<std::string_view> KeyLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (!line.empty() && !line.starts_with('#')) lines.push_back(line);
  }
  return lines;
}

void CheckIdentityFile(std::string_view text, const std::vector<std::string_view>& lines) {
  const auto identities = age::ParseIdentityFile(text);
  const bool all_keys = std::all_of(lines.begin(), lines.end(), [](std::string_view line) {
    return age::X25519Identity::Parse(line).ok();
  });
  Check(identities.ok() == (!lines.empty() && all_keys));
  if (!identities.ok()) return;
  Check(identities.value().size() == lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    Check(amparo::AsText(identities.value()[i].EncodeSecret().span()) == lines[i]);
  }
}

void CheckRecipientsFile(std::string_view text, const std::vector<std::string_view>& lines) {
  const auto recipients = age::ParseRecipientsFile(text);
  const bool all_keys = std::all_of(lines.begin(), lines.end(), [](std::string_view line) {
    return amparo::crypto::ParseRecipient(line).ok();
  });
  Check(recipients.ok() == all_keys);
  if (!recipients.ok()) return;
  Check(recipients.value().size() == lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    Check(amparo::crypto::EncodeRecipient(recipients.value()[i]) == lines[i]);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = amparo::fuzz::AsChars(data, size);
  const std::vector<std::string_view> lines = KeyLines(text);
  CheckIdentityFile(text, lines);
  CheckRecipientsFile(text, lines);
  return 0;
}
