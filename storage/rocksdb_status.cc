#include "storage/rocksdb_status.h"

#include <rocksdb/status.h>

#include <cstdlib>

namespace amparo::storage {

Error ToError(const rocksdb::Status& status) {
  if (status.ok()) std::abort();
  if (status.IsNotFound()) return Error::kNotFound;
  if (status.IsBusy() || status.IsTimedOut() || status.IsTryAgain() ||
      status.IsShutdownInProgress() || status.IsAborted()) {
    return Error::kUnavailable;
  }
  return Error::kIo;
}

}  // namespace amparo::storage
