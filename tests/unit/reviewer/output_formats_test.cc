// output_formats_test.cc: what every workstation output is made of. HTML
// escapes the five characters that matter and loads nothing; CSV quotes as
// RFC 4180 says and never lets a cell start a formula; a hidden bar's
// length says nothing.

#include "reviewer/output_formats.h"

#include <gtest/gtest.h>

namespace amparo::reviewer {
namespace {

TEST(OutputFormatsTest, HtmlEscapeEscapesWhatCanOpenMarkup) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\" title='y'>&</a>"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(HtmlEscape("plain text, ñ"), "plain text, ñ");
}

TEST(OutputFormatsTest, AnHtmlDocumentAllowsNothingToLoad) {
  const std::string page = HtmlDocument("<title>", "<p>body</p>");
  EXPECT_NE(page.find("content=\"default-src 'none'; style-src 'unsafe-inline'\""), std::string::npos);
  EXPECT_NE(page.find("<meta name=\"referrer\" content=\"no-referrer\">"), std::string::npos);
  EXPECT_NE(page.find("<title>&lt;title&gt;</title>"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
}

TEST(OutputFormatsTest, CsvQuotesEveryCell) {
  EXPECT_EQ(CsvCell("plain"), "\"plain\"");
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("a; b"), "\"a; b\"");  // whole, in a spreadsheet that splits on ';'
  EXPECT_EQ(CsvCell("say \"no\""), "\"say \"\"no\"\"\"");
  EXPECT_EQ(CsvCell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvRow({"a", "b,c"}), "\"a\",\"b,c\"\r\n");
}

TEST(OutputFormatsTest, NoCellStartsAFormula) {
  EXPECT_EQ(CsvCell("=1+1"), "\"'=1+1\"");
  EXPECT_EQ(CsvCell("+1"), "\"'+1\"");
  EXPECT_EQ(CsvCell("-1"), "\"'-1\"");
  EXPECT_EQ(CsvCell("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(CsvCell("\t=1"), "\"'\t=1\"");
  EXPECT_EQ(CsvCell("\r=1"), "\"'\r=1\"");
  EXPECT_EQ(CsvCell("1-1"), "\"1-1\"");  // only at the start
}

TEST(OutputFormatsTest, AHiddenBarHasOneLengthWhateverItsValue) {
  const std::string chart = BarChart("t", {{"shown", 10, "10", false},
                                           {"small", 1, "<5", true},
                                           {"large", 1000, "suppressed", true}});
  EXPECT_NE(chart.find("width=\"360.0\" height=\"14\" fill=\"#0b4f8a\""), std::string::npos);
  std::size_t hidden = 0;
  for (auto at = chart.find("width=\"24.0\" height=\"14\" fill=\"none\""); at != std::string::npos;
       at = chart.find("width=\"24.0\" height=\"14\" fill=\"none\"", at + 1)) {
    ++hidden;
  }
  EXPECT_EQ(hidden, 2u);
  EXPECT_NE(chart.find("aria-label=\"t\""), std::string::npos);
}

}  // namespace
}  // namespace amparo::reviewer
