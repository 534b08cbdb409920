#pragma once
// backup_commands.h: backups of the sealed store. `backup` asks the store
// (through the running gateway, or opened directly) for a consistent
// checkpoint and moves it to a new folder; `restore` puts such a folder in
// place of an empty data folder while the gateway is stopped, and checks
// that it opens with its audit chain intact; given the number of the node's
// last export the workstation imported, it continues the export numbers
// after it, so that the next export is not taken for a replay. A backup
// holds sealed envelopes and counters only: no plaintext, and none of the
// node's secrets, which the operator keeps offline (docs/OPERATIONS.md).

#include <cstdint>
#include <filesystem>
#include <optional>

#include "admin/settings.h"

namespace amparo::admin {

int RunBackup(const AdminSettings& settings, const std::filesystem::path& output);
int RunRestore(const AdminSettings& settings, const std::filesystem::path& input,
               std::optional<std::uint64_t> after_export);

}  // namespace amparo::admin
