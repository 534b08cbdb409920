#include "gateway/heap_policy.h"

#include <malloc.h>

#include "common/sanitizer_build.h"

namespace amparo::gateway {

bool ReturnLargeBuffersToTheSystem() {
  // AddressSanitizer's allocator replaces glibc's and ignores mallopt.
  if constexpr (kSanitizerBuild) return true;
  return ::mallopt(M_MMAP_THRESHOLD, static_cast<int>(kLargeAllocationBytes)) == 1;
}

}  // namespace amparo::gateway
