// keystore_file_test.cc: the header round-trips; files that are not a
// keystore, that ask for an unacceptable cost, or that exceed
// kMaxKeystoreFileBytes are refused before any key derivation.

#include "reviewer/keystore_file.h"

#include <gtest/gtest.h>

#include <vector>

#include "common/limits.h"

namespace amparo::reviewer {
namespace {

std::vector<std::uint8_t> FileWithBox(const KeystoreHeader& header, std::size_t box_bytes) {
  auto file = EncodeKeystoreHeader(header);
  file.resize(file.size() + box_bytes, 0x42);
  return file;
}

KeystoreHeader Header() {
  KeystoreHeader header;
  header.cost = crypto::kPasswordHashModerate;
  header.salt.fill(7);
  return header;
}

TEST(KeystoreFileTest, HeaderRoundTrips) {
  const auto file = FileWithBox(Header(), 100);
  ASSERT_EQ(EncodeKeystoreHeader(Header()).size(), kKeystoreHeaderBytes);
  auto split = SplitKeystoreFile(file);
  ASSERT_TRUE(split.ok());
  EXPECT_EQ(split.value().header.cost, crypto::kPasswordHashModerate);
  EXPECT_EQ(split.value().header.salt, Header().salt);
  EXPECT_EQ(split.value().associated.size(), kKeystoreHeaderBytes);
  EXPECT_EQ(split.value().box.size(), 100u);
}

TEST(KeystoreFileTest, NotAKeystoreIsRefused) {
  auto file = FileWithBox(Header(), 100);
  auto bad_magic = file;
  bad_magic[0] = 'X';
  EXPECT_EQ(SplitKeystoreFile(bad_magic).error(), Error::kInvalidKey);
  auto bad_version = file;
  bad_version[4] = 2;
  EXPECT_EQ(SplitKeystoreFile(bad_version).error(), Error::kInvalidKey);
  const std::size_t smallest = kKeystoreHeaderBytes + crypto::kBoxNonceBytes + crypto::kBoxTagBytes;
  EXPECT_TRUE(SplitKeystoreFile(std::span(file).first(smallest)).ok());
  EXPECT_EQ(SplitKeystoreFile(std::span(file).first(smallest - 1)).error(), Error::kInvalidKey);
}

TEST(KeystoreFileTest, UnacceptableCostIsRefusedBeforeDerivation) {
  KeystoreHeader cheap = Header();
  cheap.cost.opslimit = 1;
  EXPECT_EQ(SplitKeystoreFile(FileWithBox(cheap, 100)).error(), Error::kInvalidKey);
  KeystoreHeader greedy = Header();
  greedy.cost.memlimit = crypto::kPasswordHashSensitive.memlimit + 1;
  EXPECT_EQ(SplitKeystoreFile(FileWithBox(greedy, 100)).error(), Error::kInvalidKey);
}

TEST(KeystoreFileTest, SizeLimitAtNAndNPlusOne) {
  const auto at = FileWithBox(Header(), limits::kMaxKeystoreFileBytes - kKeystoreHeaderBytes);
  EXPECT_TRUE(SplitKeystoreFile(at).ok());
  const auto over =
      FileWithBox(Header(), limits::kMaxKeystoreFileBytes - kKeystoreHeaderBytes + 1);
  EXPECT_EQ(SplitKeystoreFile(over).error(), Error::kLimitExceeded);
}

}  // namespace
}  // namespace amparo::reviewer
