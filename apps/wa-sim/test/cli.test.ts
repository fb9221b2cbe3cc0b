import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_SECRET, VERIFY_TOKEN, collect, hmac, startReceiver, type Receiver } from './helpers.ts';

// The CLI contract: first stdout line is JSON with the businesses (generated or from --config); the
// webhook handshake has run by then; errors are one stderr line and a non-zero exit.

const BIN = fileURLToPath(new URL('../bin/wa-sim.js', import.meta.url));

function run(
  args: string[],
  untilFirstLine: boolean,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (untilFirstLine && stdout.includes('\n')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('wa-sim CLI', () => {
  it('prints the generated business as JSON on the first stdout line', async () => {
    const { stdout } = await run(
      ['--port', '0', '--app-secret', 's', '--verify-token', 't', '--seed', '1'],
      true,
    );
    const first = JSON.parse(stdout.split('\n')[0]!) as {
      url: string;
      businesses: { wabaId: string; accessToken: string; phoneNumbers: { id: string }[] }[];
    };
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.businesses).toHaveLength(1);
    expect(first.businesses[0]!.phoneNumbers).toHaveLength(1);
    expect(first.businesses[0]!.accessToken.length).toBeGreaterThan(8);
  }, 20_000);

  it.each([[['--bogus']], [['--port', 'abc']], [['--config', '/nonexistent/wa-sim.json']]])(
    'fails with one stderr line for %j',
    async (args) => {
      const { code, stderr } = await run(args, false);
      expect(code).not.toBe(0);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^wa-sim: /);
    },
    20_000,
  );
});

/** Starts the CLI and keeps it running; resolves with the parsed first stdout line. */
function start(args: string[]): { child: ChildProcessWithoutNullStreams; first: Promise<FirstLine> } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  running.push(child);
  const first = new Promise<FirstLine>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)) as FirstLine);
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => reject(new Error(`wa-sim exited with ${String(code)}: ${err}`)));
  });
  return { child, first };
}

interface FirstLine {
  url: string;
  port: number;
  businesses: {
    wabaId: string;
    name: string;
    accessToken: string;
    phoneNumbers: { id: string; displayPhoneNumber: string; verifiedName: string }[];
  }[];
}

const running: ChildProcessWithoutNullStreams[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('close', r));
      child.kill('SIGTERM');
      await exited;
    }
  }
  for (const c of cleanups.splice(0)) await c();
});

describe('wa-sim CLI with --config and --webhook-url', () => {
  let rx: Receiver;

  it('serves the configured businesses and customers, after the handshake against --webhook-url', async () => {
    rx = await startReceiver();
    cleanups.push(() => rx.close());
    const dir = mkdtempSync(join(tmpdir(), 'wa-sim-cli-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = join(dir, 'sim.json');
    writeFileSync(
      config,
      JSON.stringify({
        bsuid: false,
        businesses: [
          {
            wabaId: '590000000000001',
            name: 'Acme',
            accessToken: 'token-from-config',
            phoneNumbers: [
              { id: '590000000000011', displayPhoneNumber: '15550001515', verifiedName: 'Acme Sales' },
              { id: '590000000000022', displayPhoneNumber: '15550001516', verifiedName: 'Acme Support' },
            ],
            templates: [{ name: 'hello', language: 'en', category: 'UTILITY' }],
          },
        ],
        customers: [{ waId: '5511955551234', name: 'Ana Config', username: '@ana' }],
        // The flags below override this section.
        webhook: { url: 'http://127.0.0.1:9/nowhere', verifyToken: 'from-config' },
      }),
    );
    const { first } = start([
      '--config',
      config,
      '--webhook-url',
      rx.url,
      '--verify-token',
      VERIFY_TOKEN,
      '--app-secret',
      APP_SECRET,
    ]);
    const line = await first;
    // The handshake ran before the first line was printed, with the flag's token.
    expect(rx.handshakes).toHaveLength(1);
    expect(rx.handshakes[0]).toMatch(/^\d+$/);
    expect(line).toEqual({
      url: `http://127.0.0.1:${line.port}`,
      port: expect.any(Number),
      businesses: [
        {
          wabaId: '590000000000001',
          name: 'Acme',
          accessToken: 'token-from-config',
          phoneNumbers: [
            { id: '590000000000011', displayPhoneNumber: '15550001515', verifiedName: 'Acme Sales' },
            { id: '590000000000022', displayPhoneNumber: '15550001516', verifiedName: 'Acme Support' },
          ],
        },
      ],
    });
    // The configured template exists, and the configured customer's profile is used.
    const templates = await fetch(`${line.url}/v24.0/590000000000001/message_templates`, {
      headers: { authorization: 'Bearer token-from-config' },
    });
    expect(((await templates.json()) as { data: { name: string }[] }).data.map((t) => t.name)).toEqual([
      'hello',
    ]);
    const res = await fetch(`${line.url}/_sim/v1/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        phoneNumberId: '590000000000022',
        from: '5511955551234',
        type: 'text',
        text: { body: 'Olá' },
      }),
    });
    expect(res.status).toBe(200);
    const [received] = await rx.waitFor((r) => r.length === 1);
    expect(received!.signature).toBe(hmac(received!.raw));
    expect(received!.body.entry[0]!.changes[0]!.value['contacts']).toEqual([
      { profile: { name: 'Ana Config', username: '@ana' }, wa_id: '5511955551234' },
    ]);
    expect(collect([received!], 'messages')[0]).toMatchObject({
      from: '5511955551234',
      text: { body: 'Olá' },
    });
  }, 45_000);

  it('--seed generates the same business in two processes', async () => {
    const [a, b] = await Promise.all([start(['--seed', '5']).first, start(['--seed', '5']).first]);
    expect(a.businesses).toEqual(b.businesses);
    expect(a.port).not.toBe(b.port);
  }, 45_000);
});
