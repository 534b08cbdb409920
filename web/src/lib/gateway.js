// gateway.js: the page's client of the gateway API (docs/API.md), on its own
// origin only: it fetches the signed key bundle, sends a small envelope in one
// request, and uploads a large one resumably: after a broken connection it
// asks for the committed offset and goes on from there with the same bytes.
// Requests carry no credentials, no referrer and nothing cached.
import { decode, encode } from './pb.js';
import { ErrorBody, MailboxFetchRequest, MailboxListing, MailboxRequest, SubmissionReceipt, UploadRequest,
         UploadStatus } from './schemas.js';

export const kMaxSubmissionBodyBytes = 1024 * 1024;
export const kUploadChunkBytes = 1024 * 1024;
// kHeadBytes is what opens an upload: the framing, headers and age header
// of ENVELOPE.md fit in its first 924 bytes.
export const kHeadBytes = 4096;
export const kMaxAttempts = 8;
export const kMaxSignedKeyBundleBytes = 132 * 1024;
const kIdBytes = 16;
export const kMailboxSlots = 16;
const kMaxSealedReplyBytes = 4 * 1024 * 1024 + 4096;

export class GatewayError extends Error {
  constructor(code, status = 0) {
    super(code);
    this.name = 'GatewayError';
    // An ErrorBody code, or "network", "bad_answer", or "finalize_unknown"
    // (the answer to a finalize was lost: the envelope may well be stored).
    this.code = code;
    this.status = status;
  }
}

const kRequestOptions = {
  credentials: 'omit',
  cache: 'no-store',
  referrerPolicy: 'no-referrer',
  redirect: 'error',
  mode: 'same-origin',
};

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function errorOf(response) {
  try {
    const body = decode(new Uint8Array(await response.arrayBuffer()), ErrorBody);
    return new GatewayError(body.code || 'bad_answer', response.status);
  } catch {
    return new GatewayError('bad_answer', response.status);
  }
}

// kMaxAnswerBytes bounds the API's small protobuf answers.
const kMaxAnswerBytes = 4096;

// boundedBody reads an answer of at most maxBytes, refusing a larger one by
// its Content-Length before reading, or as soon as it passes the bound.
async function boundedBody(response, maxBytes) {
  const declared = Number(response.headers?.get('Content-Length'));
  if (declared > maxBytes) throw new GatewayError('bad_answer', response.status);
  if (!response.body || !response.body.getReader) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > maxBytes) throw new GatewayError('bad_answer', response.status);
    return bytes;
  }
  const reader = response.body.getReader();
  const parts = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new GatewayError('bad_answer', response.status);
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class GatewayClient {
  // fetchImpl is the browser's fetch (injected for tests); base is '' for
  // the page's own origin.
  constructor(fetchImpl, base = '', backoff = (attempt) => 250 * 2 ** attempt) {
    this.fetch = fetchImpl;
    this.base = base;
    this.backoff = backoff;
  }

  async request(method, path, body, type = 'application/octet-stream') {
    let response;
    try {
      const options = { ...kRequestOptions, method };
      if (body !== undefined) {
        options.body = body;
        options.headers = { 'Content-Type': type };
      }
      response = await this.fetch(this.base + path, options);
    } catch {
      throw new GatewayError('network');
    }
    return response;
  }

  async message(response, schema, expected, maxBytes = kMaxAnswerBytes) {
    if (!expected.includes(response.status)) throw await errorOf(response);
    const bytes = await boundedBody(response, maxBytes);
    try {
      return decode(bytes, schema);
    } catch {
      throw new GatewayError('bad_answer', response.status);
    }
  }

  // keys returns the bytes of the installed SignedKeyBundle, unverified.
  async keys() {
    const response = await this.request('GET', '/v1/keys');
    if (response.status !== 200) throw await errorOf(response);
    return boundedBody(response, kMaxSignedKeyBundleBytes);
  }

  static receiptId(receipt) {
    if (receipt.envelope_id.length !== kIdBytes) throw new GatewayError('bad_answer');
    return hex(receipt.envelope_id);
  }

  // send uploads an Envelope (envelope.js) and returns the envelope id as
  // hex. onProgress(sent, total) is called as bytes are acknowledged.
  async send(envelope, onProgress = () => {}) {
    if (envelope.length <= kMaxSubmissionBodyBytes) {
      const bytes = await envelope.bytesAt(0, envelope.length);
      envelope.verify();
      // A retry after a lost answer may store the envelope twice; the
      // workstation then sees the same report twice, never none.
      const receipt = await this.withRetries(async () => this.message(
        await this.request('POST', '/v1/submissions', bytes), SubmissionReceipt, [201]));
      onProgress(envelope.length, envelope.length);
      return GatewayClient.receiptId(receipt);
    }
    return this.upload(envelope, onProgress);
  }

  // withRetries retries `step` after a network failure or 503, up to
  // kMaxAttempts times; any other error is final.
  async withRetries(step) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await step();
      } catch (e) {
        const transient = e instanceof GatewayError && (e.code === 'network' || e.status === 503);
        if (!transient || attempt + 1 >= kMaxAttempts) throw e;
        await sleep(this.backoff(attempt));
      }
    }
  }

  // listMailbox returns the 16 reply ids of the mailbox of `token`
  // (proto/FOLLOWUP.md 3.1); fillers cannot be told from replies until
  // fetched.
  async listMailbox(token) {
    const listing = await this.message(
      await this.request('POST', '/v1/mailbox/list', encode({ token }, MailboxRequest), 'application/x-protobuf'),
      MailboxListing, [200]);
    if (listing.reply_ids.length !== kMailboxSlots || listing.reply_ids.some((id) => id.length !== kIdBytes)) {
      throw new GatewayError('bad_answer');
    }
    return listing.reply_ids;
  }

  // fetchReply returns the sealed reply `id`, or null for a filler.
  async fetchReply(token, id) {
    const response = await this.request('POST', '/v1/mailbox/fetch',
      encode({ token, reply_id: id }, MailboxFetchRequest), 'application/x-protobuf');
    if (response.status === 404) return null;
    if (response.status !== 200) throw await errorOf(response);
    return boundedBody(response, kMaxSealedReplyBytes);
  }

  // checkedStatus refuses an UploadStatus that is not about this envelope or
  // whose offset is outside it.
  static checkedStatus(status, envelope) {
    if (status.upload_id.length !== kIdBytes || status.total_length !== envelope.length ||
        status.committed_length > envelope.length) {
      throw new GatewayError('bad_answer');
    }
    return status;
  }

  async upload(envelope, onProgress) {
    const head = await envelope.bytesAt(0, Math.min(kHeadBytes, envelope.length));
    const opened = GatewayClient.checkedStatus(await this.withRetries(async () => this.message(
      await this.request('POST', '/v1/uploads',
                         encode({ total_length: envelope.length, head }, UploadRequest),
                         'application/x-protobuf'),
      UploadStatus, [201])), envelope);
    const id = hex(opened.upload_id);
    let committed = opened.committed_length;
    onProgress(committed, envelope.length);
    // failures counts attempts in a row that moved the offset nowhere, so
    // that a gateway that answers without progressing cannot keep the page
    // sending forever.
    let failures = 0;
    while (committed < envelope.length) {
      const before = committed;
      try {
        const chunk = await envelope.bytesAt(committed, kUploadChunkBytes);
        const status = GatewayClient.checkedStatus(await this.message(
          await this.request('PUT', `/v1/uploads/${id}?offset=${committed}`, chunk),
          UploadStatus, [200]), envelope);
        committed = status.committed_length;
      } catch (e) {
        const transient = e instanceof GatewayError &&
          (e.code === 'network' || e.status === 503 || e.code === 'conflict');
        if (!transient || failures + 1 >= kMaxAttempts) throw e;
        await sleep(this.backoff(failures));
        // The connection broke, or the offset moved on: ask where to go on.
        const status = GatewayClient.checkedStatus(await this.withRetries(async () => this.message(
          await this.request('GET', `/v1/uploads/${id}`), UploadStatus, [200])), envelope);
        committed = status.committed_length;
      }
      failures = committed > before ? 0 : failures + 1;
      if (failures >= kMaxAttempts) throw new GatewayError('bad_answer');
      onProgress(committed, envelope.length);
    }
    envelope.verify();  // nothing is finalized unless the manifest held
    let answer;
    try {
      answer = await this.request('POST', `/v1/uploads/${id}/finalize`, new Uint8Array(0));
    } catch {
      // Finalizing twice answers "not found" whether or not the first one
      // worked, so a lost answer is reported as such, not retried.
      throw new GatewayError('finalize_unknown');
    }
    return GatewayClient.receiptId(await this.message(answer, SubmissionReceipt, [201]));
  }
}
