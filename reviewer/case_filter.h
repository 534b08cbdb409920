#pragma once
// case_filter.h: the filters of `amparo-review list`: by state, body, State
// concerned, type of reprisal, assignee, year of arrival, and a search of
// the case's text (case-insensitive for ASCII letters).

#include <optional>
#include <string>

#include "reviewer/case_data.h"

namespace amparo::reviewer {

struct CaseFilter {
  std::optional<v1::CaseState> state;
  std::string body;          // a body whose key opens the case
  std::string country;       // the State concerned, or a country of an incident
  std::optional<int> type;   // a ReprisalType
  std::string assigned_to;
  std::optional<int> year;   // of arrival
  std::string text;          // in the narrative, incidents, names and notes
};

// Matches reports whether a case passes every filter that is set.
bool Matches(const CaseFilter& filter, const CaseData& item);

}  // namespace amparo::reviewer
