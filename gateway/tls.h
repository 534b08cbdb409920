#pragma once
// tls.h: the gateway's TLS policy and its demo certificate, on OpenSSL alone.

#include <openssl/ssl.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"

namespace amparo::gateway {

// ConfigureServerTls applies the policy to ctx: TLS 1.2 and 1.3 only, and in
// TLS 1.2 only ECDHE key exchange with AEAD ciphers, so that every session is
// forward secret; no compression, no renegotiation, no session tickets (a
// ticket key would let one stolen secret open past sessions). It then loads
// the certificate chain and private key; kIo if either cannot be loaded or
// they do not match.
Status ConfigureServerTls(SSL_CTX* ctx, const std::filesystem::path& certificate_chain,
                          const std::filesystem::path& private_key);

// GenerateSelfSignedCertificate writes a new ECDSA P-256 private key (mode
// 0600) and a self-signed certificate naming `hosts` (DNS names or IP
// addresses) in subjectAltName. Browsers refuse Ed25519 certificates, hence
// P-256. For demos and tests only; kIo on failure.
Status GenerateSelfSignedCertificate(const std::filesystem::path& certificate,
                                     const std::filesystem::path& private_key,
                                     const std::vector<std::string>& hosts);

}  // namespace amparo::gateway
