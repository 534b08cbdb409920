#pragma once
// transfer_commands.h: the gateway side of the air gap. `export` writes every
// envelope not yet acknowledged, under a manifest signed by the node key;
// `import` takes back what the workstation sends (an acknowledgement, which
// purges the envelopes it names, or a signed key bundle, which is installed);
// `purge` applies retention to what was never acknowledged.

#include <string>

#include "admin/settings.h"

namespace amparo::admin {

int RunExport(const AdminSettings& settings, const std::string& output, bool progress);
int RunImport(const AdminSettings& settings, const std::string& input);
int RunPurge(const AdminSettings& settings, long older_than_days);
int RunKeysInstall(const AdminSettings& settings, const std::string& bundle_path);

}  // namespace amparo::admin
