#pragma once
// store_test_util.h: ids, envelope contents and store opening shared by the
// storage tests and the crash-test child.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <vector>

#include "common/error.h"
#include "storage/envelope_store.h"
#include "storage/rocksdb_store.h"

namespace amparo::storage::test {

// kToday is an ordinary day (2024-10-24) for tests that need one.
inline constexpr Day kToday = 20020;

template <typename IdType>
IdType NumberedId(std::uint8_t kind, std::uint64_t n) {
  typename IdType::Bytes bytes{};
  bytes[0] = kind;
  for (std::size_t i = 0; i < 8; ++i) bytes[8 + i] = static_cast<std::uint8_t>(n >> (56 - 8 * i));
  return IdType(bytes);
}

// EnvelopeNumber and UploadNumber are distinct, non-zero ids.
inline EnvelopeId EnvelopeNumber(std::uint64_t n) { return NumberedId<EnvelopeId>(0xe1, n); }
inline UploadId UploadNumber(std::uint64_t n) { return NumberedId<UploadId>(0x51, n); }

// ContentByte is byte `offset` of the content that belongs to `id`, so that
// any envelope can be checked without keeping a copy.
inline std::uint8_t ContentByte(const EnvelopeId& id, std::uint64_t offset) {
  std::uint64_t seed = 0;
  for (std::uint8_t b : id.bytes()) seed = seed * 131 + b;
  return static_cast<std::uint8_t>((offset * 167 + (offset >> 11) + seed) % 251);
}

inline std::vector<std::uint8_t> ContentFor(const EnvelopeId& id, std::size_t size) {
  std::vector<std::uint8_t> out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = ContentByte(id, i);
  return out;
}

// ContentSizeFor gives envelopes different sizes, some over a chunk.
inline std::size_t ContentSizeFor(std::uint64_t n) { return 1 + (n * 7919) % 20000; }

// OpenOrDie opens a store or ends the process: no storage test can go on
// without one.
inline std::unique_ptr<EnvelopeStore> OpenOrDie(const std::filesystem::path& path,
                                                const RocksDbStoreOptions& options = {}) {
  auto store = OpenRocksDbStore(path, options);
  if (!store.ok()) {
    std::fprintf(stderr, "OpenRocksDbStore failed: %s\n",
                 std::string(ErrorName(store.error())).c_str());
    std::abort();
  }
  return std::move(store).value();
}

}  // namespace amparo::storage::test
