#include "tests/support/freed_memory_probe.h"

#include <malloc.h>
#include <string.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>

namespace amparo::test {
namespace {

std::atomic<bool> g_active{false};
std::atomic<std::size_t> g_hits{0};
std::uint8_t g_pattern[FreedMemoryProbe::kMaxPatternSize];
std::size_t g_pattern_size = 0;

[[maybe_unused]] void Inspect(void* block) {
  if (block == nullptr || !g_active.load(std::memory_order_acquire)) return;
  const std::size_t size = ::malloc_usable_size(block);
  if (::memmem(block, size, g_pattern, g_pattern_size) != nullptr) {
    g_hits.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace

FreedMemoryProbe::FreedMemoryProbe(std::span<const std::uint8_t> pattern) {
  if (pattern.empty() || pattern.size() > kMaxPatternSize || g_active.load()) std::abort();
  std::copy(pattern.begin(), pattern.end(), g_pattern);
  g_pattern_size = pattern.size();
  g_hits.store(0);
  g_active.store(true, std::memory_order_release);
}

FreedMemoryProbe::~FreedMemoryProbe() { g_active.store(false, std::memory_order_release); }

std::size_t FreedMemoryProbe::hits() const { return g_hits.load(); }

}  // namespace amparo::test

#if !AMPARO_ADDRESS_SANITIZER
void operator delete(void* block) noexcept {
  amparo::test::Inspect(block);
  std::free(block);
}

void operator delete[](void* block) noexcept {
  amparo::test::Inspect(block);
  std::free(block);
}

void operator delete(void* block, std::size_t) noexcept {
  amparo::test::Inspect(block);
  std::free(block);
}

void operator delete[](void* block, std::size_t) noexcept {
  amparo::test::Inspect(block);
  std::free(block);
}
#endif
