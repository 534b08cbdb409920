#pragma once
// tls_policy.h: the cipher policy both ends of Amparo's TLS use, so that the
// gateway and its client cannot drift apart. TLS 1.2 only with ECDHE key
// exchange and AEAD ciphers (every session forward secret); TLS 1.3's suites
// are all forward secret.

namespace amparo {

inline constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
inline constexpr const char* kTls13Suites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

}  // namespace amparo
