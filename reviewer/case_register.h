#pragma once
// case_register.h: the public register of cases (San José Guidelines paras
// 26-27; the OHCHR notes' searchable repository of non-confidential cases).
// It holds only the cases whose people consented to publication, each at the
// level consented: anonymous cases without any name, named ones with the
// names of the people targeted (never the reporter's, never a contact). No
// free text a submitter wrote is ever copied: it may name anyone.

#include <cstddef>
#include <string>
#include <vector>

#include "crypto/random.h"
#include "reviewer/case_data.h"

namespace amparo::reviewer {

struct RegisterRow {
  std::string reference;     // the case's public_reference
  std::string month;         // YYYY-MM of arrival
  std::string state;         // State concerned
  std::string bodies;
  std::string types;
  std::string perpetrators;
  std::string status;
  std::string actions;       // public courses of action taken
  std::string names;         // empty unless publication with names was consented
};

// AssignPublicReferences gives every case of its own that has none a
// random public reference, unique in the keystore; returns how many.
std::size_t AssignPublicReferences(v1::Keystore& keystore, crypto::RandomSource& random);

// BuildRegister returns the rows of the cases that may be published, in
// order of arrival; additional information is never a row, nor a case
// without a public reference (AssignPublicReferences comes first).
std::vector<RegisterRow> BuildRegister(const std::vector<CaseData>& cases);

std::string RegisterCsv(const std::vector<RegisterRow>& rows);
std::string RegisterHtml(const std::vector<RegisterRow>& rows);

}  // namespace amparo::reviewer
