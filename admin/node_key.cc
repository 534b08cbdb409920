#include "admin/node_key.h"

#include <string_view>

#include "common/byte_reader.h"
#include "common/file_io.h"
#include "common/hex.h"
#include "crypto/secret.h"

namespace amparo::admin {
namespace {

constexpr std::size_t kMaxNodeKeyFileBytes = 4096;
constexpr std::string_view kWarning =
    "# amparo gateway node export-signing key: keep it private; it never leaves this host.\n";

}  // namespace

std::string NodeKeyText(const crypto::Ed25519PublicKey& key) { return HexEncodeGrouped(key.bytes); }

Result<crypto::SigningKey> CreateNodeKey(const std::filesystem::path& file,
                                         crypto::RandomSource& random) {
  auto key = crypto::SigningKey::Generate(random);
  // The seed's hex is built in locked memory and wiped with it.
  const std::string head =
      std::string(kWarning) + "# node key: " + NodeKeyText(key.public_key()) + "\n";
  crypto::SecretBuffer text(head.size() + 2 * key.seed().size() + 1);
  std::copy(head.begin(), head.end(), text.data());
  constexpr std::string_view kDigits = "0123456789abcdef";
  std::uint8_t* out = text.data() + head.size();
  for (std::uint8_t b : key.seed()) {
    *out++ = static_cast<std::uint8_t>(kDigits[b >> 4]);
    *out++ = static_cast<std::uint8_t>(kDigits[b & 15]);
  }
  *out = '\n';
  const Status written = WriteNewFile(file, AsText(text.span()));
  if (!written.ok()) return written.error();
  return key;
}

Result<crypto::SigningKey> LoadNodeKey(const std::filesystem::path& file) {
  auto text = ReadSmallFile(file, kMaxNodeKeyFileBytes);
  if (!text.ok()) return text.error();
  std::string_view rest = text.value();
  Result<crypto::SigningKey> key = Error::kInvalidKey;
  bool seen = false;
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (line.empty() || line.front() == '#') continue;
    crypto::SecretBytes<32> seed;
    if (seen || !HexDecode(line, seed.span())) {
      key = Error::kInvalidKey;
      break;
    }
    seen = true;
    key = crypto::SigningKey::FromSeed(seed.span());
  }
  crypto::Wipe({reinterpret_cast<std::uint8_t*>(text.value().data()), text.value().size()});
  return key;
}

}  // namespace amparo::admin
