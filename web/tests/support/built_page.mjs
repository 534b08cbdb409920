// built_page.mjs: what the Node.js tests of the page share: DEMO keys made by
// the real amparo-review (AMPARO_REVIEW), the page built by build.mjs with
// their root pinned, and the page's modules loaded from that build, libsodium
// ready; and random bytes for test files. The folder is the caller's to remove.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export const review = process.env.AMPARO_REVIEW;

// testBytes makes random file bytes for the tests. libsodium.js draws its
// random bytes four at a time from the platform, which takes seconds per MiB:
// fine for the keys and nonces the page draws, not for test files.
export const testBytes = (n) => new Uint8Array(randomBytes(n));

export async function builtPage(prefix) {
  assert.ok(review, 'AMPARO_REVIEW must name the amparo-review binary');
  const work = mkdtempSync(join(tmpdir(), prefix));
  execFileSync(review, ['demo-keys', '-o', join(work, 'keys')], { stdio: 'ignore' });
  const keys = {
    fingerprint: readFileSync(join(work, 'keys', 'DEMO-root-fingerprint.txt'), 'utf8').trim(),
    bundle: new Uint8Array(readFileSync(join(work, 'keys', 'DEMO-key-bundle.bin'))),
  };
  execFileSync('node', [join(here, '..', '..', 'build.mjs'), '--out', join(work, 'page'),
                        '--root-fingerprint', keys.fingerprint], { stdio: 'ignore' });
  const page = join(work, 'page');
  const lib = {};
  for (const [name, file] of [['sodium', 'lib/sodium.js'], ['pb', 'lib/pb.js'], ['schemas', 'lib/schemas.js'],
                              ['age', 'lib/age.js'], ['envelope', 'lib/envelope.js'],
                              ['bundle', 'lib/keybundle.js'], ['submission', 'lib/submission.js'],
                              ['gateway', 'lib/gateway.js'], ['followup', 'lib/followup.js'], ['form', 'form.js']]) {
    lib[name] = await import(join(page, file));
  }
  await lib.sodium.ready();
  return { work, keys, lib };
}
