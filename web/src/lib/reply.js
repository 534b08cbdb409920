// reply.js: reading an opened follow-up reply (proto/FOLLOWUP.md section 4):
// u32be(S) || Reply || attachments || zero padding to a Padmé bucket, with
// every attachment exactly as long and hashed as its manifest says.
import { paddedLength } from './envelope.js';
import { ProtobufError, decode } from './pb.js';
import { Reply } from './schemas.js';
import sodium from './sodium.js';

export const kMaxReplyMessageBytes = 64 * 1024;
export const kMaxReplyPaddedBytes = 4 * 1024 * 1024;

export class ReplyError extends Error {
  constructor() {
    super('malformed_reply');
    this.name = 'ReplyError';
    this.code = 'malformed_reply';
  }
}

// readReply returns {reply, attachments: [{name, type, description, bytes}]}.
export function readReply(plaintext) {
  const size = plaintext.length;
  if (size < 4096 || size > kMaxReplyPaddedBytes || paddedLength(size) !== size) throw new ReplyError();
  const s = new DataView(plaintext.buffer, plaintext.byteOffset, 4).getUint32(0);
  if (s === 0 || s > kMaxReplyMessageBytes || 4 + s > size) throw new ReplyError();
  let reply;
  try {
    reply = decode(plaintext.subarray(4, 4 + s), Reply);
  } catch (e) {
    if (e instanceof ProtobufError) throw new ReplyError();
    throw e;
  }
  // The bounds of followup.proto, as protocol/reply_plaintext.cc checks them.
  const bytes = (text) => new TextEncoder().encode(text).length;
  const isStatus = reply.kind === 2;
  if (reply.format_version !== 1 || (reply.kind !== 1 && !isStatus) ||
      isStatus !== (reply.status !== 0) || reply.status > 4 || bytes(reply.text) > 32 * 1024 ||
      reply.day < 0 || reply.day > 2932896 || bytes(reply.language) > 35 || reply.attachments.length > 8) {
    throw new ReplyError();
  }
  for (const entry of reply.attachments) {
    const name = entry.file_name;
    if (name.length === 0 || bytes(name) > 256 || /[\u0000-\u001f\u007f/\\]/.test(name) ||
        entry.media_type.length === 0 || bytes(entry.media_type) > 128 || entry.sha256.length !== 32 ||
        bytes(entry.description) > 1024) {
      throw new ReplyError();
    }
  }
  let at = 4 + s;
  const attachments = [];
  for (const entry of reply.attachments) {
    if (entry.length > size - at) throw new ReplyError();
    const bytes = plaintext.slice(at, at + entry.length);
    if (!sodium.memcmp(sodium.crypto_hash_sha256(bytes), entry.sha256.length === 32 ? entry.sha256 : new Uint8Array(32))) {
      throw new ReplyError();
    }
    attachments.push({ name: entry.file_name, type: entry.media_type, description: entry.description, bytes });
    at += entry.length;
  }
  if (plaintext.subarray(at).some((b) => b !== 0) || paddedLength(at) !== size) throw new ReplyError();
  return { reply, attachments };
}
