#pragma once
// case_labels.h: the words the workstation shows for the enums of a case
// (submission.proto and workstation.proto), and the words its commands
// read for states and courses of action.

#include <optional>
#include <string>
#include <string_view>

#include "proto/submission.pb.h"
#include "proto/workstation.pb.h"

namespace amparo::reviewer {

std::string_view ReprisalTypeLabel(int type);
std::string_view PerpetratorLabel(int kind);
std::string_view GenderLabel(int gender);

// StateConcernedLabel is Submission.state_concerned as a public output
// prints it. The submitter wrote the field: only a two-letter code passes,
// so that no text of theirs reaches a public document.
std::string StateConcernedLabel(const std::string& state);

// ParseReprisalType reads a type as its submission.proto name in lower case
// with dashes, without the prefix: "arrest-or-detention".
std::optional<v1::ReprisalType> ParseReprisalType(std::string_view word);

// CaseStateWord is the command word of a state ("pending-assessment"...),
// CaseStateLabel its description; ParseCaseState reads a word.
std::string_view CaseStateWord(v1::CaseState state);
std::string_view CaseStateLabel(v1::CaseState state);
std::optional<v1::CaseState> ParseCaseState(std::string_view word);

// The same for courses of action.
std::string_view CourseOfActionWord(v1::CourseOfAction action);
std::string_view CourseOfActionLabel(v1::CourseOfAction action);
std::optional<v1::CourseOfAction> ParseCourseOfAction(std::string_view word);

// EventChange describes what a CaseEvent changed: "assessed: reprisal
// established", "assigned to NAME", "request for protection measures".
std::string EventChange(const v1::CaseEvent& event);

}  // namespace amparo::reviewer
