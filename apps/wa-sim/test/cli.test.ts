import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The CLI contract: first stdout line is JSON with the generated business; errors are one stderr line
// and a non-zero exit.

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
