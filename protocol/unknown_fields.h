#pragma once
// unknown_fields.h: libprotobuf keeps fields it does not know aside instead
// of failing; every message parsed from outside is checked with this.

#include <google/protobuf/message.h>

namespace amparo::protocol {

// HasUnknownFields reports whether message, or any message nested in it at
// any depth, holds a field its schema does not define (which includes a
// known field number with the wrong wire type).
bool HasUnknownFields(const google::protobuf::Message& message);

}  // namespace amparo::protocol
