// submission.test.mjs: the submission page in real headless Chromium against
// a real gateway, then across the air gap to a real workstation keystore.
// In English, French and Spanish a report is filled in, files attached and
// sent (in Spanish, a large one whose upload is cut once and resumes); the
// gateway exports, the workstation imports, and every answer, consent and
// attachment must arrive exactly as entered. An anonymous report is sent
// with the keyboard alone. No request leaves the page's origin, nothing is
// left in browser storage, the quick exit leaves no history entry, the page
// without JavaScript offers no form, and axe-core finds no WCAG 2.1 A/AA
// violation on any screen.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { Harness, kOnion } from './harness.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const hn = new Harness();
const requests = [];
const sent = [];  // {language, id, scenario}

before(async () => {
  await hn.setUp();
  hn.browser.on('request', (request) => requests.push(request.url()));
});

after(async () => {
  await hn.tearDown();
});

async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

async function storage(page) {
  return page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    cookie: document.cookie,
    indexedDB: (await indexedDB.databases()).length,
    caches: (await caches.keys()).length,
    serviceWorkers: (await navigator.serviceWorker.getRegistrations()).length,
  }));
}

const kEmptyStorage = { local: 0, session: 0, cookie: '', indexedDB: 0, caches: 0, serviceWorkers: 0 };

// scenarios: what a person enters in each language; every value is checked
// on the workstation.
const scenarios = {
  en: {
    reporter: { role: 4, capacity: 2, name: 'Network of Defenders', organisation: 'Defenders’ Network' },
    bodies: ['CAT', 'ASG_REPRISALS'],
    cooperation: [{ body: 'CAT', body_detail: '80th session', kind: 2, stage: 3, year: 2025, month: 3,
                    reference: 'CAT/C/80/D/123', link: 'Questioned about the briefing the day after.' }],
    state: 'BY',
    incidents: [{ types: [4, 5], year: 2025, month: 4, day: 2, country: 'BY', place: 'Minsk',
                  perpetrators: [1], perpetrator_detail: 'Two officers of the security service',
                  description: 'Detained for 48 hours and asked about the session in Geneva.' }],
    narrative: 'Line one.\nLine two with symbols: <b>not markup</b> & "quotes".',
    affected: [{ kind: 1, name: 'A. B.', gender: 1, risk_factors: [1, 8], relationship: 'colleague',
                 occupation: 'journalist', organisation: 'Free Press', nationality: 'BY' }],
    prior: { domestic: 3, details: '', government: 'None so far.', updates: false,
             references: ['A/HRC/57/60, para. 12'], mechanism: null },
    risk: { level: 4, imminent: true, details: 'Summoned again for next week.' },
    requested: [2, 3],
    consent: { raise_with_state: 2, disclose_identity_to_state: 1, share_within_un: 2,
               share_with_regional_mechanisms: 1, sg_annual_report: 2, publication: 1, contact: 2, given_by: 4 },
    contact: { channel: 3, address: '+000 555 0100', safety: 'Only after 20:00, never voice calls.', languages: ['en', 'ru'] },
    files: [{ name: 'summons.pdf', mimeType: 'application/pdf', size: 3000, description: 'The summons' },
            { name: 'photo 1.jpg', mimeType: 'image/jpeg', size: 70000, description: 'Outside the court' }],
  },
  fr: {
    reporter: { role: 1, capacity: 1, name: 'Amélie Défenseure', organisation: '' },
    bodies: ['CED', 'SPT', 'CCPR'],
    cooperation: [{ body: 'CED', body_detail: '', kind: 4, stage: 2, year: 2024, month: 11, reference: '', link: '' },
                  { body: 'UPR', body_detail: 'Quatrième cycle', kind: 7, stage: 3, year: 0, month: 0,
                    reference: '', link: 'Après ma déclaration à l’EPU « sur les disparitions ».' }],
    state: 'ML',
    incidents: [{ types: [1, 19], type_other: 'Lettres anonymes', year: 2025, month: 0, day: 0, country: 'ML',
                  place: 'Bamako', perpetrators: [5], perpetrator_detail: '', description: 'Menaces répétées.' },
                { types: [10], year: 2025, month: 6, day: 30, country: 'SN', place: 'Dakar', perpetrators: [3, 4],
                  perpetrator_detail: 'Des hommes armés', description: 'Ma sœur a été suivie.' }],
    narrative: 'Récit complet — avec accents : é, è, ç, œ ; et des guillemets « ».',
    affected: [{ kind: 1, name: '', gender: 5, risk_factors: [12], relationship: 'moi-même',
                 occupation: 'avocate', organisation: '', nationality: 'ML' },
               { kind: 2, name: 'Famille D.', gender: 0, risk_factors: [], relationship: 'famille',
                 occupation: '', organisation: '', nationality: '', group_size: 5 }],
    prior: { domestic: 2, details: 'Plainte au parquet, sans suite.', government: '', updates: true,
             references: [], mechanism: { body: 'ACHPR', reference: 'Comm. 801/24', status: 'Enregistrée.' } },
    risk: { level: 3, imminent: false, details: '' },
    requested: [3, 6],
    consent: { raise_with_state: 1, share_within_un: 2, share_with_regional_mechanisms: 2,
               sg_annual_report: 3, publication: 2, contact: 1, given_by: 1 },
    contact: null,
    files: [{ name: 'lettre/anonyme.png', mimeType: 'image/png', size: 5000, description: 'La lettre reçue' }],
  },
  es: {
    reporter: { role: 2, capacity: 1, name: '', organisation: '' },
    bodies: ['CCPR'],
    cooperation: [{ body: 'SPECIAL_PROCEDURES', body_detail: 'Relatora Especial sobre defensores', kind: 5,
                    stage: 2, year: 2025, month: 8, reference: 'UA COL 4/2025', link: '' }],
    state: 'CO',
    incidents: [{ types: [12], year: 2025, month: 9, day: 15, country: 'CO', place: 'Cauca',
                  perpetrators: [4], perpetrator_detail: '', description: 'Mi hermano desapareció. ¿Dónde está?' }],
    narrative: 'Año, niño, corazón: 中文, العربية, emoji 🕊️.',
    affected: [{ kind: 1, name: 'J. P.', gender: 2, risk_factors: [4], relationship: 'hermano',
                 occupation: 'líder comunitario', organisation: '', nationality: 'CO' }],
    prior: { domestic: 1, details: '', government: '', updates: false, references: [], mechanism: null },
    risk: { level: 4, imminent: true, details: 'Amenazas a toda la familia.' },
    requested: [3],
    consent: { raise_with_state: 2, disclose_identity_to_state: 2, share_within_un: 2,
               share_with_regional_mechanisms: 2, sg_annual_report: 1, publication: 1, contact: 2, given_by: 2 },
    contact: { channel: 5, address: 'abogada@example.org', safety: '', languages: ['es'] },
    files: [{ name: 'video.mp4', mimeType: 'video/mp4', size: 1536 * 1024, description: 'Grabación' }],
    cutUpload: true,
  },
};

for (const scenario of Object.values(scenarios)) {
  for (const file of scenario.files) file.buffer = randomBytes(file.size);
}

async function next(page, checkAxe) {
  if (checkAxe) assert.deepEqual(await axeViolations(page), [], `axe on ${await page.locator('#step-heading').innerText()}`);
  await page.click('#next');
}

async function date(page, prefix, { year, month, day }) {
  if (year) await page.fill(`#${prefix}-year`, String(year));
  if (month) await page.selectOption(`#${prefix}-month`, String(month));
  if (day) await page.fill(`#${prefix}-day`, String(day));
}

async function fillReport(page, language, s) {
  const checkAxe = language === 'en';
  await page.goto(`${hn.url}/`);
  await page.selectOption('#language', language);
  assert.equal(await page.evaluate(() => document.documentElement.lang), language);
  await page.waitForSelector('#start');
  assert.equal(await page.locator('#root-fingerprint').innerText(), hn.fingerprint);
  assert.equal(await page.locator('#onion-address').innerText(), kOnion);
  assert.deepEqual(await axeViolations(page), [], `axe on the start screen in ${language}`);
  await page.click('#start');

  await page.check(`#f-reporter-role-${s.reporter.role}`);
  await page.check(`#f-reporter-capacity-${s.reporter.capacity}`);
  await page.fill('#f-reporter-name', s.reporter.name);
  await page.fill('#f-reporter-organisation', s.reporter.organisation);
  assert.equal(await page.getAttribute('#f-reporter-name', 'autocomplete'), 'off');
  assert.equal(await page.getAttribute('#f-reporter-name', 'spellcheck'), 'false');
  await next(page, checkAxe);

  await page.click('#next');  // no body chosen: refused, with a message
  await page.waitForSelector('#error-summary');
  if (checkAxe) assert.deepEqual(await axeViolations(page), [], 'axe on an error');
  for (const body of s.bodies) await page.check(`#f-bodies-${body}`);
  await next(page, checkAxe);

  for (let i = 0; i < s.cooperation.length; i++) {
    const c = s.cooperation[i];
    if (i > 0) await page.click('#f-cooperation-add');
    await page.selectOption(`#f-cooperation-${i}-body`, c.body);
    await page.fill(`#f-cooperation-${i}-body_detail`, c.body_detail);
    await page.selectOption(`#f-cooperation-${i}-kind`, String(c.kind));
    await page.check(`#f-cooperation-${i}-stage-${c.stage}`);
    await date(page, `f-cooperation-${i}-when`, c);
    await page.fill(`#f-cooperation-${i}-reference`, c.reference);
    await page.fill(`#f-cooperation-${i}-link`, c.link);
  }
  await next(page, checkAxe);

  await page.selectOption('#f-state_concerned', s.state);
  for (let i = 0; i < s.incidents.length; i++) {
    const x = s.incidents[i];
    if (i > 0) await page.click('#f-incidents-add');
    for (const type of x.types) await page.check(`#f-incidents-${i}-types-${type}`);
    if (x.type_other) await page.fill(`#f-incidents-${i}-type_other`, x.type_other);
    await date(page, `f-incidents-${i}-start`, x);
    await page.selectOption(`#f-incidents-${i}-country`, x.country);
    await page.fill(`#f-incidents-${i}-place`, x.place);
    for (const p of x.perpetrators) await page.check(`#f-incidents-${i}-perpetrators-${p}`);
    await page.fill(`#f-incidents-${i}-perpetrator_detail`, x.perpetrator_detail);
    await page.fill(`#f-incidents-${i}-description`, x.description);
  }
  await page.fill('#f-narrative', s.narrative);
  await next(page, checkAxe);

  for (let i = 0; i < s.affected.length; i++) {
    const a = s.affected[i];
    if (i > 0) await page.click('#f-affected-add');
    await page.check(`#f-affected-${i}-kind-${a.kind}`);
    await page.fill(`#f-affected-${i}-name`, a.name);
    if (a.gender) await page.selectOption(`#f-affected-${i}-gender`, String(a.gender));
    for (const r of a.risk_factors) await page.check(`#f-affected-${i}-risk_factors-${r}`);
    await page.fill(`#f-affected-${i}-relationship`, a.relationship);
    await page.fill(`#f-affected-${i}-occupation`, a.occupation);
    await page.fill(`#f-affected-${i}-organisation`, a.organisation);
    if (a.nationality) await page.selectOption(`#f-affected-${i}-nationality`, a.nationality);
    if (a.group_size) await page.fill(`#f-affected-${i}-group_size`, String(a.group_size));
  }
  await next(page, checkAxe);

  await page.check(`#f-prior_steps-domestic_complaint-${s.prior.domestic}`);
  await page.fill('#f-prior_steps-domestic_details', s.prior.details);
  await page.fill('#f-prior_steps-government_response', s.prior.government);
  if (s.prior.updates) await page.check('#f-prior_steps-updates_reported_case');
  await page.fill('#f-prior_steps-un_document_references', s.prior.references.join('\n'));
  if (s.prior.mechanism) {
    await page.click('#f-prior_steps-other_mechanisms-add');
    await page.selectOption('#f-prior_steps-other_mechanisms-0-body', s.prior.mechanism.body);
    await page.fill('#f-prior_steps-other_mechanisms-0-reference', s.prior.mechanism.reference);
    await page.fill('#f-prior_steps-other_mechanisms-0-status', s.prior.mechanism.status);
  }
  await next(page, checkAxe);

  await page.check(`#f-risk-level-${s.risk.level}`);
  if (s.risk.imminent) await page.check('#f-risk-imminent_danger');
  await page.fill('#f-risk-details', s.risk.details);
  for (const r of s.requested) await page.check(`#f-requested_actions-${r}`);
  await next(page, checkAxe);

  await page.setInputFiles('#f-attachments-add', s.files.map(({ name, mimeType, buffer }) => ({ name, mimeType, buffer })));
  for (let i = 0; i < s.files.length; i++) await page.fill(`#f-attachments-${i}-description`, s.files[i].description);
  await next(page, checkAxe);

  await page.click('#next');  // no consent answered: refused
  await page.waitForSelector('#error-summary');
  for (const [key, value] of Object.entries(s.consent)) await page.check(`#f-consent-${key}-${value}`);
  if (s.contact) {
    await page.selectOption('#f-contact-channel', String(s.contact.channel));
    await page.fill('#f-contact-address', s.contact.address);
    await page.fill('#f-contact-safety_notes', s.contact.safety);
    await page.fill('#f-contact-languages', s.contact.languages.join(', '));
  }
  await next(page, checkAxe);
  if (checkAxe) assert.deepEqual(await axeViolations(page), [], 'axe on the review screen');
}

async function sendReport(language) {
  const s = scenarios[language];
  const page = await hn.browser.newPage();
  let cut = 0;
  if (s.cutUpload) {
    await page.route(/\/v1\/uploads\/[0-9a-f]{32}\?offset=/, (route) => {
      if (cut++ === 0) return route.abort('connectionreset');
      return route.continue();
    });
  }
  await fillReport(page, language, s);
  await page.click('#send');
  if (s.cutUpload) await page.waitForSelector('#send-progress');
  await page.waitForSelector('#reference', { timeout: 60000 });
  if (language === 'en') assert.deepEqual(await axeViolations(page), [], 'axe on the sent screen');
  const id = await page.locator('#reference').innerText();
  assert.match(id, /^[0-9a-f]{32}$/);
  const code = await page.locator('#receipt-code').innerText();
  assert.equal(code.split(' ').length, 10, 'a receipt code of 10 words is shown');
  if (s.cutUpload) assert.ok(cut >= 2, 'the upload was cut once and resumed');
  assert.deepEqual(await storage(page), kEmptyStorage);
  await page.close();
  sent.push({ language, id, scenario: s, code });
}

test('a report in English is sealed and sent', async () => sendReport('en'));
test('a report in French is sealed and sent', async () => sendReport('fr'));
test('a report in Spanish with a large attachment survives a cut upload', async () => sendReport('es'));

async function tabTo(page, id) {
  for (let i = 0; i < 400; i++) {
    if (await page.evaluate(() => document.activeElement?.id) === id) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`#${id} is not reachable with the keyboard`);
}

test('an anonymous report with only the essentials is sent with the keyboard alone', async () => {
  const page = await hn.browser.newPage();
  await page.goto(`${hn.url}/`);
  await page.waitForSelector('#start');
  await tabTo(page, 'start');
  await page.keyboard.press('Enter');
  await tabTo(page, 'next');
  await page.keyboard.press('Enter');                                   // reporter: nothing needed
  await tabTo(page, 'f-bodies-CAT');
  await page.keyboard.press('Space');
  await tabTo(page, 'next');
  await page.keyboard.press('Enter');
  await tabTo(page, 'f-cooperation-0-body');
  await page.keyboard.press('ArrowDown');                               // the first body: CAT
  await tabTo(page, 'next');
  await page.keyboard.press('Enter');
  await tabTo(page, 'f-incidents-0-types-1');
  await page.keyboard.press('Space');
  for (let i = 0; i < 5; i++) {                                         // affected, prior, risk, attachments
    await tabTo(page, 'next');
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.querySelector('.step-count')?.textContent.includes(String(n)), 5 + i);
  }
  await tabTo(page, 'f-consent-raise_with_state-2');
  await page.keyboard.press('ArrowDown');                               // No
  await tabTo(page, 'f-consent-share_within_un-2');
  await page.keyboard.press('Space');                                   // Yes
  await tabTo(page, 'f-consent-share_with_regional_mechanisms-2');
  await page.keyboard.press('ArrowDown');                               // No
  await tabTo(page, 'f-consent-sg_annual_report-3');
  await page.keyboard.press('ArrowDown');                               // anonymously
  await tabTo(page, 'f-consent-publication-3');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');                               // not at all
  await tabTo(page, 'f-consent-contact-2');
  await page.keyboard.press('ArrowDown');                               // No
  await tabTo(page, 'f-consent-given_by-1');
  await page.keyboard.press('Space');
  await tabTo(page, 'next');
  await page.keyboard.press('Enter');
  await tabTo(page, 'send');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#reference', { timeout: 60000 });
  const id = await page.locator('#reference').innerText();
  await page.close();
  sent.push({ language: 'keyboard', id, scenario: null });
});

// fillEssentials fills only what is needed, with the mouse.
async function fillEssentials(page) {
  await page.goto(`${hn.url}/`);
  await page.click('#start');
  await page.click('#next');
  await page.check('#f-bodies-SPT');
  await page.click('#next');
  await page.selectOption('#f-cooperation-0-body', 'SPT');
  await page.click('#next');
  await page.check('#f-incidents-0-types-2');
  for (let i = 0; i < 5; i++) await page.click('#next');
  for (const key of ['raise_with_state', 'share_within_un', 'share_with_regional_mechanisms', 'contact']) {
    await page.check(`#f-consent-${key}-1`);
  }
  for (const key of ['sg_annual_report', 'publication']) await page.check(`#f-consent-${key}-1`);
  await page.check('#f-consent-given_by-5');
  await page.click('#next');
}

test('a stale key bundle answer makes the page fetch the keys and seal again', async () => {
  const page = await hn.browser.newPage();
  let refused = 0;
  let keyFetches = 0;
  await page.route('**/v1/keys', (route) => { keyFetches++; return route.continue(); });
  await page.route('**/v1/submissions', (route) => {
    if (refused++ > 0) return route.continue();
    const code = Buffer.from('stale_key_bundle');
    const body = Buffer.concat([Buffer.from([0x0a, code.length]), code]);
    return route.fulfill({ status: 409, contentType: 'application/x-protobuf', body });
  });
  await fillEssentials(page);
  await page.click('#send');
  await page.waitForSelector('#reference', { timeout: 60000 });
  assert.equal(refused, 2, 'refused once, then sent again');
  assert.equal(keyFetches, 2, 'the keys were fetched again before sealing again');
  sent.push({ language: 'stale', id: await page.locator('#reference').innerText(), scenario: null });
  await page.close();
});

test('the quick exit leaves the page and leaves no way back to it', async () => {
  const page = await hn.browser.newPage();
  await page.goto(`${hn.url}/`);
  await page.waitForSelector('#start');
  await page.click('#start');
  await page.fill('#f-reporter-name', 'a name nobody may see');
  const entries = await page.evaluate(() => history.length);
  await page.click('#quick-exit');
  await page.waitForURL('about:blank');
  // The page's entry was replaced, not followed by a new one.
  assert.equal(await page.evaluate(() => history.length), entries);
  await page.goBack();
  assert.ok(!page.url().startsWith(hn.url), `Back returned to ${page.url()}`);
  assert.equal(await page.locator('#app').count(), 0);
  await page.close();
});

test('without JavaScript the page offers no form and points to the command-line tool', async () => {
  const page = await hn.browser.newPage();
  const cdp = await hn.browser.newCDPSession(page);
  await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
  await page.goto(`${hn.url}/`);
  const text = await page.locator('body').innerText();
  assert.match(text, /amparo-submit/);
  assert.equal(await page.locator('#app').isVisible(), false);
  assert.equal(await page.locator('input:visible, textarea:visible, button:visible').count(), 0);
  assert.equal(await page.locator('form').count(), 0);
  await page.close();
});

test('a bundle that does not verify is refused before anything can be written', async () => {
  const page = await hn.browser.newPage();
  await page.route('**/v1/keys', async (route) => {
    const response = await route.fetch();
    const body = Buffer.from(await response.body());
    body[body.length - 10] ^= 1;
    await route.fulfill({ response, body });
  });
  await page.goto(`${hn.url}/`);
  await page.waitForSelector('#keys-error');
  assert.equal(await page.locator('#start').count(), 0);
  await page.close();
});

function expectConsent(json, expected) {
  const consent = json.consent ?? {};
  for (const key of ['raise_with_state', 'disclose_identity_to_state', 'share_within_un',
                     'share_with_regional_mechanisms', 'sg_annual_report', 'publication', 'contact', 'given_by']) {
    assert.equal(consent[key] ?? 0, expected[key] ?? 0, `consent ${key}`);
  }
  assert.equal(consent.consent_text_version, 2);
}

test('every answer, consent and attachment arrives on the workstation exactly as entered', () => {
  assert.equal(sent.length, 5, 'all five reports were sent');
  const report = hn.importCases();
  assert.match(report, /5 imported, 0 imported before, 0 opened by none/);
  for (const { language, id, scenario: s } of sent) {
    const json = hn.caseJson(id);
    assert.equal(json.format_version, 1);
    if (language === 'stale') {  // sealed twice: only the second envelope was stored
      assert.deepEqual(json.bodies, ['SPT']);
      assert.deepEqual(json.incidents[0].types, [2]);
      expectConsent(json, { raise_with_state: 1, share_within_un: 1, share_with_regional_mechanisms: 1,
                            sg_annual_report: 1, publication: 1, contact: 1, given_by: 5 });
      continue;
    }
    if (!s) {  // the keyboard report: the essentials only, nothing else
      assert.equal(json.language, 'en');
      assert.deepEqual(json.bodies, ['CAT']);
      assert.equal(json.reporter?.name ?? '', '');
      assert.equal(json.cooperation[0].body, 'CAT');
      assert.deepEqual(json.incidents[0].types, [1]);
      assert.equal(json.narrative ?? '', '');
      assert.equal(json.attachments, undefined);
      expectConsent(json, { raise_with_state: 1, share_within_un: 2, share_with_regional_mechanisms: 1,
                            sg_annual_report: 2, publication: 1, contact: 1, given_by: 1 });
      continue;
    }
    assert.equal(json.language, language);
    assert.deepEqual(json.bodies, s.bodies.slice().sort((a, b) =>
      ['CAT', 'SPT', 'CED', 'CCPR', 'ASG_REPRISALS'].indexOf(a) - ['CAT', 'SPT', 'CED', 'CCPR', 'ASG_REPRISALS'].indexOf(b)));
    assert.equal(json.reporter.role, s.reporter.role);
    assert.equal(json.reporter.capacity, s.reporter.capacity);
    assert.equal(json.reporter.name ?? '', s.reporter.name);
    assert.equal(json.reporter.organisation ?? '', s.reporter.organisation);
    assert.equal(json.state_concerned, s.state);
    assert.equal(json.cooperation.length, s.cooperation.length);
    s.cooperation.forEach((c, i) => {
      const got = json.cooperation[i];
      assert.equal(got.body, c.body);
      assert.equal(got.body_detail ?? '', c.body_detail);
      assert.equal(got.kind, c.kind);
      assert.equal(got.stage, c.stage);
      assert.equal(got.when?.year ?? 0, c.year);
      assert.equal(got.when?.month ?? 0, c.month);
      assert.equal(got.reference ?? '', c.reference);
      assert.equal(got.link ?? '', c.link);
    });
    assert.equal(json.incidents.length, s.incidents.length);
    s.incidents.forEach((x, i) => {
      const got = json.incidents[i];
      assert.deepEqual(got.types, x.types);
      assert.equal(got.type_other ?? '', x.type_other ?? '');
      assert.equal(got.start?.year ?? 0, x.year);
      assert.equal(got.start?.month ?? 0, x.month);
      assert.equal(got.start?.day ?? 0, x.day);
      assert.equal(got.country, x.country);
      assert.equal(got.place, x.place);
      assert.deepEqual(got.perpetrators ?? [], x.perpetrators);
      assert.equal(got.perpetrator_detail ?? '', x.perpetrator_detail);
      assert.equal(got.description, x.description);
    });
    assert.equal(json.narrative, s.narrative);
    assert.equal(json.affected.length, s.affected.length);
    s.affected.forEach((a, i) => {
      const got = json.affected[i];
      assert.equal(got.kind, a.kind);
      assert.equal(got.name ?? '', a.name);
      assert.equal(got.gender ?? 0, a.gender);
      assert.deepEqual(got.risk_factors ?? [], a.risk_factors);
      assert.equal(got.relationship ?? '', a.relationship);
      assert.equal(got.occupation ?? '', a.occupation);
      assert.equal(got.organisation ?? '', a.organisation);
      assert.equal(got.nationality ?? '', a.nationality);
      assert.equal(got.group_size ?? 0, a.group_size ?? 0);
    });
    const prior = json.prior_steps ?? {};
    assert.equal(prior.domestic_complaint, s.prior.domestic);
    assert.equal(prior.domestic_details ?? '', s.prior.details);
    assert.equal(prior.government_response ?? '', s.prior.government);
    assert.equal(prior.updates_reported_case ?? false, s.prior.updates);
    assert.deepEqual(prior.un_document_references ?? [], s.prior.references);
    assert.deepEqual(prior.other_mechanisms ?? [], s.prior.mechanism ? [s.prior.mechanism] : []);
    assert.equal(json.risk.level, s.risk.level);
    assert.equal(json.risk.imminent_danger ?? false, s.risk.imminent);
    assert.equal(json.risk.details ?? '', s.risk.details);
    assert.deepEqual(json.requested_actions, s.requested);
    expectConsent(json, s.consent);
    if (s.contact) {
      assert.equal(json.contact.channel, s.contact.channel);
      assert.equal(json.contact.address, s.contact.address);
      assert.equal(json.contact.safety_notes ?? '', s.contact.safety);
      assert.deepEqual(json.contact.languages, s.contact.languages);
    }
    const files = hn.attachments(id);
    assert.equal(json.attachments.length, s.files.length);
    s.files.forEach((file, i) => {
      const got = json.attachments[i];
      assert.equal(got.file_name, file.name.replace(/\//g, '_'));
      assert.equal(got.media_type, file.mimeType);
      assert.equal(Number(got.length), file.size);
      assert.equal(got.description, file.description);
      assert.ok(files(i + 1).equals(file.buffer), `attachment ${i + 1} of ${language}, byte for byte`);
    });
  }
});

let followUp;

test('the focal point answers, and the submitter reads the replies with the code alone', async () => {
  const english = sent.find((item) => item.language === 'en');
  const { canonicalCode, deriveKeys } = await hn.pageModule('lib/followup.js');
  await (await hn.pageModule('lib/sodium.js')).ready();
  const keys = deriveKeys(canonicalCode(english.code));
  const json = hn.caseJson(english.id);
  const hex = (b) => Buffer.from(b).toString('hex');
  assert.equal(Buffer.from(json.follow_up.mailbox_id, 'base64').toString('hex'), hex(keys.mailboxId),
               'the page sealed the mailbox id its code derives');
  const letter = randomBytes(3000);
  const letterPath = `${hn.work}/letter.bin`;
  (await import('node:fs')).writeFileSync(letterPath, letter);
  hn.review('reply', english.id, '--message', 'We received your report; we are assessing it.\nNouvelle ligne.',
            '--attach', letterPath);
  hn.review('status', english.id, 'action-taken', '--share');
  assert.match(hn.exportReplies(), /placed 2 of 2/);

  const page = await hn.browser.newPage();
  await page.goto(`${hn.url}/`);
  await page.click('#have-code');
  assert.deepEqual(await axeViolations(page), [], 'axe on the follow-up screen');
  await page.fill('#f-code', english.code.toUpperCase().replaceAll(' ', '-'));
  await page.click('#read-replies');
  await page.waitForSelector('#replies', { timeout: 60000 });
  assert.deepEqual(await axeViolations(page), [], 'axe on the replies');
  const texts = await page.locator('.reply-text').allInnerTexts();
  assert.deepEqual(texts, ['We received your report; we are assessing it.\nNouvelle ligne.']);
  assert.match(await page.locator('.status').innerText(), /action taken/);
  assert.equal(await page.locator('#reply-1-save-1').count(), 1, 'the letter can be saved on request');
  followUp = { page, english, letter };
});

test('the submitter adds information, and the workstation links it to the case', async () => {
  const { page, english } = followUp;
  const extra = randomBytes(2048);
  await page.check('#f-add-bodies-CAT');
  await page.fill('#f-add-narrative', 'Since then, two more visits at night.');
  await page.setInputFiles('#f-add-attachments', [{ name: 'visits.txt', mimeType: 'text/plain', buffer: extra }]);
  await page.click('#send-addition');
  await page.waitForSelector('#addition-sent', { timeout: 60000 });
  assert.deepEqual(await storage(page), kEmptyStorage);
  await page.close();
  const report = hn.importCases();
  assert.match(report, /1 additional information linked/);
  const show = hn.review('show', english.id);
  const added = /additional information: case ([0-9a-f]{32})/.exec(show)[1];
  const json = hn.caseJson(added);
  assert.equal(json.adds_to_case, true);
  assert.equal(json.narrative, 'Since then, two more visits at night.');
  assert.deepEqual(json.bodies, ['CAT']);
  assert.ok(hn.attachments(added)(1).equals(extra), 'the added file arrives byte for byte');
});

test('a wrong code reads nothing, with an answer of the same size and timing', async (t) => {
  const page = await hn.browser.newPage();
  await page.goto(`${hn.url}/`);
  await page.click('#have-code');
  await page.fill('#f-code', 'abandon ability able about above absent absorb abstract absurd abuse');
  await page.click('#read-replies');
  await page.waitForSelector('#no-replies', { timeout: 60000 });
  // Once used, the code is gone from the page: no field, no text.
  assert.equal(await page.locator('#f-code').count(), 0);
  assert.ok(!(await page.content()).includes('abandon ability'), 'the code is still on the page');
  await page.close();

  // Against the gateway directly: the token of the right code and of a
  // wrong one, alternately, 25 times each.
  const { canonicalCode, deriveKeys } = await hn.pageModule('lib/followup.js');
  const { encode } = await hn.pageModule('lib/pb.js');
  const { MailboxRequest } = await hn.pageModule('lib/schemas.js');
  const right = deriveKeys(canonicalCode(followUp.english.code)).token;
  const wrong = deriveKeys(canonicalCode('zoo zone youth wrist world worry wrap yard yellow zebra')).token;
  const https = await import('node:https');
  const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });
  const list = (token) => new Promise((resolve, reject) => {
    const body = Buffer.from(encode({ token }, MailboxRequest));
    const started = process.hrtime.bigint();
    const request = https.request(`${hn.url}/v1/mailbox/list`, { method: 'POST', agent,
      headers: { 'Content-Type': 'application/x-protobuf', 'Content-Length': body.length } }, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode, size: Buffer.concat(chunks).length,
                                         ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    request.on('error', reject);
    request.end(body);
  });
  const timings = { right: [], wrong: [] };
  const sizes = new Set();
  for (let i = 0; i < 25; i++) {
    for (const [name, token] of [['right', right], ['wrong', wrong]]) {
      const answer = await list(token);
      assert.equal(answer.status, 200);
      sizes.add(answer.size);
      timings[name].push(answer.ms);
    }
  }
  agent.destroy();
  assert.equal(sizes.size, 1, `one size for every answer: ${[...sizes]}`);
  const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const [a, b] = [median(timings.right), median(timings.wrong)];
  t.diagnostic(`mailbox list, median of 25: right code ${a.toFixed(2)} ms, wrong code ${b.toFixed(2)} ms; size ${[...sizes][0]} bytes`);
  assert.ok(Math.abs(a - b) < Math.max(2, 0.5 * Math.min(a, b)),
            `median times within noise: right ${a.toFixed(2)} ms, wrong ${b.toFixed(2)} ms`);
});

test('no request left the page\'s origin', () => {
  assert.ok(requests.length > 20);
  const foreign = requests.filter((url) => !url.startsWith(`${hn.url}/`) && url !== 'about:blank');
  assert.deepEqual(foreign, []);
});
