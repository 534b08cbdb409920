// secret_test.cc: secret containers are zeroed, move-only, empty once moved
// from, and cannot be streamed; ConstantTimeEqual and Wipe do what they say.

#include "crypto/secret.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <type_traits>
#include <vector>

namespace amparo::crypto {
namespace {

template <typename T, typename = void>
struct IsStreamable : std::false_type {};
template <typename T>
struct IsStreamable<T, std::void_t<decltype(std::declval<std::ostream&>() << std::declval<const T&>())>>
    : std::true_type {};

static_assert(IsStreamable<int>::value, "the detection idiom must see a streamable type");
static_assert(!IsStreamable<SecretBuffer>::value, "a SecretBuffer must not be printable");
static_assert(!IsStreamable<SecretBytes<32>>::value, "a SecretBytes must not be printable");
static_assert(!IsStreamable<SecretBytes<16>>::value, "a SecretBytes must not be printable");

static_assert(!std::is_copy_constructible_v<SecretBuffer>);
static_assert(!std::is_copy_assignable_v<SecretBuffer>);
static_assert(std::is_nothrow_move_constructible_v<SecretBuffer>);
static_assert(!std::is_copy_constructible_v<SecretBytes<32>>);
static_assert(!std::is_convertible_v<SecretBytes<16>, SecretBytes<32>>);
static_assert(!std::is_constructible_v<SecretBytes<32>, SecretBytes<16>>);
static_assert(SecretBytes<32>::size() == 32);
static_assert(decltype(std::declval<SecretBytes<32>&>().span())::extent == 32);

TEST(SecretBufferTest, StartsZeroed) {
  SecretBuffer buffer(100);
  ASSERT_EQ(buffer.size(), 100u);
  ASSERT_NE(buffer.data(), nullptr);
  EXPECT_TRUE(std::all_of(buffer.span().begin(), buffer.span().end(),
                          [](std::uint8_t b) { return b == 0; }));
}

TEST(SecretBufferTest, DefaultIsEmpty) {
  const SecretBuffer buffer;
  EXPECT_EQ(buffer.size(), 0u);
  EXPECT_EQ(buffer.data(), nullptr);
  EXPECT_TRUE(buffer.span().empty());
}

TEST(SecretBufferTest, MoveConstructionLeavesSourceEmpty) {
  SecretBuffer source(16);
  source.data()[0] = 0xa5;
  const std::uint8_t* storage = source.data();
  SecretBuffer target(std::move(source));
  EXPECT_EQ(source.size(), 0u);  // NOLINT(bugprone-use-after-move): the point of the test
  EXPECT_EQ(source.data(), nullptr);
  EXPECT_EQ(target.size(), 16u);
  EXPECT_EQ(target.data(), storage);
  EXPECT_EQ(target.data()[0], 0xa5);
}

TEST(SecretBufferTest, MoveAssignmentLeavesSourceEmpty) {
  SecretBuffer source(8);
  source.data()[7] = 0x5a;
  SecretBuffer target(32);
  target = std::move(source);
  EXPECT_EQ(source.size(), 0u);  // NOLINT(bugprone-use-after-move): the point of the test
  EXPECT_EQ(source.data(), nullptr);
  EXPECT_EQ(target.size(), 8u);
  EXPECT_EQ(target.data()[7], 0x5a);
}

TEST(SecretBufferTest, ZeroSizeIsUsable) {
  SecretBuffer buffer(0);
  EXPECT_EQ(buffer.size(), 0u);
  EXPECT_TRUE(buffer.span().empty());
}

TEST(SecretBytesTest, IsZeroedAndFixedSize) {
  SecretBytes<32> key;
  EXPECT_EQ(key.span().size(), 32u);
  EXPECT_TRUE(std::all_of(key.span().begin(), key.span().end(),
                          [](std::uint8_t b) { return b == 0; }));
  key.data()[31] = 1;
  EXPECT_EQ(key.span()[31], 1);
}

TEST(ConstantTimeEqualTest, EqualInputsCompareEqual) {
  const std::vector<std::uint8_t> a = {1, 2, 3, 4};
  const std::vector<std::uint8_t> b = {1, 2, 3, 4};
  EXPECT_TRUE(ConstantTimeEqual(a, b));
}

TEST(ConstantTimeEqualTest, DifferenceInFirstOrLastByteIsFound) {
  const std::vector<std::uint8_t> a = {1, 2, 3, 4};
  EXPECT_FALSE(ConstantTimeEqual(a, std::vector<std::uint8_t>{0, 2, 3, 4}));
  EXPECT_FALSE(ConstantTimeEqual(a, std::vector<std::uint8_t>{1, 2, 3, 5}));
}

TEST(ConstantTimeEqualTest, DifferentLengthsCompareUnequal) {
  const std::vector<std::uint8_t> a = {1, 2, 3, 4};
  const std::vector<std::uint8_t> prefix = {1, 2, 3};
  EXPECT_FALSE(ConstantTimeEqual(a, prefix));
  EXPECT_FALSE(ConstantTimeEqual(prefix, a));
  EXPECT_FALSE(ConstantTimeEqual(a, {}));
}

TEST(ConstantTimeEqualTest, EmptyInputsCompareEqual) {
  EXPECT_TRUE(ConstantTimeEqual({}, {}));
}

TEST(WipeTest, ZeroesEveryByte) {
  std::vector<std::uint8_t> bytes(37, 0xff);
  Wipe(bytes);
  EXPECT_EQ(std::count(bytes.begin(), bytes.end(), std::uint8_t{0}), 37);
  Wipe({});
}

}  // namespace
}  // namespace amparo::crypto
