#pragma once
// reply_plaintext.h: the plaintext of a sealed follow-up reply
// (proto/FOLLOWUP.md section 4), framed as a submission's is:
//
//   u32be(S) || Reply (S bytes) || attachment_0 || ... || zero padding to P
//
// with 1 <= S <= kMaxReplyMessageBytes, at most kMaxReplyAttachments files
// in manifest order, and P = pad(4 + S + the attachment lengths) at most
// kMaxReplyPaddedBytes. The workstation frames and seals; the submitter's
// client opens (crypto/age_decrypt.h) and reads.

#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"
#include "crypto/keys.h"
#include "crypto/random.h"
#include "proto/followup.pb.h"

namespace amparo::protocol {

// ReplyAttachment is one file of a reply: its manifest name, type and text,
// and its bytes.
struct ReplyAttachment {
  std::string file_name;
  std::string media_type;
  std::string description;
  std::vector<std::uint8_t> bytes;
};

// SealReply fills the manifest of `reply` from `attachments` (lengths and
// SHA-256), frames and pads it, and seals it as an age file to `recipient`
// alone. kInvalidArgument for a reply outside the bounds (ValidateReply),
// kLimitExceeded if the padded plaintext would pass kMaxReplyPaddedBytes.
Result<std::vector<std::uint8_t>> SealReply(v1::Reply reply,
                                            const std::vector<ReplyAttachment>& attachments,
                                            const crypto::X25519PublicKey& recipient,
                                            crypto::RandomSource& random);

// OpenedReply is a reply read from its plaintext.
struct OpenedReply {
  v1::Reply reply;
  std::vector<std::vector<std::uint8_t>> attachments;  // in manifest order
};

// ReadReplyPlaintext reads a whole opened plaintext: kMalformedEnvelope
// unless it is framed and padded exactly as above, the Reply parses with no
// unknown field and keeps every bound (ValidateReply), and every attachment
// has the length and SHA-256 its manifest entry states.
Result<OpenedReply> ReadReplyPlaintext(std::span<const std::uint8_t> plaintext);

// ValidateReply checks the bounds of followup.proto: format version 1, a
// kind, text 0..kMaxReplyTextBytes of UTF-8, a status for (and only for) a
// status reply, a day within 0..kMaxDay, language 0..35 bytes, at most
// kMaxReplyAttachments manifest entries with valid names and types.
Status ValidateReply(const v1::Reply& reply);

}  // namespace amparo::protocol
