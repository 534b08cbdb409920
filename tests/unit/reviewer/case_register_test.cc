// case_register_test.cc: the public register obeys the consent in force of
// each case and nothing else. A case without publication consent never
// appears; an anonymous one never shows a name; a named one shows the
// people targeted, never the reporter; no free text a submitter wrote is
// copied; the envelope id is not the reference.

#include "reviewer/case_register.h"

#include <gtest/gtest.h>

#include <vector>

#include "common/byte_reader.h"
#include "common/hex.h"
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
  for (CaseData& item : cases) item.submission.set_narrative("narrative of " + item.record.envelope_id());
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
  const auto cases = OneOfEach();
  const std::string out = Everything(BuildRegister(cases));
  EXPECT_EQ(out.find("narrative of"), std::string::npos);
  for (const CaseData& item : cases) {
    EXPECT_EQ(out.find(HexEncode(AsBytes(item.record.envelope_id()))), std::string::npos);
  }
  EXPECT_EQ(BuildRegister(cases)[0].reference.rfind("C-", 0), 0u);
  EXPECT_EQ(BuildRegister(cases)[0].reference.size(), 12u);
}

TEST(CaseRegisterTest, TheConsentInForceDecidesNotTheSubmissionAlone) {
  // The submission said "named"; a later addition withdrew publication.
  CaseData item = Case('w', "VE", v1::REPRISAL_TYPE_TRAVEL_BAN, Publication(v1::DISCLOSURE_CONSENT_NAMED));
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
  addition.record.set_adds_to_case(true);
  EXPECT_TRUE(BuildRegister({addition}).empty());
}

TEST(CaseRegisterTest, OnlyPublicActionsAreListed) {
  CaseData item = Case('n', "VE", v1::REPRISAL_TYPE_TRAVEL_BAN, Publication(v1::DISCLOSURE_CONSENT_NAMED));
  item.record.add_history()->set_action(v1::COURSE_OF_ACTION_CONFIDENTIAL_LETTER);
  item.record.add_history()->set_action(v1::COURSE_OF_ACTION_PUBLIC_STATEMENT);
  EXPECT_EQ(BuildRegister({item})[0].actions, "public statement");
}

TEST(CaseRegisterTest, CellsAreEscapedAndNeverFormulas) {
  CaseData item = Case('n', "VE", v1::REPRISAL_TYPE_TRAVEL_BAN, Publication(v1::DISCLOSURE_CONSENT_NAMED));
  item.submission.mutable_affected(0)->set_name("=HYPERLINK(\"http://x\")<b>");
  const auto rows = BuildRegister({item});
  EXPECT_NE(RegisterCsv(rows).find(",\"'=HYPERLINK(\"\"http://x\"\")<b>\"\r\n"), std::string::npos);
  EXPECT_NE(RegisterHtml(rows).find("=HYPERLINK(&quot;http://x&quot;)&lt;b&gt;"), std::string::npos);
}

}  // namespace
}  // namespace amparo::reviewer
