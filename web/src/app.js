// app.js: the submission page. It verifies the key bundle against the root
// fingerprint built into the page, leads the person through the form one
// screen at a time, seals everything on the device and uploads the sealed
// envelope. Do no harm: it keeps nothing in any browser storage, registers
// no service worker, sets no cookie, talks only to its own origin, and the
// quick exit leaves at once. The answers live in memory only, in `answers`.
import { demo, onionAddress, rootFingerprint } from './config.js';
import { countryCodes } from './countries.js';
import { clear, fieldId, h } from './dom.js';
import { contactFields, cooperationBodies, emptyAnswers, enums, steps, visibleAnswers } from './form.js';
import { dictionaries, pickLanguage, translator } from './i18n/index.js';
import { Envelope, EnvelopeError, Plaintext } from './lib/envelope.js';
import { AgeError, openAge } from './lib/age_open.js';
import { CodeError, canonicalCode, deriveKeys, generateCode } from './lib/followup.js';
import { GatewayClient, GatewayError } from './lib/gateway.js';
import { ReplyError, readReply } from './lib/reply.js';
import { KeyBundleError, keyForBody, offeredBodies, parseFingerprint, todayUtc,
         verifyKeyBundle } from './lib/keybundle.js';
import { ready } from './lib/sodium.js';
import { SubmissionError, buildSubmission } from './lib/submission.js';

const page = {
  language: pickLanguage(navigator.languages),
  step: 0,
  answers: emptyAnswers(),
  bundle: null,       // the verified KeyBundle
  offered: [],        // bodies that can be chosen today
  keysError: null,    // why the bundle could not be used
  errors: [],         // {path, code} of the current screen
  sending: null,      // {percent} while sealing and sending
  result: null,       // {reference, code} once sent
  wantsCode: true,    // a receipt code for follow-up (FOLLOWUP.md)
  followUp: null,     // the follow-up screen: {keys, replies, error, busy, added}
  sodium: null,
};
const client = new GatewayClient(window.fetch.bind(window));
let t = translator(page.language);
let main;

// --- helpers ---------------------------------------------------------------

function at(object, path) {
  return path.reduce((o, key) => (o == null ? undefined : o[key]), object);
}

function container(path) {
  let node = page.answers;
  for (const key of path) {
    if (node[key] === undefined) node[key] = {};
    node = node[key];
  }
  return node;
}

function formatSize(bytes) {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const number = new Intl.NumberFormat(page.language, { maximumFractionDigits: 1 }).format(value);
  return `${number} ${units[unit]}`;
}

function bodyLabel(code) {
  const known = t(`bodies.${code}`);
  if (known !== `bodies.${code}`) return known;
  return page.offered.find((b) => b.body === code)?.label ?? code;
}

function errorFor(path) {
  const key = path.join('.');
  return page.errors.find((e) => e.path === key || e.path.startsWith(`${key}.`));
}

// --- fields ------------------------------------------------------------------

function describe(id, hintText, path) {
  const parts = [];
  const nodes = [];
  if (hintText) {
    parts.push(`${id}-hint`);
    nodes.push(h('p', { class: 'hint', id: `${id}-hint` }, hintText));
  }
  const error = errorFor(path);
  if (error) {
    parts.push(`${id}-error`);
    nodes.push(h('p', { class: 'field-error', id: `${id}-error` }, t(`errors.${error.code}`)));
  }
  return { describedBy: parts.join(' ') || undefined, nodes };
}

function textInput(field, item, path, label, hint) {
  const id = fieldId(path);
  const { describedBy, nodes } = describe(id, hint, path);
  const common = {
    id, 'aria-describedby': describedBy, maxlength: field.maxlength,
    'aria-invalid': errorFor(path) ? 'true' : undefined,
    // No field is sent to a spelling service; sensitive ones are not even
    // capitalised automatically.
    autocomplete: 'off', spellcheck: 'false',
    autocapitalize: field.sensitive ? 'off' : undefined,
  };
  const value = item[field.key] ?? '';
  const control = field.kind === 'textarea'
    ? h('textarea', { ...common, rows: field.rows ?? 4 }, value)
    : h('input', { ...common, type: field.kind === 'number' ? 'number' : 'text',
                   min: field.kind === 'number' ? 0 : undefined, inputmode: field.kind === 'number' ? 'numeric' : undefined,
                   value });
  control.addEventListener('input', () => { item[field.key] = control.value; });
  return h('div', { class: 'field' }, h('label', { for: id }, label), ...nodes, control);
}

function linesInput(field, item, path, label) {
  const id = fieldId(path);
  const hint = field.inline ? t('app.inlineHint') : t('app.linesHint');
  const { describedBy, nodes } = describe(id, hint, path);
  const values = item[field.key] ?? [];
  const separator = field.inline ? ', ' : '\n';
  const attributes = { id, 'aria-describedby': describedBy, autocomplete: 'off', spellcheck: 'false' };
  const control = field.inline
    ? h('input', { ...attributes, type: 'text', value: values.join(separator) })
    : h('textarea', { ...attributes, rows: 3 }, values.join(separator));
  control.addEventListener('input', () => {
    item[field.key] = control.value.split(field.inline ? ',' : '\n').map((s) => s.trim()).filter(Boolean);
  });
  return h('div', { class: 'field' }, h('label', { for: id }, label), ...nodes, control);
}

function choiceGroup(field, item, path, label, hint, rerender) {
  const id = fieldId(path);
  const multiple = field.kind === 'checks';
  const { describedBy, nodes } = describe(id, hint, path);
  const current = item[field.key];
  const options = enums[field.enum].map((value) => {
    const optionId = fieldId(path, value);
    const checked = multiple ? (current ?? []).includes(value) : Number(current) === value;
    const input = h('input', { type: multiple ? 'checkbox' : 'radio', id: optionId, name: id,
                               value, checked, 'aria-invalid': errorFor(path) ? 'true' : undefined });
    input.addEventListener('change', () => {
      if (multiple) {
        const set = new Set(item[field.key] ?? []);
        if (input.checked) set.add(value); else set.delete(value);
        item[field.key] = [...set].sort((a, b) => a - b);
      } else {
        item[field.key] = value;
      }
      rerender(optionId);
    });
    return h('div', { class: 'choice' }, input, h('label', { for: optionId }, t(`enums.${field.enum}.${value}`)));
  });
  return h('fieldset', {
    class: multiple ? 'choices checks' : 'choices', id, 'aria-describedby': describedBy,
  }, h('legend', {}, label, field.required ? h('span', { class: 'needed' }, ` (${t('app.needed')})`) : null),
  ...nodes, ...options);
}

function selectInput(field, item, path, label, hint, rerender, options) {
  const id = fieldId(path);
  const { describedBy, nodes } = describe(id, hint, path);
  const current = String(item[field.key] ?? '');
  const select = h('select', { id, 'aria-describedby': describedBy,
                               'aria-required': field.required ? 'true' : undefined,
                               'aria-invalid': errorFor(path) ? 'true' : undefined },
    h('option', { value: '' }, t('app.notAnswered')),
    options.map(([value, text]) => h('option', { value, selected: String(value) === current }, text)));
  select.addEventListener('change', () => {
    const numeric = field.kind === 'select';
    item[field.key] = select.value === '' ? (numeric ? 0 : '') : (numeric ? Number(select.value) : select.value);
    rerender(id);
  });
  const needed = field.required ? h('span', { class: 'needed' }, ` (${t('app.needed')})`) : null;
  return h('div', { class: 'field' }, h('label', { for: id }, label, needed), ...nodes, select);
}

function countryOptions() {
  const names = new Intl.DisplayNames([page.language], { type: 'region' });
  const collator = new Intl.Collator(page.language);
  return countryCodes.map((code) => [code, names.of(code) ?? code])
    .sort((a, b) => collator.compare(a[1], b[1]));
}

function bodyOptions() {
  const codes = [...new Set([...page.offered.map((b) => b.body), ...cooperationBodies])];
  return codes.map((code) => [code, bodyLabel(code)]);
}

function dateInput(field, item, path, label, withDay) {
  const id = fieldId(path);
  const value = item[field.key] ?? {};
  const { describedBy, nodes } = describe(id, null, path);
  const update = (key, raw) => {
    const next = { ...(item[field.key] ?? {}) };
    next[key] = Number(raw) || 0;
    item[field.key] = next;
  };
  const year = h('input', { id: `${id}-year`, type: 'number', min: 1900, max: 9999, inputmode: 'numeric',
                            value: value.year || '', autocomplete: 'off' });
  year.addEventListener('input', () => update('year', year.value));
  const monthNames = new Intl.DateTimeFormat(page.language, { month: 'long', timeZone: 'UTC' });
  const month = h('select', { id: `${id}-month` }, h('option', { value: '' }, t('app.notAnswered')),
    Array.from({ length: 12 }, (_, i) => h('option', { value: i + 1, selected: value.month === i + 1 },
                                          monthNames.format(new Date(Date.UTC(2000, i, 1))))));
  month.addEventListener('change', () => update('month', month.value));
  const parts = [
    h('div', { class: 'date-part' }, h('label', { for: `${id}-year` }, t('app.yearLabel')), year),
    h('div', { class: 'date-part' }, h('label', { for: `${id}-month` }, t('app.monthLabel')), month),
  ];
  if (withDay) {
    const day = h('input', { id: `${id}-day`, type: 'number', min: 1, max: 31, inputmode: 'numeric',
                             value: value.day || '', autocomplete: 'off' });
    day.addEventListener('input', () => update('day', day.value));
    parts.push(h('div', { class: 'date-part' }, h('label', { for: `${id}-day` }, t('app.dayLabel')), day));
  }
  return h('fieldset', { class: 'date', id, 'aria-describedby': describedBy },
           h('legend', {}, label), ...nodes, h('div', { class: 'date-parts' }, parts));
}

function boolInput(field, item, path, label, rerender) {
  const id = fieldId(path);
  const input = h('input', { type: 'checkbox', id, checked: Boolean(item[field.key]) });
  input.addEventListener('change', () => {
    item[field.key] = input.checked;
    rerender(id);
  });
  return h('div', { class: 'choice single' }, input, h('label', { for: id }, label));
}

// renderField renders one answer of `item`; labelBase is the dictionary key
// of its labels (e.g. "fields.incidents").
function renderField(field, item, path, labelBase, rerender) {
  if (field.showIf && !field.showIf(item)) return null;
  const fieldPath = [...path, field.key];
  const label = t(`${labelBase}.${field.key}`);
  const hintKey = `${labelBase}.${field.key}_hint`;
  const explainKey = `${labelBase}.${field.key}_explain`;
  const hint = t(hintKey) !== hintKey ? t(hintKey) : (field.explain ? t(explainKey) : null);
  switch (field.kind) {
    case 'text':
    case 'textarea':
    case 'number':
      return textInput(field, item, fieldPath, label, hint);
    case 'lines':
      return linesInput(field, item, fieldPath, label);
    case 'radio':
    case 'checks':
      return choiceGroup(field, item, fieldPath, label, hint, rerender);
    case 'select':
      return selectInput(field, item, fieldPath, label, hint, rerender,
                         enums[field.enum].map((v) => [v, t(`enums.${field.enum}.${v}`)]));
    case 'country':
      return selectInput(field, item, fieldPath, label, hint, rerender, countryOptions());
    case 'bodycode':
      return selectInput(field, item, fieldPath, label, hint, rerender, bodyOptions());
    case 'month':
      return dateInput(field, item, fieldPath, label, false);
    case 'date':
      return dateInput(field, item, fieldPath, label, true);
    case 'bool':
      return boolInput(field, item, fieldPath, label, rerender);
    default:
      throw new Error(`unknown field kind ${field.kind}`);
  }
}

function renderGroup(group, scope, labelBase, rerender) {
  const list = at(page.answers, [...scope, group.key]);
  const base = `${labelBase}.${group.key}`;
  const entries = list.map((item, i) => {
    const path = [...scope, group.key, i];
    const remove = list.length > group.min
      ? h('button', { type: 'button', class: 'secondary', id: fieldId(path, 'remove'),
                      onclick: () => { list.splice(i, 1); rerender(); } }, t('app.remove'))
      : null;
    return h('fieldset', { class: 'entry' },
      h('legend', {}, list.length > 1 || group.min === 0 ? `${t(`${base}.legend`)} ${i + 1}` : t(`${base}.legend`)),
      group.fields.map((field) => renderField(field, item, path, base, rerender)), remove);
  });
  const add = list.length < group.max
    ? h('button', { type: 'button', class: 'secondary', id: fieldId([...scope, group.key], 'add'),
                    onclick: () => { list.push({}); rerender(fieldId([...scope, group.key, list.length - 1], group.fields[0].key)); } },
        `${t('app.add')}: ${t(`${base}.legend`)}`)
    : null;
  return h('div', { class: 'group' }, entries, add);
}

// --- validation ---------------------------------------------------------------

function missing(field, item) {
  if (!field.required || (field.showIf && !field.showIf(item))) return false;
  const value = item[field.key];
  if (field.kind === 'checks') return !value || value.length === 0;
  return value === undefined || value === '' || value === 0;
}

function validateStep(step) {
  const errors = [];
  const check = (fields, item, path) => {
    for (const field of fields ?? []) {
      if (missing(field, item)) errors.push({ path: [...path, field.key].join('.'), code: 'required' });
    }
  };
  const scope = step.scope ?? [];
  if (step.custom === 'bodies' && page.answers.bodies.length === 0) {
    errors.push({ path: 'bodies', code: 'required' });
  }
  if (step.custom === 'bodies' && page.answers.bodies.length > 8) {
    errors.push({ path: 'bodies', code: 'too_many' });
  }
  if (step.fields) check(step.fields, container(scope), scope);
  for (const group of step.groups ?? []) {
    at(page.answers, [...scope, group.key]).forEach((item, i) => check(group.fields, item, [...scope, group.key, i]));
  }
  return errors;
}

// --- screens ------------------------------------------------------------------

function heading(text) {
  return h('h2', { id: 'step-heading', tabindex: '-1' }, text);
}

function errorSummary() {
  if (page.errors.length === 0) return null;
  return h('div', { class: 'error-summary', role: 'alert', id: 'error-summary' },
    h('p', {}, t('errors.heading')),
    h('ul', {}, page.errors.map((e) => h('li', {}, t(`errors.${e.code}`)))));
}

function renderStart() {
  const parts = [
    heading(t('intro.heading')),
    h('p', { class: 'lead' }, t('intro.lead')),
    h('h3', {}, t('intro.risksHeading')),
    h('ul', {}, t('intro.risks').map((r) => h('li', {}, r))),
    h('h3', {}, t('intro.afterHeading')),
    h('p', {}, t('intro.after')),
  ];
  if (!location.hostname.endsWith('.onion')) {
    parts.push(h('section', { class: 'tor', id: 'tor-advice' }, h('h3', {}, t('intro.torHeading')),
      h('p', {}, t('intro.tor')),
      onionAddress ? h('p', {}, t('intro.onion'), ' ', h('code', { id: 'onion-address' }, onionAddress)) : null));
  }
  parts.push(h('h3', {}, t('intro.fingerprintHeading')),
             h('p', {}, t('intro.fingerprint')),
             h('p', {}, h('code', { id: 'root-fingerprint', class: 'fingerprint' }, rootFingerprint)));
  if (page.keysError) {
    parts.push(h('div', { class: 'error-summary', role: 'alert', id: 'keys-error' }, t(`errors.${page.keysError}`)));
  } else if (!page.bundle) {
    parts.push(h('p', { role: 'status' }, t('intro.loading')));
  } else {
    parts.push(h('div', { class: 'nav' },
      h('button', { type: 'button', id: 'start', class: 'primary', onclick: () => go(1) }, t('intro.start')),
      h('button', { type: 'button', id: 'have-code', class: 'secondary', onclick: () => {
        page.followUp = { keys: null, replies: null, error: null, busy: false, added: false,
                          addition: { bodies: [], narrative: '', attachments: [] } };
        renderStep();
        document.getElementById('step-heading')?.focus();
      } }, t('followup.haveCode'))));
  }
  return parts;
}

function renderBodies() {
  const id = fieldId(['bodies']);
  const { describedBy, nodes } = describe(id, null, ['bodies']);
  const invalid = errorFor(['bodies']) ? 'true' : undefined;
  return [h('fieldset', { class: 'choices checks', id, 'aria-describedby': describedBy },
    h('legend', {}, t('fields.bodies'), h('span', { class: 'needed' }, ` (${t('app.needed')})`)), ...nodes,
    page.offered.map(({ body }) => {
      const optionId = fieldId(['bodies'], body);
      const input = h('input', { type: 'checkbox', id: optionId, value: body, 'aria-invalid': invalid,
                                 checked: page.answers.bodies.includes(body) });
      input.addEventListener('change', () => {
        const set = new Set(page.answers.bodies);
        if (input.checked) set.add(body); else set.delete(body);
        page.answers.bodies = page.offered.map((b) => b.body).filter((b) => set.has(b));
      });
      return h('div', { class: 'choice' }, input, h('label', { for: optionId }, bodyLabel(body)));
    }))];
}

function renderAttachments(rerender) {
  const list = page.answers.attachments;
  const picker = h('input', { type: 'file', id: 'f-attachments-add', multiple: true });
  picker.addEventListener('change', () => {
    for (const file of picker.files) {
      if (list.length < 32) list.push({ file, description: '' });
    }
    rerender('f-attachments-add');
  });
  const items = list.map((entry, i) => {
    const id = fieldId(['attachments', i, 'description']);
    const description = h('input', { type: 'text', id, value: entry.description, maxlength: 1024,
                                     autocomplete: 'off', spellcheck: 'false' });
    description.addEventListener('input', () => { entry.description = description.value; });
    return h('li', { class: 'attachment' },
      h('span', { class: 'file-name' }, entry.file.name), ' ', h('span', { class: 'hint' }, formatSize(entry.file.size)),
      h('div', { class: 'field' }, h('label', { for: id }, t('fields.attachments.description')), description),
      h('button', { type: 'button', class: 'secondary', id: fieldId(['attachments', i], 'remove'),
                    onclick: () => { list.splice(i, 1); rerender(); } }, t('fields.attachments.remove')));
  });
  return [
    h('div', { class: 'field' }, h('label', { for: 'f-attachments-add' }, t('fields.attachments.add')), picker),
    list.length ? h('ul', { class: 'attachments' }, items) : h('p', {}, t('fields.attachments.none')),
  ];
}

function renderReview() {
  const consent = page.answers.consent;
  const decisions = [['raise_with_state', 'ConsentDecision'], ['disclose_identity_to_state', 'ConsentDecision'],
    ['share_within_un', 'ConsentDecision'], ['share_with_regional_mechanisms', 'ConsentDecision'],
    ['sg_annual_report', 'DisclosureConsent'],
    ['publication', 'DisclosureConsent'], ['contact', 'ConsentDecision'], ['given_by', 'ConsentGiver']];
  const parts = [
    h('h3', {}, t('fields.review.receivers')),
    h('ul', { id: 'review-bodies' }, page.answers.bodies.map((b) => h('li', {}, bodyLabel(b)))),
    h('h3', {}, t('fields.review.consents')),
    h('dl', { id: 'review-consent' }, decisions.flatMap(([key, en]) => [
      h('dt', {}, t(`fields.consent.${key}`)),
      h('dd', {}, consent[key] ? t(`enums.${en}.${consent[key]}`) : t(`enums.${en}.1`)),
    ])),
    h('p', {}, t('fields.review.attachments', { count: page.answers.attachments.length })),
    (() => {
      const box = h('input', { type: 'checkbox', id: 'f-receipt', checked: page.wantsCode,
                               'aria-describedby': 'f-receipt-hint', disabled: Boolean(page.sending) });
      box.addEventListener('change', () => { page.wantsCode = box.checked; });
      return h('div', { class: 'choice single' }, box, h('label', { for: 'f-receipt' }, t('followup.want')));
    })(),
    h('p', { class: 'hint', id: 'f-receipt-hint' }, t('followup.wantHint')),
  ];
  if (page.sending) {
    parts.push(h('div', { class: 'progress' },
      h('progress', { id: 'send-progress', max: 100, value: page.sending.percent, 'aria-labelledby': 'send-status' }),
      h('p', { id: 'send-status', role: 'status' },
        page.sending.hashing ? t('fields.attachments.hashing', { percent: page.sending.percent })
          : t('fields.review.sending', { percent: page.sending.percent }))));
  } else {
    parts.push(h('button', { type: 'button', id: 'send', class: 'primary', onclick: send }, t('fields.review.send')));
  }
  return parts;
}

function renderSent() {
  return [
    heading(t('steps.sent.title')),
    h('p', { class: 'lead' }, t('steps.sent.intro')),
    h('p', {}, t('intro.after')),
    h('p', {}, t('fields.sent.reference'), ': ', h('code', { id: 'reference' }, page.result.reference)),
    page.result.code ? h('section', { class: 'receipt' },
      h('h3', {}, t('followup.codeHeading')),
      h('p', { class: 'receipt-code', id: 'receipt-code', lang: 'en' }, page.result.code),
      h('ul', {}, t('followup.codeAdvice').map((line) => h('li', {}, line)))) : null,
    h('p', {}, page.result.code ? t('followup.keepOnlyCode') : t('fields.sent.keep')),
    h('button', { type: 'button', id: 'again', class: 'secondary', onclick: () => {
      page.answers = emptyAnswers();
      page.result = null;
      go(0);
    } }, t('fields.sent.again')),
  ];
}

function renderStep(focusId) {
  clear(main);
  const rerender = (id) => renderStep(id ?? document.activeElement?.id);
  if (page.result) {
    main.append(...renderSent());
  } else if (page.followUp) {
    main.append(...renderFollowUp(rerender).filter(Boolean));
  } else {
    const step = steps[page.step];
    const nodes = [];
    if (step.id === 'start') {
      nodes.push(...renderStart());
    } else {
      nodes.push(h('p', { class: 'step-count' }, t('app.step', { n: page.step, total: steps.length - 1 })),
                 heading(t(`steps.${step.id}.title`)), h('p', { class: 'lead' }, t(`steps.${step.id}.intro`)),
                 errorSummary());
      const scope = step.scope ?? [];
      const base = scope.length ? `fields.${scope.join('.')}` : 'fields';
      if (step.custom === 'bodies') nodes.push(...renderBodies());
      if (step.custom === 'attachments') nodes.push(...renderAttachments(rerender));
      if (step.custom === 'review') nodes.push(...renderReview());
      for (const field of step.fields ?? []) nodes.push(renderField(field, container(scope), scope, base, rerender));
      for (const group of step.groups ?? []) nodes.push(renderGroup(group, scope, base, rerender));
      for (const field of step.after ?? []) nodes.push(renderField(field, page.answers, [], 'fields', rerender));
      if (step.contact && Number(page.answers.consent.contact) === 2) {
        nodes.push(h('fieldset', { class: 'entry' }, h('legend', {}, t('fields.consent.channel')),
          contactFields.map((field) => renderField(field, page.answers.contact, ['contact'], 'fields.consent', rerender))));
      }
      const nav = [h('button', { type: 'button', id: 'back', class: 'secondary', onclick: () => go(page.step - 1),
                                  disabled: Boolean(page.sending) }, t('app.back'))];
      if (step.id !== 'review') nav.push(h('button', { type: 'button', id: 'next', class: 'primary', onclick: next }, t('app.next')));
      nodes.push(h('div', { class: 'nav' }, nav));
    }
    main.append(...nodes.filter(Boolean));
  }
  const target = (focusId && document.getElementById(focusId)) || null;
  if (target) target.focus();
}

function go(index) {
  page.errors = [];
  page.step = Math.max(0, Math.min(steps.length - 1, index));
  renderStep();
  document.getElementById('step-heading')?.focus();
  window.scrollTo(0, 0);
}

function next() {
  page.errors = validateStep(steps[page.step]);
  if (page.errors.length > 0) {
    renderStep();
    document.getElementById('error-summary')?.focus();
    const first = page.errors[0].path.split('.');
    const field = document.getElementById(fieldId(first));
    (field?.querySelector('input, select, textarea') ?? field)?.focus();
    return;
  }
  go(page.step + 1);
}

// --- keys and sending -----------------------------------------------------------

async function loadKeys() {
  page.keysError = null;
  try {
    const bytes = await client.keys();
    // A refresh may only move forward (ENVELOPE.md 9.3 step 6).
    page.bundle = verifyKeyBundle(bytes, parseFingerprint(rootFingerprint), todayUtc(), page.bundle);
    page.offered = offeredBodies(page.bundle, todayUtc());
    if (page.offered.length === 0) page.keysError = 'no_bodies';
  } catch (e) {
    page.bundle = null;
    page.keysError = e instanceof KeyBundleError ? e.code
      : e instanceof GatewayError && e.status === 503 ? 'unavailable' : 'network';
  }
}

async function sealAndSend(answers, { followUp = null, addsToCase = false } = {}) {
  const today = todayUtc();
  // ENVELOPE.md 7.1: never seal against a bundle that expired since it was fetched.
  if (page.bundle.expires_day < today) {
    await loadKeys();
    if (page.keysError) throw new KeyBundleError(page.keysError);
  }
  const recipients = answers.bodies.map((body) => keyForBody(page.bundle, body, today));
  if (recipients.some((key) => key === null)) throw new SubmissionError('required', 'bodies');
  const built = await buildSubmission(answers, {
    keyBundleVersion: page.bundle.version, language: page.language, followUp, addsToCase,
    onHashProgress: (done, total) => progress(total ? Math.floor((100 * done) / total) : 100, true),
  });
  const envelope = new Envelope({
    plaintext: new Plaintext(built.bytes, built.blobs, built.digests),
    recipients: recipients.map((key) => key.x25519_public_key),
    keyBundleVersion: page.bundle.version,
    random: (n) => page.sodium.randombytes_buf(n),
  });
  try {
    return await client.send(envelope, (sent, total) => progress(Math.floor((100 * sent) / total), false));
  } finally {
    envelope.wipe();
  }
}

function progress(percent, hashing) {
  page.sending = { percent, hashing };
  const bar = document.getElementById('send-progress');
  const status = document.getElementById('send-status');
  if (bar && status) {
    bar.value = percent;
    status.textContent = hashing ? t('fields.attachments.hashing', { percent })
      : t('fields.review.sending', { percent });
  } else {
    renderStep();
  }
}

// sendSealed seals and sends `answers`; after a "stale key bundle" answer it
// fetches and verifies the current bundle and seals again (ENVELOPE.md 7.6).
async function sendSealed(answers, options) {
  try {
    return await sealAndSend(answers, options);
  } catch (e) {
    if (!(e instanceof GatewayError && e.code === 'stale_key_bundle')) throw e;
    await loadKeys();
    if (page.keysError) throw new KeyBundleError(page.keysError);
    return sealAndSend(answers, options);
  }
}

function wipeKeys(keys) {
  if (!keys) return;
  page.sodium.memzero(keys.replySecret);
  page.sodium.memzero(keys.token);
}

async function send() {
  page.errors = [];
  progress(0, false);
  let keys = null;
  try {
    // The receipt code is drawn here and shown once, after the gateway
    // acknowledged; it is kept nowhere but on the screen that shows it.
    const code = page.wantsCode ? generateCode((n) => page.sodium.randombytes_buf(n)) : null;
    keys = code ? deriveKeys(code) : null;
    const followUp = keys ? { replyPublic: keys.replyPublic, mailboxId: keys.mailboxId } : null;
    const reference = await sendSealed(visibleAnswers(page.answers), { followUp });
    page.sending = null;
    page.result = { reference, code };
    renderStep();
    document.getElementById('step-heading')?.focus();
  } catch (e) {
    page.sending = null;
    const code = e instanceof GatewayError || e instanceof KeyBundleError || e instanceof EnvelopeError
      ? e.code : e instanceof SubmissionError ? e.code : 'generic';
    page.errors = [{ path: e instanceof SubmissionError ? e.field : 'send', code:
      t(`errors.${code}`) === `errors.${code}` ? 'generic' : code }];
    renderStep();
    document.getElementById('error-summary')?.focus();
  } finally {
    wipeKeys(keys);
  }
}

// --- follow-up: reading replies and adding information -------------------------

function errorCodeOf(e) {
  const code = e instanceof CodeError || e instanceof GatewayError || e instanceof KeyBundleError ||
    e instanceof EnvelopeError || e instanceof SubmissionError ? e.code : 'generic';
  return t(`errors.${code}`) === `errors.${code}` ? 'generic' : code;
}

async function readReplies(typed) {
  const state = page.followUp;
  state.error = null;
  state.busy = true;
  renderStep();
  try {
    const code = canonicalCode(typed);
    wipeKeys(state.keys);
    state.keys = deriveKeys(code);
    const ids = await client.listMailbox(state.keys.token);
    const replies = [];
    const seen = new Set();
    // Every id is fetched, fillers too: which ones are real shows only here.
    // A gateway could list one reply many times: each id counts once.
    for (const id of ids) {
      const key = page.sodium.to_hex(id);
      if (seen.has(key)) continue;
      seen.add(key);
      const sealed = await client.fetchReply(state.keys.token, id);
      if (sealed === null) continue;
      try {
        replies.push(readReply(openAge(sealed, state.keys.replySecret)));
      } catch (e) {
        if (!(e instanceof AgeError || e instanceof ReplyError)) throw e;
      }
    }
    // Oldest first by the day each reply states, not the gateway's order.
    state.replies = replies.reverse().sort((a, b) => a.reply.day - b.reply.day);
  } catch (e) {
    state.error = errorCodeOf(e);
  }
  state.busy = false;
  renderStep();
  document.getElementById(state.error ? 'followup-error' : 'replies-heading')?.focus();
}

function saveAttachment(attachment) {
  // Saving writes the file to this device: the person chooses to, warned.
  const url = URL.createObjectURL(new Blob([attachment.bytes], { type: 'application/octet-stream' }));
  const link = h('a', { href: url, download: attachment.name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function renderReply({ reply, attachments }, n) {
  const day = new Intl.DateTimeFormat(page.language, { dateStyle: 'long', timeZone: 'UTC' })
    .format(new Date(reply.day * 86400000));
  return h('article', { class: 'reply', id: `reply-${n}` },
    h('h4', {}, t('followup.replyHeading', { n, day })),
    reply.kind === 2 ? h('p', { class: 'status', id: `reply-${n}-status` },
                         t('followup.status'), ': ', t(`followup.statuses.${reply.status}`)) : null,
    reply.text ? h('p', { class: 'reply-text', id: `reply-${n}-text` }, reply.text) : null,
    attachments.map((a, i) => h('p', {}, h('span', { class: 'file-name' }, a.name), ' ',
      h('button', { type: 'button', class: 'secondary', id: `reply-${n}-save-${i + 1}`,
                    onclick: () => saveAttachment(a) }, t('followup.save')))),
    attachments.length ? h('p', { class: 'hint' }, t('followup.saveHint')) : null);
}

async function sendAddition() {
  const state = page.followUp;
  state.error = null;
  state.addErrors = [];
  if (state.addition.bodies.length === 0) {
    state.error = 'required';
    renderStep();
    document.getElementById('followup-error')?.focus();
    return;
  }
  progress(0, false);
  try {
    const answers = { ...emptyAnswers(), bodies: state.addition.bodies, narrative: state.addition.narrative,
                      attachments: state.addition.attachments, cooperation: [], incidents: [], affected: [] };
    const followUp = { replyPublic: state.keys.replyPublic, mailboxId: state.keys.mailboxId };
    await sendSealed(answers, { followUp, addsToCase: true });
    state.added = true;
    state.addition = { bodies: [], narrative: '', attachments: [] };
  } catch (e) {
    state.error = errorCodeOf(e);
  }
  page.sending = null;
  renderStep();
  document.getElementById(state.error ? 'followup-error' : 'addition-sent')?.focus();
}

function renderAddition(rerender) {
  const addition = page.followUp.addition;
  const narrative = h('textarea', { id: 'f-add-narrative', rows: 6, autocomplete: 'off', spellcheck: 'false',
                                    maxlength: 65536 }, addition.narrative);
  narrative.addEventListener('input', () => { addition.narrative = narrative.value; });
  const picker = h('input', { type: 'file', id: 'f-add-attachments', multiple: true });
  picker.addEventListener('change', () => {
    for (const file of picker.files) if (addition.attachments.length < 32) addition.attachments.push({ file, description: '' });
    rerender('f-add-attachments');
  });
  return h('section', { class: 'addition' },
    h('h3', {}, t('followup.addHeading')),
    h('p', {}, t('followup.addIntro')),
    h('fieldset', { class: 'choices checks' }, h('legend', {}, t('fields.bodies')),
      page.offered.map(({ body }) => {
        const id = `f-add-bodies-${body}`;
        const box = h('input', { type: 'checkbox', id, checked: addition.bodies.includes(body) });
        box.addEventListener('change', () => {
          const set = new Set(addition.bodies);
          if (box.checked) set.add(body); else set.delete(body);
          addition.bodies = page.offered.map((b) => b.body).filter((b) => set.has(b));
        });
        return h('div', { class: 'choice' }, box, h('label', { for: id }, bodyLabel(body)));
      })),
    h('div', { class: 'field' }, h('label', { for: 'f-add-narrative' }, t('followup.addText')), narrative),
    h('div', { class: 'field' }, h('label', { for: 'f-add-attachments' }, t('fields.attachments.add')), picker),
    addition.attachments.length ? h('ul', { class: 'attachments' },
      addition.attachments.map((a) => h('li', {}, a.file.name, ' ', h('span', { class: 'hint' }, formatSize(a.file.size))))) : null,
    page.sending ? h('p', { role: 'status', id: 'send-status' }, t('fields.review.sending', { percent: page.sending.percent }))
      : h('button', { type: 'button', id: 'send-addition', class: 'primary', onclick: sendAddition }, t('followup.addSend')));
}

function renderFollowUp(rerender) {
  const state = page.followUp;
  const input = h('input', { type: 'text', id: 'f-code', autocomplete: 'off', spellcheck: 'false',
                             autocapitalize: 'off', 'aria-describedby': 'f-code-hint' });
  const parts = [
    heading(t('followup.heading')),
    h('p', { class: 'lead' }, t('followup.intro')),
    state.error ? h('div', { class: 'error-summary', role: 'alert', id: 'followup-error', tabindex: '-1' },
                    t(`errors.${state.error}`)) : null,
  ];
  if (!state.keys || state.replies === null) {
    parts.push(
      h('div', { class: 'field' }, h('label', { for: 'f-code' }, t('followup.code')),
        h('p', { class: 'hint', id: 'f-code-hint' }, t('followup.codeHint')), input),
      state.busy ? h('p', { role: 'status' }, t('followup.opening'))
        : h('button', { type: 'button', id: 'read-replies', class: 'primary',
                        onclick: () => readReplies(input.value) }, t('followup.read')));
  } else {
    parts.push(h('h3', { id: 'replies-heading', tabindex: '-1' }, t('followup.repliesHeading')));
    parts.push(state.replies.length === 0 ? h('p', { id: 'no-replies' }, t('followup.none'))
      : h('div', { id: 'replies' }, state.replies.map((r, i) => renderReply(r, i + 1))));
    if (state.added) parts.push(h('p', { id: 'addition-sent', role: 'status', tabindex: '-1' }, t('followup.added')));
    parts.push(renderAddition(rerender));
  }
  parts.push(h('div', { class: 'nav' }, h('button', { type: 'button', id: 'leave-followup', class: 'secondary',
    onclick: () => {
      wipeKeys(state.keys);
      page.followUp = null;
      go(0);
    } }, t('followup.leave'))));
  return parts;
}

// --- the shell ------------------------------------------------------------------

// quickExit erases the answers, empties the page and replaces it, in this
// tab's history, with an empty page: Back does not return here.
function quickExit() {
  page.answers = emptyAnswers();
  if (page.followUp) wipeKeys(page.followUp.keys);
  page.followUp = null;
  document.body.replaceChildren();
  location.replace('about:blank');
}

function setLanguage(language) {
  page.language = language;
  t = translator(language);
  document.documentElement.lang = language;
  document.documentElement.dir = dictionaries[language].meta.dir;
  document.title = t('app.title');
  renderShell();
  renderStep();
}

function renderShell() {
  const header = document.getElementById('header');
  clear(header);
  const select = h('select', { id: 'language' }, Object.entries(dictionaries).map(
    ([code, d]) => h('option', { value: code, lang: code, selected: code === page.language }, d.meta.name)));
  select.addEventListener('change', () => {
    setLanguage(select.value);
    document.getElementById('language').focus();
  });
  header.append(...[
    h('h1', {}, t('app.title')),
    h('div', { class: 'tools' },
      h('label', { for: 'language' }, t('app.language')), select,
      h('button', { type: 'button', id: 'quick-exit', class: 'exit', title: t('app.quickExitHint'),
                    'aria-describedby': 'quick-exit-hint', onclick: quickExit }, t('app.quickExit')),
      h('span', { id: 'quick-exit-hint', class: 'visually-hidden' }, t('app.quickExitHint'))),
    demo ? h('p', { class: 'demo', id: 'demo-banner', role: 'note' }, t('app.demo')) : null,
  ].filter(Boolean));
  const footer = document.getElementById('footer');
  clear(footer);
  footer.append(h('p', {}, t('intro.fingerprintHeading'), ': ', h('code', { class: 'fingerprint' }, rootFingerprint)));
}

async function start() {
  main = document.getElementById('main');
  document.getElementById('app').hidden = false;
  setLanguage(page.language);
  page.sodium = await ready();
  await loadKeys();
  renderStep();
}

start();
