// casework_events_test.cc: the words the casework commands read, and the
// limits of what a change may carry, each at N and N+1.

#include <gtest/gtest.h>

#include "common/limits.h"
#include "reviewer/case_access.h"
#include "reviewer/case_labels.h"
#include "reviewer/casework_commands.h"

namespace amparo::reviewer {
namespace {

TEST(CaseLabelsTest, EveryStateReadsBackFromItsWord) {
  for (int value = v1::CaseState_MIN + 1; value <= v1::CaseState_MAX; ++value) {
    const auto state = static_cast<v1::CaseState>(value);
    EXPECT_EQ(ParseCaseState(CaseStateWord(state)), state) << value;
  }
  EXPECT_EQ(ParseCaseState("unspecified"), std::nullopt);
  EXPECT_EQ(ParseCaseState("Received"), std::nullopt);
  EXPECT_EQ(CaseStateLabel(v1::CASE_STATE_PENDING_ASSESSMENT), "allegation pending initial assessment");
}

TEST(CaseLabelsTest, EveryCourseOfActionReadsBackFromItsWord) {
  for (int value = v1::CourseOfAction_MIN + 1; value <= v1::CourseOfAction_MAX; ++value) {
    const auto action = static_cast<v1::CourseOfAction>(value);
    EXPECT_EQ(ParseCourseOfAction(CourseOfActionWord(action)), action) << value;
  }
  EXPECT_EQ(ParseCourseOfAction("letter"), std::nullopt);
}

TEST(CaseLabelsTest, ReprisalTypesReadAsTheirProtoNames) {
  EXPECT_EQ(ParseReprisalType("arrest-or-detention"), v1::REPRISAL_TYPE_ARREST_OR_DETENTION);
  EXPECT_EQ(ParseReprisalType("surveillance"), v1::REPRISAL_TYPE_SURVEILLANCE);
  EXPECT_EQ(ParseReprisalType("unspecified"), std::nullopt);
  EXPECT_EQ(ParseReprisalType("Surveillance"), std::nullopt);
  EXPECT_EQ(ParseReprisalType("arrest_or_detention"), std::nullopt);
}

TEST(CaseLabelsTest, AnEventSaysWhatChanged) {
  v1::CaseEvent event;
  event.set_action(v1::COURSE_OF_ACTION_SG_REPORT);
  event.set_names_people(true);
  EXPECT_EQ(EventChange(event), "the Secretary-General's report (naming people)");
  event.Clear();
  event.set_assigned_to("Focal Point One");
  EXPECT_EQ(EventChange(event), "assigned to Focal Point One");
}

EventOptions Event(std::size_t by_bytes, std::size_t note_bytes) {
  return {std::string(by_bytes, 'b'), std::string(note_bytes, 'n')};
}

TEST(CaseworkLimitsTest, WhoMakesAChangeIsOneToKMaxBytes) {
  EXPECT_TRUE(EventProblem(Event(0, 0), 0).has_value());
  EXPECT_FALSE(EventProblem(Event(1, 0), 0).has_value());
  EXPECT_FALSE(EventProblem(Event(limits::kMaxCaseEventByBytes, 0), 0).has_value());
  EXPECT_TRUE(EventProblem(Event(limits::kMaxCaseEventByBytes + 1, 0), 0).has_value());
  EXPECT_FALSE(NameProblem(std::string(limits::kMaxCaseEventByBytes, 'x')).has_value());
  EXPECT_TRUE(NameProblem(std::string(limits::kMaxCaseEventByBytes + 1, 'x')).has_value());
  EXPECT_TRUE(NameProblem("").has_value());
}

TEST(CaseworkLimitsTest, ANoteIsAtMostKMaxBytes) {
  EXPECT_FALSE(EventProblem(Event(1, limits::kMaxCaseEventNoteBytes), 0).has_value());
  EXPECT_TRUE(EventProblem(Event(1, limits::kMaxCaseEventNoteBytes + 1), 0).has_value());
}

TEST(CaseworkLimitsTest, AHistoryHoldsAtMostKMaxEvents) {
  EXPECT_FALSE(EventProblem(Event(1, 0), limits::kMaxCaseHistoryEvents - 1).has_value());
  EXPECT_TRUE(EventProblem(Event(1, 0), limits::kMaxCaseHistoryEvents).has_value());
}

TEST(CaseworkLimitsTest, TextMustBeUtf8) {
  EXPECT_TRUE(NameProblem("\xff").has_value());
  EXPECT_TRUE(EventProblem({"by", "\xc3"}, 0).has_value());
  EXPECT_FALSE(EventProblem({"Señora Pérez", "nota: ñ"}, 0).has_value());
}

TEST(TerminalTextTest, NoControlOrDirectionCharacterReachesTheTerminal) {
  EXPECT_EQ(TerminalText("a\x1b[2Jb\tc\x7f"), "a?[2Jb?c?");
  EXPECT_EQ(TerminalText("x\xc2\x9b" "31my"), "x?31my");             // C1 CSI
  EXPECT_EQ(TerminalText("\xe2\x80\xae" "evil\xe2\x81\xa6"), "?evil?");  // RLO, LRI
  EXPECT_EQ(TerminalText("Señora Pérez — ok"), "Señora Pérez — ok");  // other text passes
  EXPECT_EQ(TerminalText("\xc2"), "\xc2");                           // a cut sequence is no C1
  EXPECT_EQ(TerminalText("a\xe2\x80\x8f" "b\xd8\x9c" "c\xe2\x80\xa8" "d"), "a?b?c?d");  // RLM, ALM, LS
  EXPECT_EQ(TerminalText("one\ntwo"), "one?two");
  EXPECT_EQ(TerminalText("one\ntwo\r", /*keep_newlines=*/true), "one\ntwo?");
}

}  // namespace
}  // namespace amparo::reviewer
