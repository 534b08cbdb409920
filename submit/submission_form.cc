#include "submit/submission_form.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "common/ascii.h"
#include "common/byte_reader.h"
#include "common/limits.h"
#include "protocol/key_bundle_content.h"
#include "protocol/unknown_fields.h"
#include "protocol/utf8.h"

namespace amparo::submit {
namespace {

constexpr std::size_t kMaxLanguageTagBytes = 35;

Error Problem(FormProblem* problem, std::string_view description,
              Error error = Error::kInvalidArgument) {
  problem->description = description;
  return error;
}

std::optional<v1::ReporterRole> ParseRole(std::string_view text) {
  static const std::array<std::pair<std::string_view, v1::ReporterRole>, 6> kRoles = {{
      {"targeted-person", v1::REPORTER_ROLE_TARGETED_PERSON},
      {"relative", v1::REPORTER_ROLE_RELATIVE},
      {"legal-representative", v1::REPORTER_ROLE_LEGAL_REPRESENTATIVE},
      {"organisation", v1::REPORTER_ROLE_ORGANISATION},
      {"witness", v1::REPORTER_ROLE_WITNESS},
      {"other", v1::REPORTER_ROLE_OTHER},
  }};
  if (text.empty()) return v1::REPORTER_ROLE_UNSPECIFIED;
  for (const auto& [name, role] : kRoles) {
    if (name == text) return role;
  }
  return std::nullopt;
}

// An answer not given is NO for a new case and unanswered for an addition.
std::optional<v1::ConsentDecision> ParseDecision(std::string_view text, bool addition) {
  if (text.empty()) return addition ? v1::CONSENT_DECISION_UNSPECIFIED : v1::CONSENT_DECISION_NO;
  if (text == "yes") return v1::CONSENT_DECISION_YES;
  if (text == "no") return v1::CONSENT_DECISION_NO;
  return std::nullopt;
}

std::optional<v1::DisclosureConsent> ParseDisclosure(std::string_view text, bool addition) {
  if (text.empty()) return addition ? v1::DISCLOSURE_CONSENT_UNSPECIFIED : v1::DISCLOSURE_CONSENT_NOT_AT_ALL;
  if (text == "named") return v1::DISCLOSURE_CONSENT_NAMED;
  if (text == "anonymous") return v1::DISCLOSURE_CONSENT_ANONYMOUS;
  if (text == "no") return v1::DISCLOSURE_CONSENT_NOT_AT_ALL;
  return std::nullopt;
}

bool IsCountryCode(std::string_view text) {
  return text.size() == 2 && std::all_of(text.begin(), text.end(), [](char c) {
           return c >= 'A' && c <= 'Z';
         });
}

bool IsLanguageTag(std::string_view text) {
  return !text.empty() && text.size() <= kMaxLanguageTagBytes &&
         std::all_of(text.begin(), text.end(), [](char c) { return IsAsciiAlnum(c) || c == '-'; });
}

std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  });
  return text;
}

Status CheckBodies(const std::vector<std::string>& bodies, FormProblem* problem) {
  if (bodies.empty()) return Problem(problem, "choose at least one receiving body (--body)");
  if (bodies.size() > limits::kMaxBodiesPerEnvelope) {
    return Problem(problem, "at most 8 receiving bodies can be chosen for one submission");
  }
  std::set<std::string> seen;
  for (const std::string& body : bodies) {
    if (!protocol::IsBodyCode(body)) {
      return Problem(problem, "a body code is not valid (upper-case letters, digits and '_')");
    }
    if (!seen.insert(body).second) return Problem(problem, "a body is chosen twice");
  }
  return OkStatus();
}

Result<v1::Submission> LoadSubmissionFile(const std::string& path,
                                          const std::vector<std::string>& bodies,
                                          FormProblem* problem) {
  auto bytes = ReadSmallFile(path, limits::kMaxSubmissionMessageBytes);
  if (!bytes.ok()) {
    return Problem(problem,
                   bytes.error() == Error::kLimitExceeded ? "the submission file is over 1 MiB"
                                                          : "cannot read the submission file",
                   bytes.error());
  }
  v1::Submission submission;
  if (bytes.value().empty() ||
      !submission.ParseFromArray(bytes.value().data(), static_cast<int>(bytes.value().size())) ||
      protocol::HasUnknownFields(submission)) {
    return Problem(problem, "the submission file is not a serialized Submission");
  }
  if (submission.format_version() != 0 && submission.format_version() != 1) {
    return Problem(problem, "the submission file has an unsupported format_version");
  }
  if (submission.attachments_size() != 0) {
    return Problem(problem, "the submission file lists attachments; give them with --attach");
  }
  if (submission.bodies_size() != 0 &&
      !std::equal(submission.bodies().begin(), submission.bodies().end(), bodies.begin(),
                  bodies.end())) {
    return Problem(problem, "the submission file names other bodies than --body");
  }
  return submission;
}

Result<v1::Submission> BuildFromAnswers(const FormOptions& options, FormProblem* problem) {
  v1::Submission submission;
  const auto role = ParseRole(options.reporter_role);
  if (!role) {
    return Problem(problem,
                   "--reporter-role must be targeted-person, relative, legal-representative, "
                   "organisation, witness or other");
  }
  submission.mutable_reporter()->set_role(*role);
  if (!options.state.empty()) {
    const std::string state = Upper(options.state);
    if (!IsCountryCode(state)) return Problem(problem, "--state must be a two-letter country code");
    submission.set_state_concerned(state);
  }
  if (!options.language.empty()) {
    if (!IsLanguageTag(options.language)) return Problem(problem, "--language is not a language tag");
    submission.set_language(options.language);
  }
  if (!options.narrative_file.empty()) {
    auto text = ReadSmallFile(options.narrative_file, kMaxNarrativeBytes);
    if (!text.ok()) {
      return Problem(problem,
                     text.error() == Error::kLimitExceeded ? "the narrative file is over 64 KiB"
                                                           : "cannot read the narrative file",
                     text.error());
    }
    if (!protocol::IsValidUtf8(text.value())) {
      return Problem(problem, "the narrative file is not UTF-8 text");
    }
    submission.set_narrative(std::move(text.value()));
  }

  // Each decision is explicit, and NO unless the person said yes: a body
  // does only what was allowed (San José Guidelines para. 5(e)).
  v1::Consent* consent = submission.mutable_consent();
  const bool addition = options.adds_to_case;
  const auto raise = ParseDecision(options.consent_raise_with_state, addition);
  const auto share = ParseDecision(options.consent_share_within_un, addition);
  const auto regional = ParseDecision(options.consent_share_regional, addition);
  const auto contact = ParseDecision(options.consent_contact, addition);
  const auto report = ParseDisclosure(options.consent_sg_report, addition);
  const auto publication = ParseDisclosure(options.consent_publication, addition);
  if (!raise || !share || !regional || !contact) {
    return Problem(problem, "--consent-raise-with-state, --consent-share-within-un, "
                            "--consent-share-regional and --consent-contact take yes or no");
  }
  if (!report || !publication) {
    return Problem(problem, "--consent-sg-report and --consent-publication take named, "
                            "anonymous or no");
  }
  consent->set_raise_with_state(*raise);
  consent->set_disclose_identity_to_state(addition ? v1::CONSENT_DECISION_UNSPECIFIED
                                                    : v1::CONSENT_DECISION_NO);
  consent->set_share_within_un(*share);
  consent->set_share_with_regional_mechanisms(*regional);
  consent->set_sg_annual_report(*report);
  consent->set_publication(*publication);
  consent->set_contact(*contact);
  return submission;
}

}  // namespace

AttachmentFile::~AttachmentFile() { ::close(fd_); }

Result<std::unique_ptr<AttachmentFile>> AttachmentFile::Open(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  if (!IsShowableFileName(name)) return Error::kInvalidArgument;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return Error::kIo;
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || info.st_size < 0) {
    ::close(fd);
    return Error::kIo;
  }
  return std::unique_ptr<AttachmentFile>(new AttachmentFile(
      fd, static_cast<std::uint64_t>(info.st_size), name, GuessMediaType(name)));
}

Status AttachmentFile::Rewind() {
  if (::lseek(fd_, 0, SEEK_SET) != 0) return Error::kIo;
  return OkStatus();
}

Result<Sha256Digest> AttachmentFile::Digest() {
  AMPARO_RETURN_IF_ERROR(Rewind());
  Sha256Stream hash;
  std::vector<std::uint8_t> buffer(64 * 1024);
  std::uint64_t total = 0;
  for (;;) {
    auto got = source_.Read(buffer);
    if (!got.ok()) return got.error();
    if (got.value() == 0) break;
    total += got.value();
    hash.Update(std::span<const std::uint8_t>(buffer).first(got.value()));
  }
  if (total != length_) return Error::kInvalidArgument;
  AMPARO_RETURN_IF_ERROR(Rewind());
  return hash.Finish();
}

std::string GuessMediaType(std::string_view file_name) {
  static const std::array<std::pair<std::string_view, std::string_view>, 22> kTypes = {{
      {"pdf", "application/pdf"},
      {"txt", "text/plain"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"png", "image/png"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"heic", "image/heic"},
      {"mp3", "audio/mpeg"},
      {"m4a", "audio/mp4"},
      {"ogg", "audio/ogg"},
      {"opus", "audio/ogg"},
      {"wav", "audio/wav"},
      {"mp4", "video/mp4"},
      {"mov", "video/quicktime"},
      {"webm", "video/webm"},
      {"doc", "application/msword"},
      {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"odt", "application/vnd.oasis.opendocument.text"},
      {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"zip", "application/zip"},
      {"csv", "text/csv"},
  }};
  const auto dot = file_name.rfind('.');
  if (dot != std::string_view::npos && dot + 1 < file_name.size()) {
    const std::string extension = AsciiLowerCopy(file_name.substr(dot + 1));
    for (const auto& [known, type] : kTypes) {
      if (known == extension) return std::string(type);
    }
  }
  return "application/octet-stream";
}

bool IsShowableFileName(std::string_view name) {
  if (name.empty() || name.size() > kMaxAttachmentNameBytes || name == "." || name == "..") {
    return false;
  }
  if (!protocol::IsValidUtf8(name)) return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F || c == '/' || c == '\\';
  });
}

Result<v1::Submission> BuildSubmission(const FormOptions& options,
                                       std::span<const std::unique_ptr<AttachmentFile>> attachments,
                                       FormProblem* problem) {
  AMPARO_RETURN_IF_ERROR(CheckBodies(options.bodies, problem));
  if (attachments.size() > limits::kMaxAttachments) {
    return Problem(problem, "at most 32 files can be attached", Error::kLimitExceeded);
  }
  auto built = options.submission_file.empty()
                   ? BuildFromAnswers(options, problem)
                   : LoadSubmissionFile(options.submission_file, options.bodies, problem);
  if (!built.ok()) return built.error();
  v1::Submission submission = std::move(built.value());
  submission.set_format_version(1);
  submission.clear_bodies();
  for (const std::string& body : options.bodies) submission.add_bodies(body);
  for (const auto& file : attachments) {
    auto digest = file->Digest();
    if (!digest.ok()) {
      return Problem(problem, "cannot read an attached file, or it changed while being read",
                     digest.error());
    }
    v1::Attachment* entry = submission.add_attachments();
    entry->set_file_name(file->file_name());
    entry->set_media_type(file->media_type());
    entry->set_length(file->length());
    entry->set_sha256(std::string(AsText(digest.value())));
  }
  return submission;
}

}  // namespace amparo::submit
