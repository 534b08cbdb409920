#pragma once
// stream.h: a bidirectional byte stream with a deadline on every step: a TCP
// socket, or TLS over one.

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/result.h"
#include "submit/deadline.h"

namespace amparo::submit {

// Stream is one connection. Errors: kUnavailable when the deadline passes or
// the peer resets the connection, kIo for any other failure; after an error
// the stream is unusable.
class Stream {
 public:
  virtual ~Stream() = default;

  // WriteAll sends all of data before the deadline.
  virtual Status WriteAll(std::span<const std::uint8_t> data, Deadline deadline) = 0;

  // ReadSome waits until at least one byte arrives and returns how many were
  // placed in out (at most out.size()); 0 means the peer closed the stream.
  virtual Result<std::size_t> ReadSome(std::span<std::uint8_t> out, Deadline deadline) = 0;

  // PeerClosedOrReadable reports, without blocking, whether bytes or an end of
  // stream are waiting: on an idle connection either means it cannot carry a
  // new request.
  virtual bool PeerClosedOrReadable() = 0;
};

// ReadExact fills all of out before the deadline; kIo if the stream ends first.
Status ReadExact(Stream& stream, std::span<std::uint8_t> out, Deadline deadline);

}  // namespace amparo::submit
