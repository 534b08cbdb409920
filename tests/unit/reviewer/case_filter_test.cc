// case_filter_test.cc: each filter of `list` on its own, and together.

#include "reviewer/case_filter.h"

#include <gtest/gtest.h>

#include "tests/unit/reviewer/casework_fixtures.h"

namespace amparo::reviewer {
namespace {

using testing::Case;

CaseData Sample() {
  CaseData item = Case('a', "VE", v1::REPRISAL_TYPE_TRAVEL_BAN, v1::Consent());
  item.submission.set_narrative("They took my Passport at the airport.");
  item.submission.mutable_incidents(0)->set_country("CH");
  item.record.set_assigned_to("Focal Point One");
  item.record.add_history()->set_note("second source in Caracas");
  return item;
}

TEST(CaseFilterTest, AnEmptyFilterMatches) { EXPECT_TRUE(Matches(CaseFilter(), Sample())); }

TEST(CaseFilterTest, EachFilterSelects) {
  const CaseData item = Sample();
  CaseFilter filter;
  filter.state = v1::CASE_STATE_RECEIVED;
  EXPECT_TRUE(Matches(filter, item));
  filter.state = v1::CASE_STATE_CLOSED;
  EXPECT_FALSE(Matches(filter, item));

  filter = {};
  filter.body = "CAT";
  EXPECT_TRUE(Matches(filter, item));
  filter.body = "SPT";
  EXPECT_FALSE(Matches(filter, item));

  filter = {};
  filter.country = "VE";
  EXPECT_TRUE(Matches(filter, item));
  filter.country = "CH";  // where an incident took place
  EXPECT_TRUE(Matches(filter, item));
  filter.country = "NI";
  EXPECT_FALSE(Matches(filter, item));

  filter = {};
  filter.type = v1::REPRISAL_TYPE_TRAVEL_BAN;
  EXPECT_TRUE(Matches(filter, item));
  filter.type = v1::REPRISAL_TYPE_KILLING;
  EXPECT_FALSE(Matches(filter, item));

  filter = {};
  filter.assigned_to = "Focal Point One";
  EXPECT_TRUE(Matches(filter, item));
  filter.assigned_to = "Focal Point";
  EXPECT_FALSE(Matches(filter, item));  // a name, not a search

  filter = {};
  filter.year = 2026;
  EXPECT_TRUE(Matches(filter, item));
  filter.year = 2025;
  EXPECT_FALSE(Matches(filter, item));
}

TEST(CaseFilterTest, SearchIgnoresCaseAndReadsNamesAndNotes) {
  const CaseData item = Sample();
  for (const char* text : {"passport", "PASSPORT AT", "person a", "caracas"}) {
    CaseFilter filter;
    filter.text = text;
    EXPECT_TRUE(Matches(filter, item)) << text;
  }
  CaseFilter filter;
  filter.text = "Geneva";
  EXPECT_FALSE(Matches(filter, item));
}

TEST(CaseFilterTest, FiltersCombine) {
  CaseFilter filter;
  filter.country = "VE";
  filter.text = "passport";
  EXPECT_TRUE(Matches(filter, Sample()));
  filter.year = 2025;
  EXPECT_FALSE(Matches(filter, Sample()));
}

}  // namespace
}  // namespace amparo::reviewer
