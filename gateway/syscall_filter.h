#pragma once
// syscall_filter.h: the system calls a serving gateway may make, as a
// seccomp allow-list. Installed last, once every file, socket and thread the
// gateway needs exists, it leaves an attacker who takes over the process
// unable to start programs, open sockets, connect anywhere, trace or map
// executable memory.

#include <linux/filter.h>

#include <vector>

#include "common/result.h"

namespace amparo::gateway {

// kBlockedSyscallExitCode is the exit status of a gateway that made a system
// call outside the list: it writes the call's number to stderr and exits.
inline constexpr int kBlockedSyscallExitCode = 159;

// BuildSyscallFilter returns the BPF program; empty on an architecture the
// list was not written for.
std::vector<sock_filter> BuildSyscallFilter();

// InstallSyscallFilter applies the program to every thread of the process
// (SECCOMP_FILTER_FLAG_TSYNC), with a SIGSYS handler that reports a blocked
// call. kInvalidArgument on an unknown architecture, kIo if the kernel
// refuses (for instance a thread that already has another filter).
Status InstallSyscallFilter();

}  // namespace amparo::gateway
