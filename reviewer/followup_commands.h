#pragma once
// followup_commands.h: answering submitters through the gateway
// (proto/FOLLOWUP.md): `reply` seals a message to a case's reply key,
// `status` records a status and, with --share, seals it too; both wait in
// the keystore's outbox until `export-replies` writes a root-signed replies
// file for amparo-admin import. The sealed replies are ciphertext only the
// submitter's receipt code opens; the outbox holds nothing else.

#include <string>
#include <vector>

#include "reviewer/keystore_commands.h"

namespace amparo::reviewer {

int RunReply(const KeystoreAccess& access, const std::string& case_id, const std::string& message,
             const std::vector<std::string>& attachments);
int RunStatus(const KeystoreAccess& access, const std::string& case_id, const std::string& state,
              bool share);
// RunExportReplies writes the replies not yet exported (with `again`, every
// reply of the outbox, under a new batch number: a lost or refused file is
// made good this way) to a root-signed replies file.
int RunExportReplies(const KeystoreAccess& access, const std::string& output, bool again);

}  // namespace amparo::reviewer
