// Fuzzes the submitter's reading of a prepared Submission file (`--submission
// FILE` of amparo-submit, LoadSubmissionFile through BuildSubmission): the
// input is the file, for a submission to the body CAT with no attachment.
// Accepted: the file parses with no unknown field, at format version 0 or 1,
// lists no attachment and no body but CAT; the result is version 1 for CAT
// alone. Refused: a fixed sentence says why.

#include <cstddef>
#include <cstdint>
#include <google/protobuf/stubs/logging.h>
#include <string>

#include "fuzz/fuzz_support.h"
#include "protocol/unknown_fields.h"
#include "submit/submission_form.h"

namespace {

using amparo::fuzz::Check;


}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // libprotobuf logs each string field it refuses as not UTF-8; only the
  // refusal matters here, and the logs would slow fuzzing down.
  [[maybe_unused]] static const bool quiet = (google::protobuf::SetLogHandler(nullptr), true);
  static amparo::fuzz::ScratchFile file("amparo-fuzz-submission", "submission.pb");
  amparo::submit::FormOptions options;
  options.bodies = {"CAT"};
  options.submission_file = file.Write(data, size).string();
  amparo::submit::FormProblem problem;
  const auto built = amparo::submit::BuildSubmission(options, {}, &problem);
  if (!built.ok()) {
    Check(!problem.description.empty());
    return 0;
  }
  const amparo::v1::Submission& submission = built.value();
  Check(submission.format_version() == 1 && submission.attachments_size() == 0);
  Check(submission.bodies_size() == 1 && submission.bodies(0) == "CAT");
  Check(!amparo::protocol::HasUnknownFields(submission));
  return 0;
}
