#include "crypto/sodium.h"

#include <sodium.h>

#include <cstdlib>

namespace amparo::crypto {

void EnsureSodium() {
  static const bool initialised = [] { return sodium_init() >= 0; }();
  if (!initialised) std::abort();
}

}  // namespace amparo::crypto
