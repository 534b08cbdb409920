#include "reviewer/case_register.h"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>

#include "common/byte_reader.h"
#include "common/hex.h"
#include "reviewer/case_labels.h"
#include "reviewer/consent_policy.h"
#include "reviewer/output_formats.h"

namespace amparo::reviewer {
namespace {

std::string Joined(const std::set<std::string>& values) {
  std::string out;
  for (const std::string& value : values) out += (out.empty() ? "" : "; ") + value;
  return out;
}

bool IsPublic(v1::CourseOfAction action) {
  return action == v1::COURSE_OF_ACTION_CONCLUDING_OBSERVATIONS ||
         action == v1::COURSE_OF_ACTION_ANNUAL_REPORT ||
         action == v1::COURSE_OF_ACTION_PUBLIC_STATEMENT || action == v1::COURSE_OF_ACTION_WEB_POSTING;
}

const std::vector<std::string_view> kColumns = {
    "reference", "month", "State concerned", "bodies", "types of reprisal", "alleged perpetrators",
    "status", "public action", "people named"};

std::vector<std::string> Cells(const RegisterRow& row) {
  return {row.reference, row.month, row.state, row.bodies, row.types,
          row.perpetrators, row.status, row.actions, row.names};
}

}  // namespace

std::size_t AssignPublicReferences(v1::Keystore& keystore, crypto::RandomSource& random) {
  std::set<std::string> taken;
  for (const auto& imported : keystore.cases()) taken.insert(imported.public_reference());
  std::size_t assigned = 0;
  for (auto& imported : *keystore.mutable_cases()) {
    if (imported.adds_to_case() || !imported.public_reference().empty()) continue;
    std::string reference;
    do {
      std::array<std::uint8_t, 5> bytes{};
      random.Fill(bytes);
      reference = "C-" + HexEncode(bytes);
    } while (taken.count(reference) > 0);
    taken.insert(reference);
    imported.set_public_reference(reference);
    ++assigned;
  }
  return assigned;
}

std::vector<RegisterRow> BuildRegister(const std::vector<CaseData>& cases) {
  std::vector<const CaseData*> published;
  for (const CaseData& item : cases) {
    if (item.record.adds_to_case() || item.record.public_reference().empty()) continue;
    // The one question that decides: what did the person consent to?
    if (PublicationOf(item.consent.consent) == PublicationLevel::kNone) continue;
    published.push_back(&item);
  }
  std::stable_sort(published.begin(), published.end(), [](const CaseData* a, const CaseData* b) {
    return a->record.arrival_day() < b->record.arrival_day();
  });
  std::vector<RegisterRow> rows;
  for (const CaseData* item : published) {
    const v1::Submission& s = item->submission;
    RegisterRow row;
    row.reference = item->record.public_reference();
    row.month = FormatDay(item->record.arrival_day()).substr(0, 7);
    row.state = StateConcernedLabel(s.state_concerned());
    row.bodies = Joined(std::set<std::string>(item->bodies.begin(), item->bodies.end()));
    std::set<std::string> types, perpetrators, actions, names;
    for (const auto& incident : s.incidents()) {
      for (int t : incident.types()) types.insert(std::string(ReprisalTypeLabel(t)));
      for (int p : incident.perpetrators()) perpetrators.insert(std::string(PerpetratorLabel(p)));
    }
    for (const auto& event : item->record.history()) {
      if (IsPublic(event.action())) actions.insert(std::string(CourseOfActionLabel(event.action())));
    }
    if (PublicationOf(item->consent.consent) == PublicationLevel::kNamed) {
      for (const auto& party : s.affected()) {
        if (!party.name().empty()) names.insert(party.name());
      }
    }
    row.types = Joined(types);
    row.perpetrators = Joined(perpetrators);
    row.status = std::string(CaseStateLabel(item->record.state()));
    row.actions = Joined(actions);
    row.names = Joined(names);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string RegisterCsv(const std::vector<RegisterRow>& rows) {
  std::string out = CsvRow(std::vector<std::string>(kColumns.begin(), kColumns.end()));
  for (const RegisterRow& row : rows) out += CsvRow(Cells(row));
  return out;
}

std::string RegisterHtml(const std::vector<RegisterRow>& rows) {
  std::string body = "<h1>Register of cases</h1>\n<p class=\"note\">Only cases whose people consented "
                     "to publication, at the level they consented to: names appear only where they "
                     "agreed to be named.</p>\n";
  body += "<p>Cases: <strong id=\"count\">" + std::to_string(rows.size()) + "</strong></p>\n<table>\n<tr>";
  for (std::string_view column : kColumns) body += "<th scope=\"col\">" + HtmlEscape(column) + "</th>";
  body += "</tr>\n";
  for (const RegisterRow& row : rows) {
    body += "<tr>";
    for (const std::string& cell : Cells(row)) body += "<td>" + HtmlEscape(cell) + "</td>";
    body += "</tr>\n";
  }
  body += "</table>\n";
  return HtmlDocument("Register of cases", body);
}

}  // namespace amparo::reviewer
