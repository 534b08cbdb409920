#pragma once
// case_report.h: the aggregate statistics for a body's annual report and the
// Chairs' meeting: the allegations that arrived in a year, counted by body,
// State, type of reprisal, perpetrator, gender and status. Every count below
// k is shown as "<k" (small-cell suppression), the total too; where the
// total would let a hidden count be worked out, the hidden rows are not
// named at all (ReportTable::merged). No count names
// a person, so aggregates need no consent beyond their suppression; every
// output that names or describes one case asks consent_policy.h instead.
// Additional information is counted with its case, never as a case.

#include <cstddef>
#include <string>
#include <vector>

#include "reviewer/case_data.h"

namespace amparo::reviewer {

// kDefaultSuppression is the default k; kMinSuppression the smallest
// allowed: with k = 2, every "<2" would be exactly 1.
inline constexpr int kDefaultSuppression = 5;
inline constexpr int kMinSuppression = 3;

// RowsPerCase is what a reader knows of how a table's rows relate to the
// total, which the report prints exactly from k on.
enum class RowsPerCase {
  kExactlyOne,   // State concerned, status: the rows add up to the total
  kAtLeastOne,   // bodies, types, perpetrators, genders: to the total or more
  kAny,          // no bound (no table of the report is one)
};

struct ReportRow {
  std::string label;
  std::size_t count = 0;
  bool hidden = false;  // below k: "<k"
};

struct ReportTable {
  std::string title;
  RowsPerCase rows_per_case = RowsPerCase::kAny;
  std::vector<ReportRow> rows;  // shown rows, largest count first; then hidden rows, by label
  // merged: a hidden row's count could have been worked out from the total
  // and the shown rows (PinsHiddenRow), so the hidden rows are not named:
  // `rows` holds the shown rows only, and one row "others, each fewer than
  // k" stands for the rest.
  bool merged = false;
};

struct Report {
  int year = 0;
  int k = kDefaultSuppression;
  std::size_t cases = 0;
  std::vector<ReportTable> tables;
};

// PinsHiddenRow reports whether a reader who knows the total (if it is k or
// more), the shown rows' sum and the number of hidden rows, each between 1
// and k-1, can tell the exact count of some hidden row. Below k the total is
// hidden too, yet a table of kExactlyOne can still pin it (k-1 hidden rows
// make it k-1), and with it the rows of every other such table: those are
// merged whenever the total is below k.
bool PinsHiddenRow(RowsPerCase rows_per_case, std::size_t total, std::size_t shown_sum,
                   std::size_t hidden_rows, int k);

// BuildReport counts the cases (not additions) that arrived in `year`.
Report BuildReport(const std::vector<CaseData>& cases, int year, int k);

// Shown is a count as a report prints it: the number, or "<k" below k.
std::string Shown(std::size_t count, int k);

// OthersLabel is the label of a merged table's last row.
std::string OthersLabel(int k);

// ReportCsv and ReportHtml render a report; the HTML is self-contained,
// with SVG charts, and loads nothing.
std::string ReportCsv(const Report& report);
std::string ReportHtml(const Report& report);

}  // namespace amparo::reviewer
