// End-to-end support: the built server started as a user starts it (the CLI, in its own process,
// on a fresh data directory), and Debian's Chromium driven by playwright-core.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface RunningServer {
  url: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/** Builds the web app if needed, then runs `switchboard start --demo` on a free loopback port. */
export async function startServer(): Promise<RunningServer> {
  if (!existsSync(join(root, 'apps/web/dist/index.html'))) {
    const build = spawnSync('npm', ['run', 'build', '-w', '@switchboard/web'], {
      cwd: root,
      stdio: 'ignore',
    });
    if (build.status !== 0) throw new Error('web build failed');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'apps/server/bin/switchboard.js'), 'start', '--demo', '--port', '0'],
    { env: { PATH: process.env['PATH'] ?? '', SWITCHBOARD_DATA_DIR: dataDir, LOG_LEVEL: 'warn' } },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    child.stdout?.on('data', () => {
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', () => reject(new Error(`server exited:\n${out}`)));
  });
  return {
    url,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.on('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * An e2e file's last step: closes its browser (if one started), then stops its server whatever
 * happened to the browser, so that no server is left running; resolves with the server's exit code.
 */
export async function closeBrowserAndStop(
  browser: Browser | undefined,
  server: RunningServer,
): Promise<number | null> {
  try {
    await browser?.close();
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server.stop();
}
