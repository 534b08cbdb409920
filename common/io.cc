#include "common/io.h"

#include <algorithm>

namespace amparo {

Result<std::size_t> ReadFull(ByteSource& source, std::span<std::uint8_t> out) {
  std::size_t filled = 0;
  while (filled < out.size()) {
    auto n = source.Read(out.subspan(filled));
    if (!n.ok()) return n.error();
    if (n.value() == 0) break;
    filled += n.value();
  }
  return filled;
}

Result<std::size_t> SpanSource::Read(std::span<std::uint8_t> out) {
  const std::size_t n = std::min(out.size(), data_.size());
  std::copy_n(data_.begin(), n, out.begin());
  data_ = data_.subspan(n);
  return n;
}

Result<std::size_t> PrefixedSource::Read(std::span<std::uint8_t> out) {
  if (prefix_.empty()) return rest_.Read(out);
  const std::size_t n = std::min(out.size(), prefix_.size());
  std::copy_n(prefix_.begin(), n, out.begin());
  prefix_ = prefix_.subspan(n);
  return n;
}

Status VectorSink::Write(std::span<const std::uint8_t> data) {
  bytes_.insert(bytes_.end(), data.begin(), data.end());
  return OkStatus();
}

}  // namespace amparo
