#pragma once
// privileges.h: what the gateway gives up before it serves. Started as root,
// it binds its port and reads its secrets, then becomes an ordinary account
// for good; in every case it forbids itself new privileges and core dumps.

#include <string>
#include <sys/types.h>

#include "common/result.h"

namespace amparo::gateway {

// Account is a user to run as, resolved from the password database.
struct Account {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
};

// LookUpAccount resolves name; kNotFound if there is no such user,
// kRefused for root itself (running as root is what this avoids).
Result<Account> LookUpAccount(const std::string& name);

// LimitProcess forbids new privileges (setuid binaries, file capabilities)
// to this process and all it starts, makes it undumpable (no core files and
// no ptrace by its own user: its memory holds the TLS and mailbox keys) and
// raises its descriptor limit to the hard limit, so that the connection cap,
// not the descriptor table, is what bounds connections. kIo if the kernel
// refuses.
Status LimitProcess();

// SwitchToAccount drops every supplementary group, then the group, then the
// user, with no way back: it checks that root can no longer be regained.
// Must run before any thread starts (the set*id wrappers are process-wide,
// but nothing here should race with them). kIo if a step fails.
Status SwitchToAccount(const Account& account);

// DropCapabilities keeps the current user but empties every capability set
// (and the bounding set), for a gateway started as root with no `user`
// configured: uid 0 without capabilities can no longer override file
// permissions, bind privileged ports, trace other processes or load
// modules. kIo if the kernel refuses.
Status DropCapabilities();

}  // namespace amparo::gateway
