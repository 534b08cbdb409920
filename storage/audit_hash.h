#pragma once
// audit_hash.h: the link of the operator audit chain,
//   hash = SHA-256(prev_hash || u64be(seq) || i64be(day) || text),
// where the first record's prev_hash is 32 zero bytes. Fixed-width fields
// precede the one variable field, so no two records hash the same input.

#include <array>
#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace amparo::storage {

using AuditDigest = std::array<std::uint8_t, 32>;

// AuditHash returns the record's hash; kUnavailable if OpenSSL cannot
// allocate its digest context.
Result<AuditDigest> AuditHash(const AuditDigest& prev_hash, std::uint64_t seq, std::int64_t day,
                              std::string_view text);

}  // namespace amparo::storage
