#include "reviewer/case_access.h"

#include <map>
#include <set>

#include "common/byte_reader.h"
#include "common/hex.h"

namespace amparo::reviewer {

std::string CaseHex(const std::string& envelope_id) { return HexEncode(AsBytes(envelope_id)); }

std::filesystem::path CaseFile(const Keystore& keystore, std::string_view hex_id) {
  return keystore.cases_dir() / (std::string(hex_id) + ".envelope");
}

const v1::ImportedCase* FindCase(const v1::Keystore& data, std::string_view hex_id) {
  for (const auto& imported : data.cases()) {
    if (CaseHex(imported.envelope_id()) == hex_id) return &imported;
  }
  return nullptr;
}

v1::ImportedCase* FindCase(v1::Keystore& data, std::string_view hex_id) {
  for (auto& imported : *data.mutable_cases()) {
    if (CaseHex(imported.envelope_id()) == hex_id) return &imported;
  }
  return nullptr;
}

const v1::ImportedCase* GoverningCase(const v1::Keystore& data, const v1::ImportedCase& imported) {
  if (!imported.adds_to_case()) return &imported;
  if (imported.adds_to().empty()) return nullptr;
  for (const auto& other : data.cases()) {
    if (other.envelope_id() == imported.adds_to() && !other.adds_to_case()) return &other;
  }
  return nullptr;
}

namespace {

// BodiesOpening are the bodies of the kept keys that open a case, in order.
std::vector<std::string> BodiesOpening(const v1::Keystore& data, const v1::ImportedCase& imported) {
  std::set<std::string> bodies;
  for (const std::string& key_id : imported.opened_by()) {
    for (const auto& key : data.keys()) {
      if (key.key_id() == key_id) bodies.insert(key.body());
    }
  }
  return {bodies.begin(), bodies.end()};
}

// Governed applies the additions' consents to a case's own; one unreadable
// addition makes it all NO.
ConsentInForce Governed(const v1::Consent& own, const std::vector<v1::Consent>& later, bool unreadable) {
  if (unreadable) return {v1::Consent(), {std::string(kUnreadableAddition)}};
  return InForce(own, later);
}

}  // namespace

std::vector<CaseData> LoadCases(const Keystore& keystore, const KeyRing& ring, std::size_t* unopened) {
  std::vector<CaseData> cases;
  std::map<std::string, std::vector<v1::Consent>> later;
  std::map<std::string, bool> unreadable;  // by the case an addition adds to
  *unopened = 0;
  for (const auto& imported : keystore.data().cases()) {
    auto submission = ReadCaseSubmission(CaseFile(keystore, CaseHex(imported.envelope_id())), ring);
    const bool linked = imported.adds_to_case() && !imported.adds_to().empty();
    if (!submission.ok()) {
      ++*unopened;
      if (linked) unreadable[imported.adds_to()] = true;
      continue;
    }
    if (linked) later[imported.adds_to()].push_back(submission.value().consent());
    cases.push_back({imported, std::move(submission).value(), {}, BodiesOpening(keystore.data(), imported)});
  }
  // Additions share their case's consent in force.
  std::map<std::string, ConsentInForce> in_force;
  for (CaseData& item : cases) {
    if (item.record.adds_to_case()) continue;
    const std::string& id = item.record.envelope_id();
    item.consent = Governed(item.submission.consent(), later[id], unreadable[id]);
    in_force[id] = item.consent;
  }
  for (CaseData& item : cases) {
    if (!item.record.adds_to_case()) continue;
    const auto found = in_force.find(item.record.adds_to());
    if (found != in_force.end()) item.consent = found->second;
  }
  return cases;
}

Result<ConsentInForce> ConsentOfCase(const Keystore& keystore, const KeyRing& ring,
                                     const v1::ImportedCase& governing) {
  auto own = ReadCaseSubmission(CaseFile(keystore, CaseHex(governing.envelope_id())), ring);
  if (!own.ok()) return own.error();
  std::vector<v1::Consent> later;
  bool unreadable = false;
  for (const auto& other : keystore.data().cases()) {
    if (!other.adds_to_case() || other.adds_to() != governing.envelope_id()) continue;
    auto addition = ReadCaseSubmission(CaseFile(keystore, CaseHex(other.envelope_id())), ring);
    if (addition.ok()) {
      later.push_back(addition.value().consent());
    } else {
      unreadable = true;
    }
  }
  return Governed(own.value().consent(), later, unreadable);
}

namespace {

// UnsafeLength is the length of the unsafe character text starts with, 0 if
// it starts with a safe one.
std::size_t UnsafeLength(std::string_view text) {
  const auto at = [&](std::size_t n) -> unsigned char {
    return n < text.size() ? static_cast<unsigned char>(text[n]) : 0;
  };
  const unsigned char u = at(0);
  if (u < 0x20 || u == 0x7f) return 1;
  if (u == 0xc2 && at(1) >= 0x80 && at(1) <= 0x9f) return 2;  // U+0080..U+009F
  if (u == 0xd8 && at(1) == 0x9c) return 2;                    // U+061C arabic letter mark
  if (u == 0xe2 && at(1) == 0x80) {
    const unsigned char c = at(2);
    if (c == 0x8e || c == 0x8f) return 3;                      // U+200E, U+200F
    if (c >= 0xa8 && c <= 0xae) return 3;                      // U+2028..U+202E
  }
  if (u == 0xe2 && at(1) == 0x81 && at(2) >= 0xa6 && at(2) <= 0xa9) return 3;  // U+2066..U+2069
  return 0;
}

}  // namespace

std::string TerminalText(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (keep_newlines && text[i] == '\n') {
      out += '\n';
      ++i;
      continue;
    }
    const std::size_t unsafe = UnsafeLength(text.substr(i));
    if (unsafe > 0) {
      out += '?';
      i += unsafe;
    } else {
      out += text[i];
      ++i;
    }
  }
  return out;
}

}  // namespace amparo::reviewer
