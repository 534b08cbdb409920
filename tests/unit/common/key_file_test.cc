// key_file_test.cc: KeyFileEntries keeps exactly the key lines of a file,
// skipping comments and blank lines, accepting LF and CRLF, and pointing into
// the original text.

#include "common/key_file.h"

#include <gtest/gtest.h>

#include <string>

namespace amparo {
namespace {

using Entries = std::vector<std::string_view>;

TEST(KeyFileEntriesTest, SkipsCommentsAndBlankLines) {
  const std::string content =
      "# created: 2024-01-01\n"
      "# public key: age1abc\n"
      "\n"
      "KEY-ONE\n"
      "\n"
      "#KEY-COMMENTED\n"
      "KEY-TWO\n";
  EXPECT_EQ(KeyFileEntries(content), (Entries{"KEY-ONE", "KEY-TWO"}));
}

TEST(KeyFileEntriesTest, StripsCarriageReturnOfCrlfLines) {
  EXPECT_EQ(KeyFileEntries("# comment\r\nKEY-ONE\r\n\r\nKEY-TWO\r\n"),
            (Entries{"KEY-ONE", "KEY-TWO"}));
}

TEST(KeyFileEntriesTest, KeepsLastLineWithoutNewline) {
  EXPECT_EQ(KeyFileEntries("KEY-ONE\nKEY-TWO"), (Entries{"KEY-ONE", "KEY-TWO"}));
}

TEST(KeyFileEntriesTest, KeepsHashInsideALine) {
  EXPECT_EQ(KeyFileEntries("KEY#ONE\n"), (Entries{"KEY#ONE"}));
}

TEST(KeyFileEntriesTest, StripsOnlyOneCarriageReturn) {
  EXPECT_EQ(KeyFileEntries("KEY\r\r\n"), (Entries{"KEY\r"}));
}

TEST(KeyFileEntriesTest, EmptyOrCommentOnlyContentHasNoEntries) {
  EXPECT_TRUE(KeyFileEntries("").empty());
  EXPECT_TRUE(KeyFileEntries("\n\r\n# only a comment\n").empty());
}

TEST(KeyFileEntriesTest, EntriesPointIntoContent) {
  const std::string content = "# c\nKEY\n";
  const auto entries = KeyFileEntries(content);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].data(), content.data() + 4);
}

}  // namespace
}  // namespace amparo
