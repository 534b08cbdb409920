#include "submit/commands.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "common/exit_code.h"
#include "crypto/age_decrypt.h"
#include "fake_gateway.h"
#include "proto/submission.pb.h"
#include "tests/support/plain_connector.h"
#include "tests/support/temp_dir.h"

namespace amparo::submit {
namespace {

using test::BodyIdentity;
using test::FakeGateway;
using test::Fault;
using test::kToday;

struct CommandRun {
  int code = -1;
  std::string out;
  std::string err;
};

GatewayClient ClientFor(const FakeGateway& gateway) {
  return GatewayClient(std::make_unique<amparo::test::PlainConnector>(gateway.port()),
                       "gw.example", std::chrono::seconds(10));
}

CommandRun Keys(const FakeGateway& gateway, std::array<std::uint8_t, 32> fingerprint) {
  GatewayClient client = ClientFor(gateway);
  std::ostringstream out, err;
  CommandRun run;
  run.code = RunKeys(client, fingerprint, kToday, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

CommandRun Send(const FakeGateway& gateway, const SendRequest& request,
         const std::filesystem::path& temp_dir, std::size_t memory_limit = 1024 * 1024) {
  GatewayClient client = ClientFor(gateway);
  amparo::test::DeterministicRandom random(3);
  SendEnvironment environment;
  environment.today = kToday;
  environment.random = &random;
  environment.temp_dir = temp_dir;
  environment.memory_limit = memory_limit;
  environment.wait = [](std::chrono::milliseconds) {};
  std::ostringstream out, err;
  CommandRun run;
  run.code = RunSend(client, test::RootFingerprint(), request, environment, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

// Opened is a decrypted envelope: its Submission and the bytes after it.
struct Opened {
  v1::Submission submission;
  std::vector<std::uint8_t> rest;
  std::uint64_t header_bundle_version = 0;
};

// Open decrypts an envelope with the identity of test body i.
std::optional<Opened> Open(const std::vector<std::uint8_t>& envelope, std::size_t body) {
  const std::size_t length = (std::size_t{envelope[4]} << 8) | envelope[5];
  auto header = protocol::ParseEnvelopeHeader(std::span<const std::uint8_t>(envelope).subspan(6, length));
  if (!header.ok()) return std::nullopt;
  const auto identity = BodyIdentity(body);
  const crypto::age::Identity* identities[] = {&identity};
  SpanSource in(std::span<const std::uint8_t>(envelope).subspan(6 + length));
  VectorSink plaintext;
  if (!crypto::age::Decrypt(identities, in, plaintext).ok()) return std::nullopt;
  const auto& bytes = plaintext.bytes();
  if (bytes.size() != header.value().padded_length) return std::nullopt;
  const std::size_t s = (std::size_t{bytes[0]} << 24) | (std::size_t{bytes[1]} << 16) |
                        (std::size_t{bytes[2]} << 8) | bytes[3];
  Opened opened;
  if (!opened.submission.ParseFromArray(bytes.data() + 4, static_cast<int>(s))) return std::nullopt;
  opened.rest.assign(bytes.begin() + 4 + static_cast<std::ptrdiff_t>(s), bytes.end());
  opened.header_bundle_version = header.value().key_bundle_version;
  return opened;
}

SendRequest MinimalRequest(const amparo::test::TempDir& dir) {
  amparo::test::WriteWholeFile(dir.path() / "narrative.txt", "Me detuvieron al volver de Ginebra.");
  SendRequest request;
  request.form.bodies = {"CAT"};
  request.form.reporter_role = "targeted-person";
  request.form.state = "ve";
  request.form.narrative_file = (dir.path() / "narrative.txt").string();
  return request;
}

std::string Pattern(std::size_t size) {
  std::string data(size, '\0');
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>((i * 31 + i / 7) & 0xFF);
  return data;
}

TEST(KeysCommandTest, ListsTheBodiesOfAVerifiedBundle) {
  FakeGateway gateway;
  const CommandRun run = Keys(gateway, test::RootFingerprint());
  EXPECT_EQ(run.code, kExitSuccess) << run.err;
  EXPECT_EQ(run.out, "CAT\tCommittee CAT\nSPT\tCommittee SPT\nCEDAW\tCommittee CEDAW\n");
  EXPECT_EQ(run.err, "");
}

TEST(KeysCommandTest, RefusesABundleSignedByAnotherRoot) {
  FakeGateway gateway;
  amparo::test::DeterministicRandom random(12345);
  const auto impostor = crypto::SigningKey::Generate(random);
  {
    std::lock_guard lock(gateway.mutex);
    gateway.bundle = test::SignedBundle(6, impostor);
  }
  const CommandRun run = Keys(gateway, test::RootFingerprint());
  EXPECT_EQ(run.code, kExitBadSignature);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1);
  EXPECT_NE(run.err.find("not signed by the pinned root"), std::string::npos);
}

TEST(KeysCommandTest, RefusesGarbageInsteadOfABundle) {
  FakeGateway gateway;
  {
    std::lock_guard lock(gateway.mutex);
    gateway.bundle = {1, 2, 3};
  }
  const CommandRun run = Keys(gateway, test::RootFingerprint());
  EXPECT_NE(run.code, kExitSuccess);
  EXPECT_EQ(run.out, "");
}

TEST(SendCommandTest, SealsAMinimalSubmissionThatOnlyTheChosenBodyOpens) {
  FakeGateway gateway;
  amparo::test::TempDir dir;
  const CommandRun run = Send(gateway, MinimalRequest(dir), dir.path());
  ASSERT_EQ(run.code, kExitSuccess) << run.err;
  EXPECT_EQ(run.out, "envelope id: a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1\n");
  std::lock_guard lock(gateway.mutex);
  ASSERT_EQ(gateway.stored.size(), 1u);
  EXPECT_EQ(gateway.uploads_opened, 0);
  auto opened = Open(gateway.stored[0], 0);
  ASSERT_TRUE(opened.has_value());
  EXPECT_FALSE(Open(gateway.stored[0], 1).has_value());  // SPT was not chosen
  const v1::Submission& submission = opened->submission;
  EXPECT_EQ(submission.format_version(), 1u);
  EXPECT_EQ(submission.key_bundle_version(), 5u);
  EXPECT_EQ(opened->header_bundle_version, 5u);
  ASSERT_EQ(submission.bodies_size(), 1);
  EXPECT_EQ(submission.bodies(0), "CAT");
  EXPECT_EQ(submission.reporter().role(), v1::REPORTER_ROLE_TARGETED_PERSON);
  EXPECT_EQ(submission.state_concerned(), "VE");
  EXPECT_EQ(submission.narrative(), "Me detuvieron al volver de Ginebra.");
  // Every consent explicit, and NO when not given.
  EXPECT_EQ(submission.consent().raise_with_state(), v1::CONSENT_DECISION_NO);
  EXPECT_EQ(submission.consent().disclose_identity_to_state(), v1::CONSENT_DECISION_NO);
  EXPECT_EQ(submission.consent().share_within_un(), v1::CONSENT_DECISION_NO);
  EXPECT_EQ(submission.consent().sg_annual_report(), v1::DISCLOSURE_CONSENT_NOT_AT_ALL);
  EXPECT_EQ(submission.consent().publication(), v1::DISCLOSURE_CONSENT_NOT_AT_ALL);
  EXPECT_EQ(submission.consent().contact(), v1::CONSENT_DECISION_NO);
  // Nothing was written next to the inputs or in the temporary folder.
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{"narrative.txt"});
}

TEST(SendCommandTest, AnAdditionLeavesTheConsentsNotGivenUnanswered) {
  // Unanswered changes nothing at the workstation; "no" would withdraw.
  FakeGateway gateway;
  amparo::test::TempDir dir;
  SendRequest request = MinimalRequest(dir);
  request.form.adds_to_case = true;
  request.form.consent_publication = "no";
  const CommandRun run = Send(gateway, request, dir.path());
  ASSERT_EQ(run.code, kExitSuccess) << run.err;
  std::lock_guard lock(gateway.mutex);
  ASSERT_EQ(gateway.stored.size(), 1u);
  auto opened = Open(gateway.stored[0], 0);
  ASSERT_TRUE(opened.has_value());
  const v1::Consent& consent = opened->submission.consent();
  EXPECT_EQ(consent.raise_with_state(), v1::CONSENT_DECISION_UNSPECIFIED);
  EXPECT_EQ(consent.disclose_identity_to_state(), v1::CONSENT_DECISION_UNSPECIFIED);
  EXPECT_EQ(consent.share_within_un(), v1::CONSENT_DECISION_UNSPECIFIED);
  EXPECT_EQ(consent.sg_annual_report(), v1::DISCLOSURE_CONSENT_UNSPECIFIED);
  EXPECT_EQ(consent.publication(), v1::DISCLOSURE_CONSENT_NOT_AT_ALL);
  EXPECT_EQ(consent.contact(), v1::CONSENT_DECISION_UNSPECIFIED);
}

TEST(SendCommandTest, CarriesTheConsentsGiven) {
  FakeGateway gateway;
  amparo::test::TempDir dir;
  SendRequest request = MinimalRequest(dir);
  request.form.bodies = {"SPT", "CAT"};
  request.form.consent_raise_with_state = "yes";
  request.form.consent_share_within_un = "yes";
  request.form.consent_sg_report = "anonymous";
  request.form.consent_publication = "named";
  request.form.consent_contact = "yes";
  const CommandRun run = Send(gateway, request, dir.path());
  ASSERT_EQ(run.code, kExitSuccess) << run.err;
  EXPECT_NE(run.err.find("note: each chosen body"), std::string::npos);
  std::lock_guard lock(gateway.mutex);
  ASSERT_EQ(gateway.stored.size(), 1u);
  auto by_cat = Open(gateway.stored[0], 0);
  auto by_spt = Open(gateway.stored[0], 1);
  ASSERT_TRUE(by_cat.has_value());
  ASSERT_TRUE(by_spt.has_value());
  EXPECT_FALSE(Open(gateway.stored[0], 2).has_value());
  const v1::Consent& consent = by_cat->submission.consent();
  EXPECT_EQ(consent.raise_with_state(), v1::CONSENT_DECISION_YES);
  EXPECT_EQ(consent.disclose_identity_to_state(), v1::CONSENT_DECISION_NO);
  EXPECT_EQ(consent.share_within_un(), v1::CONSENT_DECISION_YES);
  EXPECT_EQ(consent.sg_annual_report(), v1::DISCLOSURE_CONSENT_ANONYMOUS);
  EXPECT_EQ(consent.publication(), v1::DISCLOSURE_CONSENT_NAMED);
  EXPECT_EQ(consent.contact(), v1::CONSENT_DECISION_YES);
}

TEST(SendCommandTest, UploadsALargeEnvelopeInChunksFromAnUnnamedFile) {
  FakeGateway gateway;
  amparo::test::TempDir dir;
  amparo::test::TempDir temp;
  const std::string attachment = Pattern(2 * 1024 * 1024 + 12345);
  amparo::test::WriteWholeFile(dir.path() / "informe.pdf", attachment);
  SendRequest request = MinimalRequest(dir);
  request.attachments = {(dir.path() / "informe.pdf").string()};
  // A small memory limit sends the envelope through the temporary file.
  const CommandRun run = Send(gateway, request, temp.path(), 64 * 1024);
  ASSERT_EQ(run.code, kExitSuccess) << run.err;
  EXPECT_TRUE(temp.Entries().empty());
  std::lock_guard lock(gateway.mutex);
  EXPECT_EQ(gateway.uploads_opened, 1);
  EXPECT_EQ(gateway.largest_put, 1024u * 1024u);
  ASSERT_EQ(gateway.stored.size(), 1u);
  auto opened = Open(gateway.stored[0], 0);
  ASSERT_TRUE(opened.has_value());
  ASSERT_EQ(opened->submission.attachments_size(), 1);
  const v1::Attachment& entry = opened->submission.attachments(0);
  EXPECT_EQ(entry.file_name(), "informe.pdf");
  EXPECT_EQ(entry.media_type(), "application/pdf");
  EXPECT_EQ(entry.length(), attachment.size());
  EXPECT_EQ(entry.sha256(), std::string(AsText(crypto::Sha256(AsBytes(attachment)))));
  ASSERT_GE(opened->rest.size(), attachment.size());
  EXPECT_EQ(std::string(opened->rest.begin(),
                        opened->rest.begin() + static_cast<std::ptrdiff_t>(attachment.size())),
            attachment);
}

TEST(SendCommandTest, ResumesAfterBrokenConnectionsAndRefusedOffsets) {
  FakeGateway gateway;
  {
    std::lock_guard lock(gateway.mutex);
    gateway.put_faults = {{1, Fault::kCloseAfterStoring},
                          {2, Fault::kCloseBeforeStoring},
                          {4, Fault::kTruncatedAnswer},
                          {5, Fault::kWrongOffsetConflict}};
  }
  amparo::test::TempDir dir;
  const std::string attachment = Pattern(3 * 1024 * 1024);
  amparo::test::WriteWholeFile(dir.path() / "video.mp4", attachment);
  SendRequest request = MinimalRequest(dir);
  request.attachments = {(dir.path() / "video.mp4").string()};
  const CommandRun run = Send(gateway, request, dir.path());
  ASSERT_EQ(run.code, kExitSuccess) << run.err;
  std::lock_guard lock(gateway.mutex);
  ASSERT_EQ(gateway.stored.size(), 1u);
  auto opened = Open(gateway.stored[0], 0);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(std::string(opened->rest.begin(),
                        opened->rest.begin() + static_cast<std::ptrdiff_t>(attachment.size())),
            attachment);
}

TEST(SendCommandTest, GivesUpWhenTheConnectionKeepsBreaking) {
  FakeGateway gateway;
  {
    std::lock_guard lock(gateway.mutex);
    for (int i = 1; i <= 20; ++i) gateway.put_faults[i] = Fault::kCloseBeforeStoring;
  }
  amparo::test::TempDir dir;
  amparo::test::WriteWholeFile(dir.path() / "a.bin", Pattern(2 * 1024 * 1024));
  SendRequest request = MinimalRequest(dir);
  request.attachments = {(dir.path() / "a.bin").string()};
  const CommandRun run = Send(gateway, request, dir.path());
  EXPECT_EQ(run.code, kExitUnavailable);
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1);
}

TEST(SendCommandTest, RefetchesTheKeysAndSealsAgainWhenTheBundleIsStale) {
  FakeGateway gateway;
  {
    std::lock_guard lock(gateway.mutex);
    gateway.lowest_accepted_version = 6;
    gateway.next_bundle = test::SignedBundle(6, test::TestRoot(), 6);
  }
  amparo::test::TempDir dir;
  const CommandRun run = Send(gateway, MinimalRequest(dir), dir.path());
  ASSERT_EQ(run.code, kExitSuccess) << run.err;
  std::lock_guard lock(gateway.mutex);
  EXPECT_EQ(gateway.stale_answers, 1);
  ASSERT_EQ(gateway.stored.size(), 1u);
  auto opened = Open(gateway.stored[0], 0);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(opened->submission.key_bundle_version(), 6u);
  EXPECT_EQ(opened->header_bundle_version, 6u);
}

TEST(SendCommandTest, StaleTwiceIsAnError) {
  FakeGateway gateway;
  {
    std::lock_guard lock(gateway.mutex);
    gateway.lowest_accepted_version = 7;
    gateway.next_bundle = test::SignedBundle(6);
  }
  amparo::test::TempDir dir;
  const CommandRun run = Send(gateway, MinimalRequest(dir), dir.path());
  EXPECT_EQ(run.code, kExitRejected);
  std::lock_guard lock(gateway.mutex);
  EXPECT_EQ(gateway.stale_answers, 2);
  EXPECT_TRUE(gateway.stored.empty());
}

TEST(SendCommandTest, AStaleAnswerCannotRollTheBundleBack) {
  FakeGateway gateway;
  {
    std::lock_guard lock(gateway.mutex);
    gateway.bundle = test::SignedBundle(8);
    gateway.lowest_accepted_version = 9;
    gateway.next_bundle = test::SignedBundle(7);
  }
  amparo::test::TempDir dir;
  const CommandRun run = Send(gateway, MinimalRequest(dir), dir.path());
  EXPECT_EQ(run.code, kExitRejected);
  EXPECT_NE(run.err.find("older key bundle"), std::string::npos);
}

TEST(SendCommandTest, RefusesABodyWithoutAKey) {
  FakeGateway gateway;
  amparo::test::TempDir dir;
  SendRequest request = MinimalRequest(dir);
  request.form.bodies = {"CRC"};
  const CommandRun run = Send(gateway, request, dir.path());
  EXPECT_EQ(run.code, kExitUsage);
  EXPECT_NE(run.err.find("body CRC has no key"), std::string::npos);
  std::lock_guard lock(gateway.mutex);
  EXPECT_TRUE(gateway.stored.empty());
}

TEST(SendCommandTest, RefusesBadAnswersBeforeContactingTheGateway) {
  FakeGateway gateway;
  amparo::test::TempDir dir;
  for (const auto& change : std::vector<std::function<void(SendRequest&)>>{
           [](SendRequest& r) { r.form.consent_contact = "maybe"; },
           [](SendRequest& r) { r.form.consent_publication = "yes"; },
           [](SendRequest& r) { r.form.reporter_role = "spy"; },
           [](SendRequest& r) { r.form.state = "Venezuela"; },
           [](SendRequest& r) { r.form.bodies = {"CAT", "CAT"}; },
           [](SendRequest& r) { r.form.bodies = {"cat"}; },
           [](SendRequest& r) { r.form.bodies = {}; },
           [](SendRequest& r) { r.attachments = {"/nonexistent/file.pdf"}; },
       }) {
    SendRequest request = MinimalRequest(dir);
    change(request);
    const CommandRun run = Send(gateway, request, dir.path());
    EXPECT_NE(run.code, kExitSuccess);
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  }
  std::lock_guard lock(gateway.mutex);
  EXPECT_TRUE(gateway.stored.empty());
}

TEST(SendCommandTest, AcceptsAPreparedSubmissionFile) {
  FakeGateway gateway;
  amparo::test::TempDir dir;
  v1::Submission prepared;
  prepared.set_narrative("prepared elsewhere");
  prepared.mutable_risk()->set_imminent_danger(true);
  std::string bytes;
  prepared.SerializeToString(&bytes);
  amparo::test::WriteWholeFile(dir.path() / "form.pb", bytes);
  SendRequest request;
  request.form.bodies = {"CEDAW"};
  request.form.submission_file = (dir.path() / "form.pb").string();
  const CommandRun run = Send(gateway, request, dir.path());
  ASSERT_EQ(run.code, kExitSuccess) << run.err;
  std::lock_guard lock(gateway.mutex);
  auto opened = Open(gateway.stored.at(0), 2);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(opened->submission.narrative(), "prepared elsewhere");
  EXPECT_TRUE(opened->submission.risk().imminent_danger());
  EXPECT_EQ(opened->submission.bodies(0), "CEDAW");
  EXPECT_EQ(opened->submission.key_bundle_version(), 5u);
}

}  // namespace
}  // namespace amparo::submit
