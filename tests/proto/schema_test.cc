// schema_test.cc: properties of the generated Protocol Buffers schemas that
// the rest of the project relies on: messages round-trip, the parser keeps
// what the validators must reject (unknown fields, duplicated or non-minimal
// encodings), consent defaults to UNSPECIFIED, and the schema conventions of
// ENVELOPE.md hold for every enum.

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/unknown_field_set.h>
#include <google/protobuf/util/message_differencer.h>

#include "proto/api.pb.h"
#include "proto/envelope.pb.h"
#include "proto/followup.pb.h"
#include "proto/transfer.pb.h"
#include "proto/workstation.pb.h"
#include "proto/key_bundle.pb.h"
#include "proto/submission.pb.h"

namespace amparo::v1 {
namespace {

using google::protobuf::util::MessageDifferencer;

// Bytes builds a byte string from octets.
std::string Bytes(std::initializer_list<unsigned char> octets) {
  std::string out;
  for (unsigned char c : octets) {
    out.push_back(static_cast<char>(c));
  }
  return out;
}

// Filled returns n copies of byte b, for fixed-size keys and digests.
std::string Filled(std::size_t n, unsigned char b) {
  return std::string(n, static_cast<char>(b));
}

// kUnknownField is field 99 as a varint with value 1: tag (99 << 3) | 0 =
// 792, encoded 0x98 0x06. No schema here uses field 99.
const std::string kUnknownField = Bytes({0x98, 0x06, 0x01});

// ExpectRoundTrip serializes msg, parses the bytes into a fresh message of
// the same type and expects it equal to msg and re-encoded identically.
template <typename T>
void ExpectRoundTrip(const T& msg) {
  std::string wire;
  ASSERT_TRUE(msg.SerializeToString(&wire));
  T parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire));
  EXPECT_TRUE(MessageDifferencer::Equals(msg, parsed))
      << "expected:\n" << msg.DebugString() << "got:\n" << parsed.DebugString();
  EXPECT_EQ(parsed.SerializeAsString(), wire);
}

// ExpectUnknownFieldKept appends an unknown field to msg's encoding and
// expects the parser to accept it, record it, and write it back out: the
// leniency that the validators must turn into a rejection.
template <typename T>
void ExpectUnknownFieldKept(const T& msg) {
  const std::string wire = msg.SerializeAsString() + kUnknownField;
  T parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire));
  EXPECT_GT(parsed.GetReflection()->GetUnknownFields(parsed).field_count(), 0);
  EXPECT_EQ(parsed.SerializeAsString(), wire);
}

EnvelopeHeader SampleHeader() {
  EnvelopeHeader header;
  header.set_format_version(1);
  header.set_key_bundle_version(5);
  header.set_padded_plaintext_length(4096);
  return header;
}

KeyBundle SampleKeyBundle() {
  KeyBundle bundle;
  bundle.set_version(7);
  bundle.set_issued_day(20000);
  bundle.set_expires_day(20090);
  RecipientKey* cat = bundle.add_keys();
  cat->set_key_id("cat-2024-1");
  cat->set_body("CAT");
  cat->set_label("Committee against Torture, rapporteurs on reprisals");
  cat->set_x25519_public_key(Filled(32, 0x11));
  cat->set_valid_from_day(19900);
  cat->set_valid_until_day(20265);
  RecipientKey* asg = bundle.add_keys();
  asg->set_key_id("asg-2024-1");
  asg->set_body("ASG_REPRISALS");
  asg->set_label("Assistant Secretary-General for Human Rights");
  asg->set_x25519_public_key(Filled(32, 0x22));
  asg->set_valid_from_day(19950);
  asg->set_valid_until_day(20315);
  bundle.add_revoked_key_ids("cat-2023-1");
  bundle.set_lowest_accepted_version(6);
  return bundle;
}

SignedKeyBundle SampleSignedKeyBundle() {
  SignedKeyBundle signed_bundle;
  signed_bundle.set_key_bundle(SampleKeyBundle().SerializeAsString());
  signed_bundle.set_signature(Filled(64, 0x33));
  signed_bundle.set_root_public_key(Filled(32, 0x44));
  RootEndorsement* endorsement = signed_bundle.add_root_chain();
  endorsement->set_new_root_public_key(Filled(32, 0x44));
  endorsement->set_signature(Filled(64, 0x55));
  return signed_bundle;
}

Submission SampleSubmission() {
  Submission s;
  s.set_format_version(1);
  s.set_key_bundle_version(7);
  s.set_language("es");
  s.add_bodies("CAT");
  s.add_bodies("ASG_REPRISALS");
  s.set_state_concerned("XX");

  Reporter* reporter = s.mutable_reporter();
  reporter->set_role(REPORTER_ROLE_RELATIVE);
  reporter->set_capacity(REPORTER_CAPACITY_INDIVIDUAL);

  Cooperation* cooperation = s.add_cooperation();
  cooperation->set_body("CAT");
  cooperation->set_body_detail("Review of the State party report");
  cooperation->set_kind(COOPERATION_KIND_SESSION_ATTENDANCE);
  cooperation->set_stage(COOPERATION_STAGE_PAST);
  cooperation->mutable_when()->set_year(2024);
  cooperation->mutable_when()->set_month(11);
  cooperation->set_link("Questioned about the briefing on return.");

  Incident* incident = s.add_incidents();
  incident->add_types(REPRISAL_TYPE_TRAVEL_BAN);
  incident->add_types(REPRISAL_TYPE_THREATS_AND_INTIMIDATION);
  incident->mutable_start()->set_year(2024);
  incident->mutable_start()->set_month(12);
  incident->set_ongoing(true);
  incident->set_country("XX");
  incident->add_perpetrators(PERPETRATOR_KIND_STATE_AGENT);
  incident->set_description("Passport withheld at the airport.");

  s.set_narrative("Narrative in the person's own words.");

  AffectedParty* person = s.add_affected();
  person->set_kind(PARTY_KIND_INDIVIDUAL);
  person->set_gender(GENDER_WOMAN);
  person->add_risk_factors(RISK_FACTOR_WOMAN_HUMAN_RIGHTS_DEFENDER);
  person->set_relationship("daughter of the reporter");

  PriorSteps* prior = s.mutable_prior_steps();
  prior->set_domestic_complaint(DOMESTIC_COMPLAINT_UNSAFE_OR_IMPOSSIBLE);
  OtherMechanism* other = prior->add_other_mechanisms();
  other->set_body("SPECIAL_PROCEDURES");
  prior->add_un_document_references("A/HRC/57/60, para. 12");

  s.mutable_risk()->set_level(RISK_LEVEL_HIGH);
  s.mutable_risk()->set_imminent_danger(true);
  s.add_requested_actions(REQUESTED_ACTION_CONFIDENTIAL_ACTION_WITH_STATE);

  s.mutable_contact()->set_channel(CONTACT_CHANNEL_MAILBOX_ONLY);
  s.mutable_contact()->add_languages("es");

  Consent* consent = s.mutable_consent();
  consent->set_raise_with_state(CONSENT_DECISION_YES);
  consent->set_disclose_identity_to_state(CONSENT_DECISION_NO);
  consent->set_share_within_un(CONSENT_DECISION_YES);
  consent->set_sg_annual_report(DISCLOSURE_CONSENT_ANONYMOUS);
  consent->set_publication(DISCLOSURE_CONSENT_NOT_AT_ALL);
  consent->set_contact(CONSENT_DECISION_NO);
  consent->set_given_by(CONSENT_GIVER_AFFECTED_PERSON);
  consent->set_consent_text_version(1);

  s.mutable_follow_up()->set_reply_x25519_public_key(Filled(32, 0x66));
  s.mutable_follow_up()->set_mailbox_id(Filled(32, 0x77));

  Attachment* attachment = s.add_attachments();
  attachment->set_file_name("summons.pdf");
  attachment->set_media_type("application/pdf");
  attachment->set_length(123456);
  attachment->set_sha256(Filled(32, 0x88));
  return s;
}

TEST(EnvelopeHeaderSchema, RoundTrips) {
  ExpectRoundTrip(SampleHeader());
}

TEST(EnvelopeHeaderSchema, CanonicalEncodingIsFieldOrderMinimalVarints) {
  // ENVELOPE.md pins these bytes: fields 1, 2, 3 in order, minimal varints.
  EXPECT_EQ(SampleHeader().SerializeAsString(),
            Bytes({0x08, 0x01, 0x10, 0x05, 0x18, 0x80, 0x20}));
}

TEST(EnvelopeHeaderSchema, LargestVersionOneHeaderIsNineteenBytes) {
  EnvelopeHeader header;
  header.set_format_version(1);
  header.set_key_bundle_version(std::numeric_limits<std::uint64_t>::max());
  header.set_padded_plaintext_length(1073741824);  // the largest bucket, 1 GiB
  EXPECT_EQ(header.SerializeAsString().size(), 19u);
}

TEST(EnvelopeHeaderSchema, UnknownFieldIsKept) {
  ExpectUnknownFieldKept(SampleHeader());
}

TEST(EnvelopeHeaderSchema, KnownFieldWithWrongWireTypeBecomesUnknown) {
  // Field 1 sent length-delimited: the parser files it as unknown and leaves
  // format_version at 0, so only a check of the exact bytes catches it.
  EnvelopeHeader parsed;
  ASSERT_TRUE(parsed.ParseFromString(Bytes({0x0a, 0x01, 0x01})));
  EXPECT_EQ(parsed.format_version(), 0u);
  EXPECT_EQ(parsed.GetReflection()->GetUnknownFields(parsed).field_count(), 1);
}

TEST(EnvelopeHeaderSchema, ParserAcceptsDuplicatedFieldThatReencodesDifferently) {
  // format_version twice (5, then 1): the last wins. The re-encoding differs
  // from the input, which is how the canonical check detects it.
  const std::string wire = Bytes({0x08, 0x05, 0x08, 0x01, 0x10, 0x05, 0x18, 0x80, 0x20});
  EnvelopeHeader parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire));
  EXPECT_EQ(parsed.format_version(), 1u);
  EXPECT_NE(parsed.SerializeAsString(), wire);
}

TEST(EnvelopeHeaderSchema, ParserAcceptsNonMinimalVarintThatReencodesDifferently) {
  const std::string wire = Bytes({0x08, 0x81, 0x00, 0x10, 0x05, 0x18, 0x80, 0x20});
  EnvelopeHeader parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire));
  EXPECT_EQ(parsed.format_version(), 1u);
  EXPECT_NE(parsed.SerializeAsString(), wire);
}

TEST(KeyBundleSchema, RoundTrips) {
  ExpectRoundTrip(SampleKeyBundle());
  ExpectRoundTrip(SampleKeyBundle().keys(0));
}

TEST(KeyBundleSchema, SignedKeyBundleRoundTripsAndKeepsSignedBytesExactly) {
  const SignedKeyBundle signed_bundle = SampleSignedKeyBundle();
  ExpectRoundTrip(signed_bundle);
  ExpectRoundTrip(signed_bundle.root_chain(0));

  // The signed bytes travel as an opaque field: a bundle carrying an unknown
  // field inside them comes out byte for byte, so the signature still covers
  // exactly what the issuer signed.
  const std::string inner = SampleKeyBundle().SerializeAsString() + kUnknownField;
  SignedKeyBundle with_inner = signed_bundle;
  with_inner.set_key_bundle(inner);
  SignedKeyBundle parsed;
  ASSERT_TRUE(parsed.ParseFromString(with_inner.SerializeAsString()));
  EXPECT_EQ(parsed.key_bundle(), inner);
}

TEST(KeyBundleSchema, UnknownFieldIsKept) {
  ExpectUnknownFieldKept(SampleKeyBundle());
  ExpectUnknownFieldKept(SampleKeyBundle().keys(0));
  ExpectUnknownFieldKept(SampleSignedKeyBundle());
  ExpectUnknownFieldKept(SampleSignedKeyBundle().root_chain(0));
}

TEST(KeyBundleSchema, InvalidUtf8InStringFieldFailsToParse) {
  RecipientKey key = SampleKeyBundle().keys(0);
  key.set_label("x");
  std::string wire = key.SerializeAsString();
  // Field 3 (label), length 1, "x": replace the "x" with a lone 0xff byte.
  const std::size_t at = wire.find(Bytes({0x1a, 0x01, 'x'}));
  ASSERT_NE(at, std::string::npos);
  wire[at + 2] = static_cast<char>(0xff);
  RecipientKey parsed;
  EXPECT_FALSE(parsed.ParseFromString(wire));
}

TEST(SubmissionSchema, RoundTrips) {
  ExpectRoundTrip(SampleSubmission());
  ExpectRoundTrip(Submission());
}

TEST(SubmissionSchema, UnknownFieldIsKept) {
  const Submission s = SampleSubmission();
  ExpectUnknownFieldKept(s);
  ExpectUnknownFieldKept(s.consent());
  ExpectUnknownFieldKept(s.incidents(0));
  ExpectUnknownFieldKept(s.attachments(0));
  ExpectUnknownFieldKept(s.follow_up());
}

TEST(SubmissionSchema, UnknownFieldInNestedMessageStaysWithIt) {
  Submission s = SampleSubmission();
  const std::string consent = s.consent().SerializeAsString() + kUnknownField;
  ASSERT_TRUE(s.mutable_consent()->ParseFromString(consent));
  Submission parsed;
  ASSERT_TRUE(parsed.ParseFromString(s.SerializeAsString()));
  EXPECT_EQ(parsed.GetReflection()->GetUnknownFields(parsed).field_count(), 0);
  EXPECT_GT(parsed.consent().GetReflection()->GetUnknownFields(parsed.consent()).field_count(),
            0);
}

TEST(SubmissionSchema, ConsentDefaultsToUnspecified) {
  const Consent consent;
  EXPECT_EQ(consent.raise_with_state(), CONSENT_DECISION_UNSPECIFIED);
  EXPECT_EQ(consent.disclose_identity_to_state(), CONSENT_DECISION_UNSPECIFIED);
  EXPECT_EQ(consent.share_within_un(), CONSENT_DECISION_UNSPECIFIED);
  EXPECT_EQ(consent.sg_annual_report(), DISCLOSURE_CONSENT_UNSPECIFIED);
  EXPECT_EQ(consent.publication(), DISCLOSURE_CONSENT_UNSPECIFIED);
  EXPECT_EQ(consent.contact(), CONSENT_DECISION_UNSPECIFIED);
  EXPECT_EQ(consent.given_by(), CONSENT_GIVER_UNSPECIFIED);

  const Submission empty;
  EXPECT_FALSE(empty.has_consent());
  EXPECT_EQ(empty.consent().raise_with_state(), CONSENT_DECISION_UNSPECIFIED);
  EXPECT_EQ(empty.consent().sg_annual_report(), DISCLOSURE_CONSENT_UNSPECIFIED);
}

TEST(SubmissionSchema, ConsentThatWasNeverSetIsAbsentFromTheWire) {
  // A decision left at UNSPECIFIED costs no bytes and parses back as
  // UNSPECIFIED, so "not answered" cannot turn into an answer in transit.
  Consent consent;
  consent.set_share_within_un(CONSENT_DECISION_YES);
  Consent parsed;
  ASSERT_TRUE(parsed.ParseFromString(consent.SerializeAsString()));
  EXPECT_EQ(parsed.share_within_un(), CONSENT_DECISION_YES);
  EXPECT_EQ(parsed.raise_with_state(), CONSENT_DECISION_UNSPECIFIED);
  EXPECT_EQ(parsed.publication(), DISCLOSURE_CONSENT_UNSPECIFIED);
}

TEST(SubmissionSchema, UnknownConsentValueIsNotYes) {
  // raise_with_state = 9, a value no schema defines: proto3 keeps the number,
  // which readers must treat as NO.
  Consent parsed;
  ASSERT_TRUE(parsed.ParseFromString(Bytes({0x08, 0x09})));
  EXPECT_EQ(static_cast<int>(parsed.raise_with_state()), 9);
  EXPECT_NE(parsed.raise_with_state(), CONSENT_DECISION_YES);
  EXPECT_FALSE(ConsentDecision_IsValid(parsed.raise_with_state()));
}

// ForEachSchemaFile calls f with the descriptor of every schema file.
template <typename F>
void ForEachSchemaFile(F f) {
  f(EnvelopeHeader::descriptor()->file());
  f(KeyBundle::descriptor()->file());
  f(Submission::descriptor()->file());
  f(ExportManifest::descriptor()->file());
  f(Keystore::descriptor()->file());
  f(Reply::descriptor()->file());
  f(MailboxListing::descriptor()->file());
}

// Imports stay inside the one flat folder: a file may import another schema
// file by its bare name (followup.proto shares Attachment with the
// submission), never anything else.
TEST(SchemaConventions, FilesAreFlatInPackageAmparoV1AndImportOnlyEachOther) {
  ForEachSchemaFile([](const google::protobuf::FileDescriptor* file) {
    EXPECT_EQ(file->package(), "amparo.v1");
    EXPECT_EQ(file->name().find('/'), std::string::npos) << file->name();
    for (int i = 0; i < file->dependency_count(); ++i) {
      const google::protobuf::FileDescriptor* imported = file->dependency(i);
      EXPECT_EQ(imported->name().find('/'), std::string::npos) << imported->name();
      EXPECT_EQ(imported->package(), "amparo.v1") << imported->name();
    }
    EXPECT_EQ(file->syntax(), google::protobuf::FileDescriptor::SYNTAX_PROTO3);
  });
  EXPECT_EQ(Reply::descriptor()->file()->dependency_count(), 1);
  EXPECT_EQ(EnvelopeHeader::descriptor()->file()->name(), "envelope.proto");
}

TEST(SchemaConventions, EveryEnumStartsWithPrefixedUnspecifiedZero) {
  int enums_seen = 0;
  ForEachSchemaFile([&enums_seen](const google::protobuf::FileDescriptor* file) {
    for (int i = 0; i < file->enum_type_count(); ++i) {
      const google::protobuf::EnumDescriptor* e = file->enum_type(i);
      ++enums_seen;
      // The value prefix is the enum name in upper snake case.
      std::string prefix;
      for (char c : e->name()) {
        if (c >= 'A' && c <= 'Z' && !prefix.empty()) {
          prefix.push_back('_');
        }
        prefix.push_back(static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c));
      }
      prefix.push_back('_');
      const google::protobuf::EnumValueDescriptor* zero = e->FindValueByNumber(0);
      ASSERT_NE(zero, nullptr) << e->full_name();
      EXPECT_EQ(zero->name(), prefix + "UNSPECIFIED") << e->full_name();
      EXPECT_EQ(e->value(0)->number(), 0) << e->full_name();
      for (int v = 0; v < e->value_count(); ++v) {
        EXPECT_EQ(e->value(v)->name().rfind(prefix, 0), 0u) << e->value(v)->full_name();
      }
    }
  });
  EXPECT_GT(enums_seen, 10);
}

TEST(SchemaConventions, EnvelopeHeaderFieldNumbersArePinned) {
  const google::protobuf::Descriptor* d = EnvelopeHeader::descriptor();
  ASSERT_EQ(d->field_count(), 3);
  EXPECT_EQ(d->FindFieldByNumber(1)->name(), "format_version");
  EXPECT_EQ(d->FindFieldByNumber(2)->name(), "key_bundle_version");
  EXPECT_EQ(d->FindFieldByNumber(3)->name(), "padded_plaintext_length");
}

}  // namespace
}  // namespace amparo::v1
