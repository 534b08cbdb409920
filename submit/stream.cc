#include "submit/stream.h"

namespace amparo::submit {

Status ReadExact(Stream& stream, std::span<std::uint8_t> out, Deadline deadline) {
  while (!out.empty()) {
    auto got = stream.ReadSome(out, deadline);
    if (!got.ok()) return got.error();
    if (got.value() == 0) return Error::kIo;
    out = out.subspan(got.value());
  }
  return OkStatus();
}

}  // namespace amparo::submit
