#include "reviewer/case_filter.h"

#include <algorithm>
#include <cctype>

namespace amparo::reviewer {
namespace {

std::string Folded(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool Contains(std::string_view haystack, const std::string& folded_needle) {
  return Folded(haystack).find(folded_needle) != std::string::npos;
}

bool TextMatches(const CaseData& item, const std::string& needle) {
  const v1::Submission& s = item.submission;
  if (Contains(s.narrative(), needle) || Contains(s.reporter().name(), needle) ||
      Contains(s.reporter().organisation(), needle)) {
    return true;
  }
  for (const auto& incident : s.incidents()) {
    if (Contains(incident.description(), needle) || Contains(incident.place(), needle) ||
        Contains(incident.perpetrator_detail(), needle)) {
      return true;
    }
  }
  for (const auto& party : s.affected()) {
    if (Contains(party.name(), needle) || Contains(party.organisation(), needle)) return true;
  }
  for (const auto& event : item.record.history()) {
    if (Contains(event.note(), needle)) return true;
  }
  return false;
}

}  // namespace

bool Matches(const CaseFilter& filter, const CaseData& item) {
  const v1::Submission& s = item.submission;
  if (filter.state && item.record.state() != *filter.state) return false;
  if (!filter.body.empty() &&
      std::find(item.bodies.begin(), item.bodies.end(), filter.body) == item.bodies.end()) {
    return false;
  }
  if (!filter.country.empty()) {
    bool found = s.state_concerned() == filter.country;
    for (const auto& incident : s.incidents()) found = found || incident.country() == filter.country;
    if (!found) return false;
  }
  if (filter.type) {
    bool found = false;
    for (const auto& incident : s.incidents()) {
      found = found || std::find(incident.types().begin(), incident.types().end(), *filter.type) !=
                           incident.types().end();
    }
    if (!found) return false;
  }
  if (!filter.assigned_to.empty() && item.record.assigned_to() != filter.assigned_to) return false;
  if (filter.year && YearOf(item.record.arrival_day()) != *filter.year) return false;
  if (!filter.text.empty() && !TextMatches(item, Folded(filter.text))) return false;
  return true;
}

}  // namespace amparo::reviewer
