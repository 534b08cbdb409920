#include "reviewer/keystore_commands.h"

#include <iostream>

#include "common/byte_reader.h"
#include "common/exit_code.h"
#include "common/file_io.h"
#include "common/hex.h"
#include "crypto/random.h"
#include "crypto/secret.h"
#include "reviewer/key_ceremony.h"
#include "reviewer/keystore_session.h"

namespace amparo::reviewer {
namespace {

Day Today() { return SystemClock().Today(); }

std::optional<crypto::PasswordHashCost> CostNamed(const std::string& name) {
  if (name == "interactive") return crypto::kPasswordHashInteractive;
  if (name == "moderate") return crypto::kPasswordHashModerate;
  if (name == "sensitive") return crypto::kPasswordHashSensitive;
  return std::nullopt;
}

// ParseNodeKey reads a gateway node's Ed25519 public key: 64 hex digits,
// optionally in dash-separated groups as amparo-admin prints it.
std::optional<std::string> ParseNodeKey(std::string text) {
  std::erase(text, '-');
  std::string key(32, '\0');
  if (!HexDecode(text, {reinterpret_cast<std::uint8_t*>(key.data()), key.size()})) {
    return std::nullopt;
  }
  return key;
}

bool AddNode(v1::Keystore& keystore, const std::string& key) {
  for (const auto& node : keystore.nodes()) {
    if (node.public_key() == key) return false;
  }
  keystore.add_nodes()->set_public_key(key);
  return true;
}

int Saved(Keystore& keystore) {
  if (auto failed = SaveOrFail(keystore)) return *failed;
  return kExitSuccess;
}

}  // namespace

int RunInit(const KeystoreAccess& access, const std::string& cost_name,
            const std::vector<std::string>& gateway_keys) {
  const auto cost = CostNamed(cost_name);
  if (!cost) return Fail("--kdf must be interactive, moderate or sensitive", kExitUsage);
  std::vector<std::string> nodes;
  for (const auto& text : gateway_keys) {
    auto key = ParseNodeKey(text);
    if (!key) return Fail("a gateway key must be 64 hex digits (amparo-admin init prints it)",
                          kExitUsage);
    nodes.push_back(*key);
  }
  if (auto refused = CheckAirGap(access)) return *refused;
  auto passphrase = ReadPassphrase(access, "New keystore passphrase: ");
  if (!passphrase.ok()) return Fail("cannot read the passphrase", ExitCodeFor(passphrase.error()));
  if (access.passphrase_fd < 0) {
    auto again = ReadPassphrase(access, "Repeat the passphrase: ");
    if (!again.ok() || !crypto::ConstantTimeEqual(passphrase.value().span(), again.value().span())) {
      return Fail("the passphrases differ; nothing was created", kExitUsage);
    }
  }
  crypto::SystemRandom random;
  auto content = NewKeystoreContent(Today(), random);
  for (const auto& node : nodes) AddNode(*content, node);
  auto keystore = Keystore::Create(access.dir, passphrase.value().span(), *cost,
                                   std::move(content), random);
  if (!keystore.ok()) {
    if (keystore.error() == Error::kInvalidArgument) {
      return Fail(access.dir.string() + " exists and is not empty; nothing was created",
                  kExitUsage);
    }
    return FailWith(keystore.error());
  }
  std::cout << "keystore created in " << access.dir.string() << '\n'
            << "root fingerprint: " << FirstRootFingerprint(keystore.value().data()) << '\n'
            << "Publish the fingerprint out of band; clients and gateways pin it.\n";
  return kExitSuccess;
}

int RunKeysAdd(const KeystoreAccess& access, const std::string& body, const std::string& label,
               long valid_days) {
  Session session(access);
  if (!session.keystore) return session.exit_code;
  crypto::SystemRandom random;
  auto id = AddKey(session.keystore->data(), body, label, Today(), valid_days, random);
  if (!id.ok()) {
    if (id.error() == Error::kNotFound) {
      return Fail("no body " + body + " in the list (see: amparo-review bodies list)",
                  kExitUsage);
    }
    return Fail("the label must be 1 to 256 bytes and the validity at least a day", kExitUsage);
  }
  if (int code = Saved(*session.keystore)) return code;
  std::cout << "added key " << id.value() << " for " << body
            << "; sign a new bundle to offer it (amparo-review bundle sign)\n";
  return kExitSuccess;
}

int RunKeysRotate(const KeystoreAccess& access, const std::string& key_id) {
  Session session(access);
  if (!session.keystore) return session.exit_code;
  crypto::SystemRandom random;
  auto id = RotateKey(session.keystore->data(), key_id, Today(), random);
  if (!id.ok()) {
    return Fail(id.error() == Error::kNotFound ? "no key " + key_id
                                               : "only an active key can be rotated",
                ExitCodeFor(id.error()));
  }
  if (int code = Saved(*session.keystore)) return code;
  std::cout << "key " << key_id << " is now retiring (kept to open what was sealed to it); "
            << "new key " << id.value() << '\n';
  return kExitSuccess;
}

int RunKeysRevoke(const KeystoreAccess& access, const std::string& key_id) {
  Session session(access);
  if (!session.keystore) return session.exit_code;
  const Status status = RevokeKey(session.keystore->data(), key_id, Today());
  if (!status.ok()) {
    return Fail(status.error() == Error::kNotFound ? "no key " + key_id
                                                   : "the key is revoked or destroyed already",
                ExitCodeFor(status.error()));
  }
  if (int code = Saved(*session.keystore)) return code;
  std::cout << "key " << key_id << " revoked; the next bundle raises the lowest accepted "
            << "version, so the gateway refuses envelopes sealed against older bundles\n";
  return kExitSuccess;
}

int RunKeysDestroy(const KeystoreAccess& access, const std::string& key_id, bool force) {
  Session session(access);
  if (!session.keystore) return session.exit_code;
  const std::size_t needed = CasesOnlyOpenedBy(session.keystore->data(), key_id);
  const Status status = DestroyKey(session.keystore->data(), key_id, Today(), force);
  if (!status.ok()) {
    if (status.error() == Error::kRefused) {
      return Fail(std::to_string(needed) + " imported case(s) open with this key only; "
                      "destroying it makes them unreadable forever (--force to do so)",
                  kExitRejected);
    }
    return Fail(status.error() == Error::kNotFound ? "no key " + key_id
                                                   : "the key is destroyed already",
                ExitCodeFor(status.error()));
  }
  if (int code = Saved(*session.keystore)) return code;
  std::cout << "key " << key_id << " destroyed";
  if (needed > 0) std::cout << "; " << needed << " case(s) can no longer be opened by anyone";
  std::cout << '\n';
  return kExitSuccess;
}

int RunKeysList(const KeystoreAccess& access) {
  Session session(access);
  if (!session.keystore) return session.exit_code;
  const auto& data = session.keystore->data();
  std::cout << "root fingerprint: " << FirstRootFingerprint(data) << '\n';
  if (data.roots_size() > 1) {
    std::cout << "current root:     " << CurrentRootFingerprint(data) << " (rotated "
              << data.roots_size() - 1 << " time(s))\n";
  }
  std::cout << "last bundle version: " << data.last_bundle_version()
            << ", lowest accepted: " << data.lowest_accepted_version()
            << (data.raise_lowest_version() ? " (raised by the next bundle)" : "") << '\n';
  for (const auto& key : data.keys()) {
    std::cout << key.key_id() << '\t' << key.body() << '\t' << KeyStateName(key.state())
              << "\tvalid to day " << key.valid_until_day() << '\t' << key.label();
    if (!key.replaced_by().empty()) std::cout << "\t(replaced by " << key.replaced_by() << ')';
    std::cout << '\n';
  }
  return kExitSuccess;
}

int RunBodiesList(const KeystoreAccess& access) {
  Session session(access);
  if (!session.keystore) return session.exit_code;
  for (const auto& body : session.keystore->data().bodies()) {
    std::cout << body.code() << '\t' << body.name() << '\n';
  }
  return kExitSuccess;
}

int RunBodiesAdd(const KeystoreAccess& access, const std::string& code, const std::string& name) {
  Session session(access);
  if (!session.keystore) return session.exit_code;
  const Status status = AddBody(session.keystore->data(), code, name);
  if (!status.ok()) {
    return Fail(status.error() == Error::kConflict
                    ? "the body " + code + " is listed already"
                    : "a body code is upper-case letters, digits and '_', and needs a name",
                kExitUsage);
  }
  return Saved(*session.keystore);
}

int RunBundleSign(const KeystoreAccess& access, const std::string& output, long valid_days) {
  Session session(access);
  if (!session.keystore) return session.exit_code;
  auto bundle = SignKeyBundle(session.keystore->data(), Today(), valid_days);
  if (!bundle.ok()) {
    return Fail(bundle.error() == Error::kInvalidArgument
                    ? "no active key to offer (amparo-review keys add), or a bad validity"
                    : std::string(ErrorName(bundle.error())),
                ExitCodeFor(bundle.error()));
  }
  // The file first: if it cannot be written, the version is not consumed.
  const std::string_view bytes(reinterpret_cast<const char*>(bundle.value().data()),
                               bundle.value().size());
  if (!WriteNewFile(output, bytes).ok()) {
    return Fail("cannot create " + output + " (does it exist already?)", kExitIo);
  }
  if (int code = Saved(*session.keystore)) {
    // The keystore still records the previous version: a bundle file with
    // this version must not stay behind, or the next one would repeat it.
    std::error_code ignored;
    std::filesystem::remove(output, ignored);
    return code;
  }
  const auto& data = session.keystore->data();
  std::cout << "signed key bundle version " << data.last_bundle_version()
            << " (lowest accepted version " << data.lowest_accepted_version() << ") written to "
            << output << '\n';
  return kExitSuccess;
}

int RunRootRotate(const KeystoreAccess& access) {
  Session session(access);
  if (!session.keystore) return session.exit_code;
  crypto::SystemRandom random;
  const std::string fingerprint = RotateRoot(session.keystore->data(), Today(), random);
  if (int code = Saved(*session.keystore)) return code;
  std::cout << "new root " << fingerprint << ", endorsed by the previous one; bundles signed "
            << "from now on carry the chain, so pins of the first root still verify\n";
  return kExitSuccess;
}

int RunGatewayPin(const KeystoreAccess& access, const std::string& text) {
  auto key = ParseNodeKey(text);
  if (!key) return Fail("a gateway key must be 64 hex digits", kExitUsage);
  Session session(access);
  if (!session.keystore) return session.exit_code;
  if (!AddNode(session.keystore->data(), *key)) {
    return Fail("this gateway key is pinned already", kExitUsage);
  }
  return Saved(*session.keystore);
}

int RunGatewayList(const KeystoreAccess& access) {
  Session session(access);
  if (!session.keystore) return session.exit_code;
  for (const auto& node : session.keystore->data().nodes()) {
    std::cout << HexEncodeGrouped(AsBytes(node.public_key())) << "\tlast export imported: "
              << node.last_export_number() << "\tseen through seq: "
              << node.imported_through_seq() << '\n';
  }
  return kExitSuccess;
}

}  // namespace amparo::reviewer
