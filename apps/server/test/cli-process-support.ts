// The `switchboard` CLI run for real, in child processes, for the tests that need whole processes
// (crash tests, several instances on one database): a scratch PostgreSQL database for them to own,
// a command run to completion, `switchboard start` awaited until it says it runs, and an owner
// signed in over HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { expect } from 'vitest';

export const switchboardBin = fileURLToPath(new URL('../bin/switchboard.js', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process with its stdout and stderr as they came, and its exit. */
export interface Proc {
  name: string;
  child: ChildProcess;
  exited: Promise<Exit>;
  output(): string;
}

/** Starts collecting a child's output and watching for its exit. */
export function watchChild(name: string, child: ChildProcess): Proc {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { name, child, exited, output: () => out };
}

/** Sends `signal` to a process still running, and resolves once it has exited. */
export async function kill(proc: Proc | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill(signal);
  await proc.exited;
}

/** Runs the CLI to completion; `out` is its stdout and stderr. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [switchboardBin, ...args], { env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** `switchboard org create` on the pro plan, its owner signing in with `email` and `password`. */
export async function createOrganization(
  env: Record<string, string>,
  org: { name: string; email: string; password: string },
): Promise<{ organizationId: string }> {
  const created = await runCli(
    [
      'org',
      'create',
      '--name',
      org.name,
      '--owner-email',
      org.email,
      '--owner-password',
      org.password,
      '--plan',
      'pro',
      '--json',
    ],
    env,
  );
  expect(created.code, created.out).toBe(0);
  return JSON.parse(created.out) as { organizationId: string };
}

export interface SwitchboardProc extends Proc {
  /** Where it serves HTTP (roles with `api`). */
  url: string | undefined;
}

/**
 * `switchboard start` (`--role` when given; on `port` of loopback when given); resolves once it says
 * it runs. The child goes into `children` (when given) as soon as it is spawned, so that a start
 * that fails leaves nothing the caller cannot stop.
 */
export async function startSwitchboard(
  env: Record<string, string>,
  options: {
    name?: string;
    role?: string;
    port?: number | undefined;
    timeoutMs?: number;
    children?: ChildProcess[];
  } = {},
): Promise<SwitchboardProc> {
  const name = options.name ?? 'server';
  const args = ['start'];
  if (options.role !== undefined) args.push('--role', options.role);
  if (options.port !== undefined) args.push('--host', '127.0.0.1', '--port', String(options.port));
  const child = spawn(process.execPath, [switchboardBin, ...args], { env });
  options.children?.push(child);
  const proc = watchChild(name, child);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start: ${proc.output()}`)),
      options.timeoutMs ?? 60_000,
    );
    child.stdout.on('data', () => {
      if (!/Switchboard is running/.test(proc.output())) return;
      clearTimeout(timer);
      resolve();
    });
    void proc.exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited: ${proc.output()}`));
    });
  });
  return { ...proc, url: /running at (\S+)/.exec(proc.output())?.[1] };
}

export interface ServerProc extends SwitchboardProc {
  url: string;
}

/** `switchboard start` serving HTTP on `port` of loopback, with every role. */
export async function startServer(port: number, env: Record<string, string>): Promise<ServerProc> {
  const server = await startSwitchboard(env, { port });
  if (server.url === undefined) throw new Error(`server printed no address: ${server.output()}`);
  return { ...server, url: server.url };
}

export interface ScratchDatabase {
  url: string;
  /** Removes it, whoever is still connected. */
  drop(): Promise<void>;
}

/** A PostgreSQL database of its own (named `<prefix>_<random>`), created through `adminUrl`. */
export async function createScratchDatabase(adminUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } catch (err) {
    await admin.end();
    throw err;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      try {
        await admin.query(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}

export type Api = <T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) => Promise<T>;

/**
 * Signs in over HTTP; resolves with an `api` calling `url` as that user (session cookie and CSRF
 * token) and the session's `cookie` header (for a WebSocket).
 */
export async function signIn(
  url: string,
  email: string,
  password: string,
): Promise<{ api: Api; cookie: string }> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(200);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('sb_session='));
  expect(cookie).toBeDefined();
  const api: Api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: {
        cookie: cookie!,
        'x-csrf-token': csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return JSON.parse(text) as T;
  };
  return { api, cookie: cookie! };
}
