#pragma once
// commands.h: the `keys` and `send` commands of amparo-submit, over a
// GatewayClient the caller built, so that tests can drive them against a
// loopback gateway. Each returns an exit code of common/exit_code.h and, on
// failure, writes exactly one line to `err`.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "common/limits.h"
#include "crypto/followup_keys.h"
#include "crypto/random.h"
#include "submit/http_client.h"
#include "submit/submission_form.h"
#include "submit/uploader.h"

namespace amparo::submit {

// RunKeys fetches and verifies the key bundle and writes one line per body
// that can be chosen today to `out`: its code, a tab and its label.
int RunKeys(GatewayClient& client, std::span<const std::uint8_t, 32> root_fingerprint,
            std::int64_t today, std::ostream& out, std::ostream& err);

// SendRequest is what `send` seals: the answers and the files to attach.
struct SendRequest {
  FormOptions form;
  std::vector<std::string> attachments;
  // follow_up, if set, travels in the Submission (reply key and mailbox id,
  // proto/FOLLOWUP.md); adds_to_case marks information added to the case
  // of that receipt code. Borrowed.
  const crypto::FollowUpKeys* follow_up = nullptr;
  bool adds_to_case = false;
};

// SendEnvironment is what `send` takes from its surroundings; all borrowed.
struct SendEnvironment {
  std::int64_t today = 0;
  crypto::RandomSource* random = nullptr;  // the system source outside tests
  std::filesystem::path temp_dir;
  // memory_limit is the largest envelope kept in memory only; larger ones go
  // to a private temporary file.
  std::size_t memory_limit = limits::kMaxSubmissionBodyBytes;
  // show_progress draws progress bars on standard error (if a terminal).
  bool show_progress = false;
  // wait replaces sleeping between upload retries (tests).
  std::function<void(std::chrono::milliseconds)> wait;
};

// RunSend builds the Submission, fetches and verifies the key bundle, seals
// to the chosen bodies, uploads, and writes "envelope id: <hex>" to `out`.
// A "stale key bundle" answer makes it fetch the keys once more and seal
// again from the start.
int RunSend(GatewayClient& client, std::span<const std::uint8_t, 32> root_fingerprint,
            const SendRequest& request, const SendEnvironment& environment, std::ostream& out,
            std::ostream& err);

}  // namespace amparo::submit
