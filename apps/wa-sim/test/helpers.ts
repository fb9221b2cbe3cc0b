import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
