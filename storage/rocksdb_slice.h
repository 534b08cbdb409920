#pragma once
// rocksdb_slice.h: string views as RocksDB slices.

#include <rocksdb/slice.h>

#include <string_view>

namespace amparo::storage {

// ToSlice never passes a null pointer, which memcmp in Slice::starts_with
// may not receive even for an empty view.
inline rocksdb::Slice ToSlice(std::string_view text) {
  return text.empty() ? rocksdb::Slice("", 0) : rocksdb::Slice(text.data(), text.size());
}

}  // namespace amparo::storage
