#pragma once
// case_report.h: the aggregate statistics for a body's annual report and the
// Chairs' meeting: the allegations that arrived in a year, counted by body,
// State, type of reprisal, perpetrator, gender and status. Every count below
// k is shown as "<k" (small-cell suppression), the total too. No count names
// a person, so aggregates need no consent beyond their suppression; every
// output that names or describes one case asks consent_policy.h instead.
// Additional information is counted with its case, never as a case.

#include <cstddef>
#include <string>
#include <vector>

#include "reviewer/case_data.h"

namespace amparo::reviewer {

// kDefaultSuppression is the default k; kMinSuppression the smallest allowed.
inline constexpr int kDefaultSuppression = 5;
inline constexpr int kMinSuppression = 2;

// A cell of a table is shown, suppressed because it is below k, or withheld
// (complementary suppression): where the rows of a table add up to the
// total, one suppressed cell could be worked out by subtraction, so the
// smallest shown cells are withheld too until the hidden cells are at least
// two and add up to at least k. In such a table every hidden cell, below k
// or not, is shown the same way, so that none can be told apart.
enum class Cell { kShown, kBelowK, kWithheld };

struct ReportRow {
  std::string label;
  std::size_t count = 0;
  Cell cell = Cell::kShown;
};

struct ReportTable {
  std::string title;
  std::vector<ReportRow> rows;  // shown rows, largest count first; then hidden, by label
  bool complementary = false;   // some cells were withheld
};

struct Report {
  int year = 0;
  int k = kDefaultSuppression;
  std::size_t cases = 0;
  std::vector<ReportTable> tables;
};

// BuildReport counts the cases (not additions) that arrived in `year`.
Report BuildReport(const std::vector<CaseData>& cases, int year, int k);

// Shown is a count as a report prints it: the number, or "<k" below k.
std::string Shown(std::size_t count, int k);

// ShownCell is a row's cell as a report prints it: the number, "<k", or
// "suppressed" for every hidden cell of a table with withheld cells.
std::string ShownCell(const ReportTable& table, const ReportRow& row, int k);

// ReportCsv and ReportHtml render a report; the HTML is self-contained,
// with SVG charts, and loads nothing.
std::string ReportCsv(const Report& report);
std::string ReportHtml(const Report& report);

}  // namespace amparo::reviewer
