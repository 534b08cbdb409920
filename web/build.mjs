// build.mjs: builds the submission page into a folder the gateway serves as
// its web_root. It copies src/, vendors libsodium's WebAssembly build from
// node_modules (installed from package-lock.json) so that nothing is ever
// loaded from another origin, and writes config.js with the root fingerprint
// the page pins, and the onion address it advertises over the clear web.
//
// usage: node build.mjs --out DIR --root-fingerprint FP [--onion-address ADDR]
//                       [--demo]
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function fail(message) {
  process.stderr.write(`build.mjs: ${message}\n`);
  process.exit(2);
}

function parseArguments(argv) {
  const options = { demo: false, onion: '' };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      if (i + 1 >= argv.length) fail(`${argv[i]} needs a value`);
      return argv[++i];
    };
    switch (argv[i]) {
      case '--out': options.out = value(); break;
      case '--root-fingerprint': options.fingerprint = value(); break;
      case '--onion-address': options.onion = value(); break;
      case '--demo': options.demo = true; break;
      default: fail(`unknown argument ${argv[i]}`);
    }
  }
  if (!options.out || !options.fingerprint) {
    fail('usage: node build.mjs --out DIR --root-fingerprint FP [--onion-address ADDR] [--demo]');
  }
  const hex = options.fingerprint.replace(/-/g, '');
  if (!/^[0-9a-f]{64}$/.test(hex)) fail('the root fingerprint is not 64 hex digits');
  options.fingerprint = hex.match(/.{4}/g).join('-');
  if (options.onion && !/^[a-z2-7]{56}\.onion$/.test(options.onion)) {
    fail('the onion address is not a v3 address (56 base32 characters, then .onion)');
  }
  return options;
}

const options = parseArguments(process.argv.slice(2));
const sodiumDir = join(here, 'node_modules', 'libsodium-wrappers-sumo', 'dist', 'modules-sumo-esm');
const sumoDir = join(here, 'node_modules', 'libsodium-sumo', 'dist', 'modules-sumo-esm');
if (!existsSync(sodiumDir) || !existsSync(sumoDir)) fail('run `npm ci` in web/ first');

rmSync(options.out, { recursive: true, force: true });
mkdirSync(join(options.out, 'vendor'), { recursive: true });
cpSync(join(here, 'src'), options.out, { recursive: true });

// The wrapper imports the bare name "libsodium-sumo"; an import map would be
// an inline script, which the Content-Security-Policy forbids, so the import
// is pointed at the vendored file instead.
const wrapper = readFileSync(join(sodiumDir, 'libsodium-wrappers.mjs'), 'utf8');
const bare = /from\s*"libsodium-sumo"/g;
if ((wrapper.match(bare) || []).length !== 1) fail('unexpected libsodium-wrappers build');
writeFileSync(join(options.out, 'vendor', 'libsodium-wrappers.mjs'),
              wrapper.replace(bare, 'from "./libsodium-sumo.mjs"'));
cpSync(join(sumoDir, 'libsodium-sumo.mjs'), join(options.out, 'vendor', 'libsodium-sumo.mjs'));

// The receipt code's word list, from its one source in proto/.
const words = readFileSync(join(here, '..', 'proto', 'receipt-words.txt'), 'utf8').split('\n').filter(Boolean);
if (words.length !== 2048 || new Set(words).size !== 2048) fail('proto/receipt-words.txt must hold 2048 words');
writeFileSync(join(options.out, 'lib', 'receipt_words.js'), `// receipt_words.js: written by build.mjs from
// proto/receipt-words.txt (proto/FOLLOWUP.md section 1).
export const receiptWords = ${JSON.stringify(words)};
`);

writeFileSync(join(options.out, 'config.js'), `// config.js: written by build.mjs.
// rootFingerprint is the root key the page verifies every key bundle against;
// check it out of band against the one the bodies publish.
export const rootFingerprint = '${options.fingerprint}';
// onionAddress is the Tor onion service of this gateway, shown to people who
// reach the page over the clear web; empty if there is none.
export const onionAddress = '${options.onion}';
// demo marks a page built on DEMO keys, which must never receive real cases.
export const demo = ${options.demo};
`);
process.stdout.write(`built the page into ${options.out}\n`);
