// client.test.mjs: the page's gateway client and its guards, against a fake
// fetch (the real gateway is in tests/browser/): an upload whose answers do
// not move the offset stops, an answer about another upload is refused, a
// lost finalize answer is reported as such and not retried; an attachment
// that changes while it is sealed is caught before anything is finalized;
// answers the form hides are never sealed; bundle keys are checked as X25519
// keys, and a refreshed bundle may not go back.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { builtPage, review, testBytes } from '../support/built_page.mjs';

let work;
let lib;
let keys;

before(async () => {
  ({ work, keys, lib } = await builtPage('amparo-web-client-'));
});

after(() => rmSync(work, { recursive: true, force: true }));

const random = (n) => lib.sodium.default.randombytes_buf(n);

function bundle() {
  return lib.bundle.verifyKeyBundle(keys.bundle, lib.bundle.parseFingerprint(keys.fingerprint),
                                    lib.bundle.todayUtc());
}

function largeEnvelope(blob = new Blob([testBytes(1200 * 1024)])) {
  const plaintext = new lib.envelope.Plaintext(new Uint8Array([1]), [blob]);
  return new lib.envelope.Envelope({
    plaintext, recipients: [bundle().keys[0].x25519_public_key], keyBundleVersion: 1, random });
}

function reply(status, schema, message) {
  const body = lib.pb.encode(message, schema);
  return { status, headers: new Headers(), arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.length) };
}

// fakeGateway answers uploads; `onPut(offset, committed)` returns the next
// committed length, `finalize()` the finalize answer or throws.
function fakeGateway(envelope, { onPut, finalize, uploadId = new Uint8Array(16).fill(7), total }) {
  const calls = [];
  let committed = 0;
  const status = (code) => reply(code, lib.schemas.UploadStatus,
    { upload_id: uploadId, committed_length: committed, total_length: total ?? envelope.length });
  const fetch = async (url, options) => {
    calls.push(`${options.method} ${url}`);
    if (options.method === 'POST' && url === '/v1/uploads') {
      committed = lib.pb.decode(new Uint8Array(options.body), lib.schemas.UploadRequest).head.length;
      return status(201);
    }
    if (options.method === 'PUT') {
      committed = onPut(Number(/offset=(\d+)/.exec(url)[1]), committed, options.body.length);
      return status(200);
    }
    if (options.method === 'GET') return status(200);
    if (url.endsWith('/finalize')) return finalize();
    throw new Error(`unexpected ${options.method} ${url}`);
  };
  return { fetch, calls };
}

const noWait = () => 0;

describe('the upload client', () => {
  test('an upload goes through, in order, and its receipt is returned', async () => {
    const envelope = largeEnvelope();
    const fake = fakeGateway(envelope, {
      onPut: (offset, committed, size) => offset + size,
      finalize: () => reply(201, lib.schemas.SubmissionReceipt, { envelope_id: new Uint8Array(16).fill(0xab) }),
    });
    const client = new lib.gateway.GatewayClient(fake.fetch, '', noWait);
    const id = await client.send(envelope);
    assert.equal(id, 'ab'.repeat(16));
    assert.ok(fake.calls.filter((c) => c.startsWith('PUT')).length >= 2);
  });

  test('answers that never move the offset stop the upload', async () => {
    const envelope = largeEnvelope();
    const fake = fakeGateway(envelope, { onPut: (offset, committed) => committed, finalize: () => assert.fail() });
    const client = new lib.gateway.GatewayClient(fake.fetch, '', noWait);
    await assert.rejects(client.send(envelope), { code: 'bad_answer' });
    assert.ok(fake.calls.length < 20, `${fake.calls.length} requests`);
  });

  test('an answer about another length is refused', async () => {
    const envelope = largeEnvelope();
    const fake = fakeGateway(envelope, { onPut: (o, c, size) => o + size, finalize: () => assert.fail(),
                                         total: 12345 });
    const client = new lib.gateway.GatewayClient(fake.fetch, '', noWait);
    await assert.rejects(client.send(envelope), { code: 'bad_answer' });
  });

  test('a lost finalize answer is reported as such and not retried', async () => {
    const envelope = largeEnvelope();
    const fake = fakeGateway(envelope, {
      onPut: (offset, committed, size) => offset + size,
      finalize: () => { throw new TypeError('connection reset'); },
    });
    const client = new lib.gateway.GatewayClient(fake.fetch, '', noWait);
    await assert.rejects(client.send(envelope), { code: 'finalize_unknown' });
    assert.equal(fake.calls.filter((c) => c.endsWith('/finalize')).length, 1);
  });

  test('an attachment that changes while it is sealed is caught before finalize', async () => {
    const original = testBytes(1200 * 1024);
    const digest = lib.sodium.default.crypto_hash_sha256(original);
    const changed = original.slice();
    changed[700000] ^= 1;  // what a file edited after it was hashed holds
    const plaintext = new lib.envelope.Plaintext(new Uint8Array([1]), [new Blob([changed])], [digest]);
    const envelope = new lib.envelope.Envelope({
      plaintext, recipients: [bundle().keys[0].x25519_public_key], keyBundleVersion: 1, random });
    const fake = fakeGateway(envelope, { onPut: (o, c, size) => o + size, finalize: () => assert.fail() });
    const client = new lib.gateway.GatewayClient(fake.fetch, '', noWait);
    await assert.rejects(client.send(envelope), { code: 'attachment_changed' });
    assert.equal(fake.calls.filter((c) => c.endsWith('/finalize')).length, 0);
  });

  test('a chunk is never sealed again over different bytes', async () => {
    let bytes = testBytes(200 * 1024);
    const blob = { size: bytes.length, slice: (a, b) => new Blob([bytes.slice(a, b)]) };
    const envelope = largeEnvelope(blob);
    await envelope.bytesAt(0, envelope.length);  // every chunk sealed once
    bytes = testBytes(200 * 1024);               // the file changes
    envelope.cached = null;
    await assert.rejects(envelope.bytesAt(1000, 10), { code: 'attachment_changed' });
  });
});

describe('the form and the bundle', () => {
  test('answers the form hides are not sealed', () => {
    const answers = lib.form.emptyAnswers();
    answers.reporter = { role: 1, role_other: 'typed, then role changed' };
    answers.incidents = [{ types: [1], type_other: 'left behind', ongoing: true, end: { year: 2025 } }];
    answers.affected = [{ kind: 1, group_size: 40, gender: 1, gender_description: 'x' }];
    answers.consent = { raise_with_state: 1, disclose_identity_to_state: 2, contact: 1 };
    answers.contact = { channel: 4, address: '+000 555 0101', languages: ['en'] };
    const visible = lib.form.visibleAnswers(answers);
    assert.equal(visible.reporter.role_other, undefined);
    assert.equal(visible.incidents[0].type_other, undefined);
    assert.equal(visible.incidents[0].end, undefined);
    assert.equal(visible.affected[0].group_size, undefined);
    assert.equal(visible.affected[0].gender_description, undefined);
    assert.equal(visible.consent.disclose_identity_to_state, undefined);
    assert.deepEqual(visible.contact, { languages: [] });
    assert.equal(answers.contact.address, '+000 555 0101', 'the form itself keeps them');
    answers.consent.contact = 2;
    assert.equal(lib.form.visibleAnswers(answers).contact.address, '+000 555 0101');
  });

  test('only canonical X25519 keys that are not of small order are accepted', () => {
    const ok = bundle().keys[0].x25519_public_key;
    assert.ok(lib.bundle.acceptableX25519(ok));
    const p = lib.sodium.default.from_hex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
    assert.equal(lib.bundle.acceptableX25519(p), false);           // p itself: not canonical
    const below = p.slice();
    below[0] = 0xeb;                                                // p - 2: canonical
    assert.ok(lib.bundle.acceptableX25519(below));
    assert.equal(lib.bundle.acceptableX25519(new Uint8Array(32)), false);
    const top = ok.slice();
    top[31] |= 0x80;
    assert.equal(lib.bundle.acceptableX25519(top), false);
  });

  test('a refreshed bundle may not go back', () => {
    const pinned = lib.bundle.parseFingerprint(keys.fingerprint);
    const today = lib.bundle.todayUtc();
    const current = bundle();
    assert.equal(lib.bundle.verifyKeyBundle(keys.bundle, pinned, today, current).version, current.version);
    const newer = { ...current, version: current.version + 1 };
    assert.throws(() => lib.bundle.verifyKeyBundle(keys.bundle, pinned, today, newer),
                  { code: 'key_bundle_rollback' });
    const other = { ...current, signedBytes: new Uint8Array(current.signedBytes.length) };
    assert.throws(() => lib.bundle.verifyKeyBundle(keys.bundle, pinned, today, other),
                  { code: 'key_bundle_rollback' });
    const raised = { ...current, version: current.version - 1, lowest_accepted_version: current.version + 1 };
    assert.throws(() => lib.bundle.verifyKeyBundle(keys.bundle, pinned, today, raised),
                  { code: 'key_bundle_rollback' });
  });
});
