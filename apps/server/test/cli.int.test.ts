// The `switchboard` command, run as a user runs it: a separate process, real database.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
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

function run(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...env, ...extraEnv } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe(`switchboard CLI (${engine})`, () => {
  const running: ChildProcess[] = [];
  afterAll(() => running.forEach((c) => c.kill('SIGKILL')));

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

  it('creates an operator who can sign in', async () => {
    const email = uniqueEmail('op');
    const res = await run(['operator', 'create', '--email', email, '--password', 'operator password 1']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(email);
  });

  it.skipIf(engine !== 'pglite')(
    'refuses a second process on the same data directory, and shuts down cleanly on SIGTERM',
    async () => {
      const server = spawn(process.execPath, [bin, 'start', '--port', '0'], { env });
      running.push(server);
      let out = '';
      await new Promise<void>((resolve, reject) => {
        server.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('running at')) resolve();
        });
        server.on('close', () => reject(new Error(`server exited: ${out}`)));
      });
      const url = /running at (\S+)/.exec(out)?.[1];
      expect((await fetch(`${url}/readyz`)).status).toBe(200);

      const second = await run(['migrate']);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(
        /^switchboard: The data directory .* is in use by another Switchboard process \(pid \d+\)/,
      );
      expect(second.stderr.trim().split('\n')).toHaveLength(1);

      const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
      // The directory is free again and the data survived.
      expect((await run(['migrate'])).code).toBe(0);
    },
  );
});
