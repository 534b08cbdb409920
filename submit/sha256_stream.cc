#include "submit/sha256_stream.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace amparo::submit {

Sha256Stream::Sha256Stream() : ctx_(EVP_MD_CTX_new()) {
  // Failing here means OpenSSL cannot allocate or has no SHA-256: nothing
  // sensible can continue.
  if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) std::abort();
}

Sha256Stream::~Sha256Stream() { EVP_MD_CTX_free(ctx_); }

void Sha256Stream::Update(std::span<const std::uint8_t> data) {
  if (EVP_DigestUpdate(ctx_, data.data(), data.size()) != 1) std::abort();
}

Sha256Digest Sha256Stream::Finish() {
  Sha256Digest digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx_, digest.data(), &length) != 1 || length != digest.size()) {
    std::abort();
  }
  return digest;
}

Result<std::size_t> HashingSource::Read(std::span<std::uint8_t> out) {
  auto got = inner_.Read(out);
  if (got.ok()) hash_.Update(out.first(got.value()));
  return got;
}

}  // namespace amparo::submit
