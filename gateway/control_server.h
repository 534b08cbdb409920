#pragma once
// control_server.h: the gateway's local control socket. amparo-admin reaches
// the store through it while the gateway runs (RocksDB admits one process),
// so that installing a bundle, exporting and purging need no restart. Only
// the gateway's own user (or root) may connect: the socket is created 0600,
// and each peer's uid is checked (SO_PEERCRED). Clients are served one at a
// time, on a thread of their own; each read and write on a client is bounded
// by limits::kControlIoSeconds.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <thread>

#include "common/limits.h"
#include "common/result.h"
#include "storage/envelope_store.h"

namespace amparo::gateway {

class ControlServer {
 public:
  // Start binds `path` (replacing a stale socket) and serves `store`, which
  // is borrowed and must outlive the server. bundle_installed runs on the
  // server's thread after a key bundle was stored. io_timeout bounds each
  // read and write on a client (at most limits::kControlIoSeconds, the
  // default). kInvalidArgument for a path too long for a socket, kIo if it
  // cannot bind.
  static Result<std::unique_ptr<ControlServer>> Start(
      const std::filesystem::path& path, storage::EnvelopeStore& store,
      std::function<void()> bundle_installed,
      std::chrono::milliseconds io_timeout = std::chrono::seconds(limits::kControlIoSeconds));
  // ~ControlServer stops accepting, lets the current client's request
  // finish, removes the socket and joins the thread.
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

 private:
  ControlServer(std::filesystem::path path, int listener, int wake_read, int wake_write,
                storage::EnvelopeStore& store, std::function<void()> bundle_installed,
                std::chrono::milliseconds io_timeout);
  void Run();

  const std::filesystem::path path_;
  const int listener_;
  const int wake_read_;
  const int wake_write_;
  storage::EnvelopeStore& store_;
  const std::function<void()> bundle_installed_;
  const std::chrono::milliseconds io_timeout_;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace amparo::gateway
