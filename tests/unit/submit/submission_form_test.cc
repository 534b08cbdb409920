#include "submit/submission_form.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace amparo::submit {
namespace {

using test::TempDir;
using test::WriteWholeFile;

Result<v1::Submission> Build(const FormOptions& options,
                             const std::vector<std::unique_ptr<AttachmentFile>>& files = {}) {
  FormProblem problem;
  auto result = BuildSubmission(options, files, &problem);
  if (!result.ok()) {
    EXPECT_FALSE(problem.description.empty());
  }
  return result;
}

FormOptions Minimal() {
  FormOptions options;
  options.bodies = {"CAT"};
  return options;
}

TEST(SubmissionFormTest, ConsentsDefaultToNo) {
  auto built = Build(Minimal());
  ASSERT_TRUE(built.ok());
  const v1::Consent& consent = built.value().consent();
  EXPECT_EQ(consent.raise_with_state(), v1::CONSENT_DECISION_NO);
  EXPECT_EQ(consent.share_within_un(), v1::CONSENT_DECISION_NO);
  EXPECT_EQ(consent.sg_annual_report(), v1::DISCLOSURE_CONSENT_NOT_AT_ALL);
  EXPECT_EQ(consent.publication(), v1::DISCLOSURE_CONSENT_NOT_AT_ALL);
  EXPECT_EQ(consent.contact(), v1::CONSENT_DECISION_NO);
  EXPECT_EQ(built.value().format_version(), 1u);
  EXPECT_EQ(built.value().reporter().role(), v1::REPORTER_ROLE_UNSPECIFIED);
}

TEST(SubmissionFormTest, BodiesAreOneToEightDistinctCodes) {
  FormOptions options = Minimal();
  options.bodies = {"A1", "B2", "C3", "D4", "E5", "F6", "G7", "H8"};
  EXPECT_TRUE(Build(options).ok());
  options.bodies.push_back("I9");
  EXPECT_EQ(Build(options).error(), Error::kInvalidArgument);
  options.bodies = {};
  EXPECT_EQ(Build(options).error(), Error::kInvalidArgument);
  options.bodies = {"CAT", "CAT"};
  EXPECT_EQ(Build(options).error(), Error::kInvalidArgument);
  options.bodies = {"1CAT"};
  EXPECT_EQ(Build(options).error(), Error::kInvalidArgument);
}

TEST(SubmissionFormTest, NarrativeIsBoundedAt64KiB) {
  TempDir dir;
  FormOptions options = Minimal();
  options.narrative_file = (dir.path() / "n.txt").string();
  WriteWholeFile(options.narrative_file, std::string(kMaxNarrativeBytes, 'x'));
  EXPECT_TRUE(Build(options).ok());
  WriteWholeFile(options.narrative_file, std::string(kMaxNarrativeBytes + 1, 'x'));
  EXPECT_EQ(Build(options).error(), Error::kLimitExceeded);
  WriteWholeFile(options.narrative_file, "caf\xC3");  // truncated UTF-8
  EXPECT_EQ(Build(options).error(), Error::kInvalidArgument);
}

TEST(SubmissionFormTest, RefusesAPreparedFileThatIsNotASubmission) {
  TempDir dir;
  FormOptions options = Minimal();
  options.submission_file = (dir.path() / "s.pb").string();
  WriteWholeFile(options.submission_file, std::string("\xF8\x07\x01", 3));  // unknown field 127
  EXPECT_EQ(Build(options).error(), Error::kInvalidArgument);
  WriteWholeFile(options.submission_file, "");
  EXPECT_EQ(Build(options).error(), Error::kInvalidArgument);
  v1::Submission with_attachment;
  with_attachment.add_attachments()->set_file_name("x");
  WriteWholeFile(options.submission_file, with_attachment.SerializeAsString());
  EXPECT_EQ(Build(options).error(), Error::kInvalidArgument);
  v1::Submission other_bodies;
  other_bodies.add_bodies("SPT");
  WriteWholeFile(options.submission_file, other_bodies.SerializeAsString());
  EXPECT_EQ(Build(options).error(), Error::kInvalidArgument);
}

TEST(SubmissionFormTest, AttachmentsGetAManifestEntry) {
  TempDir dir;
  WriteWholeFile(dir.path() / "Foto.JPG", "abc");
  auto file = AttachmentFile::Open(dir.path() / "Foto.JPG");
  ASSERT_TRUE(file.ok());
  std::vector<std::unique_ptr<AttachmentFile>> files;
  files.push_back(std::move(file.value()));
  auto built = Build(Minimal(), files);
  ASSERT_TRUE(built.ok());
  ASSERT_EQ(built.value().attachments_size(), 1);
  const v1::Attachment& entry = built.value().attachments(0);
  EXPECT_EQ(entry.file_name(), "Foto.JPG");
  EXPECT_EQ(entry.media_type(), "image/jpeg");
  EXPECT_EQ(entry.length(), 3u);
  // SHA-256("abc")
  EXPECT_EQ(static_cast<unsigned char>(entry.sha256()[0]), 0xBA);
  EXPECT_EQ(static_cast<unsigned char>(entry.sha256()[31]), 0xAD);
}

TEST(SubmissionFormTest, OnlyRegularFilesCanBeAttached) {
  TempDir dir;
  EXPECT_EQ(AttachmentFile::Open(dir.path()).error(), Error::kIo);
  EXPECT_EQ(AttachmentFile::Open(dir.path() / "missing.pdf").error(), Error::kIo);
}

TEST(SubmissionFormTest, FileNamesMustBeShowable) {
  EXPECT_TRUE(IsShowableFileName(std::string(kMaxAttachmentNameBytes, 'a')));
  EXPECT_FALSE(IsShowableFileName(std::string(kMaxAttachmentNameBytes + 1, 'a')));
  EXPECT_FALSE(IsShowableFileName(""));
  EXPECT_FALSE(IsShowableFileName("a\\b"));
  EXPECT_FALSE(IsShowableFileName("a\nb"));
  EXPECT_FALSE(IsShowableFileName("\xFF"));
  EXPECT_TRUE(IsShowableFileName("declaración.pdf"));
}

TEST(SubmissionFormTest, GuessesCommonMediaTypes) {
  EXPECT_EQ(GuessMediaType("a.pdf"), "application/pdf");
  EXPECT_EQ(GuessMediaType("A.PNG"), "image/png");
  EXPECT_EQ(GuessMediaType("noextension"), "application/octet-stream");
  EXPECT_EQ(GuessMediaType("trailingdot."), "application/octet-stream");
}

}  // namespace
}  // namespace amparo::submit
