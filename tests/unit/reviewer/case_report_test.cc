// case_report_test.cc: the annual statistics. A count of k is shown, k-1
// is "<k"; where the rows add up to the total, one hidden cell could be
// worked out by subtraction, so more are withheld; hidden rows say nothing
// by their order; additions and other years are not counted; no output
// carries a name.

#include "reviewer/case_report.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/unit/reviewer/casework_fixtures.h"

namespace amparo::reviewer {
namespace {

using testing::Case;
using testing::kDay2025;

std::vector<CaseData> Cases(std::string state, int n, char first_id) {
  std::vector<CaseData> cases;
  for (int i = 0; i < n; ++i) {
    cases.push_back(Case(static_cast<char>(first_id + i), state, v1::REPRISAL_TYPE_TRAVEL_BAN, v1::Consent()));
  }
  return cases;
}

void Append(std::vector<CaseData>& to, std::vector<CaseData> more) {
  for (auto& item : more) to.push_back(std::move(item));
}

const ReportTable& Table(const Report& report, std::string_view title) {
  for (const ReportTable& table : report.tables) {
    if (table.title == title) return table;
  }
  ADD_FAILURE() << "no table " << title;
  static const ReportTable kNone;
  return kNone;
}

const ReportRow* Row(const ReportTable& table, std::string_view label) {
  for (const ReportRow& row : table.rows) {
    if (row.label == label) return &row;
  }
  return nullptr;
}

std::size_t Count(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(CaseReportTest, ACountOfKIsShownAndKMinusOneIsNot) {
  for (int k : {2, 5, 7}) {
    SCOPED_TRACE(k);
    std::vector<CaseData> cases = Cases("VE", k, 'a');
    Append(cases, Cases("NI", k - 1, 'A'));
    Append(cases, Cases("AR", k - 1, 'n'));  // two hidden cells that add up to k or more
    const Report report = BuildReport(cases, 2026, k);
    const ReportTable& states = Table(report, "By State concerned");
    EXPECT_EQ(ShownCell(states, *Row(states, "VE"), k), std::to_string(k));
    EXPECT_EQ(Row(states, "NI")->cell, Cell::kBelowK);
    EXPECT_EQ(Shown(static_cast<std::size_t>(k - 1), k), "<" + std::to_string(k));
    EXPECT_EQ(Shown(static_cast<std::size_t>(k), k), std::to_string(k));
  }
}

TEST(CaseReportTest, TheDefaultKIsFive) {
  EXPECT_EQ(kDefaultSuppression, 5);
  const Report report = BuildReport(Cases("VE", 4, 'a'), 2026, kDefaultSuppression);
  EXPECT_EQ(report.k, 5);
  EXPECT_EQ(Shown(report.cases, report.k), "<5");
  const std::string csv = ReportCsv(report);
  EXPECT_NE(csv.find("By State concerned,VE,<5\r\n"), std::string::npos);
  EXPECT_EQ(csv.find(",4\r\n"), std::string::npos);
}

TEST(CaseReportTest, OneHiddenCellOfAPartitionIsNotLeftToSubtraction) {
  // 6 + 5 + 1 = 12: "<5" for NI alone would be 12 - 6 - 5 = 1.
  std::vector<CaseData> cases = Cases("VE", 6, 'a');
  Append(cases, Cases("BY", 5, 'A'));
  Append(cases, Cases("NI", 1, 'z'));
  const Report report = BuildReport(cases, 2026, 5);
  EXPECT_EQ(Shown(report.cases, 5), "12");
  const ReportTable& states = Table(report, "By State concerned");
  EXPECT_TRUE(states.complementary);
  EXPECT_EQ(Row(states, "VE")->cell, Cell::kShown);
  EXPECT_EQ(Row(states, "BY")->cell, Cell::kWithheld);  // the smallest shown
  EXPECT_EQ(Row(states, "NI")->cell, Cell::kBelowK);
  // Every hidden cell reads the same, so none tells which was below k.
  EXPECT_EQ(ShownCell(states, *Row(states, "BY"), 5), "suppressed");
  EXPECT_EQ(ShownCell(states, *Row(states, "NI"), 5), "suppressed");
}

TEST(CaseReportTest, HiddenCellsAddingUpToLessThanKAreNotLeftEither) {
  // 7 + 6 + 1 + 1: the two hidden cells add up to 2 < 5 and would each be 1.
  std::vector<CaseData> cases = Cases("VE", 7, 'a');
  Append(cases, Cases("BY", 6, 'A'));
  Append(cases, Cases("NI", 1, 'y'));
  Append(cases, Cases("CU", 1, 'z'));
  const Report report = BuildReport(cases, 2026, 5);
  const ReportTable& states = Table(report, "By State concerned");
  EXPECT_EQ(Row(states, "VE")->cell, Cell::kShown);
  EXPECT_EQ(Row(states, "BY")->cell, Cell::kWithheld);
}

TEST(CaseReportTest, EnoughHiddenCellsNeedNoneWithheld) {
  std::vector<CaseData> cases = Cases("VE", 7, 'a');
  Append(cases, Cases("NI", 3, 'A'));
  Append(cases, Cases("CU", 2, 'z'));
  const Report report = BuildReport(cases, 2026, 5);
  const ReportTable& states = Table(report, "By State concerned");
  EXPECT_FALSE(states.complementary);
  EXPECT_EQ(ShownCell(states, *Row(states, "NI"), 5), "<5");
  EXPECT_EQ(ShownCell(states, *Row(states, "VE"), 5), "7");
}

TEST(CaseReportTest, OverlappingRowsCannotBeSubtractedAndWithholdNothing) {
  // Each case has two types: the rows add up to twice the total.
  std::vector<CaseData> cases = Cases("VE", 8, 'a');
  cases[0].submission.mutable_incidents(0)->add_types(v1::REPRISAL_TYPE_SURVEILLANCE);
  for (auto& item : cases) item.submission.mutable_incidents(0)->add_types(v1::REPRISAL_TYPE_KILLING);
  const Report report = BuildReport(cases, 2026, 5);
  const ReportTable& types = Table(report, "By type of reprisal");
  EXPECT_FALSE(types.complementary);
  EXPECT_EQ(Row(types, "surveillance")->cell, Cell::kBelowK);
}

TEST(CaseReportTest, HiddenRowsComeLastInTheOrderOfTheirLabels) {
  std::vector<CaseData> cases = Cases("VE", 9, 'a');
  Append(cases, Cases("ZW", 4, 'A'));  // larger, but must not come first
  Append(cases, Cases("AR", 1, 'z'));
  const Report report = BuildReport(cases, 2026, 5);
  const ReportTable& states = Table(report, "By State concerned");
  ASSERT_EQ(states.rows.size(), 3u);
  EXPECT_EQ(states.rows[0].label, "VE");
  EXPECT_EQ(states.rows[1].label, "AR");
  EXPECT_EQ(states.rows[2].label, "ZW");
}

TEST(CaseReportTest, AdditionsAndOtherYearsAreNotCounted) {
  std::vector<CaseData> cases = Cases("VE", 5, 'a');
  cases.push_back(Case('x', "VE", v1::REPRISAL_TYPE_TRAVEL_BAN, v1::Consent(), kDay2025));
  CaseData addition = Case('y', "VE", v1::REPRISAL_TYPE_TRAVEL_BAN, v1::Consent());
  addition.record.set_adds_to_case(true);
  cases.push_back(addition);
  EXPECT_EQ(BuildReport(cases, 2026, 5).cases, 5u);
  EXPECT_EQ(BuildReport(cases, 2025, 5).cases, 1u);
}

TEST(CaseReportTest, KBelowTheMinimumIsRaisedToIt) {
  EXPECT_EQ(BuildReport({}, 2026, 1).k, kMinSuppression);
}

TEST(CaseReportTest, TheOutputsCarryNoNameAndLoadNothing) {
  std::vector<CaseData> cases = Cases("VE", 6, 'a');
  cases[0].submission.set_state_concerned("=cmd|' /C calc'!A0");
  const Report report = BuildReport(cases, 2026, 2);
  const std::string csv = ReportCsv(report);
  const std::string html = ReportHtml(report);
  for (const std::string& output : {csv, html}) {
    EXPECT_EQ(output.find("Person "), std::string::npos);
    EXPECT_EQ(output.find("Reporter "), std::string::npos);
  }
  EXPECT_NE(csv.find(",'=cmd|' /C calc'!A0,"), std::string::npos);  // never a formula
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  // No address but the SVG namespace, which names and loads nothing.
  EXPECT_EQ(Count(html, "://"), Count(html, "http://www.w3.org/2000/svg"));
}

}  // namespace
}  // namespace amparo::reviewer
