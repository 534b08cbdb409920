#include "submit/progress.h"

#include <gtest/gtest.h>

#include <string>

#include "common/byte_reader.h"

namespace amparo::submit {
namespace {

std::string Text(const VectorSink& sink) { return std::string(AsText(sink.bytes())); }

TEST(ProgressTest, FormatsALine) {
  EXPECT_EQ(FormatProgressLine("Uploading", 512 * 1024, 1024 * 1024, 10),
            "Uploading  50% [#####     ] 0.5/1.0 MiB");
  EXPECT_EQ(FormatProgressLine("Sealing", 0, 0, 4), "Sealing 100% [####] 0.0/0.0 MiB");
  EXPECT_EQ(FormatProgressLine("x", 7, 5, 2), "x 100% [##] 0.0/0.0 MiB");  // clamped
}

TEST(ProgressTest, DrawsOnlyWhenThePercentageChanges) {
  VectorSink sink;
  {
    Progress progress("Up", 1000, &sink);
    EXPECT_TRUE(progress.enabled());
    progress.Update(0);
    progress.Update(1);  // still 0 %
    progress.Update(500);
    progress.Update(1000);
    progress.Update(2000);  // clamped: still 100 %
  }  // destruction finishes the line
  const std::string text = Text(sink);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\r'), 3);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_NE(text.find("100%"), std::string::npos);
}

TEST(ProgressTest, ASilentBarWritesNothing) {
  Progress progress("Up", 1000, nullptr);
  EXPECT_FALSE(progress.enabled());
  progress.Update(500);
  progress.Finish();
}

TEST(ProgressTest, NothingDrawnMeansNoNewline) {
  VectorSink sink;
  Progress progress("Up", 1000, &sink);
  progress.Finish();
  progress.Finish();
  EXPECT_TRUE(sink.bytes().empty());
}

}  // namespace
}  // namespace amparo::submit
