// unknown_fields_test.cc: fields a schema does not define are found at any
// depth, including known numbers sent with the wrong wire type.

#include "protocol/unknown_fields.h"

#include <gtest/gtest.h>

#include <string>

#include "proto/key_bundle.pb.h"
#include "tests/support/hex.h"

namespace amparo::protocol {
namespace {

v1::SignedKeyBundle Parse(const std::string& hex) {
  const auto bytes = amparo::test::FromHex(hex);
  v1::SignedKeyBundle message;
  EXPECT_TRUE(message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
  return message;
}

TEST(UnknownFieldsTest, FindsThemAtEveryDepth) {
  EXPECT_FALSE(HasUnknownFields(Parse("0a0101")));          // key_bundle = {1}
  EXPECT_TRUE(HasUnknownFields(Parse("0a01017801")));       // field 15
  EXPECT_TRUE(HasUnknownFields(Parse("0801")));             // field 1 as a varint
  EXPECT_FALSE(HasUnknownFields(Parse("22020a00")));        // root_chain entry
  EXPECT_TRUE(HasUnknownFields(Parse("22040a001801")));     // unknown field inside it
  EXPECT_TRUE(HasUnknownFields(Parse("22020a0022021801")));  // in the second entry
}

}  // namespace
}  // namespace amparo::protocol
