#pragma once
// case_commands.h: the air gap's workstation side. `import` verifies a
// gateway export, opens each envelope with the keystore's keys, keeps the
// ones it opens (still sealed) and writes the signed acknowledgement for the
// gateway; `list`, `show` and `attachments` read the imported cases.

#include <string>

#include "reviewer/keystore_commands.h"

namespace amparo::reviewer {

int RunImport(const KeystoreAccess& access, const std::string& input, const std::string& ack_out);
int RunShow(const KeystoreAccess& access, const std::string& case_id, bool json);
int RunAttachments(const KeystoreAccess& access, const std::string& case_id,
                   const std::string& out_dir);

}  // namespace amparo::reviewer
