#pragma once
// case_access.h: finding the imported cases of an open keystore and opening
// them for the casework outputs, with the consent in force of each
// (consent_policy.h). Shared by every command that reads cases.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "reviewer/case_data.h"
#include "reviewer/case_files.h"
#include "reviewer/keystore.h"

namespace amparo::reviewer {

// CaseHex is a case's id as the commands show and read it.
std::string CaseHex(const std::string& envelope_id);

// CaseFile is where a case's sealed envelope is kept.
std::filesystem::path CaseFile(const Keystore& keystore, std::string_view hex_id);

const v1::ImportedCase* FindCase(const v1::Keystore& data, std::string_view hex_id);
v1::ImportedCase* FindCase(v1::Keystore& data, std::string_view hex_id);

// GoverningCase is the case whose keys and consent govern `imported`: itself,
// or for additional information the case it was linked to; nullptr for an
// addition not linked (yet).
const v1::ImportedCase* GoverningCase(const v1::Keystore& data, const v1::ImportedCase& imported);

// LoadCases opens every case the kept keys still open, each with the
// consent in force of its governing case; *unopened counts the others
// (their keys were destroyed). An addition not linked yet carries a consent
// of all NO: nothing may be done with it until it is; so does a case with
// an addition no kept key opens (ConsentOfCase).
std::vector<CaseData> LoadCases(const Keystore& keystore, const KeyRing& ring, std::size_t* unopened);

// ConsentOfCase opens `governing` (a case of its own) and its linked
// additions and returns its consent in force; kNoMatch if no kept key opens
// the case itself. If an addition cannot be opened, its decisions cannot be
// known, and it may have withdrawn consent: the consent in force is then
// all NO (kUnreadableAddition says why in not_applied).
Result<ConsentInForce> ConsentOfCase(const Keystore& keystore, const KeyRing& ring,
                                     const v1::ImportedCase& governing);

inline constexpr std::string_view kUnreadableAddition =
    "additional information that no kept key opens may have withdrawn consent: nothing is permitted";

// TerminalText replaces with '?' the control characters of what a submitter
// wrote (C0, DEL, and the C1 controls some terminals obey), the Unicode
// direction marks, overrides and isolates that could make a line read
// otherwise, and the Unicode line and paragraph separators, so that it
// cannot drive the focal point's terminal. Newlines pass only if asked.
std::string TerminalText(std::string_view text, bool keep_newlines = false);

}  // namespace amparo::reviewer
