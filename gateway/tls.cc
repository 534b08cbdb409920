#include "gateway/tls.h"

#include "common/tls_policy.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <memory>

namespace amparo::gateway {
namespace {

constexpr long kCertificateDays = 365;

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct FileClose { void operator()(std::FILE* f) const { std::fclose(f); } };

bool AddAltName(X509* certificate, const std::vector<std::string>& hosts) {
  std::string names;
  for (const auto& host : hosts) {
    if (!names.empty()) names += ',';
    const bool is_ip = host.find_first_not_of("0123456789.:") == std::string::npos;
    names += (is_ip ? "IP:" : "DNS:") + host;
  }
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension =
      X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, names.c_str());
  if (extension == nullptr) return false;
  const bool added = X509_add_ext(certificate, extension, -1) == 1;
  X509_EXTENSION_free(extension);
  return added;
}

}  // namespace

Status ConfigureServerTls(SSL_CTX* ctx, const std::filesystem::path& certificate_chain,
                          const std::filesystem::path& private_key) {
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1 ||
      SSL_CTX_set_ciphersuites(ctx, kTls13Suites) != 1) {
    return Error::kIo;
  }
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET |
                               SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  if (SSL_CTX_use_certificate_chain_file(ctx, certificate_chain.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, private_key.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1) {
    return Error::kIo;
  }
  return OkStatus();
}

Status GenerateSelfSignedCertificate(const std::filesystem::path& certificate,
                                     const std::filesystem::path& private_key,
                                     const std::vector<std::string>& hosts) {
  std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  std::unique_ptr<X509, X509Free> x509(X509_new());
  if (!key || !x509) return Error::kIo;
  X509_set_version(x509.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x509.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(x509.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(x509.get()), kCertificateDays * 24 * 3600);
  X509_set_pubkey(x509.get(), key.get());
  X509_NAME* name = X509_get_subject_name(x509.get());
  const std::string common_name = hosts.empty() ? "localhost" : hosts.front();
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(x509.get(), name);
  if (!AddAltName(x509.get(), hosts) || X509_sign(x509.get(), key.get(), EVP_sha256()) == 0) {
    return Error::kIo;
  }
  // The key file is created 0600 from the start, never readable by others.
  const mode_t old_mask = ::umask(077);
  std::unique_ptr<std::FILE, FileClose> key_file(std::fopen(private_key.c_str(), "wx"));
  ::umask(old_mask);
  if (!key_file ||
      PEM_write_PrivateKey(key_file.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Error::kIo;
  }
  std::unique_ptr<std::FILE, FileClose> cert_file(std::fopen(certificate.c_str(), "wx"));
  if (!cert_file || PEM_write_X509(cert_file.get(), x509.get()) != 1) return Error::kIo;
  return OkStatus();
}

}  // namespace amparo::gateway
