#include "gateway/control_server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cstring>
#include <string>

#include "storage/control_protocol.h"
#include "storage/store_service.h"

namespace amparo::gateway {
namespace {

constexpr int kBacklog = 4;

// PeerMayControl reports whether the connected peer runs as this process's
// user or as root: the socket's mode already says so, and this says it again
// in a way a permissive umask or a moved file cannot undo. Root is admitted
// because it can read the store's files anyway; refusing it protects nothing.
bool PeerMayControl(int fd) {
  ucred peer{};
  socklen_t size = sizeof peer;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0) return false;
  return peer.uid == ::geteuid() || peer.uid == 0;
}

}  // namespace

Result<std::unique_ptr<ControlServer>> ControlServer::Start(
    const std::filesystem::path& path, storage::EnvelopeStore& store,
    std::function<void()> bundle_installed, std::chrono::milliseconds io_timeout) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string name = path.string();
  if (name.size() >= sizeof address.sun_path) return Error::kInvalidArgument;
  std::memcpy(address.sun_path, name.c_str(), name.size() + 1);

  std::error_code ignored;
  // A socket left by a crash is replaced (the store's lock, taken before,
  // proves no other gateway serves it); any other file there is an error.
  if (std::filesystem::is_socket(path, ignored)) std::filesystem::remove(path, ignored);
  const int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0) return Error::kIo;
  // Created private: no moment exists when another user could connect.
  const mode_t previous = ::umask(0177);
  const int bound = ::bind(listener, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  ::umask(previous);
  int wake[2] = {-1, -1};
  if (bound != 0 || ::chmod(name.c_str(), 0600) != 0 || ::listen(listener, kBacklog) != 0 ||
      ::pipe2(wake, O_CLOEXEC) != 0) {
    ::close(listener);
    if (bound == 0) std::filesystem::remove(path, ignored);  // only what this call created
    if (wake[0] >= 0) {
      ::close(wake[0]);
      ::close(wake[1]);
    }
    return Error::kIo;
  }
  return std::unique_ptr<ControlServer>(
      new ControlServer(path, listener, wake[0], wake[1], store, std::move(bundle_installed),
                        io_timeout));
}

ControlServer::ControlServer(std::filesystem::path path, int listener, int wake_read,
                             int wake_write, storage::EnvelopeStore& store,
                             std::function<void()> bundle_installed,
                             std::chrono::milliseconds io_timeout)
    : path_(std::move(path)), listener_(listener), wake_read_(wake_read),
      wake_write_(wake_write), store_(store), bundle_installed_(std::move(bundle_installed)),
      io_timeout_(io_timeout), thread_([this] { Run(); }) {}

ControlServer::~ControlServer() {
  const char stop = 1;
  if (::write(wake_write_, &stop, 1) != 1) {
    // The thread then stops at the next client; nothing better can be done.
  }
  thread_.join();
  ::close(listener_);
  ::close(wake_read_);
  ::close(wake_write_);
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

void ControlServer::Run() {
  while (true) {
    pollfd fds[2] = {{listener_, POLLIN, 0}, {wake_read_, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) continue;
    if ((fds[1].revents & POLLIN) != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    if (!PeerMayControl(client)) {
      spdlog::warn("refused a control connection from another user");
      ::close(client);
      continue;
    }
    // A client that stops answering is dropped after the timeout, so that it
    // cannot hold this thread or a graceful stop.
    if (!storage::SetControlTimeouts(client, storage::ControlTimeouts::kReadsAndWrites, io_timeout_)
             .ok()) {
      ::close(client);
      continue;
    }
    const Status served = storage::ServeControlConnection(client, store_, bundle_installed_);
    if (!served.ok()) spdlog::warn("control connection ended: {}", ErrorName(served.error()));
    ::close(client);
  }
}

}  // namespace amparo::gateway
