// keybundle.js: verifying the signed key bundle the gateway serves against
// the root fingerprint built into the page (proto/ENVELOPE.md section 9.3),
// and choosing one key per body (section 9.5). Nothing in a bundle is used
// before its signature verifies; the signed bytes are parsed only then.
import { ProtobufError, decode } from './pb.js';
import { KeyBundle, SignedKeyBundle } from './schemas.js';
import sodium from './sodium.js';

export const kMaxSignedKeyBundleBytes = 132 * 1024;
export const kMaxKeyBundleBytes = 128 * 1024;
export const kMaxRootChain = 16;
export const kMaxKeys = 64;
export const kMaxRevoked = 1024;
export const kMaxDay = 2932896;
export const kMaxBodiesPerEnvelope = 8;
const kBundleContext = 'amparo/v1 key bundle';
const kEndorsementContext = 'amparo/v1 root endorsement';
const kKeyId = /^[A-Za-z0-9._-]{1,64}$/;
const kBodyCode = /^[A-Z][A-Z0-9_]{0,31}$/;
const ascii = new TextEncoder();

export class KeyBundleError extends Error {
  constructor(code) {
    super(code);
    this.name = 'KeyBundleError';
    this.code = code;  // invalid_key_bundle, key_bundle_rollback, expired_key_bundle
  }
}

function invalid() {
  return new KeyBundleError('invalid_key_bundle');
}

function contextMessage(context, bytes) {
  const out = new Uint8Array(context.length + 1 + bytes.length);
  out.set(ascii.encode(context), 0);
  out.set(bytes, context.length + 1);
  return out;
}

function equal(a, b) {
  return a.length === b.length && sodium.memcmp(a, b);
}

// fingerprint is the lower-case hex SHA-256 of a public key, in groups of
// four separated by '-', as the workstation prints it.
export function fingerprint(publicKey) {
  const hex = sodium.to_hex(sodium.crypto_hash_sha256(publicKey));
  return hex.match(/.{4}/g).join('-');
}

// parseFingerprint accepts fingerprint()'s form with or without dashes.
export function parseFingerprint(text) {
  const hex = text.replace(/-/g, '');
  if (!/^[0-9a-f]{64}$/.test(hex)) throw invalid();
  return sodium.from_hex(hex);
}

// Canonical u-coordinates of small order (little-endian): 0, 1, the two
// points of order 8, and p - 1 (protocol/x25519_key_check.cc).
const kSmallOrder = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
];

// acceptableX25519 is true for a canonical u-coordinate (below 2^255 - 19)
// that is not of small order: what the workstation and the gateway accept.
export function acceptableX25519(key) {
  if (key.length !== 32) return false;
  let below = key[31] < 0x7f;
  if (key[31] === 0x7f) {
    below = key[0] < 0xed;
    for (let i = 30; i >= 1; i--) {
      if (key[i] !== 0xff) {
        below = true;
        break;
      }
    }
  }
  return below && !kSmallOrder.includes(sodium.to_hex(key));
}

function matches(key, pinned) {
  return key.length === 32 && equal(sodium.crypto_hash_sha256(key), pinned);
}

function verify(signature, message, publicKey) {
  try {
    // libsodium verifies strictly: canonical S, no small-order key.
    return sodium.crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false;
  }
}

// resolveRoot finds the pinned root's key in the message and follows the
// chain from it to root_public_key (section 9.3 step 3).
function resolveRoot(signed, pinned) {
  if (matches(signed.root_public_key, pinned)) return;
  const chain = signed.root_chain;
  let start = -1;
  let current = null;
  for (let i = 0; i < chain.length; i++) {
    if (matches(chain[i].new_root_public_key, pinned)) {
      start = i + 1;
      current = chain[i].new_root_public_key;
      break;  // the first entry, as ENVELOPE.md 9.3 step 3 and the C++ verifier take it
    }
  }
  if (start < 0) {
    if (!matches(signed.first_root_public_key, pinned)) throw invalid();
    start = 0;
    current = signed.first_root_public_key;
  }
  for (let i = start; i < chain.length; i++) {
    const next = chain[i].new_root_public_key;
    if (!verify(chain[i].signature, contextMessage(kEndorsementContext, next), current)) {
      throw invalid();
    }
    current = next;
  }
  if (!equal(current, signed.root_public_key)) throw invalid();
}

function checkContent(bundle) {
  const day = (d) => Number.isInteger(d) && d >= 0 && d <= kMaxDay;
  if (bundle.version < 1 || bundle.keys.length < 1 || bundle.keys.length > kMaxKeys ||
      bundle.revoked_key_ids.length > kMaxRevoked || !day(bundle.issued_day) ||
      !day(bundle.expires_day) || bundle.issued_day > bundle.expires_day ||
      bundle.lowest_accepted_version < 1 || bundle.lowest_accepted_version > bundle.version) {
    throw invalid();
  }
  const ids = new Set();
  const keys = new Set();
  for (const key of bundle.keys) {
    const label = ascii.encode(key.label).length;
    if (!kKeyId.test(key.key_id) || !kBodyCode.test(key.body) || label < 1 || label > 256 ||
        !acceptableX25519(key.x25519_public_key) || !day(key.valid_from_day) ||
        !day(key.valid_until_day) || key.valid_from_day > key.valid_until_day) {
      throw invalid();
    }
    const hex = sodium.to_hex(key.x25519_public_key);
    if (ids.has(key.key_id) || keys.has(hex)) throw invalid();
    ids.add(key.key_id);
    keys.add(hex);
  }
  for (const id of bundle.revoked_key_ids) {
    if (!kKeyId.test(id) || ids.has(id)) throw invalid();
  }
}

// verifyKeyBundle verifies the bytes of a SignedKeyBundle against the pinned
// fingerprint (32 bytes) on `today` (days since 1970-01-01 UTC) and returns
// the KeyBundle, with its signed bytes as `signedBytes`; throws
// KeyBundleError. `last`, if given, is the bundle accepted before: a bundle
// may not go back from it (ENVELOPE.md 9.3 step 6).
export function verifyKeyBundle(bytes, pinned, today, last = null) {
  if (bytes.length > kMaxSignedKeyBundleBytes) throw invalid();
  let signed;
  try {
    signed = decode(bytes, SignedKeyBundle);
  } catch (e) {
    if (e instanceof ProtobufError) throw invalid();
    throw e;
  }
  const chainOk = signed.root_chain.length <= kMaxRootChain && signed.root_chain.every(
    (e) => e.new_root_public_key.length === 32 && e.signature.length === 64);
  const firstOk = signed.first_root_public_key.length === 0 ||
    (signed.first_root_public_key.length === 32 && signed.root_chain.length > 0);
  if (signed.key_bundle.length < 1 || signed.key_bundle.length > kMaxKeyBundleBytes ||
      signed.signature.length !== 64 || signed.root_public_key.length !== 32 || !chainOk ||
      !firstOk) {
    throw invalid();
  }
  resolveRoot(signed, pinned);
  if (!verify(signed.signature, contextMessage(kBundleContext, signed.key_bundle),
              signed.root_public_key)) {
    throw invalid();
  }
  let bundle;
  try {
    bundle = decode(signed.key_bundle, KeyBundle);
  } catch (e) {
    if (e instanceof ProtobufError) throw invalid();
    throw e;
  }
  checkContent(bundle);
  if (last) {
    const same = bundle.version === last.version;
    if (bundle.version < last.version || (same && !equal(bytes, last.signedBytes)) ||
        bundle.lowest_accepted_version < last.lowest_accepted_version) {
      throw new KeyBundleError('key_bundle_rollback');
    }
  }
  if (bundle.expires_day < today) throw new KeyBundleError('expired_key_bundle');
  bundle.signedBytes = bytes.slice();
  return bundle;
}

// keyForBody is the key a client seals to for `body` on `today`: valid today,
// the latest valid_from_day, ties to the bytewise smallest key_id; null if
// the bundle offers none. Revoked keys are never among `keys`.
export function keyForBody(bundle, body, today) {
  let best = null;
  for (const key of bundle.keys) {
    if (key.body !== body || key.valid_from_day > today || key.valid_until_day < today) continue;
    if (best === null || key.valid_from_day > best.valid_from_day ||
        (key.valid_from_day === best.valid_from_day && key.key_id < best.key_id)) {
      best = key;
    }
  }
  return best;
}

// offeredBodies lists the bodies the person can choose today, each with the
// label of the key that would be used, in the bundle's order.
export function offeredBodies(bundle, today) {
  const seen = new Set();
  const offered = [];
  for (const key of bundle.keys) {
    if (seen.has(key.body)) continue;
    const chosen = keyForBody(bundle, key.body, today);
    if (chosen === null) continue;
    seen.add(key.body);
    offered.push({ body: key.body, label: chosen.label });
  }
  return offered;
}

// todayUtc is the current day in days since 1970-01-01 UTC.
export function todayUtc(now = Date.now()) {
  return Math.floor(now / 86400000);
}
