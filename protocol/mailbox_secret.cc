#include "protocol/mailbox_secret.h"

#include <string_view>

#include "common/byte_reader.h"
#include "common/file_io.h"
#include "common/hex.h"

namespace amparo::protocol {
namespace {

constexpr std::size_t kMaxFileBytes = 4096;
constexpr std::string_view kWarning =
    "# amparo gateway mailbox secret: names follow-up mailboxes in the store; keep it private.\n";

}  // namespace

Status CreateMailboxSecret(const std::filesystem::path& file, crypto::RandomSource& random) {
  crypto::SecretBytes<crypto::kMailboxSecretSize> secret;
  random.Fill(secret.span());
  // The hex is built in locked memory and wiped with it.
  crypto::SecretBuffer text(kWarning.size() + 2 * secret.size() + 1);
  std::copy(kWarning.begin(), kWarning.end(), text.data());
  constexpr std::string_view kDigits = "0123456789abcdef";
  std::uint8_t* out = text.data() + kWarning.size();
  for (std::uint8_t b : secret.span()) {
    *out++ = static_cast<std::uint8_t>(kDigits[b >> 4]);
    *out++ = static_cast<std::uint8_t>(kDigits[b & 15]);
  }
  *out = '\n';
  return WriteNewFile(file, AsText(text.span()));
}

Result<crypto::SecretBytes<crypto::kMailboxSecretSize>> LoadMailboxSecret(
    const std::filesystem::path& file) {
  auto text = ReadSmallFile(file, kMaxFileBytes);
  if (!text.ok()) return text.error();
  std::string_view rest = text.value();
  crypto::SecretBytes<crypto::kMailboxSecretSize> secret;
  bool seen = false;
  bool valid = true;
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (line.empty() || line.front() == '#') continue;
    if (seen || !HexDecode(line, secret.span())) valid = false;
    seen = true;
  }
  // The file's copy of the secret is wiped before it is freed.
  crypto::Wipe(std::span(reinterpret_cast<std::uint8_t*>(text.value().data()), text.value().size()));
  if (!valid || !seen) return Error::kInvalidKey;
  return secret;
}

}  // namespace amparo::protocol
