// submission.js: turns what the person entered into a Submission message
// (proto/submission.proto) and the attachment streams that follow it in the
// plaintext. Empty answers stay empty: nothing is filled in for the person.
// Every bound of submission.proto is checked here, in bytes, before anything
// is sealed, so that an over-long answer is named to the person instead of
// being refused on the workstation.
import { encode } from './pb.js';
import { Submission } from './schemas.js';
import sodium from './sodium.js';

export const kSubmissionFormatVersion = 1;
// kConsentTextVersion identifies the consent explanations this page shows
// (i18n: consent.*); raise it whenever their meaning changes.
export const kConsentTextVersion = 2;
export const kMaxGroupSize = 1000000;
export const kMaxAttachmentBytesTotal = 1024 * 1024 * 1024 - 1024 * 1024;
const kHashSliceBytes = 1024 * 1024;
const utf8 = new TextEncoder();

export class SubmissionError extends Error {
  constructor(code, field) {
    super(`${code}: ${field}`);
    this.name = 'SubmissionError';
    this.code = code;    // too_long, required, too_many, invalid
    this.field = field;  // the path of the answer, e.g. "incidents.0.place"
  }
}

const bytes = (text) => utf8.encode(text).length;

// Text bounds in bytes, from submission.proto.
const kText = {
  role_other: 256, name: 256, organisation: 256, body_detail: 256, kind_other: 256,
  reference: 256, link: 8192, type_other: 256, place: 256, perpetrator_detail: 1024,
  description: 16384, gender_description: 64, risk_factor_other: 256, relationship: 256,
  occupation: 256, nationality: 2, domestic_details: 8192, government_response: 8192,
  status: 1024, details: 8192, address: 256, safety_notes: 1024, narrative: 65536,
  country: 2, state_concerned: 2,
};

function checkText(object, key, path) {
  const value = object[key] ?? '';
  if (typeof value !== 'string') throw new SubmissionError('invalid', path);
  const limit = kText[key];
  if (limit !== undefined && bytes(value) > limit) throw new SubmissionError('too_long', path);
  return value;
}

function trimmed(text) {
  return (text ?? '').trim();
}

function distinct(values, max, path, min = 0) {
  const set = [...new Set((values ?? []).filter((v) => v > 0))];
  if (set.length < min) throw new SubmissionError('required', path);
  if (set.length > max) throw new SubmissionError('too_many', path);
  return set.sort((a, b) => a - b);
}

function partialDate(date, path, withDay) {
  if (!date) return null;
  const year = Number(date.year) || 0;
  const month = Number(date.month) || 0;
  const day = withDay ? Number(date.day) || 0 : 0;
  if (year === 0 && month === 0 && day === 0) return null;
  // A day requires a month, a month requires a year (PartialDate).
  if ((year !== 0 && (year < 1900 || year > 9999)) || month < 0 || month > 12 || day < 0 ||
      day > 31 || (day > 0 && month === 0) || (month > 0 && year === 0)) {
    throw new SubmissionError('invalid', path);
  }
  if (day > 0 && year > 0 && day > new Date(Date.UTC(year, month, 0)).getUTCDate()) {
    throw new SubmissionError('invalid', path);
  }
  return withDay ? { year, month, day } : { year, month };
}

function textFields(source, keys, prefix) {
  const out = {};
  for (const key of keys) out[key] = trimmed(checkText(source, key, `${prefix}${key}`));
  return out;
}

// fileName keeps what a workstation may show: no path separators or control
// characters, 1..256 bytes, cut at a character boundary.
export function safeFileName(name) {
  let clean = Array.from(name || '', (c) => (c < ' ' || c === '\u007f' || c === '/' || c === '\\' ? '_' : c)).join('');
  while (bytes(clean) > 256) clean = Array.from(clean).slice(0, -1).join('');
  return clean.length > 0 ? clean : 'attachment';
}

// kMediaType is "type/subtype" with RFC 6838 restricted names.
const kMediaType = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

function mediaType(type) {
  return kMediaType.test(type || '') && type.length <= 128 ? type : 'application/octet-stream';
}

// sha256 hashes a Blob a slice at a time; onProgress(done) after each slice.
export async function sha256(blob, onProgress = () => {}) {
  const state = sodium.crypto_hash_sha256_init();
  for (let at = 0; at < blob.size; at += kHashSliceBytes) {
    const slice = new Uint8Array(await blob.slice(at, at + kHashSliceBytes).arrayBuffer());
    sodium.crypto_hash_sha256_update(state, slice);
    onProgress(Math.min(blob.size, at + kHashSliceBytes));
  }
  return sodium.crypto_hash_sha256_final(state);
}

// buildSubmission returns the serialized Submission for `answers` (the
// form's state, named as in submission.proto) with the files in
// answers.attachments ({file: Blob with name and type, description}).
//
// followUp, if given, is {replyPublic, mailboxId} (followup.js), and addsToCase
// marks information added to the case of that receipt code, whose cooperation,
// incidents and affected may be empty (proto/FOLLOWUP.md section 6).
export async function buildSubmission(answers, { keyBundleVersion, language, onHashProgress,
                                                 followUp = null, addsToCase = false }) {
  const bodies = [...new Set(answers.bodies ?? [])];
  if (bodies.length < 1) throw new SubmissionError('required', 'bodies');
  if (bodies.length > 8) throw new SubmissionError('too_many', 'bodies');

  const r = answers.reporter ?? {};
  const reporter = {
    role: Number(r.role) || 0,
    capacity: Number(r.capacity) || 0,
    is_affected_party: Boolean(r.is_affected_party),
    ...textFields(r, ['role_other', 'name', 'organisation'], 'reporter.'),
  };

  const cooperation = (answers.cooperation ?? []).map((c, i) => {
    const p = `cooperation.${i}.`;
    if (!/^[A-Z][A-Z0-9_]{0,31}$/.test(c.body ?? '')) throw new SubmissionError('required', `${p}body`);
    return {
      body: c.body, kind: Number(c.kind) || 0, stage: Number(c.stage) || 0,
      when: partialDate(c.when, `${p}when`, false),
      ...textFields(c, ['body_detail', 'kind_other', 'reference', 'link'], p),
    };
  });
  if (cooperation.length < 1 && !addsToCase) throw new SubmissionError('required', 'cooperation');
  if (cooperation.length > 8) throw new SubmissionError('too_many', 'cooperation');

  const incidents = (answers.incidents ?? []).map((x, i) => {
    const p = `incidents.${i}.`;
    return {
      types: distinct(x.types, 16, `${p}types`, 1),
      perpetrators: distinct(x.perpetrators, 6, `${p}perpetrators`),
      start: partialDate(x.start, `${p}start`, true),
      end: partialDate(x.end, `${p}end`, true),
      ongoing: Boolean(x.ongoing),
      ...textFields(x, ['type_other', 'country', 'place', 'perpetrator_detail', 'description'], p),
    };
  });
  if (incidents.length < 1 && !addsToCase) throw new SubmissionError('required', 'incidents');
  if (incidents.length > 16) throw new SubmissionError('too_many', 'incidents');

  const affected = (answers.affected ?? []).map((a, i) => {
    const p = `affected.${i}.`;
    const size = Number(a.group_size) || 0;
    if (!Number.isInteger(size) || size < 0 || size > kMaxGroupSize) throw new SubmissionError('invalid', `${p}group_size`);
    return {
      kind: Number(a.kind) || 0, gender: Number(a.gender) || 0, group_size: size,
      risk_factors: distinct(a.risk_factors, 13, `${p}risk_factors`),
      ...textFields(a, ['name', 'gender_description', 'risk_factor_other', 'relationship',
                        'occupation', 'organisation', 'nationality'], p),
    };
  });
  if (affected.length < 1 && !addsToCase) throw new SubmissionError('required', 'affected');
  if (affected.length > 32) throw new SubmissionError('too_many', 'affected');

  const ps = answers.prior_steps ?? {};
  const mechanisms = (ps.other_mechanisms ?? []).filter((m) => m.body).map((m, i) => {
    if (!/^[A-Z][A-Z0-9_]{0,31}$/.test(m.body)) throw new SubmissionError('invalid', `prior_steps.other_mechanisms.${i}.body`);
    return { body: m.body, ...textFields(m, ['reference', 'status'], `prior_steps.other_mechanisms.${i}.`) };
  });
  const references = (ps.un_document_references ?? []).map(trimmed).filter((s) => s.length > 0);
  if (references.length > 16 || mechanisms.length > 16) throw new SubmissionError('too_many', 'prior_steps');
  references.forEach((s, i) => {
    if (bytes(s) > 256) throw new SubmissionError('too_long', `prior_steps.un_document_references.${i}`);
  });
  const prior = {
    domestic_complaint: Number(ps.domestic_complaint) || 0,
    updates_reported_case: Boolean(ps.updates_reported_case),
    other_mechanisms: mechanisms, un_document_references: references,
    ...textFields(ps, ['domestic_details', 'government_response'], 'prior_steps.'),
  };

  const rk = answers.risk ?? {};
  const risk = { level: Number(rk.level) || 0, imminent_danger: Boolean(rk.imminent_danger),
                 ...textFields(rk, ['details'], 'risk.') };

  const ct = answers.contact ?? {};
  const languages = (ct.languages ?? []).map(trimmed).filter((s) => s.length > 0);
  if (languages.length > 4) throw new SubmissionError('too_many', 'contact.languages');
  languages.forEach((s, i) => {
    if (!/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$/.test(s) || s.length > 35) {
      throw new SubmissionError('invalid', `contact.languages.${i}`);
    }
  });
  const contact = { channel: Number(ct.channel) || 0, languages,
                    ...textFields(ct, ['address', 'safety_notes'], 'contact.') };

  const cs = answers.consent ?? {};
  const consent = {
    raise_with_state: Number(cs.raise_with_state) || 0,
    disclose_identity_to_state: Number(cs.disclose_identity_to_state) || 0,
    share_within_un: Number(cs.share_within_un) || 0,
    share_with_regional_mechanisms: Number(cs.share_with_regional_mechanisms) || 0,
    sg_annual_report: Number(cs.sg_annual_report) || 0,
    publication: Number(cs.publication) || 0,
    contact: Number(cs.contact) || 0,
    given_by: Number(cs.given_by) || 0,
    consent_text_version: kConsentTextVersion,
  };

  const files = answers.attachments ?? [];
  if (files.length > 32) throw new SubmissionError('too_many', 'attachments');
  const total = files.reduce((n, a) => n + a.file.size, 0);
  if (total > kMaxAttachmentBytesTotal) throw new SubmissionError('too_long', 'attachments');
  const manifest = [];
  let hashed = 0;
  for (let i = 0; i < files.length; i++) {
    const { file, description } = files[i];
    if (bytes(description ?? '') > 1024) throw new SubmissionError('too_long', `attachments.${i}.description`);
    const digest = await sha256(file, (done) => onHashProgress?.(hashed + done, total));
    hashed += file.size;
    manifest.push({ file_name: safeFileName(file.name), media_type: mediaType(file.type),
                    length: file.size, sha256: digest, description: trimmed(description) });
  }

  const narrative = checkText(answers, 'narrative', 'narrative');
  const message = {
    format_version: kSubmissionFormatVersion,
    key_bundle_version: keyBundleVersion,
    language,
    bodies,
    reporter,
    state_concerned: trimmed(checkText(answers, 'state_concerned', 'state_concerned')),
    cooperation,
    incidents,
    narrative: narrative.trim(),
    affected,
    prior_steps: prior,
    risk,
    requested_actions: distinct(answers.requested_actions, 16, 'requested_actions'),
    contact,
    consent,
    attachments: manifest,
    follow_up: followUp ? { reply_x25519_public_key: followUp.replyPublic, mailbox_id: followUp.mailboxId } : null,
    adds_to_case: addsToCase,
  };
  return { bytes: encode(message, Submission), message, blobs: files.map((a) => a.file),
           digests: manifest.map((entry) => entry.sha256) };
}
