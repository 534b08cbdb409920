#pragma once
// casework_commands.h: the focal point's casework on the workstation (San
// José Guidelines paras 10-14): the life cycle of each allegation, its
// assignment, the courses of action (each refused unless the person's
// consent allows it: consent_policy.h), finding cases, and the outputs: the
// annual statistics with small-cell suppression, the public register, and a
// case as an HTML page to read from file:// with no network.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "reviewer/case_filter.h"
#include "reviewer/keystore_commands.h"

namespace amparo::reviewer {

// EventOptions are who records a change and why.
struct EventOptions {
  std::string by;    // the focal point's name, 1..kMaxCaseEventByBytes of UTF-8
  std::string note;  // 0..kMaxCaseEventNoteBytes of UTF-8
};

// EventProblem is why an event cannot be added to a case whose history
// holds `history_size` events, or nullopt if it can.
std::optional<std::string> EventProblem(const EventOptions& event, std::size_t history_size);

// NameProblem is why `name` cannot be an assignee, or nullopt.
std::optional<std::string> NameProblem(std::string_view name);

int RunCaseState(const KeystoreAccess& access, const std::string& case_id, const std::string& state,
                 const EventOptions& event);
int RunCaseAssign(const KeystoreAccess& access, const std::string& case_id, const std::string& name,
                  const EventOptions& event);
int RunCaseAction(const KeystoreAccess& access, const std::string& case_id, const std::string& action,
                  bool names_people, const EventOptions& event);

// RunList lists the cases that pass `filter`, one line each.
int RunList(const KeystoreAccess& access, const CaseFilter& filter);

// RunReport writes the statistics of `year` with suppression below k to a
// CSV file, an HTML file, or both (at least one).
int RunReport(const KeystoreAccess& access, int year, int k, const std::string& csv,
              const std::string& html);

// RunRegister writes the public register (consented cases only).
int RunRegister(const KeystoreAccess& access, const std::string& csv, const std::string& html);

// RunShowHtml writes one case, its history and its attachments' names as a
// self-contained page; attachments are listed, never opened.
int RunShowHtml(const KeystoreAccess& access, const std::string& case_id, const std::string& output);

}  // namespace amparo::reviewer
