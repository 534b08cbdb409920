// render.test.mjs: the workstation's HTML outputs (amparo-review report,
// register, show --html) opened from file:// in Debian's headless Chromium,
// as a Chair or a focal point would open them on the air-gapped machine.
// The pages were written by the casework integration test from real cases
// (tests/integration/casework_cycle.sh). Each must render its content and
// charts, request nothing beyond itself, run no script, and pass axe-core's
// WCAG 2.1 A/AA rules; a screenshot of each is kept next to it.
//
// Environment: AMPARO_CASEWORK_OUTPUTS, the folder of the pages.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const outputs = process.env.AMPARO_CASEWORK_OUTPUTS;
if (!outputs) throw new Error('AMPARO_CASEWORK_OUTPUTS must name the folder of the pages');

let profile;
let browser;

before(async () => {
  profile = mkdtempSync(join(tmpdir(), 'amparo-outputs-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1100, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  rmSync(profile, { recursive: true, force: true });
});

// open loads a page and records every request, script dialog and console
// message while it renders.
async function open(name) {
  const file = join(outputs, name);
  assert.ok(existsSync(file), `${file} was not written`);
  const url = pathToFileURL(file).href;
  const page = await browser.newPage();
  const seen = { requests: [], dialogs: 0, console: [] };
  page.on('request', (request) => seen.requests.push(request.url()));
  page.on('dialog', async (dialog) => { seen.dialogs += 1; await dialog.dismiss(); });
  page.on('console', (message) => seen.console.push(message.text()));
  await page.goto(url, { waitUntil: 'load' });
  return { page, url, seen };
}

async function expectSelfContained({ page, url, seen }) {
  assert.deepEqual(seen.requests, [url], 'the page requested something beyond itself');
  assert.equal(seen.dialogs, 0);
  assert.equal(await page.evaluate(() => document.scripts.length), 0);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp, /default-src 'none'/);
}

async function expectAccessible(page) {
  // axe-core is injected by the test, not by the page: the page's own CSP
  // governs its content, not the driver's evaluation.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, []);
}

async function screenshot(page, name) {
  const path = join(outputs, name);
  await page.screenshot({ path, fullPage: true });
  assert.ok(statSync(path).size > 10_000, `${name} looks empty`);
}

test('the annual report renders its tables and charts, with small counts hidden', async () => {
  const opened = await open('report.html');
  const { page } = opened;
  await expectSelfContained(opened);
  const year = String(new Date().getUTCFullYear());
  assert.equal(await page.locator('h1').textContent(), `Allegations of intimidation and reprisals, ${year}`);
  assert.equal(await page.locator('#total').textContent(), '5');
  const titles = await page.locator('h2').allTextContents();
  assert.deepEqual(titles, ['By receiving body', 'By State concerned', 'By type of reprisal',
                            'By alleged perpetrator', 'By gender of the individuals targeted', 'By status']);
  // The report was written with k = 3: VE's three cases are shown; BY and
  // NI would be 1 each by subtraction, so they are not named at all.
  const states = page.locator('section', { has: page.locator('h2', { hasText: 'By State concerned' }) });
  const rows = await states.locator('tr').allTextContents();
  assert.deepEqual(rows, ['By State concernedAllegations', 'VE3', 'others, each fewer than 3<3']);
  const types = page.locator('section', { has: page.locator('h2', { hasText: 'By type of reprisal' }) });
  assert.ok((await types.locator('tr').allTextContents()).includes('surveillance<3'));
  // Every table has its chart, drawn: one bar per row, each visible.
  const charts = page.locator('svg[role="img"]');
  assert.equal(await charts.count(), 6);
  for (let i = 0; i < 6; i++) {
    const chart = charts.nth(i);
    const box = await chart.boundingBox();
    assert.ok(box.width > 300 && box.height > 20, `chart ${i} is not drawn`);
    const bars = await chart.locator('rect').count();
    const tableRows = await page.locator('section').nth(i).locator('tr').count();
    assert.equal(bars, tableRows - 1);
  }
  // A hidden count is an outline of one fixed length, never a filled bar.
  const hidden = states.locator('rect[fill="none"]');
  assert.equal(await hidden.count(), 1);
  const widths = await page.locator('rect[fill="none"]').evaluateAll((rects) => rects.map((r) => r.getBBox().width));
  assert.ok(widths.length > 2 && widths.every((w) => w === widths[0]), `hidden bars differ: ${widths}`);
  const text = await page.locator('body').innerText();
  assert.doesNotMatch(text, /Alvarez|Quispe|Privateperson|Withdrawnorg|\bBY\b|\bNI\b/);
  await expectAccessible(page);
  await screenshot(page, 'report.png');
  await page.close();
});

test('the register shows only the consented cases, at the consented level', async () => {
  const opened = await open('register.html');
  const { page } = opened;
  await expectSelfContained(opened);
  assert.equal(await page.locator('#count').textContent(), '2');
  const text = await page.locator('body').innerText();
  assert.match(text, /Namedperson Alvarez/);
  assert.doesNotMatch(text, /Anonperson|Privateperson|Withdrawnorg|Reportername/);
  assert.equal(await page.locator('tr').count(), 3);
  await expectAccessible(page);
  await screenshot(page, 'register.png');
  await page.close();
});

test('a case page shows what the submitter wrote as text, and runs none of it', async () => {
  const opened = await open('case.html');
  const { page } = opened;
  await expectSelfContained(opened);
  const submission = await page.locator('#submission').textContent();
  assert.match(submission, /<script>alert\(1\)<\/script>/);
  assert.match(submission, /Privateperson =HYPERLINK\(1\)/);
  assert.equal(await page.locator('#status').textContent(), 'received');
  const consent = await page.locator('#consent li').allTextContents();
  assert.ok(consent.includes('publication: no'), consent.join('; '));
  await expectAccessible(page);
  await screenshot(page, 'case.png');
  await page.close();
});
