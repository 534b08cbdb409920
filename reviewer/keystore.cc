#include "reviewer/keystore.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>

#include "common/file_io.h"
#include "common/limits.h"
#include "crypto/secret.h"

namespace amparo::reviewer {
namespace {

constexpr char kKeystoreFile[] = "keystore.amparo";
constexpr char kLockFile[] = ".lock";

void WipeString(std::string& text) {
  crypto::Wipe({reinterpret_cast<std::uint8_t*>(text.data()), text.size()});
  text.clear();
}

// Lock takes DIR/.lock exclusively, without waiting: a second command on the
// same keystore is refused rather than left to overwrite the first's change.
Result<int> Lock(const std::filesystem::path& dir) {
  const int fd = ::open((dir / kLockFile).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Error::kIo;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Error::kUnavailable;
  }
  return fd;
}

Result<crypto::SecretBuffer> Serialize(const v1::Keystore& data) {
  crypto::SecretBuffer bytes(data.ByteSizeLong());
  if (!data.SerializeToArray(bytes.data(), static_cast<int>(bytes.size()))) return Error::kIo;
  return bytes;
}

Status WriteSealed(const std::filesystem::path& dir, const KeystoreHeader& header,
                   const crypto::SecretBytes<crypto::kBoxKeyBytes>& key, const v1::Keystore& data,
                   crypto::RandomSource& random) {
  auto plaintext = Serialize(data);
  if (!plaintext.ok()) return plaintext.error();
  std::vector<std::uint8_t> file = EncodeKeystoreHeader(header);
  const auto box = crypto::SealBox(key, file, plaintext.value().span(), random);
  file.insert(file.end(), box.begin(), box.end());
  if (file.size() > limits::kMaxKeystoreFileBytes) return Error::kLimitExceeded;
  auto sink = AtomicFileSink::Create(dir / kKeystoreFile);
  if (!sink.ok()) return sink.error();
  AMPARO_RETURN_IF_ERROR(sink.value()->Write(file));
  return sink.value()->Commit();
}

}  // namespace

void WipeSecrets(v1::Keystore& keystore) {
  for (auto& root : *keystore.mutable_roots()) WipeString(*root.mutable_seed());
  for (auto& key : *keystore.mutable_keys()) WipeString(*key.mutable_secret_key());
}

Keystore::Keystore(std::filesystem::path dir, int lock_fd, KeystoreHeader header,
                   crypto::SecretBytes<crypto::kBoxKeyBytes> key,
                   std::unique_ptr<v1::Keystore> data)
    : dir_(std::move(dir)), lock_fd_(lock_fd), header_(header), key_(std::move(key)),
      data_(std::move(data)) {}

Keystore::Keystore(Keystore&& other) noexcept
    : dir_(std::move(other.dir_)), lock_fd_(std::exchange(other.lock_fd_, -1)),
      header_(other.header_), key_(std::move(other.key_)), data_(std::move(other.data_)) {}

Keystore::~Keystore() {
  if (data_) WipeSecrets(*data_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

Result<Keystore> Keystore::Create(const std::filesystem::path& dir,
                                  std::span<const std::uint8_t> passphrase,
                                  const crypto::PasswordHashCost& cost,
                                  std::unique_ptr<v1::Keystore> initial,
                                  crypto::RandomSource& random) {
  std::error_code error;
  if (std::filesystem::exists(dir, error) && !std::filesystem::is_empty(dir, error)) {
    WipeSecrets(*initial);
    return Error::kInvalidArgument;
  }
  // Whatever this creates goes again if creation fails, so that a retry
  // does not find a half-made keystore in its way.
  const auto undo = [&](Error e) {
    WipeSecrets(*initial);
    std::error_code ignored;
    std::filesystem::remove(dir / "cases", ignored);
    std::filesystem::remove(dir / kLockFile, ignored);
    std::filesystem::remove(dir / kKeystoreFile, ignored);
    return e;
  };
  std::filesystem::create_directories(dir, error);
  if (error || ::chmod(dir.c_str(), 0700) != 0) return undo(Error::kIo);
  if (::mkdir((dir / "cases").c_str(), 0700) != 0) return undo(Error::kIo);
  auto lock = Lock(dir);
  if (!lock.ok()) return undo(lock.error());

  KeystoreHeader header;
  header.cost = cost;
  random.Fill(header.salt);
  auto key = crypto::DerivePassphraseKey(passphrase, header.salt, cost);
  if (!key.ok()) {
    ::close(lock.value());
    return undo(key.error());
  }
  Keystore keystore(dir, lock.value(), header, std::move(key).value(), std::move(initial));
  if (const Status saved = keystore.Save(random); !saved.ok()) {
    std::error_code ignored;
    std::filesystem::remove(dir / "cases", ignored);
    std::filesystem::remove(dir / kLockFile, ignored);
    return saved.error();  // the keystore's destructor wipes its secrets
  }
  return keystore;
}

Result<Keystore> Keystore::Open(const std::filesystem::path& dir,
                                std::span<const std::uint8_t> passphrase) {
  std::error_code error;
  if (!std::filesystem::exists(dir / kKeystoreFile, error)) return Error::kNotFound;
  auto lock = Lock(dir);
  if (!lock.ok()) return lock.error();
  const int lock_fd = lock.value();
  const auto fail = [lock_fd](Error e) {
    ::close(lock_fd);
    return e;
  };

  auto file = ReadSmallFile(dir / kKeystoreFile, limits::kMaxKeystoreFileBytes);
  if (!file.ok()) return fail(file.error());
  const std::span<const std::uint8_t> bytes(
      reinterpret_cast<const std::uint8_t*>(file.value().data()), file.value().size());
  auto split = SplitKeystoreFile(bytes);
  // A file that is not a keystore any more was altered: the same answer as
  // a wrong passphrase, which the box could not tell from it either.
  if (!split.ok()) {
    return fail(split.error() == Error::kLimitExceeded ? Error::kLimitExceeded
                                                       : Error::kBadPassphrase);
  }
  auto key = crypto::DerivePassphraseKey(passphrase, split.value().header.salt,
                                         split.value().header.cost);
  if (!key.ok()) return fail(key.error());
  auto plaintext = crypto::OpenBox(key.value(), split.value().associated, split.value().box);
  // One answer for a wrong passphrase and an altered file: the box cannot
  // tell them apart, and neither should anyone watching.
  if (!plaintext.ok()) return fail(Error::kBadPassphrase);

  auto data = std::make_unique<v1::Keystore>();
  if (!data->ParseFromArray(plaintext.value().data(), static_cast<int>(plaintext.value().size())) ||
      data->schema() != kKeystoreSchema) {
    WipeSecrets(*data);
    return fail(Error::kBadPassphrase);
  }
  return Keystore(dir, lock_fd, split.value().header, std::move(key).value(), std::move(data));
}

Status Keystore::Save(crypto::RandomSource& random) {
  return WriteSealed(dir_, header_, key_, *data_, random);
}

}  // namespace amparo::reviewer
