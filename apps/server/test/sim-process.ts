// The WhatsApp simulator in its own process, driven through its control API: for tests where the
// simulator must not share the test's event loop (Meta is remote; an in-process simulator slowed by
// an embedded database would see our paced requests arrive bunched together), and what to make of
// its outbox.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type {
  DeliveryRecord,
  DispatcherStats,
  LoadOptions,
  LoadStatus,
  OutboxEntry,
  SimConfigInput,
} from '@switchboard/wa-sim';

const bin = fileURLToPath(new URL('../../wa-sim/bin/wa-sim.js', import.meta.url));

export interface SimProcess {
  url: string;
  inbound(body: Record<string, unknown>): Promise<{ id: string }>;
  outbox(filter?: { phoneNumberId?: string; to?: string }): Promise<OutboxEntry[]>;
  setLimits(phoneNumberId: string, limits: { throughputMps: number }): Promise<void>;
  setWebhook(settings: { url: string }): Promise<string>;
  /** Customers send at a steady rate (the simulator's load mode). */
  startLoad(options: LoadOptions): Promise<LoadStatus>;
  /** Webhook delivery counts, and the latest `limit` deliveries with their attempts. */
  webhooks(limit?: number): Promise<{ stats: DispatcherStats; deliveries: DeliveryRecord[] }>;
  close(): Promise<void>;
}

export async function startSimProcess(
  config: SimConfigInput,
  secrets: { appSecret: string; verifyToken: string },
): Promise<SimProcess> {
  const file = join(tmpdir(), `wa-sim-${process.pid}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(config));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      bin,
      '--port',
      '0',
      '--config',
      file,
      '--app-secret',
      secrets.appSecret,
      '--verify-token',
      secrets.verifyToken,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const firstLine = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`wa-sim exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  // Read by the simulator before it printed its address.
  rmSync(file, { force: true });
  const { url } = JSON.parse(firstLine) as { url: string };
  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/_sim/v1${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`wa-sim ${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    url,
    inbound: (body) => control('POST', '/inbound', body),
    async outbox(filter = {}) {
      const query = new URLSearchParams(filter as Record<string, string>).toString();
      return (await control<{ messages: OutboxEntry[] }>('GET', `/outbox?${query}`)).messages;
    },
    async setLimits(phoneNumberId, limits) {
      await control('POST', '/limits', { phoneNumberId, ...limits });
    },
    async setWebhook(settings) {
      return (await control<{ verification: string }>('POST', '/webhook', settings)).verification;
    },
    startLoad: (options) => control('POST', '/load', options),
    webhooks: (limit = 100) => control('GET', `/webhooks?limit=${limit}`),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The text body of a send the simulator took. */
export const bodyOf = (e: OutboxEntry) => (e.request['text'] as { body: string }).body;

/** The most entries in any sliding second (`(t - 1000, t]`, as the simulator counts). */
export function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[start] ?? 0) <= (sorted[end] ?? 0) - 1000) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
