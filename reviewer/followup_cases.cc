#include "reviewer/followup_cases.h"

#include <array>
#include <utility>

namespace amparo::reviewer {
namespace {

constexpr std::array<std::pair<std::string_view, v1::CaseStatus>, 4> kStatuses = {{
    {"received", v1::CASE_STATUS_RECEIVED},
    {"under-assessment", v1::CASE_STATUS_UNDER_ASSESSMENT},
    {"action-taken", v1::CASE_STATUS_ACTION_TAKEN},
    {"closed", v1::CASE_STATUS_CLOSED},
}};

}  // namespace

std::size_t LinkAdditions(v1::Keystore& keystore) {
  std::size_t linked = 0;
  for (v1::ImportedCase& addition : *keystore.mutable_cases()) {
    if (!addition.adds_to_case() || !addition.adds_to().empty() || addition.mailbox_id().empty()) {
      continue;
    }
    for (const v1::ImportedCase& original : keystore.cases()) {
      // The mailbox id is not secret (it travels in every replies file);
      // the reply key is, outside the sealed submissions: both must match.
      if (&original != &addition && !original.adds_to_case() &&
          original.mailbox_id() == addition.mailbox_id() &&
          original.reply_public_key() == addition.reply_public_key()) {
        addition.set_adds_to(original.envelope_id());
        ++linked;
        break;
      }
    }
  }
  return linked;
}

std::optional<v1::CaseStatus> ParseCaseStatus(std::string_view text) {
  for (const auto& [name, status] : kStatuses) {
    if (name == text) return status;
  }
  return std::nullopt;
}

std::string_view CaseStatusName(v1::CaseStatus status) {
  for (const auto& [name, value] : kStatuses) {
    if (value == status) return name;
  }
  return "unspecified";
}

}  // namespace amparo::reviewer
