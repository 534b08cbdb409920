// age_open.js: opening an age v1 file with one X25519 identity, for the
// follow-up replies sealed to the receipt code's reply key (the page opens
// nothing else). The header is parsed strictly (version line, exactly one
// X25519 stanza, canonical base64, the MAC line), its MAC verified over
// the exact bytes received, and the payload released only whole, after its
// last chunk verified. Replies are at most a few MiB: they are opened in
// memory.
import { hkdf, kChunkBytes, kPayloadNonceBytes, kTagBytes } from './age.js';
import sodium from './sodium.js';

const kVersionLine = 'age-encryption.org/v1';
const ascii = new TextDecoder('ascii');

export class AgeError extends Error {
  constructor(code) {
    super(code);
    this.name = 'AgeError';
    this.code = code;  // header, no_match, hmac, payload
  }
}

function decodeBase64(text, length) {
  if (!/^[A-Za-z0-9+/]+$/.test(text)) throw new AgeError('header');
  let bytes;
  try {
    bytes = sodium.from_base64(text, sodium.base64_variants.ORIGINAL_NO_PADDING);
  } catch {
    throw new AgeError('header');
  }
  // Canonical: re-encoding gives the same text (no stray low bits).
  if (bytes.length !== length ||
      sodium.to_base64(bytes, sodium.base64_variants.ORIGINAL_NO_PADDING) !== text) {
    throw new AgeError('header');
  }
  return bytes;
}

// readLine returns [line, next offset] of the LF-terminated line at `at`.
function readLine(bytes, at) {
  const end = bytes.indexOf(0x0a, at);
  if (end < 0 || end - at > 1024) throw new AgeError('header');
  return [ascii.decode(bytes.subarray(at, end)), end + 1];
}

function unwrap(share, body, secret) {
  let shared;
  try {
    shared = sodium.crypto_scalarmult(secret, share);
  } catch {
    return null;  // a low-order share opens nothing
  }
  const recipient = sodium.crypto_scalarmult_base(secret);
  const salt = new Uint8Array(64);
  salt.set(share, 0);
  salt.set(recipient, 32);
  const key = hkdf(shared, salt, 'age-encryption.org/v1/X25519');
  sodium.memzero(shared);
  try {
    return sodium.crypto_aead_chacha20poly1305_ietf_decrypt(null, body, null, new Uint8Array(12), key);
  } catch {
    return null;
  } finally {
    sodium.memzero(key);
  }
}

function hmac(key, message) {
  const state = sodium.crypto_auth_hmacsha256_init(key);
  sodium.crypto_auth_hmacsha256_update(state, message);
  return sodium.crypto_auth_hmacsha256_final(state);
}

// openAge returns the plaintext of `bytes` for the 32-byte X25519 `secret`;
// throws AgeError.
export function openAge(bytes, secret) {
  let [line, at] = readLine(bytes, 0);
  if (line !== kVersionLine) throw new AgeError('header');
  let fileKey = null;
  let stanzas = 0;
  let macStart;
  for (;;) {
    macStart = at;
    [line, at] = readLine(bytes, at);
    if (line.startsWith('---')) break;
    const parts = line.split(' ');
    // A reply has exactly one stanza, an X25519 one (FOLLOWUP.md section 4).
    if (parts[0] !== '->' || parts[1] !== 'X25519' || parts.length !== 3 || stanzas++ > 0) {
      throw new AgeError('header');
    }
    const [bodyLine, next] = readLine(bytes, at);
    at = next;
    if (bodyLine.length !== 43) throw new AgeError('header');
    const share = decodeBase64(parts[2], 32);
    const body = decodeBase64(bodyLine, 32);
    fileKey = unwrap(share, body, secret);
  }
  if (stanzas !== 1) throw new AgeError('header');
  if (!line.startsWith('--- ') || line.length !== 47) throw new AgeError('header');
  const mac = decodeBase64(line.slice(4), 32);
  if (fileKey === null) throw new AgeError('no_match');
  const macKey = hkdf(fileKey, new Uint8Array(0), 'header');
  const expected = hmac(macKey, bytes.subarray(0, macStart + 3));
  if (!sodium.memcmp(expected, mac)) throw new AgeError('hmac');
  const payload = bytes.subarray(at);
  if (payload.length < kPayloadNonceBytes + kTagBytes) throw new AgeError('payload');
  const key = hkdf(fileKey, payload.subarray(0, kPayloadNonceBytes), 'payload');
  sodium.memzero(fileKey);
  const sealed = payload.subarray(kPayloadNonceBytes);
  const chunks = Math.ceil(sealed.length / (kChunkBytes + kTagBytes));
  const out = new Uint8Array(sealed.length - chunks * kTagBytes);
  let written = 0;
  for (let i = 0; i < chunks; i++) {
    const chunk = sealed.subarray(i * (kChunkBytes + kTagBytes), (i + 1) * (kChunkBytes + kTagBytes));
    const last = i === chunks - 1;
    if (chunk.length <= kTagBytes && !(last && chunks === 1)) throw new AgeError('payload');
    const nonce = new Uint8Array(12);
    let counter = i;
    for (let b = 10; b >= 0 && counter > 0; b--) {
      nonce[b] = counter % 256;
      counter = Math.floor(counter / 256);
    }
    nonce[11] = last ? 1 : 0;
    let plain;
    try {
      plain = sodium.crypto_aead_chacha20poly1305_ietf_decrypt(null, chunk, null, nonce, key);
    } catch {
      sodium.memzero(out);
      throw new AgeError('payload');
    }
    out.set(plain, written);
    written += plain.length;
  }
  sodium.memzero(key);
  return out;
}

