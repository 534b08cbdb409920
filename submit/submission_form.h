#pragma once
// submission_form.h: the Submission that `amparo-submit send` seals, built
// from a prepared file or from a few command-line answers, and the
// attachment files that follow it.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/file_io.h"
#include "common/result.h"
#include "proto/submission.pb.h"
#include "submit/sha256_stream.h"

namespace amparo::submit {

// kMaxNarrativeBytes bounds Submission.narrative (submission.proto).
inline constexpr std::size_t kMaxNarrativeBytes = 64 * 1024;
// kMaxAttachmentNameBytes bounds Attachment.file_name.
inline constexpr std::size_t kMaxAttachmentNameBytes = 256;

// FormOptions are the answers given on the command line. A consent not
// given is "no" for a new case: nothing is allowed that the person did not
// choose. For additional information it is left unanswered, which changes
// nothing: the workstation applies a later "no" and never a later "yes"
// on its own (reviewer/consent_policy.h).
struct FormOptions {
  bool adds_to_case = false;
  std::vector<std::string> bodies;
  // submission_file, if not empty, is a serialized Submission; the answers
  // below must then be absent (the caller ensures it).
  std::string submission_file;
  std::string reporter_role;  // targeted-person|relative|legal-representative|organisation|witness|other
  std::string state;          // ISO 3166-1 alpha-2
  std::string language;       // BCP 47 tag
  std::string narrative_file;
  std::string consent_raise_with_state;  // yes|no
  std::string consent_share_within_un;   // yes|no
  std::string consent_share_regional;   // yes|no
  std::string consent_sg_report;         // named|anonymous|no
  std::string consent_publication;       // named|anonymous|no
  std::string consent_contact;           // yes|no
};

// FormProblem says, in a fixed sentence, what is wrong with the answers.
struct FormProblem {
  std::string_view description;
};

// AttachmentFile is one attachment, opened once and read from that one
// descriptor (owned, closed on destruction), so that the bytes sealed are
// the bytes that were measured.
class AttachmentFile {
 public:
  // Open opens a regular file for reading and records its length, the name
  // to show (its last path component) and a media type guessed from the
  // extension. kIo if it cannot be opened or is not a regular file;
  // kInvalidArgument if its name cannot be shown (empty, over 256 bytes, not
  // UTF-8, or holding a control character or a backslash).
  static Result<std::unique_ptr<AttachmentFile>> Open(const std::filesystem::path& path);
  ~AttachmentFile();
  AttachmentFile(const AttachmentFile&) = delete;
  AttachmentFile& operator=(const AttachmentFile&) = delete;

  // Rewind moves back to the first byte; kIo on failure.
  Status Rewind();
  // Digest reads the whole file, returns its SHA-256 and rewinds; kIo on a
  // read failure, kInvalidArgument if the length changed since Open.
  Result<Sha256Digest> Digest();

  ByteSource& source() { return source_; }
  std::uint64_t length() const { return length_; }
  const std::string& file_name() const { return file_name_; }
  const std::string& media_type() const { return media_type_; }

 private:
  AttachmentFile(int fd, std::uint64_t length, std::string name, std::string type)
      : fd_(fd), source_(fd), length_(length), file_name_(std::move(name)),
        media_type_(std::move(type)) {}
  int fd_;
  FdSource source_;
  std::uint64_t length_;
  std::string file_name_;
  std::string media_type_;
};

// GuessMediaType returns a media type for a file name's extension, or
// application/octet-stream.
std::string GuessMediaType(std::string_view file_name);

// IsShowableFileName reports whether a name fits Attachment.file_name.
bool IsShowableFileName(std::string_view name);

// BuildSubmission returns the Submission for the answers (or the prepared
// file), with format_version 1, the chosen bodies, every consent explicit
// and a manifest entry per attachment (digests computed here). Its
// key_bundle_version is left for the sealer to set. On failure: kIo if a
// file cannot be read, kLimitExceeded if one is too large, kInvalidArgument
// for any other problem; `problem` then says which.
Result<v1::Submission> BuildSubmission(const FormOptions& options,
                                       std::span<const std::unique_ptr<AttachmentFile>> attachments,
                                       FormProblem* problem);

}  // namespace amparo::submit
