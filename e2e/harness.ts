// Helpers for the e2e tests and screenshots that need more than `support.ts` gives: a demo server
// started with a movable clock (`--test-clock`) and extra organizations, the WhatsApp simulator's
// control API, and signed-in API callers.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { RunningServer } from './support.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'apps/server/bin/switchboard.js');

export interface ExtraOrganization {
  name: string;
  email: string;
  password: string;
}

export interface DemoServer extends RunningServer {
  /** The demo's WhatsApp simulator (control API under `/_sim/v1`). */
  simUrl: string;
  /** Moves the server's clock forward; resolves with the server's new time. */
  advanceClock(ms: number): Promise<Date>;
}

/** A port free right now; the server is given it (not 0) so the URLs it shows carry the real port. */
function freePort(preferred = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () => (preferred === 0 ? reject(new Error('no free port')) : resolve(freePort())));
    probe.listen(preferred, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * `switchboard start --demo --test-clock` on 127.0.0.1 and a free port, on a fresh data directory
 * where `switchboard org create` first made each of `organizations`; on `preferredPort` when free.
 */
export async function startDemoServer(
  organizations: ExtraOrganization[] = [],
  options: { preferredPort?: number } = {},
): Promise<DemoServer> {
  if (!existsSync(join(root, 'apps/web/dist/index.html'))) {
    const build = spawnSync('npm', ['run', 'build', '-w', '@switchboard/web'], {
      cwd: root,
      stdio: 'ignore',
    });
    if (build.status !== 0) throw new Error('web build failed');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-'));
  const env = { PATH: process.env['PATH'] ?? '', SWITCHBOARD_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  for (const org of organizations) {
    const made = spawnSync(
      process.execPath,
      [
        bin,
        'org',
        'create',
        '--name',
        org.name,
        '--owner-email',
        org.email,
        '--owner-password',
        org.password,
      ],
      { env, encoding: 'utf8' },
    );
    if (made.status !== 0) throw new Error(`org create failed: ${made.stderr}`);
  }
  const child: ChildProcess = spawn(
    process.execPath,
    [
      bin,
      'start',
      '--demo',
      '--test-clock',
      '--host',
      '127.0.0.1',
      '--port',
      String(await freePort(options.preferredPort)),
    ],
    { env },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    child.stdout?.on('data', () => {
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m?.[1] && /Test clock: on/.test(out)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', () => reject(new Error(`server exited:\n${out}`)));
  });
  const simUrl = /WhatsApp simulator \(chat as a customer\): (\S+?)\/?$/m.exec(out)?.[1] ?? '';
  if (simUrl === '') throw new Error(`no simulator URL in:\n${out}`);
  return {
    url,
    simUrl,
    output: () => out,
    async advanceClock(ms) {
      const res = await fetch(`${url}/_test/clock/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ms }),
      });
      if (res.status !== 200) throw new Error(`clock advance: ${res.status} ${await res.text()}`);
      return new Date(((await res.json()) as { now: string }).now);
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.on('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

export const demoOwner = { email: 'demo@switchboard.local', password: 'switchboard-demo', name: 'Dana Demo' };
export const demoAgent = {
  email: 'agent@switchboard.local',
  password: 'switchboard-demo',
  name: 'Alex Agent',
};

export async function signIn(page: Page, url: string, login: { email: string; password: string }) {
  await page.goto(`${url}/login`);
  await page.getByLabel('Email').fill(login.email);
  await page.getByLabel('Password').fill(login.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('org-name').waitFor();
}

export interface ApiCaller {
  get<T>(path: string): Promise<T>;
  send(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<{ status: number; body: unknown }>;
}

/** Signs in through the API, as the web app does (session cookie + CSRF header). */
export async function apiSignIn(url: string, login: { email: string; password: string }): Promise<ApiCaller> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email: login.email, password: login.password }),
  });
  if (res.status !== 200) throw new Error(`login as ${login.email}: ${res.status}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const headers = { cookie, origin: url, 'x-csrf-token': csrfToken };
  return {
    async get(path) {
      const r = await fetch(`${url}${path}`, { headers });
      if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
      return r.json() as never;
    },
    async send(method, path, body) {
      const r = await fetch(`${url}${path}`, {
        method,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: r.status, body: (await r.json()) as unknown };
    },
  };
}

export interface DemoNumber {
  id: string;
  phoneNumberId: string;
  purpose: string;
}

export async function demoNumber(
  api: ApiCaller,
  purpose: 'Pre-sales' | 'Premium support',
): Promise<DemoNumber> {
  const { items } = await api.get<{ items: DemoNumber[] }>('/api/v1/whatsapp/numbers');
  const found = items.find((n) => n.purpose === purpose);
  if (!found) throw new Error(`no demo number for ${purpose}`);
  return found;
}

/** A customer writes to a number through the simulator (a signed webhook follows). */
export async function customerWrites(
  simUrl: string,
  number: DemoNumber,
  customer: { waId: string; name: string },
  text: string,
): Promise<void> {
  const res = await fetch(`${simUrl}/_sim/v1/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      phoneNumberId: number.phoneNumberId,
      from: customer.waId,
      name: customer.name,
      type: 'text',
      text: { body: text },
    }),
  });
  if (res.status !== 200) throw new Error(`simulator inbound: ${res.status}`);
}

/** What the business sent the customer, as the simulator received it. */
export async function simulatorOutbox(
  simUrl: string,
  number: DemoNumber,
  waId: string,
): Promise<{ type: string; request: unknown }[]> {
  const res = await fetch(`${simUrl}/_sim/v1/outbox?phoneNumberId=${number.phoneNumberId}&to=${waId}`);
  return ((await res.json()) as { messages: { type: string; request: unknown }[] }).messages;
}

/** Waits for the organization's conversation with `waId` to exist, and returns its id. */
export async function conversationWith(api: ApiCaller, waId: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const { items } = await api.get<{ items: { id: string; contact: { waId: string | null } }[] }>(
      '/api/v1/conversations?status=all',
    );
    const found = items.find((c) => c.contact.waId === waId);
    if (found) return found.id;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no conversation with ${waId}`);
}

/** Creates a template on the number and waits for the simulator's review to approve it. */
export async function approvedTemplate(
  api: ApiCaller,
  number: DemoNumber,
  template: { name: string; body: string; examples: string[]; footer?: string },
): Promise<void> {
  const base = `/api/v1/whatsapp/numbers/${number.id}/templates`;
  const created = await api.send('POST', base, {
    name: template.name,
    language: 'en_US',
    category: 'UTILITY',
    components: [
      { type: 'BODY', text: template.body, example: { body_text: [template.examples] } },
      ...(template.footer === undefined ? [] : [{ type: 'FOOTER', text: template.footer }]),
    ],
  });
  if (created.status !== 201) throw new Error(`template: ${created.status} ${JSON.stringify(created.body)}`);
  for (let i = 0; i < 150; i++) {
    const { items } = await api.get<{ items: { name: string; status: string }[] }>(base);
    if (items.find((t) => t.name === template.name)?.status === 'APPROVED') return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`template ${template.name} was not approved`);
}
