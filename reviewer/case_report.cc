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

bool Hidden(const ReportRow& row) { return row.cell != Cell::kShown; }

// Suppress hides the cells below k and, where the rows add up to the total,
// withholds the smallest shown cells until the hidden ones are at least two
// and add up to at least k: no hidden cell can then be worked out exactly.
void Suppress(ReportTable& table, std::size_t total, std::size_t k) {
  std::size_t sum = 0, hidden = 0, hidden_sum = 0;
  for (ReportRow& row : table.rows) {
    sum += row.count;
    if (row.count < k) {
      row.cell = Cell::kBelowK;
      ++hidden;
      hidden_sum += row.count;
    }
  }
  if (sum != total || hidden == 0) return;
  // Rows are sorted largest first: the smallest shown cell is the last shown.
  for (auto row = table.rows.rbegin(); row != table.rows.rend() && (hidden < 2 || hidden_sum < k); ++row) {
    if (Hidden(*row)) continue;
    row->cell = Cell::kWithheld;
    ++hidden;
    hidden_sum += row->count;
    table.complementary = true;
  }
}

ReportTable TableOf(std::string title, const Counts& counts, std::size_t total, int k) {
  ReportTable table{std::move(title), {}, false};
  for (const auto& [label, count] : counts) table.rows.push_back({label, count, Cell::kShown});
  std::stable_sort(table.rows.begin(), table.rows.end(),
                   [](const ReportRow& a, const ReportRow& b) { return a.count > b.count; });
  Suppress(table, total, static_cast<std::size_t>(k));
  // Hidden rows go last in the order of their labels: their order by count
  // would say which is larger.
  std::stable_sort(table.rows.begin(), table.rows.end(), [](const ReportRow& a, const ReportRow& b) {
    if (Hidden(a) != Hidden(b)) return !Hidden(a);
    if (Hidden(a)) return a.label < b.label;
    return a.count > b.count;
  });
  return table;
}

// Each case counts once per value it holds: a case sent to two bodies, or
// of two types, counts under each.
void CountOnce(Counts& counts, const std::set<std::string>& values) {
  for (const std::string& value : values) ++counts[value];
}

}  // namespace

std::string Shown(std::size_t count, int k) {
  if (count < static_cast<std::size_t>(k)) return "<" + std::to_string(k);
  return std::to_string(count);
}

std::string ShownCell(const ReportTable& table, const ReportRow& row, int k) {
  if (!Hidden(row)) return std::to_string(row.count);
  if (table.complementary) return "suppressed";
  return "<" + std::to_string(k);
}

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
    CountOnce(bodies, std::set<std::string>(s.bodies().begin(), s.bodies().end()));
    states[s.state_concerned().empty() ? "not given" : s.state_concerned()] += 1;
    std::set<std::string> case_types, case_perpetrators, case_genders;
    for (const auto& incident : s.incidents()) {
      for (int t : incident.types()) case_types.insert(std::string(ReprisalTypeLabel(t)));
      for (int p : incident.perpetrators()) case_perpetrators.insert(std::string(PerpetratorLabel(p)));
    }
    for (const auto& party : s.affected()) {
      if (party.kind() == v1::PARTY_KIND_INDIVIDUAL) case_genders.insert(std::string(GenderLabel(party.gender())));
    }
    if (case_perpetrators.empty()) case_perpetrators.insert("not given");
    if (case_genders.empty()) case_genders.insert("no individual named");
    CountOnce(types, case_types);
    CountOnce(perpetrators, case_perpetrators);
    CountOnce(genders, case_genders);
    statuses[std::string(CaseStateLabel(item.record.state()))] += 1;
  }
  report.tables.push_back(TableOf("By receiving body", bodies, report.cases, report.k));
  report.tables.push_back(TableOf("By State concerned", states, report.cases, report.k));
  report.tables.push_back(TableOf("By type of reprisal", types, report.cases, report.k));
  report.tables.push_back(TableOf("By alleged perpetrator", perpetrators, report.cases, report.k));
  report.tables.push_back(TableOf("By gender of the individuals targeted", genders, report.cases, report.k));
  report.tables.push_back(TableOf("By status", statuses, report.cases, report.k));
  return report;
}

std::string ReportCsv(const Report& report) {
  std::string out = CsvRow({"table", "label", "count"});
  out += CsvRow({"all allegations", std::to_string(report.year), Shown(report.cases, report.k)});
  for (const ReportTable& table : report.tables) {
    for (const ReportRow& row : table.rows) out += CsvRow({table.title, row.label, ShownCell(table, row, report.k)});
  }
  return out;
}

std::string ReportHtml(const Report& report) {
  const std::string k = std::to_string(report.k);
  std::string body = "<h1>Allegations of intimidation and reprisals, " + std::to_string(report.year) + "</h1>\n";
  body += "<p>Allegations received: <strong id=\"total\">" + HtmlEscape(Shown(report.cases, report.k)) +
          "</strong>.</p>\n<p class=\"note\">Every count below " + k + " is shown as &lt;" + k +
          ", so that no small group of people can be singled out. A case counts once under each body, "
          "type, perpetrator or gender it concerns; additional information is counted with its case.</p>\n";
  for (const ReportTable& table : report.tables) {
    body += "<section>\n<h2>" + HtmlEscape(table.title) + "</h2>\n";
    if (table.rows.empty()) {
      body += "<p class=\"muted\">No allegation.</p>\n</section>\n";
      continue;
    }
    std::vector<Bar> bars;
    for (const ReportRow& row : table.rows) {
      // A hidden bar carries no value at all: BarChart draws it as an
      // outline of fixed length.
      const bool hidden = row.cell != Cell::kShown;
      bars.push_back({row.label, hidden ? 0.0 : static_cast<double>(row.count),
                      ShownCell(table, row, report.k), hidden});
    }
    body += BarChart(table.title, bars) + "\n<table>\n<tr><th scope=\"col\">" + HtmlEscape(table.title) +
            "</th><th scope=\"col\">Allegations</th></tr>\n";
    for (const ReportRow& row : table.rows) {
      body += "<tr><td>" + HtmlEscape(row.label) + "</td><td class=\"n\">" +
              HtmlEscape(ShownCell(table, row, report.k)) + "</td></tr>\n";
    }
    body += "</table>\n";
    if (table.complementary) {
      body += "<p class=\"note\">Its rows add up to the total, so more cells are suppressed: "
              "otherwise one below " + k + " could be worked out by subtraction.</p>\n";
    }
    body += "</section>\n";
  }
  return HtmlDocument("Allegations of reprisals, " + std::to_string(report.year), body);
}

}  // namespace amparo::reviewer
