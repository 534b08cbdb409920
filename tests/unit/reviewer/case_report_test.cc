// case_report_test.cc: the annual statistics. A count of k is shown, k-1
// is "<k". No hidden row can be worked out from what the report prints:
// checked against every count of four States up to 6, as a reader who
// knows the rules would work them out. Hidden rows say nothing by their
// order; additions and other years are not counted; no output carries a
// name or a submitter's text.

#include "reviewer/case_report.h"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <set>
#include <vector>

#include "tests/unit/reviewer/casework_fixtures.h"

namespace amparo::reviewer {
namespace {

using testing::Case;
using testing::kDay2025;

std::vector<CaseData> Cases(std::string state, std::size_t n, char first_id) {
  std::vector<CaseData> cases;
  for (std::size_t i = 0; i < n; ++i) {
    cases.push_back(Case(static_cast<char>(first_id + static_cast<char>(i)), state,
                         v1::REPRISAL_TYPE_TRAVEL_BAN, v1::Consent()));
    cases.back().bodies = {"CAT"};
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
  for (int k : {3, 5, 7}) {
    SCOPED_TRACE(k);
    const auto n = static_cast<std::size_t>(k);
    std::vector<CaseData> cases = Cases("VE", n, 'a');
    Append(cases, Cases("NI", n - 1, 'A'));
    Append(cases, Cases("AR", 1, 'z'));
    const Report report = BuildReport(cases, 2026, k);
    const ReportTable& states = Table(report, "By State concerned");
    ASSERT_FALSE(states.merged);
    EXPECT_FALSE(Row(states, "VE")->hidden);
    EXPECT_TRUE(Row(states, "NI")->hidden);
    EXPECT_EQ(Shown(n - 1, k), "<" + std::to_string(k));
    EXPECT_EQ(Shown(n, k), std::to_string(k));
    EXPECT_NE(ReportCsv(report).find("\"By State concerned\",\"NI\",\"<" + std::to_string(k) + "\""),
              std::string::npos);
  }
}

TEST(CaseReportTest, TheDefaultKIsFiveAndTheSmallestThree) {
  EXPECT_EQ(kDefaultSuppression, 5);
  EXPECT_EQ(kMinSuppression, 3);
  EXPECT_EQ(BuildReport({}, 2026, 2).k, 3);
  const Report report = BuildReport(Cases("VE", 4, 'a'), 2026, kDefaultSuppression);
  EXPECT_EQ(report.k, 5);
  EXPECT_EQ(Shown(report.cases, report.k), "<5");
  EXPECT_EQ(ReportCsv(report).find("\"4\""), std::string::npos);
}

TEST(CaseReportTest, PinsHiddenRowFollowsWhatTheTotalTells) {
  // Exactly one row per case: the hidden rows hold total - shown exactly.
  EXPECT_TRUE(PinsHiddenRow(RowsPerCase::kExactlyOne, 12, 11, 1, 5));   // one hidden row: 1
  EXPECT_TRUE(PinsHiddenRow(RowsPerCase::kExactlyOne, 15, 10, 5, 5));   // five hidden rows of 1
  EXPECT_TRUE(PinsHiddenRow(RowsPerCase::kExactlyOne, 18, 10, 2, 5));   // two hidden rows of 4
  EXPECT_FALSE(PinsHiddenRow(RowsPerCase::kExactlyOne, 13, 10, 2, 5));  // 1+2 or 2+1
  EXPECT_FALSE(PinsHiddenRow(RowsPerCase::kExactlyOne, 17, 10, 2, 5));  // 3+4 or 4+3
  // At least one: total - shown is only what the hidden rows hold at least.
  EXPECT_TRUE(PinsHiddenRow(RowsPerCase::kAtLeastOne, 14, 10, 1, 5));   // 4 at least, below 5
  EXPECT_FALSE(PinsHiddenRow(RowsPerCase::kAtLeastOne, 13, 10, 1, 5));
  EXPECT_FALSE(PinsHiddenRow(RowsPerCase::kAtLeastOne, 10, 12, 2, 5));  // overlaps: nothing
  // No bound at all.
  EXPECT_FALSE(PinsHiddenRow(RowsPerCase::kAny, 12, 11, 1, 5));
  EXPECT_FALSE(PinsHiddenRow(RowsPerCase::kExactlyOne, 12, 12, 0, 5));
}

// Visible is what a report prints of the State table and the total.
std::string Visible(const Report& report) {
  std::string out = Shown(report.cases, report.k) + "|";
  for (const ReportTable& table : report.tables) {
    if (table.title != "By State concerned") continue;
    for (const ReportRow& row : table.rows) out += row.label + "=" + Shown(row.count, report.k) + ";";
    if (table.merged) out += "others";
  }
  return out;
}

TEST(CaseReportTest, NoHiddenStateCanBeWorkedOutFromTheReport) {
  // Every count of four States from 0 to 6 (2401 reports for each k). A
  // reader sees a report and knows the rules; the reports that print the
  // same are all the reader can tell apart. Among them, every named hidden
  // row must take at least two counts.
  constexpr std::array<const char*, 4> kStates = {"AR", "BY", "CU", "DZ"};
  for (int k : {3, 5}) {
    SCOPED_TRACE(k);
    std::map<std::string, std::map<std::string, std::set<std::size_t>>> seen;  // visible -> label -> counts
    std::array<std::size_t, 4> counts{};
    for (std::size_t code = 0; code < 7 * 7 * 7 * 7; ++code) {
      std::size_t rest = code;
      std::vector<CaseData> cases;
      for (std::size_t i = 0; i < kStates.size(); ++i) {
        counts[i] = rest % 7;
        rest /= 7;
        Append(cases, Cases(kStates[i], counts[i], 'a'));
      }
      const Report report = BuildReport(cases, 2026, k);
      auto& labels = seen[Visible(report)];
      for (const ReportRow& row : Table(report, "By State concerned").rows) {
        if (row.hidden) labels[row.label].insert(row.count);
      }
    }
    std::size_t hidden_rows_checked = 0;
    for (const auto& [visible, labels] : seen) {
      for (const auto& [label, possible] : labels) {
        ++hidden_rows_checked;
        EXPECT_GE(possible.size(), 2u) << visible << ": " << label << " is exactly " << *possible.begin();
      }
    }
    EXPECT_GT(hidden_rows_checked, 100u);  // the check had something to check
  }
}

TEST(CaseReportTest, AMergedTableNamesNoHiddenRow) {
  // 6 + 5 + 1 = 12: "<5" for NI alone would be 12 - 6 - 5 = 1.
  std::vector<CaseData> cases = Cases("VE", 6, 'a');
  Append(cases, Cases("BY", 5, 'A'));
  Append(cases, Cases("NI", 1, 'z'));
  const Report report = BuildReport(cases, 2026, 5);
  const ReportTable& states = Table(report, "By State concerned");
  EXPECT_TRUE(states.merged);
  EXPECT_EQ(Row(states, "NI"), nullptr);
  ASSERT_NE(Row(states, "BY"), nullptr);
  EXPECT_EQ(Row(states, "BY")->count, 5u);
  const std::string csv = ReportCsv(report);
  EXPECT_EQ(csv.find("NI"), std::string::npos);
  EXPECT_NE(csv.find("\"By State concerned\",\"others, each fewer than 5\",\"<5\"\r\n"), std::string::npos);
  EXPECT_EQ(ReportHtml(report).find("NI"), std::string::npos);
}

TEST(CaseReportTest, BelowKEveryTableOfOneRowPerCaseIsMerged) {
  // Four States of one case each, total "<5": four rows make the total 4.
  std::vector<CaseData> cases;
  for (const char* state : {"AR", "BY", "CU", "DZ"}) Append(cases, Cases(state, 1, 'a'));
  const Report report = BuildReport(cases, 2026, 5);
  EXPECT_TRUE(Table(report, "By State concerned").merged);
  EXPECT_TRUE(Table(report, "By State concerned").rows.empty());
  EXPECT_TRUE(Table(report, "By status").merged);
  EXPECT_FALSE(Table(report, "By type of reprisal").merged);  // below k, no sum to work from
}

TEST(CaseReportTest, ABodyOnlyTheRestCanFillIsNotNamed) {
  // 10 cases to CAT only, 4 to SPT only: SPT holds at least 14 - 10 = 4.
  std::vector<CaseData> cases = Cases("VE", 14, 'a');
  for (std::size_t i = 10; i < 14; ++i) cases[i].bodies = {"SPT"};
  EXPECT_TRUE(Table(BuildReport(cases, 2026, 5), "By receiving body").merged);
  // Two of SPT's cases went to CAT too: the rest is 2, SPT may be 2, 3 or 4.
  cases[10].bodies = {"CAT", "SPT"};
  cases[11].bodies = {"CAT", "SPT"};
  const Report report = BuildReport(cases, 2026, 5);
  const ReportTable& bodies = Table(report, "By receiving body");
  EXPECT_FALSE(bodies.merged);
  EXPECT_TRUE(Row(bodies, "SPT")->hidden);
}

TEST(CaseReportTest, ATypeOnlyTheRestCanFillIsNotNamed) {
  // 6 threats, 4 killings, every case with an incident: killing is 10 - 6.
  std::vector<CaseData> cases = Cases("VE", 10, 'a');
  for (std::size_t i = 0; i < 10; ++i) {
    cases[i].submission.mutable_incidents(0)->set_types(
        0, i < 6 ? v1::REPRISAL_TYPE_THREATS_AND_INTIMIDATION : v1::REPRISAL_TYPE_KILLING);
  }
  const Report report = BuildReport(cases, 2026, 5);
  EXPECT_TRUE(Table(report, "By type of reprisal").merged);
  EXPECT_EQ(ReportCsv(report).find("killing"), std::string::npos);
}

TEST(CaseReportTest, ACaseWithoutATypeIsCountedAsNotGiven) {
  std::vector<CaseData> cases = Cases("VE", 6, 'a');
  cases[0].submission.clear_incidents();
  const Report report = BuildReport(cases, 2026, 3);
  const ReportTable& types = Table(report, "By type of reprisal");
  ASSERT_NE(Row(types, "not given"), nullptr);
  EXPECT_EQ(Row(types, "not given")->count, 1u);
}

TEST(CaseReportTest, HiddenRowsComeLastInTheOrderOfTheirLabels) {
  std::vector<CaseData> cases = Cases("VE", 9, 'a');
  Append(cases, Cases("ZW", 4, 'A'));  // larger, but must not come first
  Append(cases, Cases("AR", 2, 'z'));
  const Report report = BuildReport(cases, 2026, 5);
  const ReportTable& states = Table(report, "By State concerned");
  ASSERT_FALSE(states.merged);
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

TEST(CaseReportTest, OnlyTheBodiesWhoseKeysOpenTheCaseAreCounted) {
  std::vector<CaseData> cases = Cases("VE", 6, 'a');
  for (auto& item : cases) item.submission.add_bodies("Namedperson of the narrative");  // written by the submitter
  const std::string csv = ReportCsv(BuildReport(cases, 2026, 5));
  EXPECT_EQ(csv.find("Namedperson"), std::string::npos);
  EXPECT_NE(csv.find("\"By receiving body\",\"CAT\",\"6\""), std::string::npos);
}

TEST(CaseReportTest, AStateConcernedThatIsNoCountryCodeIsNotPrinted) {
  std::vector<CaseData> cases = Cases("Señora Pérez", 6, 'a');
  Append(cases, Cases("ve", 6, 'A'));
  const std::string csv = ReportCsv(BuildReport(cases, 2026, 5));
  EXPECT_EQ(csv.find("Pérez"), std::string::npos);
  EXPECT_EQ(csv.find("\"ve\""), std::string::npos);
  EXPECT_NE(csv.find("\"By State concerned\",\"not a country code\",\"12\""), std::string::npos);
}

TEST(CaseReportTest, TheOutputsCarryNoNameAndLoadNothing) {
  const Report report = BuildReport(Cases("VE", 6, 'a'), 2026, 3);
  const std::string csv = ReportCsv(report);
  const std::string html = ReportHtml(report);
  for (const std::string& output : {csv, html}) {
    EXPECT_EQ(output.find("Person "), std::string::npos);
    EXPECT_EQ(output.find("Reporter "), std::string::npos);
  }
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  // No address but the SVG namespace, which names and loads nothing.
  EXPECT_EQ(Count(html, "://"), Count(html, "http://www.w3.org/2000/svg"));
}

}  // namespace
}  // namespace amparo::reviewer
