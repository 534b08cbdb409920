#include "reviewer/case_report.h"

#include <algorithm>
#include <map>
#include <set>

#include "reviewer/case_labels.h"
#include "reviewer/consent_policy.h"
#include "reviewer/output_formats.h"

namespace amparo::reviewer {
namespace {

using Counts = std::map<std::string, std::size_t>;

ReportTable TableOf(std::string title, RowsPerCase rows_per_case, const Counts& counts,
                    std::size_t total, int k) {
  ReportTable table{std::move(title), rows_per_case, {}, false};
  const auto threshold = static_cast<std::size_t>(k);
  std::size_t shown_sum = 0, hidden = 0;
  for (const auto& [label, count] : counts) {
    const bool below = count < threshold;
    table.rows.push_back({label, count, below});
    if (below) {
      ++hidden;
    } else {
      shown_sum += count;
    }
  }
  // Hidden rows go last in the order of their labels: their order by count
  // would say which is larger.
  std::stable_sort(table.rows.begin(), table.rows.end(), [](const ReportRow& a, const ReportRow& b) {
    if (a.hidden != b.hidden) return !a.hidden;
    if (a.hidden) return a.label < b.label;
    return a.count > b.count;
  });
  const bool total_shown = total >= threshold;
  const bool pins = total_shown ? PinsHiddenRow(rows_per_case, total, shown_sum, hidden, k)
                                : hidden > 0 && rows_per_case == RowsPerCase::kExactlyOne;
  if (pins) {
    std::erase_if(table.rows, [](const ReportRow& row) { return row.hidden; });
    table.merged = true;
  }
  return table;
}

// Each case counts once per value it holds: a case sent to two bodies, or
// of two types, counts under each.
void CountOnce(Counts& counts, const std::set<std::string>& values) {
  for (const std::string& value : values) ++counts[value];
}

}  // namespace

bool PinsHiddenRow(RowsPerCase rows_per_case, std::size_t total, std::size_t shown_sum,
                   std::size_t hidden_rows, int k) {
  if (hidden_rows == 0 || rows_per_case == RowsPerCase::kAny) return false;
  const std::size_t most = hidden_rows * static_cast<std::size_t>(k - 1);  // every hidden row k-1
  const std::size_t rest = total > shown_sum ? total - shown_sum : 0;     // what the hidden rows hold at least
  if (rows_per_case == RowsPerCase::kAtLeastOne) return rest >= most;
  // Exactly one row per case: the hidden rows hold exactly `rest`. One
  // hidden row is `rest`; all ones or all k-1 are the only ways to make
  // `rest` from hidden_rows rows at the bounds.
  return hidden_rows == 1 || rest <= hidden_rows || rest >= most;
}

std::string Shown(std::size_t count, int k) {
  if (count < static_cast<std::size_t>(k)) return "<" + std::to_string(k);
  return std::to_string(count);
}

std::string OthersLabel(int k) { return "others, each fewer than " + std::to_string(k); }

Report BuildReport(const std::vector<CaseData>& cases, int year, int k) {
  Report report;
  report.year = year;
  report.k = std::max(k, kMinSuppression);
  Counts bodies, states, types, perpetrators, genders, statuses;
  for (const CaseData& item : cases) {
    if (item.record.adds_to_case() || YearOf(item.record.arrival_day()) != year) continue;
    if (!Permits(item.consent.consent, Use::kCountInStatistics).ok()) continue;
    ++report.cases;
    const v1::Submission& s = item.submission;
    CountOnce(bodies, std::set<std::string>(item.bodies.begin(), item.bodies.end()));
    states[StateConcernedLabel(s.state_concerned())] += 1;
    std::set<std::string> case_types, case_perpetrators, case_genders;
    for (const auto& incident : s.incidents()) {
      for (int t : incident.types()) case_types.insert(std::string(ReprisalTypeLabel(t)));
      for (int p : incident.perpetrators()) case_perpetrators.insert(std::string(PerpetratorLabel(p)));
    }
    for (const auto& party : s.affected()) {
      if (party.kind() == v1::PARTY_KIND_INDIVIDUAL) case_genders.insert(std::string(GenderLabel(party.gender())));
    }
    // A case with no type, or no perpetrator, is counted as "not given", so
    // that every case is in one row at least, as a reader may assume.
    if (case_types.empty()) case_types.insert("not given");
    if (case_perpetrators.empty()) case_perpetrators.insert("not given");
    if (case_genders.empty()) case_genders.insert("no individual named");
    CountOnce(types, case_types);
    CountOnce(perpetrators, case_perpetrators);
    CountOnce(genders, case_genders);
    statuses[std::string(CaseStateLabel(item.record.state()))] += 1;
  }
  const std::size_t total = report.cases;
  const int kk = report.k;
  report.tables.push_back(TableOf("By receiving body", RowsPerCase::kAtLeastOne, bodies, total, kk));
  report.tables.push_back(TableOf("By State concerned", RowsPerCase::kExactlyOne, states, total, kk));
  report.tables.push_back(TableOf("By type of reprisal", RowsPerCase::kAtLeastOne, types, total, kk));
  report.tables.push_back(TableOf("By alleged perpetrator", RowsPerCase::kAtLeastOne, perpetrators, total, kk));
  report.tables.push_back(
      TableOf("By gender of the individuals targeted", RowsPerCase::kAtLeastOne, genders, total, kk));
  report.tables.push_back(TableOf("By status", RowsPerCase::kExactlyOne, statuses, total, kk));
  return report;
}

namespace {

// Lines are a table's rows as printed: label and cell, the merged row last.
std::vector<std::pair<std::string, std::string>> Lines(const ReportTable& table, int k) {
  std::vector<std::pair<std::string, std::string>> lines;
  for (const ReportRow& row : table.rows) lines.emplace_back(row.label, Shown(row.count, k));
  if (table.merged) lines.emplace_back(OthersLabel(k), "<" + std::to_string(k));
  return lines;
}

}  // namespace

std::string ReportCsv(const Report& report) {
  std::string out = CsvRow({"table", "label", "count"});
  out += CsvRow({"all allegations", std::to_string(report.year), Shown(report.cases, report.k)});
  for (const ReportTable& table : report.tables) {
    for (const auto& [label, cell] : Lines(table, report.k)) out += CsvRow({table.title, label, cell});
  }
  return out;
}

std::string ReportHtml(const Report& report) {
  const std::string k = std::to_string(report.k);
  std::string body = "<h1>Allegations of intimidation and reprisals, " + std::to_string(report.year) + "</h1>\n";
  body += "<p>Allegations received: <strong id=\"total\">" + HtmlEscape(Shown(report.cases, report.k)) +
          "</strong>.</p>\n<p class=\"note\">Every count below " + k + " is shown as &lt;" + k +
          ", so that no small group of people can be singled out. Where the total would tell such a "
          "count, the rows below " + k + " are not named. A case counts once under each body, "
          "type, perpetrator or gender it concerns; additional information is counted with its case.</p>\n";
  for (const ReportTable& table : report.tables) {
    body += "<section>\n<h2>" + HtmlEscape(table.title) + "</h2>\n";
    const auto lines = Lines(table, report.k);
    if (lines.empty()) {
      body += "<p class=\"muted\">No allegation.</p>\n</section>\n";
      continue;
    }
    std::vector<Bar> bars;
    for (const ReportRow& row : table.rows) {
      // A hidden bar carries no value at all: BarChart draws it as an
      // outline of fixed length.
      bars.push_back({row.label, row.hidden ? 0.0 : static_cast<double>(row.count), Shown(row.count, report.k),
                      row.hidden});
    }
    if (table.merged) bars.push_back({OthersLabel(report.k), 0.0, "<" + k, true});
    body += BarChart(table.title, bars) + "\n<table>\n<tr><th scope=\"col\">" + HtmlEscape(table.title) +
            "</th><th scope=\"col\">Allegations</th></tr>\n";
    for (const auto& [label, cell] : lines) {
      body += "<tr><td>" + HtmlEscape(label) + "</td><td class=\"n\">" + HtmlEscape(cell) + "</td></tr>\n";
    }
    body += "</table>\n</section>\n";
  }
  return HtmlDocument("Allegations of reprisals, " + std::to_string(report.year), body);
}

}  // namespace amparo::reviewer
