#include "storage/envelope_store.h"

namespace amparo::storage {

Result<std::uint64_t> EnvelopeStore::UploadOffset(const UploadId& upload) {
  auto info = DescribeUpload(upload);
  if (!info.ok()) return info.error();
  return info.value().committed;
}

Result<std::uint64_t> EnvelopeStore::EnvelopeSize(const EnvelopeId& id) {
  auto info = DescribeEnvelope(id);
  if (!info.ok()) return info.error();
  return info.value().size;
}

}  // namespace amparo::storage
