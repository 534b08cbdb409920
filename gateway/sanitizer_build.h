#pragma once
// sanitizer_build.h: whether this build runs under AddressSanitizer, whose
// leak checker, at exit, reads /proc/self/maps and traces the process from a
// helper it forks. The sandbox lets it, in such builds only.

namespace amparo::gateway {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitizerBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitizerBuild = true;
#else
inline constexpr bool kSanitizerBuild = false;
#endif
#else
inline constexpr bool kSanitizerBuild = false;
#endif

}  // namespace amparo::gateway
