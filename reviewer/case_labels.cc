#include "reviewer/case_labels.h"

#include <algorithm>
#include <array>
#include <tuple>

namespace amparo::reviewer {
namespace {

constexpr std::array<std::string_view, 20> kReprisalTypes = {
    "unspecified", "threats and intimidation", "surveillance", "travel ban or confiscated documents",
    "arrest or detention", "criminal charges", "physical attack", "killing",
    "defamation or stigmatisation", "restrictions on an organisation", "reprisals against relatives",
    "online attacks", "disappearance or abduction", "raid, search or confiscation",
    "ill-treatment in detention", "expulsion or visa denial", "professional or administrative sanction",
    "access to the UN denied", "interrogation", "other"};

constexpr std::array<std::string_view, 7> kPerpetrators = {
    "unspecified", "State agents", "State delegation", "non-State actors with State acquiescence",
    "non-State actors", "unknown", "other"};

constexpr std::array<std::string_view, 6> kGenders = {
    "not given", "woman", "man", "non-binary", "self-described", "prefers not to say"};

using StateRow = std::tuple<v1::CaseState, std::string_view, std::string_view>;
constexpr std::array<StateRow, 8> kStates = {{
    {v1::CASE_STATE_RECEIVED, "received", "received"},
    {v1::CASE_STATE_PENDING_ASSESSMENT, "pending-assessment", "allegation pending initial assessment"},
    {v1::CASE_STATE_REPRISAL_ESTABLISHED, "reprisal-established", "assessed: reprisal established"},
    {v1::CASE_STATE_NOT_ESTABLISHED, "not-established", "assessed: reprisal not established"},
    {v1::CASE_STATE_INSUFFICIENT_INFORMATION, "insufficient-information", "assessed: insufficient information"},
    {v1::CASE_STATE_ACTION_DECIDED, "action-decided", "course of action decided"},
    {v1::CASE_STATE_FOLLOW_UP, "follow-up", "follow-up"},
    {v1::CASE_STATE_CLOSED, "closed", "closed"},
}};

using ActionRow = std::tuple<v1::CourseOfAction, std::string_view, std::string_view>;
constexpr std::array<ActionRow, 12> kActions = {{
    {v1::COURSE_OF_ACTION_CONFIDENTIAL_LETTER, "confidential-letter", "confidential letter to the State"},
    {v1::COURSE_OF_ACTION_MEETING_WITH_STATE, "meeting-with-state", "meeting with the State"},
    {v1::COURSE_OF_ACTION_PROTECTION_MEASURES, "protection-measures", "request for protection measures"},
    {v1::COURSE_OF_ACTION_REFERRAL_SPECIAL_PROCEDURES, "referral-special-procedures", "referral to special procedures"},
    {v1::COURSE_OF_ACTION_REFERRAL_ASG, "referral-asg", "referral to the Assistant Secretary-General"},
    {v1::COURSE_OF_ACTION_REGIONAL_MECHANISM, "regional-mechanism", "regional mechanisms"},
    {v1::COURSE_OF_ACTION_UN_COUNTRY_TEAM, "un-country-team", "UN country team follow-up"},
    {v1::COURSE_OF_ACTION_CONCLUDING_OBSERVATIONS, "concluding-observations", "concluding observations"},
    {v1::COURSE_OF_ACTION_ANNUAL_REPORT, "annual-report", "the body's annual report"},
    {v1::COURSE_OF_ACTION_SG_REPORT, "sg-report", "the Secretary-General's report"},
    {v1::COURSE_OF_ACTION_PUBLIC_STATEMENT, "public-statement", "public statement"},
    {v1::COURSE_OF_ACTION_WEB_POSTING, "web-posting", "web posting"},
}};

template <typename Array>
std::string_view At(const Array& names, int index) {
  return index >= 0 && static_cast<std::size_t>(index) < names.size() ? names[static_cast<std::size_t>(index)]
                                                                      : names[0];
}

}  // namespace

std::string_view ReprisalTypeLabel(int type) { return At(kReprisalTypes, type); }
std::string_view PerpetratorLabel(int kind) { return At(kPerpetrators, kind); }
std::string_view GenderLabel(int gender) { return At(kGenders, gender); }

std::string StateConcernedLabel(const std::string& state) {
  if (state.empty()) return "not given";
  const bool code = state.size() == 2 && std::all_of(state.begin(), state.end(),
                                                     [](char c) { return c >= 'A' && c <= 'Z'; });
  return code ? state : "not a country code";
}

std::optional<v1::ReprisalType> ParseReprisalType(std::string_view word) {
  std::string name = "REPRISAL_TYPE_";
  for (char c : word) {
    if (c == '-') name += '_';
    else if (c >= 'a' && c <= 'z') name += static_cast<char>(c - 'a' + 'A');
    else return std::nullopt;  // only the documented spelling
  }
  v1::ReprisalType type{};
  if (!v1::ReprisalType_Parse(name, &type) || type == v1::REPRISAL_TYPE_UNSPECIFIED) return std::nullopt;
  return type;
}

std::string_view CaseStateWord(v1::CaseState state) {
  for (const auto& [value, word, label] : kStates) if (value == state) return word;
  return "unspecified";
}
std::string_view CaseStateLabel(v1::CaseState state) {
  for (const auto& [value, word, label] : kStates) if (value == state) return label;
  return "unspecified";
}
std::optional<v1::CaseState> ParseCaseState(std::string_view text) {
  for (const auto& [value, word, label] : kStates) if (word == text) return value;
  return std::nullopt;
}

std::string_view CourseOfActionWord(v1::CourseOfAction action) {
  for (const auto& [value, word, label] : kActions) if (value == action) return word;
  return "unspecified";
}
std::string_view CourseOfActionLabel(v1::CourseOfAction action) {
  for (const auto& [value, word, label] : kActions) if (value == action) return label;
  return "unspecified";
}
std::optional<v1::CourseOfAction> ParseCourseOfAction(std::string_view text) {
  for (const auto& [value, word, label] : kActions) if (word == text) return value;
  return std::nullopt;
}

std::string EventChange(const v1::CaseEvent& event) {
  if (event.state() != v1::CASE_STATE_UNSPECIFIED) return std::string(CaseStateLabel(event.state()));
  if (!event.assigned_to().empty()) return "assigned to " + event.assigned_to();
  if (event.action() != v1::COURSE_OF_ACTION_UNSPECIFIED) {
    return std::string(CourseOfActionLabel(event.action())) + (event.names_people() ? " (naming people)" : "");
  }
  return "note";
}

}  // namespace amparo::reviewer
