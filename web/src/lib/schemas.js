// schemas.js: the messages of proto/*.proto that the page reads or writes,
// as schemas for pb.js. Field numbers and types mirror the .proto files
// exactly; proto/ENVELOPE.md and the comments of the .proto files give each
// field's meaning and bounds.

const f = (name, type, extra = {}) => ({ name, type, ...extra });
const repeated = (name, type, extra = {}) => ({ name, type, repeated: true, ...extra });

// key_bundle.proto
export const RootEndorsement = {
  1: f('new_root_public_key', 'bytes'),
  2: f('signature', 'bytes'),
};
export const SignedKeyBundle = {
  1: f('key_bundle', 'bytes'),
  2: f('signature', 'bytes'),
  3: f('root_public_key', 'bytes'),
  4: repeated('root_chain', 'message', { message: RootEndorsement }),
  5: f('first_root_public_key', 'bytes'),
};
export const RecipientKey = {
  1: f('key_id', 'string'),
  2: f('body', 'string'),
  3: f('label', 'string'),
  4: f('x25519_public_key', 'bytes'),
  5: f('valid_from_day', 'int64'),
  6: f('valid_until_day', 'int64'),
};
export const KeyBundle = {
  1: f('version', 'uint64'),
  2: f('issued_day', 'int64'),
  3: f('expires_day', 'int64'),
  4: repeated('keys', 'message', { message: RecipientKey }),
  5: repeated('revoked_key_ids', 'string'),
  6: f('lowest_accepted_version', 'uint64'),
};

// api.proto
export const SubmissionReceipt = { 1: f('envelope_id', 'bytes') };
export const UploadRequest = { 1: f('total_length', 'uint64'), 2: f('head', 'bytes') };
export const UploadStatus = {
  1: f('upload_id', 'bytes'),
  2: f('committed_length', 'uint64'),
  3: f('total_length', 'uint64'),
};
export const ErrorBody = { 1: f('code', 'string'), 2: f('message', 'string') };

// submission.proto
export const Reporter = {
  1: f('role', 'enum'),
  2: f('role_other', 'string'),
  3: f('capacity', 'enum'),
  4: f('name', 'string'),
  5: f('organisation', 'string'),
  6: f('is_affected_party', 'bool'),
};
export const YearMonth = { 1: f('year', 'uint32'), 2: f('month', 'uint32') };
export const PartialDate = { 1: f('year', 'uint32'), 2: f('month', 'uint32'), 3: f('day', 'uint32') };
export const Cooperation = {
  1: f('body', 'string'),
  2: f('body_detail', 'string'),
  3: f('kind', 'enum'),
  4: f('kind_other', 'string'),
  5: f('stage', 'enum'),
  6: f('when', 'message', { message: YearMonth }),
  7: f('reference', 'string'),
  8: f('link', 'string'),
};
export const Incident = {
  1: repeated('types', 'enum'),
  2: f('type_other', 'string'),
  3: f('start', 'message', { message: PartialDate }),
  4: f('end', 'message', { message: PartialDate }),
  5: f('ongoing', 'bool'),
  6: f('country', 'string'),
  7: f('place', 'string'),
  8: repeated('perpetrators', 'enum'),
  9: f('perpetrator_detail', 'string'),
  10: f('description', 'string'),
};
export const AffectedParty = {
  1: f('kind', 'enum'),
  2: f('name', 'string'),
  3: f('gender', 'enum'),
  4: f('gender_description', 'string'),
  5: repeated('risk_factors', 'enum'),
  6: f('risk_factor_other', 'string'),
  7: f('relationship', 'string'),
  8: f('occupation', 'string'),
  9: f('organisation', 'string'),
  10: f('nationality', 'string'),
  11: f('group_size', 'uint32'),
};
export const OtherMechanism = {
  1: f('body', 'string'),
  2: f('reference', 'string'),
  3: f('status', 'string'),
};
export const PriorSteps = {
  1: f('domestic_complaint', 'enum'),
  2: f('domestic_details', 'string'),
  3: f('government_response', 'string'),
  4: repeated('other_mechanisms', 'message', { message: OtherMechanism }),
  5: f('updates_reported_case', 'bool'),
  6: repeated('un_document_references', 'string'),
};
export const RiskAndProtection = {
  1: f('level', 'enum'),
  2: f('imminent_danger', 'bool'),
  3: f('details', 'string'),
};
export const ContactPreference = {
  1: f('channel', 'enum'),
  2: f('address', 'string'),
  3: f('safety_notes', 'string'),
  4: repeated('languages', 'string'),
};
export const Consent = {
  1: f('raise_with_state', 'enum'),
  2: f('disclose_identity_to_state', 'enum'),
  3: f('share_within_un', 'enum'),
  4: f('sg_annual_report', 'enum'),
  5: f('publication', 'enum'),
  6: f('contact', 'enum'),
  7: f('given_by', 'enum'),
  8: f('consent_text_version', 'uint32'),
  9: f('share_with_regional_mechanisms', 'enum'),
};
export const FollowUp = {
  1: f('reply_x25519_public_key', 'bytes'),
  2: f('mailbox_id', 'bytes'),
};
export const Attachment = {
  1: f('file_name', 'string'),
  2: f('media_type', 'string'),
  3: f('length', 'uint64'),
  4: f('sha256', 'bytes'),
  5: f('description', 'string'),
};
export const Submission = {
  1: f('format_version', 'uint32'),
  2: f('key_bundle_version', 'uint64'),
  3: f('language', 'string'),
  4: repeated('bodies', 'string'),
  5: f('reporter', 'message', { message: Reporter }),
  6: f('state_concerned', 'string'),
  7: repeated('cooperation', 'message', { message: Cooperation }),
  8: repeated('incidents', 'message', { message: Incident }),
  9: f('narrative', 'string'),
  10: repeated('affected', 'message', { message: AffectedParty }),
  11: f('prior_steps', 'message', { message: PriorSteps }),
  12: f('risk', 'message', { message: RiskAndProtection }),
  13: repeated('requested_actions', 'enum'),
  14: f('contact', 'message', { message: ContactPreference }),
  15: f('consent', 'message', { message: Consent }),
  16: f('follow_up', 'message', { message: FollowUp }),
  17: repeated('attachments', 'message', { message: Attachment }),
  18: f('adds_to_case', 'bool'),
};

// api.proto: follow-up mailboxes
export const MailboxRequest = { 1: f('token', 'bytes') };
export const MailboxListing = { 1: repeated('reply_ids', 'bytes') };
export const MailboxFetchRequest = { 1: f('token', 'bytes'), 2: f('reply_id', 'bytes') };

// followup.proto
export const Reply = {
  1: f('format_version', 'uint32'),
  2: f('kind', 'enum'),
  3: f('text', 'string'),
  4: f('status', 'enum'),
  5: f('day', 'int64'),
  6: f('language', 'string'),
  7: repeated('attachments', 'message', { message: Attachment }),
};
