#include "reviewer/keystore_session.h"

#include <iostream>
#include <string>

#include "common/exit_code.h"
#include "crypto/random.h"
#include "reviewer/network_guard.h"
#include "reviewer/passphrase_input.h"

namespace amparo::reviewer {

int Fail(std::string_view message, int code) {
  return ReportFailure(std::cerr, "amparo-review", message, code);
}

int FailWith(Error error) { return Fail(ErrorName(error), ExitCodeFor(error)); }

std::optional<int> CheckAirGap(const KeystoreAccess& access) {
  if (access.allow_network) return std::nullopt;
  const auto up = UpNetworkInterfaces();
  if (up.empty()) return std::nullopt;
  std::string names;
  for (const auto& name : up) names += (names.empty() ? "" : ", ") + name;
  return Fail("a network interface is up (" + names +
                  "): this workstation must be air-gapped while the keystore is open; bring "
                  "the interface down, or pass --allow-network if you accept the risk",
              kExitRejected);
}

Result<crypto::SecretBuffer> ReadPassphrase(const KeystoreAccess& access,
                                            std::string_view prompt) {
  if (access.passphrase_fd >= 0) return ReadPassphraseFromFd(access.passphrase_fd);
  return ReadPassphraseFromTerminal(prompt);
}

std::optional<Keystore> OpenKeystore(const KeystoreAccess& access, int* exit_code) {
  if (auto refused = CheckAirGap(access)) {
    *exit_code = *refused;
    return std::nullopt;
  }
  auto passphrase = ReadPassphrase(access, "Keystore passphrase: ");
  if (!passphrase.ok()) {
    *exit_code = Fail("cannot read the passphrase (" + std::string(ErrorName(passphrase.error())) +
                          ")",
                      ExitCodeFor(passphrase.error()));
    return std::nullopt;
  }
  auto keystore = Keystore::Open(access.dir, passphrase.value().span());
  if (!keystore.ok()) {
    switch (keystore.error()) {
      case Error::kNotFound:
        *exit_code = Fail("no keystore in " + access.dir.string() + " (run amparo-review init)",
                          kExitIo);
        break;
      case Error::kBadPassphrase:
        *exit_code = Fail("wrong passphrase, or the keystore file was altered; nothing changed",
                          kExitBadPassphrase);
        break;
      case Error::kUnavailable:
        *exit_code = Fail("the keystore is in use by another amparo-review command",
                          kExitUnavailable);
        break;
      default:
        *exit_code = FailWith(keystore.error());
    }
    return std::nullopt;
  }
  return std::move(keystore).value();
}

std::optional<int> SaveOrFail(Keystore& keystore) {
  crypto::SystemRandom random;
  const Status saved = keystore.Save(random);
  if (saved.ok()) return std::nullopt;
  return Fail("cannot write the keystore; the previous one is intact", kExitIo);
}

}  // namespace amparo::reviewer
