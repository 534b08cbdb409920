// followup.test.mjs: the page's receipt codes and their derivation match the
// vector the C++ implementation checks (tests/vectors/followup/), and typed
// codes are read as proto/FOLLOWUP.md section 1 says.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { builtPage } from '../support/built_page.mjs';

const here = dirname(fileURLToPath(import.meta.url));
let work;
let lib;

before(async () => {
  ({ work, lib } = await builtPage('amparo-web-followup-'));
});

after(() => rmSync(work, { recursive: true, force: true }));

function vector() {
  const text = readFileSync(join(here, '..', '..', '..', 'tests', 'vectors', 'followup', 'derivation.txt'), 'utf8');
  return Object.fromEntries(text.split('\n').filter((l) => l && !l.startsWith('#'))
    .map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
}

test('the derivation matches the vector the C++ implementation checks', () => {
  const v = vector();
  const keys = lib.followup.deriveKeys(lib.followup.canonicalCode(v.code));
  const hex = lib.sodium.default.to_hex;
  assert.equal(hex(keys.replyPublic), v.reply_public_key);
  assert.equal(hex(keys.token), v.token);
  assert.equal(hex(keys.mailboxId), v.mailbox_id);
});

test('a generated code is 10 words of the list, canonical, and codes differ', () => {
  const random = (n) => lib.sodium.default.randombytes_buf(n);
  const codes = new Set();
  for (let i = 0; i < 200; i++) {
    const code = lib.followup.generateCode(random);
    assert.equal(code.split(' ').length, 10);
    assert.equal(lib.followup.canonicalCode(code), code);
    codes.add(code);
  }
  assert.equal(codes.size, 200);
});

test('typed codes are read leniently but exactly', () => {
  const code = 'abandon ability able about above absent absorb abstract absurd abuse';
  assert.equal(lib.followup.canonicalCode('  ABANDON-abil ABLE\tabou\nabov absent absorb abst absu abus '), code);
  for (const bad of [
    'abandon ability able about above absent absorb abstract absurd',
    `${code} access`,
    'abandon abi able about above absent absorb abstract absurd abuse',
    'abandon ability able about above absent absorb abstract absurd abus3',
    'ab ability able about above absent absorb abstract absurd abuse',
    ' '.repeat(257),
  ]) {
    assert.throws(() => lib.followup.canonicalCode(bad), { code: 'invalid_code' }, bad);
  }
});
