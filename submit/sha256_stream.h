#pragma once
// sha256_stream.h: SHA-256 over a stream, for attachment digests computed
// without holding a file in memory.

#include <array>
#include <cstdint>
#include <span>

#include "common/io.h"
#include "common/result.h"

struct evp_md_ctx_st;

namespace amparo::submit {

using Sha256Digest = std::array<std::uint8_t, 32>;

// Sha256Stream accumulates a digest; it owns its OpenSSL context.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void Update(std::span<const std::uint8_t> data);
  // Finish returns the digest; the stream must not be used afterwards.
  Sha256Digest Finish();

 private:
  evp_md_ctx_st* ctx_;
};

// HashingSource passes a borrowed source through, hashing what it yields.
class HashingSource final : public ByteSource {
 public:
  explicit HashingSource(ByteSource& inner) : inner_(inner) {}
  Result<std::size_t> Read(std::span<std::uint8_t> out) override;
  // Finish returns the digest of everything read.
  Sha256Digest Finish() { return hash_.Finish(); }

 private:
  ByteSource& inner_;
  Sha256Stream hash_;
};

}  // namespace amparo::submit
