#include "storage/audit_hash.h"

#include <openssl/evp.h>

#include <memory>

namespace amparo::storage {
namespace {

std::array<std::uint8_t, 8> BigEndian(std::uint64_t value) {
  std::array<std::uint8_t, 8> out{};
  for (std::size_t i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(value >> (56 - 8 * i));
  return out;
}

}  // namespace

Result<AuditDigest> AuditHash(const AuditDigest& prev_hash, std::uint64_t seq, std::int64_t day,
                              std::string_view text) {
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                    &EVP_MD_CTX_free);
  if (ctx == nullptr) return Error::kUnavailable;
  const auto seq_bytes = BigEndian(seq);
  const auto day_bytes = BigEndian(static_cast<std::uint64_t>(day));
  AuditDigest out{};
  unsigned int length = 0;
  if (EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), prev_hash.data(), prev_hash.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), seq_bytes.data(), seq_bytes.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), day_bytes.data(), day_bytes.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), text.data(), text.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out.data(), &length) != 1 || length != out.size()) {
    return Error::kUnavailable;
  }
  return out;
}

}  // namespace amparo::storage
