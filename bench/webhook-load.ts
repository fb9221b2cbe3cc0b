// The webhook load client the ingestion benchmarks share (bench/inbound.bench.ts,
// bench/ingest-scale.bench.ts): signed WhatsApp webhooks in Meta's format (one text message per POST,
// 500 customers round-robin, en/es/pt text with emoji) posted over loopback HTTP from a child process
// of its own (`LoadClient` forks this file with `--client`), so the load never shares an event loop
// with the server it measures. A closed-loop burst (`concurrency` POSTs always in flight) or an open
// loop at a fixed rate with an agent's WebSocket timing each message to its `message.created` frame.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { ForkedClient, percentile, serveLoadClient } from './support.ts';

export const APP_SECRET = 'bench-app-secret';
export const PHONE_NUMBER_ID = '109876543210987';
export const WABA_ID = '209876543210987';
export const CUSTOMERS = 500;
const TEXTS = [
  'Hello, I need help with my order',
  'Olá, preciso de ajuda com o pedido ✅',
  '¿Dónde está mi paquete? Gracias 🙏',
  'Meu boleto venceu, vocês podem reenviar?',
];

// ---------------------------------------------------------------------------------------------
// Load client (child process)
// ---------------------------------------------------------------------------------------------

export interface Target {
  port: number;
  path: string;
  /** Sign with the app secret (the webhook), or not (the floor). */
  signed: boolean;
  runId: string;
}

export type ClientSpec =
  | (Target & { kind: 'burst'; concurrency: number; durationMs: number })
  | (Target & { kind: 'paced'; rate: number; durationMs: number; wsUrl: string; apiKey: string });

export interface ClientResult {
  sent: number;
  errors: number;
  errorKinds: Record<string, number>;
  seconds: number;
  ackP50: number;
  ackP99: number;
  ackMax: number;
  /** Paced only: webhook-to-WebSocket latencies and how many frames arrived. */
  e2eP50?: number;
  e2eP99?: number;
  e2eMax?: number;
  delivered?: number;
}

/** The signed-webhook body of text message `n` of a run, from one of `customers` clients. */
export function textWebhookBody(
  account: { wabaId: string; phoneNumberId: string; customers: number; idPrefix: string },
  runId: string,
  n: number,
  text: string,
): string {
  const c = n % account.customers;
  const waId = String(5511900000000 + c);
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: account.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550100', phone_number_id: account.phoneNumberId },
              contacts: [{ profile: { name: `Cliente ${c}` }, wa_id: waId }],
              messages: [
                {
                  from: waId,
                  id: `wamid.${account.idPrefix}.${runId}.${n}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  });
}

const account = { wabaId: WABA_ID, phoneNumberId: PHONE_NUMBER_ID, customers: CUSTOMERS, idPrefix: 'bench' };
const webhookBody = (runId: string, n: number) =>
  textWebhookBody(account, runId, n, `${TEXTS[n % TEXTS.length] ?? ''} #${n}`);

/**
 * POSTs `body` to 127.0.0.1:`port` `path` on `agent`, signed with `appSecret` (Meta's
 * X-Hub-Signature-256) when one is given; resolves with the HTTP status.
 */
export function postWebhook(
  agent: http.Agent,
  port: number,
  path: string,
  body: string,
  appSecret: string | undefined,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    };
    if (appSecret !== undefined) {
      headers['x-hub-signature-256'] = `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
    }
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

function poster(target: Target, agent: http.Agent) {
  const appSecret = target.signed ? APP_SECRET : undefined;
  return (n: number) => postWebhook(agent, target.port, target.path, webhookBody(target.runId, n), appSecret);
}

async function runClient(spec: ClientSpec): Promise<ClientResult> {
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: spec.kind === 'burst' ? spec.concurrency : 256,
  });
  const post = poster(spec, agent);
  const acks: number[] = [];
  const errorKinds: Record<string, number> = {};
  let errors = 0;
  let next = 0;
  const sentAt = new Map<string, number>();
  const one = async () => {
    const n = next++;
    const t0 = performance.now();
    sentAt.set(`wamid.bench.${spec.runId}.${n}`, t0);
    try {
      const status = await post(n);
      if (status === 200) acks.push(performance.now() - t0);
      else {
        errors++;
        errorKinds[`HTTP ${status}`] = (errorKinds[`HTTP ${status}`] ?? 0) + 1;
      }
    } catch (err) {
      errors++;
      const kind = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
    }
  };

  const e2e: number[] = [];
  let socket: WebSocket | undefined;
  if (spec.kind === 'paced') {
    const ws = new WebSocket(`${spec.wsUrl}/api/v1/realtime`, {
      headers: { authorization: `Bearer ${spec.apiKey}` },
    });
    socket = ws;
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject);
      ws.on('message', (raw: Buffer) => {
        const frame = JSON.parse(raw.toString('utf8')) as { type: string; data: { externalId?: string } };
        if (frame.type === 'ready') resolve();
        if (frame.type !== 'message.created' || !frame.data.externalId) return;
        const t = sentAt.get(frame.data.externalId);
        if (t !== undefined) e2e.push(performance.now() - t);
      });
    });
  }

  const t0 = performance.now();
  const end = t0 + spec.durationMs;
  if (spec.kind === 'burst') {
    const worker = async () => {
      while (performance.now() < end) await one();
    };
    await Promise.all(Array.from({ length: spec.concurrency }, worker));
  } else {
    // Open loop: each 10 ms tick sends what the schedule owes, whatever earlier requests do.
    const inFlight: Promise<void>[] = [];
    while (performance.now() < end) {
      const due = Math.floor(((performance.now() - t0) / 1000) * spec.rate);
      while (next < due) inFlight.push(one());
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(inFlight);
  }
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  if (socket) {
    // The stragglers: every acknowledged message should reach the agent.
    const deadline = performance.now() + 30_000;
    while (e2e.length < acks.length && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    socket.close();
  }
  const a = Float64Array.from(acks).sort();
  const e = Float64Array.from(e2e).sort();
  return {
    sent: next,
    errors,
    errorKinds,
    seconds,
    ackP50: percentile(a, 50),
    ackP99: percentile(a, 99),
    ackMax: percentile(a, 100),
    ...(spec.kind === 'paced'
      ? {
          e2eP50: percentile(e, 50),
          e2eP99: percentile(e, 99),
          e2eMax: percentile(e, 100),
          delivered: e.length,
        }
      : {}),
  };
}

export class LoadClient extends ForkedClient<ClientSpec, ClientResult> {
  constructor() {
    super(import.meta.url);
  }
}

// Only as the forked client itself: other scripts import this module from their own `--client` child.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--client')) {
  serveLoadClient(runClient);
}
