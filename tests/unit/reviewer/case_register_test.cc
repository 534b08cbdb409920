// case_register_test.cc: the public register obeys the consent in force of
// each case and nothing else. A case without publication consent never
// appears; an anonymous one never shows a name; a named one shows the
// people targeted, never the reporter; no free text a submitter wrote is
// copied; the envelope id is not the reference.

#include "reviewer/case_register.h"

#include <gtest/gtest.h>

#include <set>
#include <span>
#include <vector>

#include "common/byte_reader.h"
#include "common/hex.h"
#include "crypto/random.h"
#include "tests/unit/reviewer/casework_fixtures.h"

namespace amparo::reviewer {
namespace {

using testing::Case;
using testing::Publication;

std::vector<CaseData> OneOfEach() {
  std::vector<CaseData> cases;
  cases.push_back(Case('n', "VE", v1::REPRISAL_TYPE_TRAVEL_BAN, Publication(v1::DISCLOSURE_CONSENT_NAMED)));
  cases.push_back(Case('a', "NI", v1::REPRISAL_TYPE_SURVEILLANCE,
                       Publication(v1::DISCLOSURE_CONSENT_ANONYMOUS)));
  cases.push_back(Case('x', "BY", v1::REPRISAL_TYPE_KILLING, Publication(v1::DISCLOSURE_CONSENT_NOT_AT_ALL)));
  cases.push_back(Case('u', "CU", v1::REPRISAL_TYPE_KILLING, v1::Consent()));  // never answered
  char reference = '0';
  for (CaseData& item : cases) {
    item.submission.set_narrative("narrative of " + item.record.envelope_id());
    item.record.set_public_reference(std::string("C-000000000") + reference++);
    item.bodies = {"CAT"};
  }
  return cases;
}

std::string Everything(const std::vector<RegisterRow>& rows) {
  return RegisterCsv(rows) + RegisterHtml(rows);
}

TEST(CaseRegisterTest, OnlyCasesConsentedForPublicationAppear) {
  const auto rows = BuildRegister(OneOfEach());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].state, "VE");
  EXPECT_EQ(rows[1].state, "NI");
  const std::string out = Everything(rows);
  EXPECT_EQ(out.find("BY"), std::string::npos);
  EXPECT_EQ(out.find("CU"), std::string::npos);
  EXPECT_EQ(out.find("killing"), std::string::npos);
}

TEST(CaseRegisterTest, AnAnonymousCaseNeverShowsAName) {
  const auto rows = BuildRegister(OneOfEach());
  EXPECT_EQ(rows[1].names, "");
  const std::string out = Everything(rows);
  EXPECT_EQ(out.find("Person a"), std::string::npos);
  EXPECT_EQ(out.find("Reporter a"), std::string::npos);
}

TEST(CaseRegisterTest, ANamedCaseShowsThePeopleTargetedButNeverTheReporter) {
  const auto rows = BuildRegister(OneOfEach());
  EXPECT_EQ(rows[0].names, "Person n");
  EXPECT_EQ(Everything(rows).find("Reporter"), std::string::npos);
}

TEST(CaseRegisterTest, NoFreeTextNorEnvelopeIdIsCopied) {
  std::vector<CaseData> cases = OneOfEach();
  cases[0].submission.set_state_concerned("Calle Mayor 5");  // not a country code
  cases[0].submission.add_bodies("Namedperson's cousin");   // not a body whose key opened it
  const std::string out = Everything(BuildRegister(cases));
  EXPECT_EQ(out.find("narrative of"), std::string::npos);
  EXPECT_EQ(out.find("Calle Mayor"), std::string::npos);
  EXPECT_EQ(out.find("cousin"), std::string::npos);
  for (const CaseData& item : cases) {
    EXPECT_EQ(out.find(HexEncode(AsBytes(item.record.envelope_id()))), std::string::npos);
  }
  EXPECT_EQ(BuildRegister(cases)[0].reference, "C-0000000000");
}

TEST(CaseRegisterTest, ReferencesAreRandomAndUnique) {
  // The same envelope ids in two keystores: the references share nothing.
  v1::Keystore first, second;
  for (v1::Keystore* keystore : {&first, &second}) {
    for (char id : {'a', 'b', 'c'}) keystore->add_cases()->set_envelope_id(std::string(16, id));
    keystore->add_cases()->set_adds_to_case(true);
  }
  crypto::SystemRandom random;
  EXPECT_EQ(AssignPublicReferences(first, random), 3u);
  EXPECT_EQ(AssignPublicReferences(second, random), 3u);
  EXPECT_EQ(AssignPublicReferences(first, random), 0u);  // kept once given
  std::set<std::string> seen;
  for (const v1::Keystore* keystore : {&first, &second}) {
    for (int i = 0; i < 3; ++i) {
      const std::string& reference = keystore->cases(i).public_reference();
      EXPECT_EQ(reference.size(), 12u);
      EXPECT_EQ(reference.rfind("C-", 0), 0u);
      seen.insert(reference);
    }
    EXPECT_TRUE(keystore->cases(3).public_reference().empty());  // an addition has none
  }
  EXPECT_EQ(seen.size(), 6u);
}

// RepeatingRandom draws the same bytes twice, then others.
class RepeatingRandom final : public crypto::RandomSource {
 public:
  void Fill(std::span<std::uint8_t> out) override {
    for (auto& byte : out) byte = static_cast<std::uint8_t>(calls_ < 2 ? 7 : calls_);
    ++calls_;
  }

 private:
  int calls_ = 0;
};

TEST(CaseRegisterTest, AReferenceDrawnTwiceIsDrawnAgain) {
  v1::Keystore keystore;
  for (char id : {'a', 'b'}) keystore.add_cases()->set_envelope_id(std::string(16, id));
  RepeatingRandom random;
  EXPECT_EQ(AssignPublicReferences(keystore, random), 2u);
  EXPECT_NE(keystore.cases(0).public_reference(), keystore.cases(1).public_reference());
}

TEST(CaseRegisterTest, ACaseWithoutAReferenceIsNotARow) {
  std::vector<CaseData> cases = OneOfEach();
  cases[0].record.clear_public_reference();
  EXPECT_EQ(BuildRegister(cases).size(), 1u);
}

TEST(CaseRegisterTest, TheConsentInForceDecidesNotTheSubmissionAlone) {
  // The submission said "named"; a later addition withdrew publication.
  CaseData item = Case('w', "VE", v1::REPRISAL_TYPE_TRAVEL_BAN, Publication(v1::DISCLOSURE_CONSENT_NAMED));
  item.record.set_public_reference("C-0123456789");
  item.consent = InForce(item.submission.consent(), {Publication(v1::DISCLOSURE_CONSENT_NOT_AT_ALL)});
  EXPECT_TRUE(BuildRegister({item}).empty());
  // Narrowed to anonymous: listed, without a name.
  item.consent = InForce(item.submission.consent(), {Publication(v1::DISCLOSURE_CONSENT_ANONYMOUS)});
  ASSERT_EQ(BuildRegister({item}).size(), 1u);
  EXPECT_EQ(BuildRegister({item})[0].names, "");
  // A consent in force never set permits nothing, whatever the submission says.
  item.consent = ConsentInForce{};
  EXPECT_TRUE(BuildRegister({item}).empty());
}

TEST(CaseRegisterTest, AdditionalInformationIsNeverARow) {
  CaseData addition = Case('d', "VE", v1::REPRISAL_TYPE_TRAVEL_BAN, Publication(v1::DISCLOSURE_CONSENT_NAMED));
  addition.record.set_public_reference("C-0123456789");
  addition.record.set_adds_to_case(true);
  EXPECT_TRUE(BuildRegister({addition}).empty());
}

TEST(CaseRegisterTest, OnlyPublicActionsAreListed) {
  CaseData item = Case('n', "VE", v1::REPRISAL_TYPE_TRAVEL_BAN, Publication(v1::DISCLOSURE_CONSENT_NAMED));
  item.record.set_public_reference("C-0123456789");
  item.record.add_history()->set_action(v1::COURSE_OF_ACTION_CONFIDENTIAL_LETTER);
  item.record.add_history()->set_action(v1::COURSE_OF_ACTION_PUBLIC_STATEMENT);
  EXPECT_EQ(BuildRegister({item})[0].actions, "public statement");
}

TEST(CaseRegisterTest, CellsAreEscapedAndNeverFormulas) {
  CaseData item = Case('n', "VE", v1::REPRISAL_TYPE_TRAVEL_BAN, Publication(v1::DISCLOSURE_CONSENT_NAMED));
  item.record.set_public_reference("C-0123456789");
  item.submission.mutable_affected(0)->set_name("=HYPERLINK(\"http://x\")<b>");
  const auto rows = BuildRegister({item});
  EXPECT_NE(RegisterCsv(rows).find(",\"'=HYPERLINK(\"\"http://x\"\")<b>\"\r\n"), std::string::npos);
  EXPECT_EQ(RegisterCsv(rows).find(",\"="), std::string::npos);  // no cell starts a formula
  EXPECT_NE(RegisterHtml(rows).find("=HYPERLINK(&quot;http://x&quot;)&lt;b&gt;"), std::string::npos);
}

}  // namespace
}  // namespace amparo::reviewer
