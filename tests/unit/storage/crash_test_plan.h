#pragma once
// crash_test_plan.h: what the crash-test child writes, so that the parent can
// recompute every byte it should find after the kill.

#include <cstdint>

#include "storage/envelope_store.h"
#include "tests/unit/storage/store_test_util.h"

namespace amparo::storage::test {

inline constexpr std::uint64_t kSyncPutThreads = 4;
// Each round numbers its envelopes and uploads from its own base.
inline std::uint64_t RoundBase(std::uint64_t round) { return (round + 1) * 10'000'000; }
inline constexpr std::uint64_t kAsyncPutOffset = 5'000'000;
// Upload u becomes envelope kUploadEnvelopes + u.
inline constexpr std::uint64_t kUploadEnvelopes = std::uint64_t{1} << 40;
inline constexpr std::uint64_t kUploadHeadBytes = 924;

inline EnvelopeId UploadEnvelope(std::uint64_t u) { return EnvelopeNumber(kUploadEnvelopes + u); }

// UploadTotal is a little over 3 MiB, different per upload.
inline std::uint64_t UploadTotal(std::uint64_t u) { return 3 * 1024 * 1024 + (u % 7) * 12345 + 1; }

// UploadPiece is the size of the append at `offset`: 64 KiB to about 300 KB,
// so that appends straddle chunk boundaries in every way.
inline std::uint64_t UploadPiece(std::uint64_t u, std::uint64_t offset) {
  return 64 * 1024 + ((u + offset) % 5) * 60000;
}

}  // namespace amparo::storage::test
