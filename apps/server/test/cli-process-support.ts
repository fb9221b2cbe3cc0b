// The `switchboard` CLI run for real, in child processes, for the tests that need whole processes
// (crash tests, several instances on one database) and the benchmarks that measure them
// (bench/ingest-scale.bench.ts): a scratch PostgreSQL database for them to own, a command run to
// completion, `switchboard start` awaited until it says it runs, nginx in front of api instances
// with deploy/nginx.conf, and an owner signed in over HTTP. No vitest here: a bench imports it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as connectTcp, createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const switchboardBin = fileURLToPath(new URL('../bin/switchboard.js', import.meta.url));
const exampleNginxConf = fileURLToPath(new URL('../../../deploy/nginx.conf', import.meta.url));

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
  if (created.code !== 0) throw new Error(`org create exited ${created.code}: ${created.out}`);
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

/** nginx from PATH, or where Debian installs it (often outside a user's PATH). */
export function findNginx(): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  return dirs.map((d) => join(d, 'nginx')).find((p) => p.startsWith('/') && existsSync(p));
}

/** Resolves once something accepts connections on the port of loopback. */
export async function accepting(port: number, ms = 30_000): Promise<true> {
  const until = Date.now() + ms;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connectTcp({ host: '127.0.0.1', port });
      socket.on('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return true;
    if (Date.now() > until) throw new Error(`nothing accepts connections on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A free loopback port (for a server that must come back on the same address). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * nginx (`findNginx()`) in the foreground as this user, everything it writes inside `dir`, serving
 * deploy/nginx.conf with only its ports changed: it listens on `port` of loopback, and its upstream
 * has one `server` line per port of `upstreams` (the example's two lines, repeated as needed).
 */
export async function startNginx(options: {
  dir: string;
  port: number;
  upstreams: readonly number[];
  children?: ChildProcess[];
}): Promise<Proc> {
  const { dir, port, upstreams } = options;
  const nginx = findNginx();
  if (nginx === undefined) throw new Error('nginx is not installed (apt-get install nginx)');
  if (upstreams.length === 0) throw new Error('nginx needs at least one upstream');
  let site = readFileSync(exampleNginxConf, 'utf8');
  const swap = (pattern: RegExp, replacement: string | ((match: string, ...groups: string[]) => string)) => {
    const next =
      typeof replacement === 'string'
        ? site.replace(pattern, replacement)
        : site.replace(pattern, replacement);
    if (next === site) throw new Error(`deploy/nginx.conf no longer has ${String(pattern)}`);
    site = next;
  };
  swap(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${port};`);
  // The first example line, once per upstream (same parameters); the second one goes.
  swap(/^(\s*)server 127\.0\.0\.1:3001 (.*)$/m, (_line: string, indent: string, rest: string) =>
    upstreams.map((p) => `${indent}server 127.0.0.1:${p} ${rest}`).join('\n'),
  );
  swap(/^\s*server 127\.0\.0\.1:3002 .*\n/m, '');
  writeFileSync(join(dir, 'switchboard.conf'), site);
  // One process, no privilege switch: it runs as whoever runs it, root included.
  const main = `daemon off;
master_process off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'client_body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  include ${join(dir, 'switchboard.conf')};
}
`;
  writeFileSync(join(dir, 'nginx.conf'), main);
  const child = spawn(nginx, ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')]);
  options.children?.push(child);
  const proc = watchChild('nginx', child);
  const started = await Promise.race([accepting(port), proc.exited]);
  if (started !== true) {
    const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
    throw new Error(`nginx exited: ${proc.output()} ${log}`);
  }
  return proc;
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
  if (res.status !== 200) throw new Error(`sign-in as ${email}: ${res.status} ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('sb_session='));
  if (cookie === undefined) throw new Error(`sign-in as ${email} set no session cookie`);
  const api: Api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return JSON.parse(text) as T;
  };
  return { api, cookie };
}
