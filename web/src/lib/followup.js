// followup.js: the receipt code and what it derives (proto/FOLLOWUP.md
// sections 1 and 2), as amparo-submit computes them: 10 words of 11 bits,
// Argon2id (libsodium crypto_pwhash, the INTERACTIVE limits, a fixed salt),
// then HKDF into the reply identity and the mailbox token.
import { hkdf } from './age.js';
import { receiptWords } from './receipt_words.js';
import sodium from './sodium.js';

export const kCodeWords = 10;
export const kMaxCodeTextLength = 256;
const kPrefix = 4;
const ascii = new TextEncoder();

export class CodeError extends Error {
  constructor() {
    super('invalid_code');
    this.name = 'CodeError';
    this.code = 'invalid_code';
  }
}

// generateCode returns a new code in canonical form.
export function generateCode(random) {
  const words = [];
  for (let i = 0; i < kCodeWords; i++) {
    const b = random(2);
    words.push(receiptWords[((b[0] << 8) | b[1]) & 2047]);  // 2048 words: 11 uniform bits
  }
  return words.join(' ');
}

function findWord(typed) {
  if (typed.length < kPrefix) return receiptWords.indexOf(typed);
  let found = -1;
  for (let i = 0; i < receiptWords.length; i++) {
    if (receiptWords[i].startsWith(typed)) {
      if (found >= 0) return -1;
      found = i;
    }
  }
  return found;
}

// canonicalCode reads a typed code as FOLLOWUP.md section 1 says; throws
// CodeError for anything else.
export function canonicalCode(typed) {
  // ASCII only, checked before case is folded: toLowerCase would turn the
  // Kelvin sign into "k", which the C++ reader refuses.
  if (typeof typed !== 'string' || typed.length > kMaxCodeTextLength || !/^[A-Za-z \t\r\n-]*$/.test(typed)) {
    throw new CodeError();
  }
  const parts = typed.toLowerCase().split(/[ \t\r\n-]+/).filter(Boolean);
  if (parts.length !== kCodeWords) throw new CodeError();
  return parts.map((part) => {
    if (!/^[a-z]+$/.test(part)) throw new CodeError();
    const index = findWord(part);
    if (index < 0) throw new CodeError();
    return receiptWords[index];
  }).join(' ');
}

// deriveKeys returns {replySecret, replyPublic, token, mailboxId} for a
// canonical code. replySecret and token are secrets: wipe them after use.
export function deriveKeys(code) {
  const salt = new Uint8Array(16);
  salt.set(ascii.encode('amparo/v1 code'));
  const master = sodium.crypto_pwhash(32, ascii.encode(code), salt,
    sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE, sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE,
    sodium.crypto_pwhash_ALG_ARGON2ID13);
  const empty = new Uint8Array(0);
  const replySecret = hkdf(master, empty, 'amparo/v1 reply key');
  const token = hkdf(master, empty, 'amparo/v1 mailbox token');
  sodium.memzero(master);
  const replyPublic = sodium.crypto_scalarmult_base(replySecret);
  const context = ascii.encode('amparo/v1 mailbox id');
  const hashed = new Uint8Array(context.length + 1 + token.length);
  hashed.set(context, 0);
  hashed.set(token, context.length + 1);
  const mailboxId = sodium.crypto_hash_sha256(hashed);
  sodium.memzero(hashed);
  return { replySecret, replyPublic, token, mailboxId };
}
