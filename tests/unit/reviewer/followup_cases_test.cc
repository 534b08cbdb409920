// followup_cases_test.cc: additional information is linked to its case only
// when both the mailbox id and the reply key match: the mailbox id alone is
// no secret. Linking is idempotent and waits for a case that arrives later;
// statuses read and print by their words.

#include "reviewer/followup_cases.h"

#include <gtest/gtest.h>

namespace amparo::reviewer {
namespace {

v1::ImportedCase* AddCase(v1::Keystore& keystore, char id, char mailbox, char key, bool addition) {
  v1::ImportedCase* imported = keystore.add_cases();
  imported->set_envelope_id(std::string(16, id));
  imported->set_mailbox_id(std::string(32, mailbox));
  imported->set_reply_public_key(std::string(32, key));
  imported->set_adds_to_case(addition);
  return imported;
}

TEST(LinkAdditionsTest, BothTheMailboxAndTheReplyKeyMustMatch) {
  v1::Keystore keystore;
  AddCase(keystore, 'a', 'm', 'k', false);
  v1::ImportedCase* forged = AddCase(keystore, 'b', 'm', 'x', true);   // the mailbox id only
  v1::ImportedCase* genuine = AddCase(keystore, 'c', 'm', 'k', true);
  v1::ImportedCase* elsewhere = AddCase(keystore, 'd', 'n', 'k', true);
  EXPECT_EQ(LinkAdditions(keystore), 1u);
  EXPECT_TRUE(forged->adds_to().empty());
  EXPECT_EQ(genuine->adds_to(), std::string(16, 'a'));
  EXPECT_TRUE(elsewhere->adds_to().empty());
  EXPECT_EQ(LinkAdditions(keystore), 0u);  // nothing twice
}

TEST(LinkAdditionsTest, AnAdditionWaitsForItsCase) {
  v1::Keystore keystore;
  v1::ImportedCase* early = AddCase(keystore, 'b', 'm', 'k', true);
  EXPECT_EQ(LinkAdditions(keystore), 0u);
  AddCase(keystore, 'a', 'm', 'k', false);
  EXPECT_EQ(LinkAdditions(keystore), 1u);
  EXPECT_EQ(early->adds_to(), std::string(16, 'a'));
}

TEST(LinkAdditionsTest, AnAdditionIsNeverLinkedToAnotherAddition) {
  v1::Keystore keystore;
  AddCase(keystore, 'b', 'm', 'k', true);
  AddCase(keystore, 'c', 'm', 'k', true);
  EXPECT_EQ(LinkAdditions(keystore), 0u);
}

TEST(CaseStatusTest, WordsReadAndPrintBack) {
  for (const char* word : {"received", "under-assessment", "action-taken", "closed"}) {
    const auto status = ParseCaseStatus(word);
    ASSERT_TRUE(status.has_value()) << word;
    EXPECT_EQ(CaseStatusName(*status), word);
  }
  EXPECT_FALSE(ParseCaseStatus("Closed").has_value());
  EXPECT_FALSE(ParseCaseStatus("").has_value());
}

}  // namespace
}  // namespace amparo::reviewer
