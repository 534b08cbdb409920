// keystore_test.cc: a keystore opens only with its passphrase; a wrong one or
// an altered file gives the same error and changes nothing; a second open
// while one is held is refused; saved changes survive; the file holds no
// secret in clear.

#include "reviewer/keystore.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "reviewer/key_ceremony.h"
#include "tests/support/deterministic_random.h"
#include "tests/support/temp_dir.h"

namespace amparo::reviewer {
namespace {

constexpr Day kToday = 20400;

std::span<const std::uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

class KeystoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = Keystore::Create(dir(), Bytes("pass phrase"), crypto::kPasswordHashInteractive,
                                    NewKeystoreContent(kToday, random_), random_);
    ASSERT_TRUE(created.ok());
    auto id = AddKey(created.value().data(), "CAT", "CAT focal point", kToday, 30, random_);
    ASSERT_TRUE(id.ok());
    secret_ = created.value().data().keys(0).secret_key();
    ASSERT_TRUE(created.value().Save(random_).ok());
  }

  std::filesystem::path dir() const { return temp_.path() / "keystore"; }

  test::TempDir temp_;
  test::DeterministicRandom random_{7};
  std::string secret_;
};

TEST_F(KeystoreTest, OpensWithItsPassphraseAndKeepsSavedChanges) {
  auto opened = Keystore::Open(dir(), Bytes("pass phrase"));
  ASSERT_TRUE(opened.ok());
  ASSERT_EQ(opened.value().data().keys_size(), 1);
  EXPECT_EQ(opened.value().data().keys(0).key_id(), "CAT-1");
  EXPECT_EQ(opened.value().data().roots_size(), 1);
}

TEST_F(KeystoreTest, WrongPassphraseAndAlteredFileGiveOneErrorAndChangeNothing) {
  const std::string before = ReadAll(dir() / "keystore.amparo");
  EXPECT_EQ(Keystore::Open(dir(), Bytes("pass phrasE")).error(), Error::kBadPassphrase);
  EXPECT_EQ(ReadAll(dir() / "keystore.amparo"), before);

  std::string altered = before;
  altered[altered.size() / 2] = static_cast<char>(altered[altered.size() / 2] ^ 1);
  std::ofstream(dir() / "keystore.amparo", std::ios::binary | std::ios::trunc) << altered;
  EXPECT_EQ(Keystore::Open(dir(), Bytes("pass phrase")).error(), Error::kBadPassphrase);

  // An altered header (here the magic) gets the same answer.
  std::string bad_magic = before;
  bad_magic[0] = 'X';
  std::ofstream(dir() / "keystore.amparo", std::ios::binary | std::ios::trunc) << bad_magic;
  EXPECT_EQ(Keystore::Open(dir(), Bytes("pass phrase")).error(), Error::kBadPassphrase);
}

TEST_F(KeystoreTest, TheFileHoldsNoSecretInClear) {
  ASSERT_FALSE(secret_.empty());
  const std::string file = ReadAll(dir() / "keystore.amparo");
  EXPECT_EQ(file.find(secret_), std::string::npos);
  EXPECT_EQ(file.find("AGE-SECRET-KEY-1"), std::string::npos);
  EXPECT_EQ(file.find("CAT focal point"), std::string::npos);
}

TEST_F(KeystoreTest, ASecondOpenWhileHeldIsRefused) {
  auto first = Keystore::Open(dir(), Bytes("pass phrase"));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(Keystore::Open(dir(), Bytes("pass phrase")).error(), Error::kUnavailable);
}

TEST_F(KeystoreTest, CreateRefusesAFolderInUse) {
  EXPECT_EQ(Keystore::Create(dir(), Bytes("x"), crypto::kPasswordHashInteractive,
                             NewKeystoreContent(kToday, random_), random_)
                .error(),
            Error::kInvalidArgument);
  EXPECT_EQ(Keystore::Open(temp_.path() / "nothing", Bytes("x")).error(), Error::kNotFound);
}

}  // namespace
}  // namespace amparo::reviewer
