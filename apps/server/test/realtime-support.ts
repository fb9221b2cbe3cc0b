// A realtime test client: a real WebSocket (ws) against a listening app, collecting frames.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { rawText } from '../src/platform/realtime/realtime.gateway.ts';
import type { SwitchboardApp } from '../src/app.ts';
import type { TestNumber } from './whatsapp-support.ts';

export interface Frame {
  seq: number | null;
  type: string;
  conversationId: string | null;
  data: Record<string, unknown>;
  occurredAt: string;
}

export interface RealtimeClient {
  socket: WebSocket;
  frames: Frame[];
  /** Events only (not `ready`/`resync`), in arrival order. */
  events(): Frame[];
  /** The seq of the `ready` frame. */
  readySeq: number;
  waitFor(match: (f: Frame) => boolean, ms?: number): Promise<Frame>;
  closed: Promise<number>;
  close(): Promise<void>;
}

export async function listen(app: SwitchboardApp): Promise<string> {
  const address = await app.http.listen({ host: '127.0.0.1', port: 0 });
  return address.replace(/^http/, 'ws');
}

export interface ConnectOptions {
  cookie?: string;
  apiKey?: string;
  cursor?: number;
  origin?: string;
}

/** Opens a socket; resolves once the server says it is live, or rejects with the HTTP status. */
export function connect(base: string, options: ConnectOptions = {}): Promise<RealtimeClient> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers['cookie'] = `sb_session=${options.cookie}`;
  if (options.apiKey) headers['authorization'] = `Bearer ${options.apiKey}`;
  const query = options.cursor === undefined ? '' : `?cursor=${options.cursor}`;
  const socket = new WebSocket(`${base}/api/v1/realtime${query}`, {
    headers,
    ...(options.origin ? { origin: options.origin } : {}),
  });
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  socket.on('message', (data) => {
    frames.push(JSON.parse(rawText(data)) as Frame);
    for (const w of waiters) w();
  });
  const client: RealtimeClient = {
    socket,
    frames,
    events: () => frames.filter((f) => f.type !== 'ready' && f.type !== 'resync'),
    readySeq: -1,
    closed,
    waitFor(match, ms = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = frames.find(match);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching frame; got ${JSON.stringify(frames.map((f) => f.type))}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    async close() {
      socket.close();
      await closed;
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (req, res) => {
      req.destroy();
      reject(new Error(`HTTP ${res.statusCode}`));
    });
    socket.once('error', reject);
    client
      .waitFor((f) => f.type === 'ready')
      .then((ready) => {
        client.readySeq = ready.seq ?? 0;
        resolve(client);
      }, reject);
  });
}

export const customer = () => `55119${String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, '0')}`;
export const wamid = () => `wamid.${randomBytes(8).toString('hex')}`;

/** A webhook envelope for our number with messages and/or statuses. */
export function envelope(
  number: TestNumber,
  value: { from?: string; messages?: Record<string, unknown>[]; statuses?: Record<string, unknown>[] },
) {
  const ts = String(Math.floor(Date.now() / 1000));
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: number.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550100', phone_number_id: number.phoneNumberId },
              ...(value.from ? { contacts: [{ wa_id: value.from, profile: { name: 'Cliente' } }] } : {}),
              ...(value.messages
                ? { messages: value.messages.map((m) => ({ from: value.from, timestamp: ts, ...m })) }
                : {}),
              ...(value.statuses
                ? { statuses: value.statuses.map((s) => ({ timestamp: ts, recipient_id: '1', ...s })) }
                : {}),
            },
          },
        ],
      },
    ],
  };
}

export const text = (id: string, body: string) => ({ id, type: 'text', text: { body } });
