#pragma once
// secret_text.h: test helper that puts literal text (a passphrase) into the
// locked SecretBuffer the crypto API takes.

#include <algorithm>
#include <string_view>

#include "crypto/secret.h"

namespace amparo::test {

inline crypto::SecretBuffer SecretText(std::string_view text) {
  crypto::SecretBuffer buffer(text.size());
  std::copy(text.begin(), text.end(), buffer.data());
  return buffer;
}

}  // namespace amparo::test
