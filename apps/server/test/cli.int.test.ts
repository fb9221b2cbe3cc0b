// The `switchboard` command, run as a user runs it: a separate process, real database.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { demoLogin } from '../src/cli/demo-seed.ts';
import { createScratchDatabase } from './cli-process-support.ts';
import { engine, uniqueEmail } from './harness.ts';

const bin = fileURLToPath(new URL('../bin/switchboard.js', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'sb-cli-'));
const env: Record<string, string> = {
  PATH: process.env['PATH'] ?? '',
  LOG_LEVEL: 'warn',
  SWITCHBOARD_DATA_DIR: dataDir,
  ...(engine === 'postgres'
    ? { DATABASE_URL: inject('postgresUrl'), SECRET_KEY: 'cli-test-secret-key-0123456789-abcdef' }
    : {}),
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; one that is still running after a minute is killed (code null). */
function run(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...env, ...extraEnv } });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const running: ChildProcess[] = [];
afterAll(() => running.forEach((c) => c.kill('SIGKILL')));

interface Server {
  child: ChildProcess;
  /** The URL the server prints once it listens. */
  url: Promise<string>;
  /** Resolves with the first output line (now or later) that `match` accepts. */
  line(match: (line: string) => boolean): Promise<string>;
  exited: Promise<number | null>;
}

/** `switchboard start` on 127.0.0.1 and a free port, logging at info level. */
function startServer(): Server {
  const child = spawn(process.execPath, [bin, 'start', '--host', '127.0.0.1', '--port', '0'], {
    env: { ...env, LOG_LEVEL: 'info' },
  });
  running.push(child);
  const lines: string[] = [];
  const watchers: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  let partial = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const l of parts) {
      lines.push(l);
      for (const w of watchers.filter((w) => w.match(l))) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve(l);
      }
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const line = (match: (l: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      const seen = lines.find(match);
      if (seen !== undefined) return resolve(seen);
      watchers.push({ match, resolve });
      void exited.then(() => reject(new Error(`server exited: ${stderr} ${lines.join('\n')}`)));
    });
  const url = line((l) => l.includes('running at')).then((l) => /running at (\S+)/.exec(l)![1]!);
  return { child, url, line, exited };
}

/** True when nothing listens on the port any more (a new connection is refused). */
function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

// Every test starts processes (tsx, then the database): slow on a busy machine.
describe(`switchboard CLI (${engine})`, { timeout: 120_000 }, () => {
  it('creates an organization and prints its ids as JSON', async () => {
    const email = uniqueEmail('cli');
    const res = await run([
      'org',
      'create',
      '--name',
      'Acme CLI',
      '--owner-email',
      email,
      '--owner-password',
      'a long enough password',
      '--json',
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as Record<string, string>;
    expect(out).toMatchObject({
      organizationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      userId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email,
    });
    expect(out['accountNumber']).toMatch(/^SB-\d{4}-\d{4}-\d{2}$/);

    const again = await run([
      'org',
      'create',
      '--name',
      'Dup',
      '--owner-email',
      email,
      '--owner-password',
      'a long enough password',
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toContain('already has an account');
  });

  it('answers bad arguments with one line naming every bad flag, and a non-zero exit', async () => {
    const res = await run([
      'org',
      'create',
      '--name',
      'X',
      '--owner-email',
      'not-an-email',
      '--owner-password',
      'short',
    ]);
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/--owner-email/);
    expect(res.stderr).toMatch(/--owner-password/);

    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('switchboard: unknown command "frobnicate" (see switchboard --help)\n');

    const flag = await run(['migrate', '--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a bad environment before doing anything, listing every problem on one line', async () => {
    const res = await run(['migrate'], { PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain('PORT');
    expect(res.stderr).toContain('LOG_LEVEL');
  });

  it('runs one role of a split deployment on PostgreSQL only, and refuses an unknown role', async () => {
    const bogus = await run(['start', '--role', 'web']);
    expect(bogus.code).toBe(1);
    expect(bogus.stderr.trim().split('\n')).toHaveLength(1);
    expect(bogus.stderr).toContain('SWITCHBOARD_ROLE: must be all, or a comma-separated list');
    if (engine === 'pglite') {
      for (const role of ['worker', 'api', 'worker,scheduler']) {
        const res = await run(['start', '--role', role]);
        expect(res.code, role).toBe(1);
        expect(res.stderr).toBe(
          `switchboard: invalid environment: SWITCHBOARD_ROLE: the ${role} role needs PostgreSQL (set DATABASE_URL); the embedded database runs only the role all\n`,
        );
      }
      return;
    }
    // A worker (and scheduler) serves no HTTP; it says it runs, and stops cleanly on SIGTERM. It
    // gets a database of its own: its jobs would otherwise work the other test files' numbers,
    // sealed with other keys, and say so on stdout.
    const own = await createScratchDatabase(inject('postgresUrl'), 'sb_cli_role');
    const child = spawn(process.execPath, [bin, 'start', '--role', 'worker,scheduler'], {
      env: { ...env, DATABASE_URL: own.url },
    });
    running.push(child);
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await expect.poll(() => stdout, { timeout: 60_000, interval: 100 }).toContain('running as');
    expect(stdout).toBe('Switchboard is running as worker,scheduler (no HTTP; SIGTERM to stop)\n');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await own.drop();
  });

  it('creates an operator who can sign in', async () => {
    const email = uniqueEmail('op');
    const res = await run(['operator', 'create', '--email', email, '--password', 'operator password 1']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(email);
  });

  it('seeds the demo organization once: a second run finds it and changes nothing', async () => {
    const first = await run(['demo', 'seed']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      `Demo organization ready. Sign in as ${demoLogin.email} / ${demoLogin.password}\n`,
    );
    const second = await run(['demo', 'seed']);
    expect(second).toEqual(first);
  });

  it('finishes an in-flight request on SIGTERM, refuses new connections, exits 0, and holds the data directory while it runs', async () => {
    expect((await run(['demo', 'seed'])).code).toBe(0);
    const server = startServer();
    const url = await server.url;
    const port = Number(new URL(url).port);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    if (engine === 'pglite') {
      // A second server, or any other command, on the same directory is refused in one line.
      for (const args of [['start', '--host', '127.0.0.1', '--port', '0'], ['migrate']]) {
        const second = await run(args);
        expect(second.code, args.join(' ')).toBe(1);
        expect(second.stderr).toMatch(
          /^switchboard: The data directory .* is in use by another Switchboard process \(pid \d+\)/,
        );
        expect(second.stderr.trim().split('\n')).toHaveLength(1);
      }
    }

    // A sign-in (argon2 verification) whose headers reach the server before SIGTERM, and whose
    // body is sent only after the server has stopped listening.
    const body = JSON.stringify({ email: demoLogin.email, password: demoLogin.password });
    const inFlight = request(`${url}/api/v1/auth/login`, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'x-request-id': 'in-flight-login',
      },
    });
    const answered = new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
      inFlight.on('response', (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode, body: text }));
      });
      inFlight.on('error', reject);
    });
    inFlight.write(body.slice(0, 10));
    await server.line((l) => l.includes('"msg":"incoming request"') && l.includes('in-flight-login'));

    server.child.kill('SIGTERM');
    await server.line((l) => l.includes('shutting down'));
    await expect.poll(() => connectionRefused(port), { timeout: 15_000, interval: 100 }).toBe(true);
    expect(server.child.exitCode).toBeNull(); // still finishing the request

    inFlight.end(body.slice(10));
    const res = await answered;
    expect(res.status, res.body).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({
      csrfToken: expect.any(String),
      organization: { name: 'Demo Company' },
    });
    expect(await server.exited).toBe(0);

    if (engine === 'pglite') {
      // The directory is free again and the data survived.
      expect((await run(['migrate'])).code).toBe(0);
    }
  }, 180_000);
});
