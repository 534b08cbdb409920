#pragma once
// keystore_commands.h: the commands that unlock the keystore: init, keys,
// bodies, bundle sign, root rotate, gateway pin and list. Each returns the
// process's exit status and prints one clear line on failure; a refused
// command leaves the keystore as it was.

#include <filesystem>
#include <string>
#include <vector>

namespace amparo::reviewer {

// KeystoreAccess is how every keystore command finds and unlocks it.
struct KeystoreAccess {
  std::filesystem::path dir;
  int passphrase_fd = -1;      // -1: ask on the terminal
  bool allow_network = false;  // run even with a network interface up
};

int RunInit(const KeystoreAccess& access, const std::string& cost,
            const std::vector<std::string>& gateway_keys);
int RunKeysAdd(const KeystoreAccess& access, const std::string& body, const std::string& label,
               long valid_days);
int RunKeysRotate(const KeystoreAccess& access, const std::string& key_id);
int RunKeysRevoke(const KeystoreAccess& access, const std::string& key_id);
int RunKeysDestroy(const KeystoreAccess& access, const std::string& key_id, bool force);
int RunKeysList(const KeystoreAccess& access);
int RunBodiesList(const KeystoreAccess& access);
int RunBodiesAdd(const KeystoreAccess& access, const std::string& code, const std::string& name);
int RunBundleSign(const KeystoreAccess& access, const std::string& output, long valid_days);
int RunRootRotate(const KeystoreAccess& access);
int RunGatewayPin(const KeystoreAccess& access, const std::string& key);
// RunGatewayList prints each pinned node's key, the number of its last
// export imported (what `amparo-admin restore --after-export` wants after a
// restore) and how far its sequence numbers were seen without a gap.
int RunGatewayList(const KeystoreAccess& access);

}  // namespace amparo::reviewer
