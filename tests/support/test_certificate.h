#pragma once
// test_certificate.h: throw-away TLS certificates and a one-shot TLS server
// for client tests, on OpenSSL alone. Certificates are made like the
// gateway's demo certificate: ECDSA P-256, self-signed, names in
// subjectAltName.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdlib>
#include <memory>
#include <string>

namespace amparo::test {

// TestCertificate owns a key and a self-signed certificate.
struct TestCertificate {
  struct KeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
  struct CertFree { void operator()(X509* p) const { X509_free(p); } };
  std::unique_ptr<EVP_PKEY, KeyFree> key;
  std::unique_ptr<X509, CertFree> certificate;

  // Pem returns the certificate in PEM form.
  std::string Pem() const {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, certificate.get());
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<std::size_t>(length));
    BIO_free(bio);
    return pem;
  }
};

// MakeSelfSignedCertificate names `alt_names` (e.g. "DNS:localhost,IP:127.0.0.1")
// and is valid from now + not_before_seconds to now + not_after_seconds;
// aborts on failure, since no TLS test can run without it.
inline TestCertificate MakeSelfSignedCertificate(const std::string& alt_names,
                                                 long not_before_seconds = -60,
                                                 long not_after_seconds = 3600) {
  TestCertificate result;
  result.key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  result.certificate.reset(X509_new());
  X509* x509 = result.certificate.get();
  if (!result.key || x509 == nullptr) std::abort();
  X509_set_version(x509, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x509), 1);
  X509_gmtime_adj(X509_getm_notBefore(x509), not_before_seconds);
  X509_gmtime_adj(X509_getm_notAfter(x509), not_after_seconds);
  X509_set_pubkey(x509, result.key.get());
  X509_NAME* name = X509_get_subject_name(x509);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("amparo test"), -1, -1, 0);
  X509_set_issuer_name(x509, name);
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, x509, x509, nullptr, nullptr, 0);
  X509_EXTENSION* extension =
      X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, alt_names.c_str());
  if (extension == nullptr || X509_add_ext(x509, extension, -1) != 1) std::abort();
  X509_EXTENSION_free(extension);
  if (X509_sign(x509, result.key.get(), EVP_sha256()) == 0) std::abort();
  return result;
}

// TlsServerContext returns a server context presenting `certificate`; the
// caller owns it (SSL_CTX_free).
inline SSL_CTX* TlsServerContext(const TestCertificate& certificate) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr || SSL_CTX_use_certificate(ctx, certificate.certificate.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, certificate.key.get()) != 1) {
    std::abort();
  }
  return ctx;
}

}  // namespace amparo::test
