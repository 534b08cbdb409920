// lib.test.mjs: the page's libraries under Node, against the real workstation
// tools: the page builds, verifies a key bundle signed by `amparo-review
// demo-keys` and refuses altered, foreign and expired ones; an envelope it
// seals opens with the reference `age` and with `amparo-review decrypt`, its
// plaintext framed as ENVELOPE.md section 6 says; bytes read at any offset
// equal the bytes read in order; the wire format round-trips and is strict.
//
// Environment: AMPARO_REVIEW (the amparo-review binary); `age` on PATH.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { builtPage, review, testBytes } from '../support/built_page.mjs';

let work;
let lib;
let keys;

before(async () => {
  ({ work, keys, lib } = await builtPage('amparo-web-unit-'));
});

after(() => rmSync(work, { recursive: true, force: true }));

const random = (n) => lib.sodium.default.randombytes_buf(n);
const today = () => lib.bundle.todayUtc();

function verified() {
  const pinned = lib.bundle.parseFingerprint(keys.fingerprint);
  return lib.bundle.verifyKeyBundle(keys.bundle, pinned, today());
}

function open(envelopeBytes, body, tool) {
  const headerLength = (envelopeBytes[4] << 8) | envelopeBytes[5];
  const agePath = join(work, `sealed-${body}-${tool}.age`);
  writeFileSync(agePath, envelopeBytes.subarray(6 + headerLength));
  const identity = join(work, 'keys', `DEMO-identity-${body}.txt`);
  const command = tool === 'age' ? ['age', ['-d', '-i', identity, agePath]]
    : [review, ['decrypt', '-i', identity, agePath]];
  return new Uint8Array(execFileSync(command[0], command[1],
                                     { maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] }));
}

describe('key bundle', () => {
  test('the demo bundle verifies and offers its bodies', () => {
    const bundle = verified();
    const offered = lib.bundle.offeredBodies(bundle, today()).map((b) => b.body).sort();
    assert.deepEqual(offered, ['ASG_REPRISALS', 'CAT', 'CCPR', 'CED', 'SPT']);
    assert.equal(lib.bundle.keyForBody(bundle, 'CAT', today()).body, 'CAT');
    assert.equal(lib.bundle.keyForBody(bundle, 'CERD', today()), null);
  });

  test('the fingerprint of the signing root is the pinned one', () => {
    const signed = lib.pb.decode(keys.bundle, lib.schemas.SignedKeyBundle);
    assert.equal(lib.bundle.fingerprint(signed.root_public_key), keys.fingerprint);
  });

  test('every altered byte, a foreign root and an expired bundle are refused', () => {
    const pinned = lib.bundle.parseFingerprint(keys.fingerprint);
    for (let i = 0; i < keys.bundle.length; i++) {
      const altered = keys.bundle.slice();
      altered[i] ^= 0x01;
      assert.throws(() => lib.bundle.verifyKeyBundle(altered, pinned, today()),
                    { code: 'invalid_key_bundle' }, `byte ${i}`);
    }
    const foreign = new Uint8Array(32).fill(7);
    assert.throws(() => lib.bundle.verifyKeyBundle(keys.bundle, foreign, today()),
                  { code: 'invalid_key_bundle' });
    const bundle = verified();
    assert.throws(() => lib.bundle.verifyKeyBundle(keys.bundle, pinned, bundle.expires_day + 1),
                  { code: 'expired_key_bundle' });
    assert.equal(lib.bundle.verifyKeyBundle(keys.bundle, pinned, bundle.expires_day).version,
                 bundle.version);
    const trailing = new Uint8Array([...keys.bundle, 0]);
    assert.throws(() => lib.bundle.verifyKeyBundle(trailing, pinned, today()));
    const oversized = new Uint8Array(lib.bundle.kMaxSignedKeyBundleBytes + 1);
    assert.throws(() => lib.bundle.verifyKeyBundle(oversized, pinned, today()),
                  { code: 'invalid_key_bundle' });
  });
});

describe('age and the envelope', () => {
  test('HKDF-SHA-256 matches RFC 5869 test case 1 (first 32 bytes)', () => {
    const s = lib.sodium.default;
    const ikm = new Uint8Array(22).fill(0x0b);
    const salt = s.from_hex('000102030405060708090a0b0c');
    const prk = s.crypto_auth_hmacsha256_init(salt);
    s.crypto_auth_hmacsha256_update(prk, ikm);
    const prkBytes = s.crypto_auth_hmacsha256_final(prk);
    assert.equal(s.to_hex(prkBytes),
                 '077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5');
    const info = s.from_hex('f0f1f2f3f4f5f6f7f8f9');
    const state = s.crypto_auth_hmacsha256_init(prkBytes);
    s.crypto_auth_hmacsha256_update(state, new Uint8Array([...info, 1]));
    assert.equal(s.to_hex(s.crypto_auth_hmacsha256_final(state)),
                 '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf');
  });

  test('Padmé buckets are those of ENVELOPE.md section 5', () => {
    const table = [[0, 4096], [4096, 4096], [4097, 4352], [10000, 10240], [65537, 67584],
                   [1000000, 1015808], [100000000, 100663296], [520093696, 520093696],
                   [1000000000, 1006632960]];
    for (const [c, p] of table) assert.equal(lib.envelope.paddedLength(c), p, `pad(${c})`);
  });

  test('the header is canonical: 08 01 10 05 18 80 20 for version 5 and P = 4096', () => {
    assert.deepEqual(Array.from(lib.envelope.encodeEnvelopeHeader(5, 4096)),
                     [0x08, 0x01, 0x10, 0x05, 0x18, 0x80, 0x20]);
  });

  test('a small envelope opens with age and amparo-review, for each chosen body', async () => {
    const bundle = verified();
    const bodies = ['CAT', 'SPT'];
    const recipients = bodies.map((b) => lib.bundle.keyForBody(bundle, b, today()).x25519_public_key);
    const submission = new TextEncoder().encode('a submission, in its own words: ñ, 中文, عربى');
    const plaintext = new lib.envelope.Plaintext(submission, []);
    const envelope = new lib.envelope.Envelope({
      plaintext, recipients, keyBundleVersion: bundle.version, random });
    assert.equal(envelope.length, 6 + 7 + 854 + 16 + 4096 + 16);
    const bytes = await envelope.bytesAt(0, envelope.length);
    assert.deepEqual(Array.from(bytes.subarray(0, 4)), [0x41, 0x4d, 0x50, 0x45]);
    const header = new TextDecoder().decode(bytes.subarray(13, 13 + 854));
    assert.equal(header.split('\n').filter((l) => l.startsWith('-> X25519 ')).length, 8);
    const expected = await plaintext.read(0, plaintext.length);
    for (const body of bodies) {
      for (const tool of ['age', 'amparo-review']) {
        assert.deepEqual(open(bytes, body, tool), expected, `${body} with ${tool}`);
      }
    }
    assert.throws(() => open(bytes, 'CCPR', 'age'));  // a body not chosen opens nothing
    const framed = expected;
    assert.equal(new DataView(framed.buffer).getUint32(0), submission.length);
    assert.deepEqual(framed.subarray(4, 4 + submission.length), submission);
    assert.ok(framed.subarray(4 + submission.length).every((b) => b === 0));
  });

  test('a multi-chunk envelope with attachments reads the same at any offset', async () => {
    const bundle = verified();
    const recipient = lib.bundle.keyForBody(bundle, 'CED', today()).x25519_public_key;
    const first = testBytes(150000);
    const second = testBytes(70001);
    const attachments = [new Blob([first]), new Blob([second])];
    const plaintext = new lib.envelope.Plaintext(new Uint8Array([1, 2, 3]), attachments);
    assert.equal(plaintext.contentLength, 4 + 3 + 150000 + 70001);
    const envelope = new lib.envelope.Envelope({
      plaintext, recipients: [recipient], keyBundleVersion: bundle.version, random });
    const whole = await envelope.bytesAt(0, envelope.length);
    assert.equal(whole.length, envelope.length);
    for (const [offset, size] of [[0, 1], [13, 900], [880, 70000], [65550, 65552],
                                  [whole.length - 5, 100], [100000, 1 << 20]]) {
      const part = await envelope.bytesAt(offset, size);
      assert.deepEqual(part, whole.subarray(offset, Math.min(whole.length, offset + size)),
                       `offset ${offset}`);
    }
    const opened = open(whole, 'CED', 'amparo-review');
    assert.equal(opened.length, plaintext.length);
    assert.deepEqual(opened.subarray(7, 7 + first.length), first);
    assert.deepEqual(opened.subarray(7 + first.length, 7 + first.length + second.length), second);
    envelope.wipe();
    assert.ok(envelope.fileKey.every((b) => b === 0));
  });

  test('zero or nine recipients, and an oversized submission, are refused', () => {
    const plaintext = new lib.envelope.Plaintext(new Uint8Array([1]), []);
    const key = verified().keys[0].x25519_public_key;
    assert.throws(() => new lib.envelope.Envelope({ plaintext, recipients: [], keyBundleVersion: 1, random }),
                  { code: 'bad_recipient_count' });
    assert.throws(() => new lib.envelope.Envelope({
      plaintext, recipients: Array(9).fill(key), keyBundleVersion: 1, random }),
                  { code: 'bad_recipient_count' });
    assert.ok(new lib.envelope.Plaintext(new Uint8Array(lib.envelope.kMaxSubmissionBytes), []));
    assert.throws(() => new lib.envelope.Plaintext(new Uint8Array(lib.envelope.kMaxSubmissionBytes + 1), []),
                  { code: 'submission_too_large' });
  });

  test('a low-order recipient key is refused', () => {
    assert.throws(() => lib.age.wrapX25519(random(16), new Uint8Array(32), random));
  });

  test('the shuffle is unbiased enough to move every position', () => {
    const counts = Array.from({ length: 8 }, () => Array(8).fill(0));
    for (let round = 0; round < 4000; round++) {
      lib.envelope.shuffle([0, 1, 2, 3, 4, 5, 6, 7], random).forEach((v, i) => counts[v][i]++);
    }
    for (const row of counts) for (const c of row) assert.ok(c > 350 && c < 650, `count ${c}`);
  });
});

describe('wire format', () => {
  test('a Submission round-trips and unknown fields are refused', () => {
    const { Submission } = lib.schemas;
    const message = {
      format_version: 1, key_bundle_version: 3, language: 'fr', bodies: ['CAT', 'SPT'],
      reporter: { role: 2, name: 'Nom', is_affected_party: false },
      incidents: [{ types: [1, 19], type_other: 'autre', start: { year: 2025, month: 4, day: 0 } }],
      requested_actions: [], consent: { raise_with_state: 2, publication: 1 },
    };
    const bytes = lib.pb.encode(message, Submission);
    const back = lib.pb.decode(bytes, Submission);
    assert.equal(back.language, 'fr');
    assert.deepEqual(back.bodies, ['CAT', 'SPT']);
    assert.deepEqual(back.incidents[0].types, [1, 19]);
    assert.equal(back.incidents[0].start.year, 2025);
    assert.equal(back.reporter.name, 'Nom');
    assert.equal(back.consent.publication, 1);
    assert.throws(() => lib.pb.decode(new Uint8Array([...bytes, 0xf8, 0x01, 0x00]), Submission));
    assert.throws(() => lib.pb.decode(new Uint8Array([0x08, 0x81, 0x00]), Submission));  // not minimal
    assert.throws(() => lib.pb.decode(new Uint8Array([0x08, 0x01, 0x08, 0x01]), Submission));  // twice
    assert.throws(() => lib.pb.decode(new Uint8Array([0x1a, 0x05, 0x61]), Submission));  // truncated
    assert.throws(() => lib.pb.decode(new Uint8Array([0x1a, 0x01, 0xff]), Submission));  // not UTF-8
  });
});

describe('submission', () => {
  const minimal = () => ({
    bodies: ['CAT'], reporter: {}, cooperation: [{ body: 'CAT' }], incidents: [{ types: [1] }],
    affected: [{}], consent: {}, attachments: [],
  });
  const build = (answers) => lib.submission.buildSubmission(answers, { keyBundleVersion: 2, language: 'en' });

  test('the essentials alone make a Submission; unanswered consent stays NO', async () => {
    const built = await build(minimal());
    const back = lib.pb.decode(built.bytes, lib.schemas.Submission);
    assert.deepEqual(back.bodies, ['CAT']);
    assert.equal(back.key_bundle_version, 2);
    assert.equal(back.consent.raise_with_state, 0);
    assert.equal(back.consent.consent_text_version, lib.submission.kConsentTextVersion);
    assert.equal(back.follow_up, null);
  });

  test('text bounds are checked in bytes at N and N + 1', async () => {
    const at = minimal();
    at.narrative = 'é'.repeat(32768);  // 65536 bytes
    assert.ok(await build(at));
    const over = minimal();
    over.narrative = `${'é'.repeat(32768)}a`;
    await assert.rejects(build(over), { code: 'too_long', field: 'narrative' });
    const name = minimal();
    name.reporter.name = 'x'.repeat(256);
    assert.ok(await build(name));
    name.reporter.name = 'x'.repeat(257);
    await assert.rejects(build(name), { code: 'too_long', field: 'reporter.name' });
  });

  test('list bounds at N and N + 1: bodies 8, types 16, attachments 32', async () => {
    const bodies = minimal();
    bodies.bodies = ['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8'];
    assert.ok(await build(bodies));
    bodies.bodies.push('A9');
    await assert.rejects(build(bodies), { code: 'too_many', field: 'bodies' });
    const types = minimal();
    types.incidents[0].types = Array.from({ length: 16 }, (_, i) => i + 1);
    assert.ok(await build(types));
    types.incidents[0].types.push(17);
    await assert.rejects(build(types), { code: 'too_many' });
    const files = minimal();
    files.attachments = Array.from({ length: 32 }, (_, i) => ({ file: new File([`${i}`], `f${i}`), description: '' }));
    const built = await build(files);
    assert.equal(built.message.attachments.length, 32);
    files.attachments.push({ file: new File(['x'], 'x'), description: '' });
    await assert.rejects(build(files), { code: 'too_many', field: 'attachments' });
  });

  test('what is needed is asked for, and a day must exist', async () => {
    for (const [key, value] of [['bodies', []], ['cooperation', []], ['incidents', []], ['affected', []]]) {
      const answers = minimal();
      answers[key] = value;
      await assert.rejects(build(answers), { code: 'required', field: key });
    }
    const noType = minimal();
    noType.incidents[0].types = [];
    await assert.rejects(build(noType), { code: 'required', field: 'incidents.0.types' });
    const badDay = minimal();
    badDay.incidents[0].start = { year: 2025, month: 2, day: 29 };
    await assert.rejects(build(badDay), { code: 'invalid', field: 'incidents.0.start' });
    badDay.incidents[0].start = { year: 2024, month: 2, day: 29 };
    assert.ok(await build(badDay));
  });

  test('attachment names lose path separators and control characters, and are hashed', async () => {
    assert.equal(lib.submission.safeFileName('../etc/passwd'), '.._etc_passwd');
    assert.equal(lib.submission.safeFileName('a\u0000b\u001bc\\d'), 'a_b_c_d');
    assert.equal(lib.submission.safeFileName(''), 'attachment');
    assert.equal(new TextEncoder().encode(lib.submission.safeFileName('é'.repeat(200))).length, 256);
    const answers = minimal();
    const content = new TextEncoder().encode('abc');
    answers.attachments = [{ file: new File([content], 'a/b.txt', { type: 'text/plain' }), description: 'd' }];
    const built = await build(answers);
    const entry = built.message.attachments[0];
    assert.equal(entry.file_name, 'a_b.txt');
    assert.equal(entry.media_type, 'text/plain');
    assert.equal(lib.sodium.default.to_hex(entry.sha256),
                 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

// bech32 encodes a public key as an age recipient (BIP-0173), for the
// reference age, which takes recipients in that form only.
function recipient(key) {
  const charset = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
  const polymod = (values) => {
    let chk = 1;
    for (const v of values) {
      const top = chk >> 25;
      chk = ((chk & 0x1ffffff) << 5) ^ v;
      [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3].forEach((g, i) => { if ((top >> i) & 1) chk ^= g; });
    }
    return chk;
  };
  const words = [];
  let acc = 0;
  let bits = 0;
  for (const b of key) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) { bits -= 5; words.push((acc >> bits) & 31); }
  }
  if (bits > 0) words.push((acc << (5 - bits)) & 31);
  const hrp = 'age';
  const expanded = [...hrp].map((c) => c.charCodeAt(0) >> 5).concat([0], [...hrp].map((c) => c.charCodeAt(0) & 31));
  const checksum = polymod(expanded.concat(words, [0, 0, 0, 0, 0, 0])) ^ 1;
  const check = [0, 1, 2, 3, 4, 5].map((i) => (checksum >> (5 * (5 - i))) & 31);
  return `${hrp}1${words.concat(check).map((w) => charset[w]).join('')}`;
}

describe('opening replies', () => {
  test('a file the reference age seals to the reply key opens, and nothing else does', async () => {
    const followup = await import(join(work, 'page', 'lib', 'followup.js'));
    const { openAge } = await import(join(work, 'page', 'lib', 'age_open.js'));
    const keys = followup.deriveKeys(followup.generateCode(random));
    for (const size of [0, 1, 65536, 65537, 200000]) {
      const plain = testBytes(size);
      const input = join(work, `plain-${size}`);
      writeFileSync(input, plain);
      const sealed = new Uint8Array(execFileSync('age', ['-r', recipient(keys.replyPublic), input],
                                                 { maxBuffer: 8 << 20 }));
      assert.deepEqual(openAge(sealed, keys.replySecret), plain, `size ${size}`);
      const other = followup.deriveKeys(followup.generateCode(random));
      assert.throws(() => openAge(sealed, other.replySecret), { code: 'no_match' });
      const altered = sealed.slice();
      altered[altered.length - 1] ^= 1;
      assert.throws(() => openAge(altered, keys.replySecret), { code: 'payload' });
      const header = sealed.slice();
      header[30] ^= 1;  // inside the stanza's share
      assert.throws(() => openAge(header, keys.replySecret));
      const truncated = sealed.slice(0, sealed.length - 17);
      if (size > 0) assert.throws(() => openAge(truncated, keys.replySecret));
    }
  });

  test('a file with two stanzas is refused', async () => {
    const followup = await import(join(work, 'page', 'lib', 'followup.js'));
    const { openAge } = await import(join(work, 'page', 'lib', 'age_open.js'));
    const keys = followup.deriveKeys(followup.generateCode(random));
    const other = followup.deriveKeys(followup.generateCode(random));
    const input = join(work, 'plain-two');
    writeFileSync(input, random(10));
    const two = new Uint8Array(execFileSync('age', ['-r', recipient(keys.replyPublic), '-r',
                                                    recipient(other.replyPublic), input]));
    assert.throws(() => openAge(two, keys.replySecret), { code: 'header' });
  });

  test('a code with a letter that only folds to ASCII is refused', async () => {
    const followup = await import(join(work, 'page', 'lib', 'followup.js'));
    const code = 'abandon ability able about above absent absorb abstract absurd abuse';
    assert.equal(followup.canonicalCode(code), code);
    assert.throws(() => followup.canonicalCode(code.replace('ability', 'abili\u212ay')), { code: 'invalid_code' });
    assert.throws(() => followup.canonicalCode(code.replace('able', 'ablé')), { code: 'invalid_code' });
  });

  test('a reply plaintext reads only if framed, padded and hashed exactly', async () => {
    const { readReply } = await import(join(work, 'page', 'lib', 'reply.js'));
    const file = random(100);
    const reply = { format_version: 1, kind: 1, text: 'hello', day: 20000,
                    attachments: [{ file_name: 'a', media_type: 'text/plain', length: 100,
                                    sha256: lib.sodium.default.crypto_hash_sha256(file) }] };
    const message = lib.pb.encode(reply, lib.schemas.Reply);
    const plain = new Uint8Array(4096);
    new DataView(plain.buffer).setUint32(0, message.length);
    plain.set(message, 4);
    plain.set(file, 4 + message.length);
    const read = readReply(plain);
    assert.equal(read.reply.text, 'hello');
    assert.deepEqual(read.attachments[0].bytes, file);
    const dirty = plain.slice();
    dirty[4095] = 1;
    assert.throws(() => readReply(dirty), { code: 'malformed_reply' });
    const hashed = plain.slice();
    hashed[4 + message.length] ^= 1;
    assert.throws(() => readReply(hashed), { code: 'malformed_reply' });
    assert.throws(() => readReply(new Uint8Array([...plain, 0])), { code: 'malformed_reply' });  // not a bucket
    const frame = (r) => {
      const m = lib.pb.encode(r, lib.schemas.Reply);
      const p = new Uint8Array(4096);
      new DataView(p.buffer).setUint32(0, m.length);
      p.set(m, 4);
      return p;
    };
    const base = { format_version: 1, kind: 1, text: 'x', day: 20000 };
    assert.ok(readReply(frame(base)));
    assert.ok(readReply(frame({ ...base, kind: 2, status: 3, text: '' })));
    for (const bad of [{ ...base, kind: 2 }, { ...base, status: 2 }, { ...base, kind: 2, status: 5 },
                       { ...base, day: 2932897 }, { ...base, kind: 3 },
                       { ...base, attachments: [{ file_name: 'a/b', media_type: 't/p', length: 0,
                                                  sha256: lib.sodium.default.crypto_hash_sha256(new Uint8Array(0)) }] }]) {
      assert.throws(() => readReply(frame(bad)), { code: 'malformed_reply' }, JSON.stringify(bad));
    }
  });
});
