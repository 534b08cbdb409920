// form.js: the allegation form, step by step, from what the seed documents
// say a focal point or the senior official on reprisals needs (ISHR Reprisals
// Handbook §3.4 and §3.5.1; San José Guidelines paras 10-13). Each answer is
// named by its path in submission.proto; labels come from the i18n
// dictionaries (i18n/*.js) under the same names. Only the bodies, the kind of
// cooperation, the kind of act and the consent decisions are asked for
// before sending: everything else is optional, and an anonymous report with
// only the essentials is accepted.

// Enum values as in submission.proto (0, "not answered", is never offered).
export const enums = {
  ReporterRole: [1, 2, 3, 4, 5, 6],
  ReporterCapacity: [1, 2],
  CooperationKind: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  CooperationStage: [1, 2, 3],
  ReprisalType: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
  PerpetratorKind: [1, 2, 3, 4, 5, 6],
  PartyKind: [1, 2, 3],
  Gender: [1, 2, 3, 4, 5],
  RiskFactor: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
  DomesticComplaint: [1, 2, 3],
  RiskLevel: [1, 2, 3, 4],
  RequestedAction: [1, 2, 3, 4, 5, 6, 7, 8, 9],
  ContactChannel: [1, 2, 3, 4, 5, 6],
  ConsentDecision: [2, 1],  // yes first, then no
  DisclosureConsent: [3, 2, 1],
  ConsentGiver: [1, 2, 3, 4, 5],
};

// cooperationBodies are the codes a cooperation or another mechanism may
// name besides the bodies of the key bundle (submission.proto, Cooperation).
export const cooperationBodies = [
  'CCPR', 'CESCR', 'CERD', 'CEDAW', 'CAT', 'SPT', 'CRC', 'CMW', 'CRPD', 'CED',
  'SPECIAL_PROCEDURES', 'HRC', 'UPR', 'OHCHR', 'UN_FIELD_PRESENCE', 'UN_PEACE_OPERATION',
  'SECURITY_COUNCIL', 'GENERAL_ASSEMBLY', 'ECOSOC_NGO_COMMITTEE', 'IACHR', 'ACHPR',
  'OTHER_UN', 'OTHER_REGIONAL',
];

const text = (key, options = {}) => ({ kind: 'text', key, ...options });
const area = (key, options = {}) => ({ kind: 'textarea', key, ...options });

// Sensitive answers: the browser keeps no autofill entry and sends nothing
// to a spelling service.
const sensitive = { sensitive: true };

export const reporterFields = [
  { kind: 'radio', key: 'role', enum: 'ReporterRole' },
  text('role_other', { showIf: (item) => Number(item.role) === 6 }),
  { kind: 'radio', key: 'capacity', enum: 'ReporterCapacity' },
  text('name', { ...sensitive, maxlength: 256 }),
  text('organisation', { ...sensitive, maxlength: 256 }),
  { kind: 'bool', key: 'is_affected_party' },
];

export const cooperationFields = [
  { kind: 'bodycode', key: 'body', required: true },
  text('body_detail', { maxlength: 256 }),
  { kind: 'select', key: 'kind', enum: 'CooperationKind' },
  text('kind_other', { maxlength: 256, showIf: (item) => Number(item.kind) === 12 }),
  { kind: 'radio', key: 'stage', enum: 'CooperationStage' },
  { kind: 'month', key: 'when' },
  text('reference', { maxlength: 256 }),
  area('link', { ...sensitive, maxlength: 8192 }),
];

export const incidentFields = [
  { kind: 'checks', key: 'types', enum: 'ReprisalType', required: true },
  text('type_other', { maxlength: 256, showIf: (item) => (item.types ?? []).includes(19) }),
  { kind: 'date', key: 'start' },
  { kind: 'bool', key: 'ongoing' },
  { kind: 'date', key: 'end', showIf: (item) => !item.ongoing },
  { kind: 'country', key: 'country' },
  text('place', { ...sensitive, maxlength: 256 }),
  { kind: 'checks', key: 'perpetrators', enum: 'PerpetratorKind' },
  area('perpetrator_detail', { ...sensitive, maxlength: 1024 }),
  area('description', { ...sensitive, maxlength: 16384 }),
];

export const affectedFields = [
  { kind: 'radio', key: 'kind', enum: 'PartyKind' },
  text('name', { ...sensitive, maxlength: 256 }),
  { kind: 'select', key: 'gender', enum: 'Gender' },
  text('gender_description', { maxlength: 64, showIf: (item) => Number(item.gender) === 4 }),
  { kind: 'checks', key: 'risk_factors', enum: 'RiskFactor' },
  text('risk_factor_other', { maxlength: 256, showIf: (item) => (item.risk_factors ?? []).includes(13) }),
  text('relationship', { maxlength: 256 }),
  text('occupation', { maxlength: 256 }),
  text('organisation', { ...sensitive, maxlength: 256 }),
  { kind: 'country', key: 'nationality' },
  { kind: 'number', key: 'group_size', showIf: (item) => Number(item.kind) === 2 },
];

export const mechanismFields = [
  { kind: 'bodycode', key: 'body' },
  text('reference', { maxlength: 256 }),
  area('status', { maxlength: 1024 }),
];

// steps: the screens in order. A `group` repeats its fields for each entry
// of a list (min..max entries); `fields` are answers at the step's `scope`.
export const steps = [
  { id: 'start' },
  { id: 'reporter', scope: ['reporter'], fields: reporterFields },
  { id: 'bodies', custom: 'bodies' },
  { id: 'cooperation', groups: [{ key: 'cooperation', min: 1, max: 8, fields: cooperationFields }] },
  {
    id: 'incidents',
    fields: [{ kind: 'country', key: 'state_concerned' }],
    groups: [{ key: 'incidents', min: 1, max: 16, fields: incidentFields }],
    after: [area('narrative', { ...sensitive, maxlength: 65536, rows: 10 })],
  },
  { id: 'affected', groups: [{ key: 'affected', min: 1, max: 32, fields: affectedFields }] },
  {
    id: 'prior',
    scope: ['prior_steps'],
    fields: [
      { kind: 'radio', key: 'domestic_complaint', enum: 'DomesticComplaint' },
      area('domestic_details', { ...sensitive, maxlength: 8192 }),
      area('government_response', { maxlength: 8192 }),
      { kind: 'bool', key: 'updates_reported_case' },
      { kind: 'lines', key: 'un_document_references', max: 16 },
    ],
    groups: [{ key: 'other_mechanisms', min: 0, max: 16, fields: mechanismFields }],
  },
  {
    id: 'risk',
    scope: ['risk'],
    fields: [
      { kind: 'radio', key: 'level', enum: 'RiskLevel' },
      { kind: 'bool', key: 'imminent_danger' },
      area('details', { ...sensitive, maxlength: 8192 }),
    ],
    after: [{ kind: 'checks', key: 'requested_actions', enum: 'RequestedAction' }],
  },
  { id: 'attachments', custom: 'attachments' },
  {
    id: 'consent',
    scope: ['consent'],
    fields: [
      { kind: 'radio', key: 'raise_with_state', enum: 'ConsentDecision', required: true, explain: true },
      { kind: 'radio', key: 'disclose_identity_to_state', enum: 'ConsentDecision', required: true, explain: true,
        showIf: (item) => Number(item.raise_with_state) === 2 },
      { kind: 'radio', key: 'share_within_un', enum: 'ConsentDecision', required: true, explain: true },
      { kind: 'radio', key: 'share_with_regional_mechanisms', enum: 'ConsentDecision', required: true, explain: true },
      { kind: 'radio', key: 'sg_annual_report', enum: 'DisclosureConsent', required: true, explain: true },
      { kind: 'radio', key: 'publication', enum: 'DisclosureConsent', required: true, explain: true },
      { kind: 'radio', key: 'contact', enum: 'ConsentDecision', required: true, explain: true },
      { kind: 'radio', key: 'given_by', enum: 'ConsentGiver', required: true },
    ],
    contact: true,
  },
  { id: 'review', custom: 'review' },
];

export const contactFields = [
  { kind: 'select', key: 'channel', enum: 'ContactChannel' },
  text('address', { ...sensitive, maxlength: 256 }),
  area('safety_notes', { ...sensitive, maxlength: 1024 }),
  { kind: 'lines', key: 'languages', max: 4, inline: true },
];

// emptyAnswers is a fresh form: one entry in each list that needs one.
export function emptyAnswers() {
  return {
    bodies: [],
    reporter: {},
    state_concerned: '',
    cooperation: [{}],
    incidents: [{}],
    narrative: '',
    affected: [{}],
    prior_steps: { other_mechanisms: [], un_document_references: [] },
    risk: {},
    requested_actions: [],
    contact: { languages: [] },
    consent: {},
    attachments: [],
  };
}

function pruneFields(fields, item) {
  for (const field of fields) {
    if (field.showIf && !field.showIf(item)) delete item[field.key];
  }
}

// visibleAnswers returns a copy of `answers` without the answers the form
// hides (a detail of an option no longer chosen, the contact details when
// contact was refused): what the person took back is never sealed.
export function visibleAnswers(answers) {
  const copy = { ...answers };
  const cloneList = (list) => (list ?? []).map((item) => ({ ...item }));
  copy.reporter = { ...answers.reporter };
  pruneFields(reporterFields, copy.reporter);
  copy.cooperation = cloneList(answers.cooperation);
  copy.cooperation.forEach((item) => pruneFields(cooperationFields, item));
  copy.incidents = cloneList(answers.incidents);
  copy.incidents.forEach((item) => pruneFields(incidentFields, item));
  copy.affected = cloneList(answers.affected);
  copy.affected.forEach((item) => pruneFields(affectedFields, item));
  copy.consent = { ...answers.consent };
  const consentStep = steps.find((step) => step.id === 'consent');
  pruneFields(consentStep.fields, copy.consent);
  // Contact details go only with a YES to contact (ConsentDecision 2).
  copy.contact = Number(copy.consent.contact) === 2 ? { ...answers.contact } : { languages: [] };
  return copy;
}
