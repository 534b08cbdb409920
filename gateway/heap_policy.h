#pragma once
// heap_policy.h: how the gateway's allocator treats large buffers.

#include <cstddef>

namespace amparo::gateway {

// kLargeAllocationBytes is the size from which an allocation gets pages of
// its own, returned to the system when freed.
inline constexpr std::size_t kLargeAllocationBytes = 128 * 1024;

// ReturnLargeBuffersToTheSystem fixes the allocator's mmap threshold at
// kLargeAllocationBytes. glibc otherwise raises the threshold to the largest
// buffer freed so far (request bodies, upload chunks in memtables), after
// which such buffers come from the heap arenas and their pages stay resident
// once freed: under many parallel uploads that doubled the gateway's peak
// memory. Memtables' own blocks are kept below it on purpose
// (storage::EngineOptions::kArenaBlockBytes): they are reused from one
// memtable to the next, bounded by the memtables' sizes. Call before any
// thread starts; false if the allocator refused.
bool ReturnLargeBuffersToTheSystem();

}  // namespace amparo::gateway
