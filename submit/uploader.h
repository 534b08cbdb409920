#pragma once
// uploader.h: sending a sealed envelope to the gateway (docs/API.md): in one
// request when it fits, otherwise as a resumable upload that survives broken
// connections by asking the gateway how much it has durably committed.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

#include "common/result.h"
#include "submit/api_messages.h"
#include "submit/envelope_buffer.h"
#include "submit/http_client.h"

namespace amparo::submit {

// kUploadHeadBytes is how much of a large envelope opens its upload: far more
// than the 924 bytes the gateway must validate first, far less than a chunk.
inline constexpr std::size_t kUploadHeadBytes = 64 * 1024;
// kMaxUploadAttempts bounds consecutive failed steps (broken connection,
// refused offset) before an upload gives up.
inline constexpr int kMaxUploadAttempts = 6;

// UploadHooks lets callers follow progress and tests replace waiting.
struct UploadHooks {
  // progress(committed, total) after each step the gateway confirmed.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  // wait before retrying a failed step; std::this_thread::sleep_for if empty.
  std::function<void(std::chrono::milliseconds)> wait;
};

// UploadEnvelope sends the envelope in `buffer` and returns the receipt.
// Envelopes of at most limits::kMaxSubmissionBodyBytes go in one POST
// /v1/submissions, which is not repeated if the connection breaks (the
// gateway may have stored it); larger ones go through POST /v1/uploads,
// PUT chunks of limits::kMaxUploadChunkBytes at the committed offset, and
// POST .../finalize, resuming after failures. Errors: those of the client
// for a transport failure that persists, the refusal's class for an
// answer that refuses (kStaleKeyBundle tells the caller to refresh the keys
// and seal again), kIo for an answer that does not parse or contradicts the
// upload; `failure` is set to a fixed sentence.
Result<SubmissionReceipt> UploadEnvelope(GatewayClient& client, const EnvelopeBuffer& buffer,
                                         const UploadHooks& hooks, std::string_view* failure);

}  // namespace amparo::submit
