// envelope.js: the sealed envelope of proto/ENVELOPE.md, version 1, as the
// client writes it: the plaintext framing (section 6), Padmé padding
// (section 5), the canonical EnvelopeHeader (section 3) and the framing
// (section 2) around an age file with exactly 8 stanzas in random order
// (section 4). An Envelope produces its bytes at any offset, so an upload
// broken at byte N resumes from N with the same ciphertext, and memory stays
// bounded by a few chunks whatever the size of the attachments.
import { kChunkBytes, kFileKeyBytes, kPayloadNonceBytes, kTagBytes, encodeHeader,
         fillerStanza, payloadKey, sealChunk, wrapX25519 } from './age.js';
import { varintBytes } from './pb.js';
import sodium from './sodium.js';

export const kFormatVersion = 1;
export const kStanzaCount = 8;
export const kMinPaddedLength = 4096;
export const kMaxPaddedLength = 1024 * 1024 * 1024;
export const kMaxSubmissionBytes = 1024 * 1024;
export const kMaxAttachments = 32;
export const kAgeHeaderBytes = 854;
const kMagic = new Uint8Array([0x41, 0x4d, 0x50, 0x45]);  // "AMPE"

export class EnvelopeError extends Error {
  constructor(code) {
    super(code);
    this.name = 'EnvelopeError';
    this.code = code;
  }
}

// padme rounds n >= 2 up as the Padmé scheme does.
export function padme(n) {
  const e = Math.floor(Math.log2(n));
  const s = Math.floor(Math.log2(e)) + 1;
  const mask = 2 ** (e - s) - 1;
  return Math.ceil(n / (mask + 1)) * (mask + 1);  // (n + mask) & ~mask, beyond 32 bits
}

// paddedLength is the bucket for content of `length` bytes.
export function paddedLength(length) {
  return length <= kMinPaddedLength ? kMinPaddedLength : padme(length);
}

// payloadLength is the age payload's length for P bytes of plaintext.
export function payloadLength(padded) {
  return kPayloadNonceBytes + padded + kTagBytes * Math.ceil(padded / kChunkBytes);
}

// encodeEnvelopeHeader is the canonical EnvelopeHeader (section 3.1).
export function encodeEnvelopeHeader(keyBundleVersion, padded) {
  const parts = [[0x08], varintBytes(kFormatVersion), [0x10], varintBytes(keyBundleVersion),
                 [0x18], varintBytes(padded)];
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)));
}

// randomIndex is uniform in 0..bound-1, by rejection: no modulo bias.
function randomIndex(random, bound) {
  const limit = Math.floor(0x100000000 / bound) * bound;
  for (;;) {
    const b = random(4);
    const value = ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
    if (value < limit) return value % bound;
  }
}

// shuffle is an unbiased Fisher-Yates shuffle driven by `random`.
export function shuffle(items, random) {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomIndex(random, i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// Plaintext is u32be(S) || submission || attachments || zero padding, read
// by offset. `attachments` are Blobs (File objects in the page), read a
// slice at a time; `digests`, if given, are their SHA-256 as the manifest
// states them, checked by verify() against the bytes actually sealed.
export class Plaintext {
  constructor(submissionBytes, attachments, digests = null) {
    if (submissionBytes.length < 1 || submissionBytes.length > kMaxSubmissionBytes) {
      throw new EnvelopeError('submission_too_large');
    }
    if (attachments.length > kMaxAttachments) throw new EnvelopeError('too_many_attachments');
    const prefix = new Uint8Array(4 + submissionBytes.length);
    new DataView(prefix.buffer).setUint32(0, submissionBytes.length);
    prefix.set(submissionBytes, 4);
    this.parts = [{ start: 0, size: prefix.length, bytes: prefix }];
    let at = prefix.length;
    for (const blob of attachments) {
      this.parts.push({ start: at, size: blob.size, blob });
      at += blob.size;
    }
    this.contentLength = at;
    this.length = paddedLength(at);
    if (this.length > kMaxPaddedLength) throw new EnvelopeError('too_large');
    this.digests = digests;
    this.hashers = attachments.map(() => sodium.crypto_hash_sha256_init());
    this.observed = 0;  // plaintext bytes hashed so far, in order
  }

  // observe hashes the attachment bytes of `bytes`, read at `offset`, the
  // first time the stream reaches them.
  observe(offset, bytes) {
    if (offset !== this.observed) return;
    this.parts.forEach((part, i) => {
      if (!part.blob) return;
      const from = Math.max(offset, part.start);
      const to = Math.min(offset + bytes.length, part.start + part.size);
      if (from < to) sodium.crypto_hash_sha256_update(this.hashers[i - 1], bytes.subarray(from - offset, to - offset));
    });
    this.observed += bytes.length;
  }

  // verify throws EnvelopeError('attachment_changed') unless every attachment
  // sealed is the one the manifest describes; call it once the whole
  // plaintext was sealed, before the envelope is finalized.
  verify() {
    if (!this.digests) return;
    if (this.observed !== this.length) throw new EnvelopeError('not_sealed');
    this.hashers.forEach((hasher, i) => {
      const digest = sodium.crypto_hash_sha256_final(hasher);
      if (!sodium.memcmp(digest, this.digests[i])) throw new EnvelopeError('attachment_changed');
    });
    this.digests = null;
  }

  // read returns `length` plaintext bytes from `offset`; zeros past the content.
  async read(offset, length) {
    const out = new Uint8Array(length);
    for (const part of this.parts) {
      const from = Math.max(offset, part.start);
      const to = Math.min(offset + length, part.start + part.size);
      if (from >= to) continue;
      const slice = part.bytes
        ? part.bytes.subarray(from - part.start, to - part.start)
        : new Uint8Array(await part.blob.slice(from - part.start, to - part.start).arrayBuffer());
      if (slice.length !== to - from) throw new EnvelopeError('attachment_changed');
      out.set(slice, from - offset);
    }
    return out;
  }
}

// Envelope seals a Plaintext to 1..8 X25519 recipient keys (Uint8Array(32)
// each) against key bundle `keyBundleVersion`. The file key lives as long as
// the object, so that chunks can be sealed again after a broken upload;
// wipe() erases it.
export class Envelope {
  constructor({ plaintext, recipients, keyBundleVersion, random }) {
    if (recipients.length < 1 || recipients.length > kStanzaCount) {
      throw new EnvelopeError('bad_recipient_count');
    }
    this.plaintext = plaintext;
    this.fileKey = random(kFileKeyBytes);
    const stanzas = recipients.map((r) => wrapX25519(this.fileKey, r, random));
    while (stanzas.length < kStanzaCount) stanzas.push(fillerStanza(random));
    const ageHeader = encodeHeader(shuffle(stanzas, random), this.fileKey);
    if (ageHeader.length !== kAgeHeaderBytes) throw new EnvelopeError('bad_header');
    const nonce = random(kPayloadNonceBytes);
    this.key = payloadKey(this.fileKey, nonce);
    const header = encodeEnvelopeHeader(keyBundleVersion, plaintext.length);
    this.head = new Uint8Array(6 + header.length + ageHeader.length + nonce.length);
    this.head.set(kMagic, 0);
    new DataView(this.head.buffer).setUint16(4, header.length);
    this.head.set(header, 6);
    this.head.set(ageHeader, 6 + header.length);
    this.head.set(nonce, 6 + header.length + ageHeader.length);
    this.chunkCount = Math.ceil(plaintext.length / kChunkBytes);
    this.length = this.head.length + plaintext.length + kTagBytes * this.chunkCount;
    this.cached = null;  // the last sealed chunk: reads are mostly sequential
    // sealedDigests holds the SHA-256 of each chunk's plaintext as first
    // sealed. A chunk sealed again (after a cut upload) must be the same
    // plaintext, or one key and nonce would seal two plaintexts.
    this.sealedDigests = [];
  }

  async sealedChunk(index) {
    if (this.cached && this.cached.index === index) return this.cached.bytes;
    const start = index * kChunkBytes;
    const size = Math.min(kChunkBytes, this.plaintext.length - start);
    const plain = await this.plaintext.read(start, size);
    const digest = sodium.crypto_hash_sha256(plain);
    if (index < this.sealedDigests.length) {
      if (!sodium.memcmp(digest, this.sealedDigests[index])) throw new EnvelopeError('attachment_changed');
    } else if (index === this.sealedDigests.length) {
      this.sealedDigests.push(digest);
      this.plaintext.observe(start, plain);
    } else {
      throw new EnvelopeError('out_of_order');  // the stream only moves forward
    }
    const bytes = sealChunk(this.key, index, plain, index === this.chunkCount - 1);
    sodium.memzero(plain);
    this.cached = { index, bytes };
    return bytes;
  }

  // bytesAt returns up to `max` envelope bytes from `offset`.
  async bytesAt(offset, max) {
    const end = Math.min(this.length, offset + max);
    const out = new Uint8Array(Math.max(0, end - offset));
    let at = offset;
    while (at < end) {
      if (at < this.head.length) {
        const n = Math.min(end, this.head.length) - at;
        out.set(this.head.subarray(at, at + n), at - offset);
        at += n;
        continue;
      }
      const index = Math.floor((at - this.head.length) / (kChunkBytes + kTagBytes));
      const chunkStart = this.head.length + index * (kChunkBytes + kTagBytes);
      const chunk = await this.sealedChunk(index);
      const n = Math.min(end - at, chunk.length - (at - chunkStart));
      out.set(chunk.subarray(at - chunkStart, at - chunkStart + n), at - offset);
      at += n;
    }
    return out;
  }

  // verify checks, once every byte was produced, that the attachments sealed
  // are those of the manifest (Plaintext.verify).
  verify() {
    this.plaintext.verify();
  }

  wipe() {
    sodium.memzero(this.fileKey);
    sodium.memzero(this.key);
    this.cached = null;
  }
}
