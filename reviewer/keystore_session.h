#pragma once
// keystore_session.h: what every keystore command does first: refuse to run
// on a networked machine (unless allowed), read the passphrase, open the
// keystore, and report failures in one line.

#include <optional>
#include <string_view>

#include "common/result.h"
#include "reviewer/keystore.h"
#include "reviewer/keystore_commands.h"

namespace amparo::reviewer {

// Fail prints "amparo-review: error: MESSAGE" and returns `code`.
int Fail(std::string_view message, int code);
// FailWith prints the error's fixed name and returns its exit code.
int FailWith(Error error);

// CheckAirGap returns nullopt if the command may run, or the exit status of
// its refusal, naming the interfaces that are up.
std::optional<int> CheckAirGap(const KeystoreAccess& access);

// ReadPassphrase reads it from access.passphrase_fd or the terminal.
Result<crypto::SecretBuffer> ReadPassphrase(const KeystoreAccess& access,
                                            std::string_view prompt);

// OpenKeystore does all of the above and opens the keystore; on failure it
// has printed why, stores the exit status in *exit_code and returns nullopt.
std::optional<Keystore> OpenKeystore(const KeystoreAccess& access, int* exit_code);

// Session opens the keystore for a command and keeps its exit status.
struct Session {
  explicit Session(const KeystoreAccess& access) : keystore(OpenKeystore(access, &exit_code)) {}
  int exit_code = 0;  // first: OpenKeystore sets it while keystore is built
  std::optional<Keystore> keystore;
};

// SaveOrFail saves the keystore; on failure prints why and returns the exit
// status, else nullopt.
std::optional<int> SaveOrFail(Keystore& keystore);

}  // namespace amparo::reviewer
