#pragma once
// sanitizer_build.h: whether this build runs under AddressSanitizer (GCC
// says so with __SANITIZE_ADDRESS__, Clang with __has_feature). Such a build
// owns the allocator, and its leak checker, at exit, reads /proc/self/maps
// and traces the process from a helper it forks: the gateway's sandbox lets
// it, in such builds only.

#if defined(__SANITIZE_ADDRESS__)
#define AMPARO_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AMPARO_ADDRESS_SANITIZER 1
#endif
#endif
#ifndef AMPARO_ADDRESS_SANITIZER
#define AMPARO_ADDRESS_SANITIZER 0
#endif

namespace amparo {

inline constexpr bool kSanitizerBuild = AMPARO_ADDRESS_SANITIZER == 1;

}  // namespace amparo
