// harness.mjs: the real components the browser tests run against, in a
// temporary folder: a workstation keystore with a root key and recipient
// keys for several bodies, a gateway node pinned to it, the page built with
// that root's fingerprint, a real amparo-gateway on a loopback port over a
// real RocksDB store, and Debian's Chromium driven by playwright-core.
//
// Environment: AMPARO_BUILD (the CMake build folder).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const build = process.env.AMPARO_BUILD;
if (!build) throw new Error('AMPARO_BUILD must name the build folder');
export const tools = {
  review: join(build, 'reviewer', 'amparo-review'),
  admin: join(build, 'admin', 'amparo-admin'),
  gateway: join(build, 'gateway', 'amparo-gateway'),
};
export const kBodies = ['CAT', 'SPT', 'CED', 'CCPR', 'ASG_REPRISALS'];
export const kOnion = 'amparoexampleonionaddressforthetestsonlyaaaaaaaaaaaaaaaa.onion';
const kPassphrase = 'passphrase of the focal point';

export class Harness {
  constructor() {
    this.work = mkdtempSync(join(tmpdir(), 'amparo-browser-'));
    this.keystore = join(this.work, 'workstation');
    this.site = join(this.work, 'site');
    this.config = join(this.site, 'gateway.conf');
    this.gatewayProcess = null;
    this.browser = null;
  }

  // review runs amparo-review on the test keystore, the passphrase on fd 3.
  review(...args) {
    const pass = join(this.work, 'pass');
    writeFileSync(pass, `${kPassphrase}\n`, { mode: 0o600 });
    return execFileSync('bash', ['-c', `exec "$0" --keystore "$1" --passphrase-fd 3 --allow-network "\${@:2}" 3<"${pass}"`,
                                 tools.review, this.keystore, ...args],
                        { encoding: 'utf8', maxBuffer: 64 << 20 });
  }

  admin(...args) {
    return execFileSync(tools.admin, ['-c', this.config, ...args], { encoding: 'utf8' });
  }

  async setUp() {
    const init = this.review('init', '--kdf', 'interactive');
    this.fingerprint = /^root fingerprint: (\S+)$/m.exec(init)[1];
    mkdirSync(this.site, { recursive: true });
    execFileSync('node', [join(here, '..', '..', 'build.mjs'), '--out', join(this.site, 'web'),
                          '--root-fingerprint', this.fingerprint, '--onion-address', kOnion],
                 { stdio: 'ignore' });
    writeFileSync(this.config, [
      'listen_address = 127.0.0.1', 'port = 0', 'data_dir = data', 'web_root = web',
      // The tests read mailboxes more often than a person would.
      'mailbox_requests_per_hour = 600',
      'self_signed_certificate = yes', `root_fingerprint = ${this.fingerprint}`, '',
    ].join('\n'));
    const nodeKey = /^node key: (\S+)$/m.exec(this.admin('init'))[1];
    this.review('gateway', 'pin', nodeKey);
    for (const body of kBodies) this.review('keys', 'add', '--body', body, '--label', `${body} focal point`);
    this.review('bundle', 'sign', '-o', join(this.work, 'bundle.bin'));
    this.admin('import', join(this.work, 'bundle.bin'));
    await this.startGateway();
    this.browser = await chromium.launchPersistentContext(join(this.work, 'profile'), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      ignoreHTTPSErrors: true,
      acceptDownloads: false,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }

  async startGateway() {
    const log = join(this.work, 'gateway.log');
    this.gatewayProcess = spawn(tools.gateway, ['-c', this.config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let text = '';
    this.port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the gateway did not start: ${text}`)), 15000);
      this.gatewayProcess.stderr.on('data', (chunk) => {
        text += chunk;
        const match = /listening on port (\d+)/.exec(text);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      this.gatewayProcess.on('exit', () => reject(new Error(`the gateway exited: ${text}`)));
    });
    this.gatewayProcess.stderr.on('data', (chunk) => { text += chunk; });
    this.gatewayLog = () => { writeFileSync(log, text); return text; };
    this.url = `https://127.0.0.1:${this.port}`;
  }

  // importCases exports everything from the running gateway, imports it on
  // the workstation and returns the import report.
  importCases() {
    const exportFile = join(this.work, `export-${Date.now()}.amparo`);
    this.admin('export', '--out', exportFile, '--no-progress');
    return this.review('import', exportFile, '--ack-out', `${exportFile}.ack`);
  }

  // exportReplies writes the workstation's waiting replies and places them
  // in the running gateway.
  exportReplies() {
    const file = join(this.work, `replies-${Date.now()}.amparo`);
    this.review('export-replies', '--out', file);
    return this.admin('import', file);
  }

  // pageModule imports a module of the page as built for this gateway.
  async pageModule(path) {
    return import(join(this.site, 'web', path));
  }

  caseJson(id) {
    return JSON.parse(this.review('show', id, '--json'));
  }

  attachments(id) {
    const out = join(this.work, `attachments-${id}`);
    this.review('attachments', id, '--out', out);
    return (n) => readFileSync(join(out, `attachment-${String(n).padStart(2, '0')}`));
  }

  async tearDown() {
    if (this.browser) await this.browser.close();
    if (this.gatewayProcess && this.gatewayProcess.exitCode === null) {
      const exited = new Promise((resolve) => this.gatewayProcess.on('exit', resolve));
      this.gatewayProcess.kill('SIGTERM');
      await exited;
    }
    rmSync(this.work, { recursive: true, force: true });
  }
}
