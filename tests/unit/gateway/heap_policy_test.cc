// The allocator policy for large buffers: after a large buffer is freed, a
// smaller one (still over kLargeAllocationBytes) still gets pages of its
// own, which go back to the system when it is freed. Each case runs in a
// child: the policy is process-wide.

#include "gateway/heap_policy.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdlib>
#include <cstring>

#include "common/sanitizer_build.h"
#include "tests/support/forked_child.h"

namespace amparo::gateway {
namespace {

// MappedAfterALargerFree frees a 4 MiB buffer, then says whether a 1 MiB one
// allocated next is mapped on its own (child exit 0) or came from the heap
// (exit 1).
int MappedAfterALargerFree() {
  void* large = std::malloc(4 * 1024 * 1024);
  if (large == nullptr) return 2;
  std::memset(large, 1, 4 * 1024 * 1024);
  std::free(large);
  void* buffer = std::malloc(1024 * 1024);
  if (buffer == nullptr) return 2;
  const bool mapped = ::mallinfo2().hblks > 0;
  std::free(buffer);
  return mapped ? 0 : 1;
}

TEST(HeapPolicyTest, WithoutThePolicyGlibcServesTheSmallerBufferFromTheHeap) {
  // The control: glibc's moving threshold, the behaviour the policy stops.
  if (kSanitizerBuild) GTEST_SKIP() << "the sanitizer's allocator replaces glibc's";
  const auto outcome = test::RunInChild(MappedAfterALargerFree);
  ASSERT_TRUE(outcome.exited) << outcome.stderr_text;
  EXPECT_EQ(outcome.exit_code, 1);
}

TEST(HeapPolicyTest, WithThePolicyTheSmallerBufferIsMappedOnItsOwn) {
  if (kSanitizerBuild) GTEST_SKIP() << "the sanitizer's allocator replaces glibc's";
  const auto outcome = test::RunInChild([] {
    if (!ReturnLargeBuffersToTheSystem()) return 3;
    return MappedAfterALargerFree();
  });
  ASSERT_TRUE(outcome.exited) << outcome.stderr_text;
  EXPECT_EQ(outcome.exit_code, 0);
}

}  // namespace
}  // namespace amparo::gateway
