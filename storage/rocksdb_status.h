#pragma once
// rocksdb_status.h: RocksDB's status codes in the project's error vocabulary.

#include "common/error.h"

namespace rocksdb {
class Status;
}  // namespace rocksdb

namespace amparo::storage {

// ToError maps a failed RocksDB status: kNotFound for a missing key,
// kUnavailable for busy, timed-out, try-again and shutting-down states, kIo for
// everything else (I/O errors, corruption, anything unexpected). Never call it
// with an ok status: that is a broken invariant and aborts.
Error ToError(const rocksdb::Status& status);

}  // namespace amparo::storage
