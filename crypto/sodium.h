#pragma once
// sodium.h: one-time libsodium initialisation for the whole process.

namespace amparo::crypto {

// EnsureSodium initialises libsodium once; aborts if it cannot, because no
// cryptographic operation may run on an uninitialised library.
void EnsureSodium();

}  // namespace amparo::crypto
