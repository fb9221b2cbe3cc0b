import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../src/index.ts';

// A loopback webhook receiver that answers the handshake, records every POST with its raw body and
// signature, and answers with whatever status the test chooses.

export interface Received {
  raw: string;
  signature: string;
  body: WebhookBody;
}

export interface WebhookBody {
  object: string;
  entry: { id: string; time?: number; changes: { field: string; value: Record<string, unknown> }[] }[];
}

export interface Receiver {
  url: string;
  received: Received[];
  handshakes: string[];
  /** Status to answer POSTs with; a function lets a test fail the first N attempts. */
  respond: number | ((attempt: number) => number);
  attempts: number;
  close(): Promise<void>;
  /** Resolves when `predicate` holds over everything received so far. */
  waitFor(predicate: (r: Received[]) => boolean, timeoutMs?: number): Promise<Received[]>;
}

export const VERIFY_TOKEN = 'test-verify-token';
export const APP_SECRET = 'test-app-secret';

export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    received: [],
    handshakes: [],
    respond: 200,
    attempts: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    waitFor: async (predicate, timeoutMs = 3000) => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(receiver.received)) {
        if (Date.now() > deadline)
          throw new Error(`timed out; received ${receiver.received.length} webhooks`);
        await new Promise((r) => setTimeout(r, 5));
      }
      return receiver.received;
    },
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET') {
      const ok =
        url.searchParams.get('hub.mode') === 'subscribe' &&
        url.searchParams.get('hub.verify_token') === VERIFY_TOKEN;
      receiver.handshakes.push(url.searchParams.get('hub.challenge') ?? '');
      res.writeHead(ok ? 200 : 403).end(ok ? (url.searchParams.get('hub.challenge') ?? '') : 'forbidden');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const attempt = receiver.attempts++;
      const status = typeof receiver.respond === 'function' ? receiver.respond(attempt) : receiver.respond;
      if (status === 200) {
        const raw = Buffer.concat(chunks).toString('utf8');
        receiver.received.push({
          raw,
          signature: String(req.headers['x-hub-signature-256']),
          body: JSON.parse(raw) as WebhookBody,
        });
      }
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  return receiver;
}

export async function startPair(
  options: SimulatorOptions = {},
): Promise<{ sim: Simulator; rx: Receiver; phoneId: string; token: string }> {
  const rx = await startReceiver();
  const sim = await startSimulator({
    seed: 7,
    webhookUrl: rx.url,
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    ...options,
  });
  const business = sim.businesses[0]!;
  return { sim, rx, phoneId: business.phoneNumbers[0]!.id, token: business.accessToken };
}

export function hmac(raw: string): string {
  return `sha256=${createHmac('sha256', APP_SECRET).update(raw, 'utf8').digest('hex')}`;
}

/** All messages[] / statuses[] items across every received webhook. */
export function collect(received: Received[], key: 'messages' | 'statuses'): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const r of received)
    for (const e of r.body.entry)
      for (const c of e.changes) {
        const list = c.value[key];
        if (Array.isArray(list)) out.push(...(list as Record<string, unknown>[]));
      }
  return out;
}

export async function graph(
  sim: Simulator,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sim.url}/v24.0/${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

export type GraphResult = { status: number; json: Record<string, unknown> };

/** `POST /{phone-number-id}/messages` with `messaging_product` filled in. */
export function sendMessage(
  sim: Simulator,
  token: string,
  phoneId: string,
  body: Record<string, unknown>,
): Promise<GraphResult> {
  return graph(sim, token, 'POST', `${phoneId}/messages`, { messaging_product: 'whatsapp', ...body });
}

/** The wamid of a successful send. */
export function wamidOf(res: GraphResult): string {
  return (res.json['messages'] as { id: string }[])[0]!.id;
}

/**
 * Multipart `POST /{phone-number-id}/media` (fields `messaging_product` and `file`, as in Meta's docs).
 * Sent with node:http: undici's fetch pushes large bodies at ~10-20 MB/s, too slow for the 100 MB
 * document limit.
 */
export async function upload(
  sim: Simulator,
  token: string,
  phoneId: string,
  bytes: Buffer,
  type: string,
  name: string,
): Promise<GraphResult> {
  const boundary = `----wa-sim-test-${Date.now().toString(16)}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="messaging_product"\r\n\r\nwhatsapp\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
        `Content-Type: ${type}\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${sim.url}/v24.0/${phoneId}/media`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': body.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
          resolve({ status: res.statusCode ?? 0, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Waits until the webhook dispatcher has nothing in flight or queued (work parked on the clock aside).
 * On a manual clock, call it before every `advanceClock` so attempt timestamps are reproducible.
 */
export async function settle(sim: Simulator): Promise<void> {
  const deadline = Date.now() + 5000;
  // Quiet for a few event-loop turns (zero-delay work runs on setImmediate), sleeping while busy.
  for (let quiet = 0; quiet < 3;) {
    if (Date.now() > deadline) throw new Error('webhook dispatcher did not settle');
    if (sim.core.dispatcher.busy()) {
      quiet = 0;
      await new Promise((r) => setTimeout(r, 1));
    } else {
      quiet++;
      await new Promise((r) => setImmediate(r));
    }
  }
}

/** `{id, status}` of every status webhook received, in arrival order. */
export function statusTrail(received: Received[]): { id: string; status: string; timestamp: string }[] {
  return collect(received, 'statuses').map((s) => ({
    id: String(s['id']),
    status: String(s['status']),
    timestamp: String(s['timestamp']),
  }));
}

/** Meta's titles for the codes the tests assert (contract doc §4), written out independently of src/. */
const TITLES: Record<number, string> = {
  100: 'Invalid parameter',
  130429: 'Rate limit hit',
  131008: 'Required parameter is missing',
  131009: 'Parameter value is not valid',
  131051: 'Unsupported message type',
  131053: 'Media upload error',
  131056: '(Business Account, Consumer Account) pair rate limit hit',
  132000: 'Number of parameters does not match the expected number of params',
  132001: 'Template name does not exist in the translation',
  132012: 'Parameter format does not match format in the created template',
  133010: 'Account not registered',
};

/** The exact synchronous error envelope Meta returns (contract doc §4), for `toEqual`. */
export function metaError(
  code: number,
  details: string,
  options: { message?: string; subcode?: number } = {},
): Record<string, unknown> {
  return {
    error: {
      message: `(#${code}) ${options.message ?? TITLES[code] ?? '?'}`,
      type: 'OAuthException',
      code,
      error_data: { messaging_product: 'whatsapp', details },
      ...(options.subcode !== undefined ? { error_subcode: options.subcode } : {}),
      fbtrace_id: expect.stringMatching(/^A[\w-]{20,}$/) as unknown,
    },
  };
}
