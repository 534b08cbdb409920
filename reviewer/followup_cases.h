#pragma once
// followup_cases.h: the follow-up state of the workstation's cases
// (proto/FOLLOWUP.md): linking additional information to its case, the
// statuses a reviewer records, and the replies waiting in the outbox.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "proto/followup.pb.h"
#include "proto/workstation.pb.h"

namespace amparo::reviewer {

// LinkAdditions sets adds_to on every case that adds information and is
// not linked yet, to the case of its own (not itself an addition) with the
// same mailbox id and the same reply key; returns how many it linked. The
// mailbox id alone would not do: it is written in every replies file, while
// the reply key leaves the submitter's device only sealed. An addition that
// arrives before its case is linked by a later import.
std::size_t LinkAdditions(v1::Keystore& keystore);

// ParseCaseStatus reads "received", "under-assessment", "action-taken" or
// "closed"; nullopt for anything else.
std::optional<v1::CaseStatus> ParseCaseStatus(std::string_view text);

// CaseStatusName is the word ParseCaseStatus reads.
std::string_view CaseStatusName(v1::CaseStatus status);

}  // namespace amparo::reviewer
