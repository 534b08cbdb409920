// age.js: sealing in the age v1 format (age-encryption.org/v1) with X25519
// recipients, on libsodium, as proto/ENVELOPE.md section 4 narrows it:
// exactly the header shape the gateway accepts, STREAM chunks of 64 KiB.
// The page only seals; nothing here can open a file.
import sodium from './sodium.js';

export const kFileKeyBytes = 16;
export const kChunkBytes = 64 * 1024;
export const kTagBytes = 16;
export const kPayloadNonceBytes = 16;
const kVersionLine = 'age-encryption.org/v1\n';
const kX25519Info = 'age-encryption.org/v1/X25519';
const ascii = new TextEncoder();

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function base64(bytes) {
  return sodium.to_base64(bytes, sodium.base64_variants.ORIGINAL_NO_PADDING);
}

function hmac(key, message) {
  const state = sodium.crypto_auth_hmacsha256_init(key);
  sodium.crypto_auth_hmacsha256_update(state, message);
  return sodium.crypto_auth_hmacsha256_final(state);
}

// hkdf is HKDF-SHA-256 (RFC 5869) with a 32-byte output, as age uses it.
export function hkdf(ikm, salt, info) {
  const prk = hmac(salt, ikm);
  return hmac(prk, concat(ascii.encode(info), new Uint8Array([1])));
}

// wrapX25519 returns the stanza that wraps `fileKey` to the 32-byte X25519
// recipient key, with a fresh ephemeral key from `random`.
export function wrapX25519(fileKey, recipient, random) {
  const ephemeral = random(32);
  const share = sodium.crypto_scalarmult_base(ephemeral);
  const shared = sodium.crypto_scalarmult(ephemeral, recipient);  // throws on a low-order key
  sodium.memzero(ephemeral);
  const key = hkdf(shared, concat(share, recipient), kX25519Info);
  sodium.memzero(shared);
  const body = sodium.crypto_aead_chacha20poly1305_ietf_encrypt(
    fileKey, null, null, new Uint8Array(12), key);
  sodium.memzero(key);
  return { share, body };
}

// fillerStanza is a stanza no key opens that cannot be told from a real one
// (ENVELOPE.md 4.1): the share is a real X25519 public key of a discarded
// scalar, never random bytes, which half the time would not be a valid share.
export function fillerStanza(random) {
  const scalar = random(32);
  const share = sodium.crypto_scalarmult_base(scalar);
  sodium.memzero(scalar);
  return { share, body: random(32) };
}

// encodeHeader writes the age header of `stanzas` and its MAC under the
// file key: version line, one X25519 stanza of two lines each, MAC line.
export function encodeHeader(stanzas, fileKey) {
  let text = kVersionLine;
  for (const { share, body } of stanzas) text += `-> X25519 ${base64(share)}\n${base64(body)}\n`;
  text += '---';
  const macKey = hkdf(fileKey, new Uint8Array(0), 'header');
  const mac = hmac(macKey, ascii.encode(text));
  sodium.memzero(macKey);
  return ascii.encode(`${text} ${base64(mac)}\n`);
}

// payloadKey derives the STREAM key from the file key and the payload nonce.
export function payloadKey(fileKey, nonce) {
  return hkdf(fileKey, nonce, 'payload');
}

// sealChunk seals STREAM chunk `index` (at most kChunkBytes; the last chunk
// is never empty here, since plaintexts are at least 4096 bytes).
export function sealChunk(key, index, plaintext, last) {
  const nonce = new Uint8Array(12);
  let counter = index;
  for (let i = 10; i >= 0 && counter > 0; i--) {
    nonce[i] = counter % 256;
    counter = Math.floor(counter / 256);
  }
  nonce[11] = last ? 1 : 0;
  return sodium.crypto_aead_chacha20poly1305_ietf_encrypt(plaintext, null, null, nonce, key);
}
