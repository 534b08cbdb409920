#pragma once
// follow_up.h: the submitter's side of anonymous follow-up
// (proto/FOLLOWUP.md): reading the replies and statuses that the bodies
// sealed to the receipt code's reply key. Everything is opened on this
// device; nothing is stored unless --out names a folder for attachments.

#include <filesystem>
#include <optional>
#include <ostream>

#include "crypto/followup_keys.h"
#include "submit/http_client.h"

namespace amparo::submit {

// RunReplies lists the mailbox of `keys`, fetches and opens each reply,
// and writes, oldest first, its day, kind, status or text (control
// characters escaped) and attachments to `out`; with out_dir, each
// attachment of a reply is written there (as reply-N-attachment-M, never
// by its sent name) once the reply verified. An exit code of
// common/exit_code.h; one line to `err` on failure.
int RunReplies(GatewayClient& client, const crypto::FollowUpKeys& keys,
               const std::optional<std::filesystem::path>& out_dir, std::ostream& out,
               std::ostream& err);

}  // namespace amparo::submit
