#include "gateway/heap_policy.h"

#include <malloc.h>

#include "common/sanitizer_build.h"
#include "storage/rocksdb_engine.h"

namespace amparo::gateway {

// Memtable blocks must come from the heap, below the threshold, to be reused.
static_assert(storage::EngineOptions::kArenaBlockBytes < kLargeAllocationBytes);

bool ReturnLargeBuffersToTheSystem() {
  // AddressSanitizer's allocator replaces glibc's and ignores mallopt.
  if constexpr (kSanitizerBuild) return true;
  return ::mallopt(M_MMAP_THRESHOLD, static_cast<int>(kLargeAllocationBytes)) == 1;
}

}  // namespace amparo::gateway
