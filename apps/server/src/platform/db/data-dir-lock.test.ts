import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import {
  existsSync,
  linkSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError } from './data-dir-lock.ts';

const newDir = () => mkdtempSync(join(tmpdir(), 'sb-lock-'));
const lockFile = (dir: string) => join(dir, 'switchboard.lock');
const DEAD_PID = '999999999';

/**
 * The lock module as plain JavaScript (it imports only Node's own modules), so that racing
 * processes start in a tenth of a second each, without a TypeScript loader.
 */
function compiledLockModule(): string {
  const source = readFileSync(fileURLToPath(new URL('./data-dir-lock.ts', import.meta.url)), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const file = join(mkdtempSync(join(tmpdir(), 'sb-lock-module-')), 'data-dir-lock.mjs');
  writeFileSync(file, outputText);
  return pathToFileURL(file).href;
}

/**
 * A separate process that, told a moment, spins until it and then tries to take the lock. It
 * prints `won` (and holds the lock until its stdin closes) or `locked`.
 */
const racerSource = (lockModule: string) => `
import { acquireDataDirLock } from ${JSON.stringify(lockModule)};
const dir = process.argv[1];
process.stdout.write('ready\\n');
let input = '';
process.stdin.on('data', (d) => {
  input += d;
  if (!input.includes('\\n')) return;
  const at = Number(input.trim());
  while (Date.now() < at) {}
  let lock;
  try {
    lock = acquireDataDirLock(dir);
  } catch (err) {
    process.stdout.write(err.name === 'DataDirLockedError' ? 'locked\\n' : 'error ' + err.message + '\\n');
    process.exit(0);
  }
  process.stdout.write('won\\n');
  process.stdin.on('end', () => { lock.release(); process.exit(0); });
});
`;

interface Racer {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  waitFor(n: number): Promise<void>;
}

function startRacer(lockModule: string, dir: string): Racer {
  const child = spawn(process.execPath, ['--input-type=module', '-e', racerSource(lockModule), dir]);
  const lines: string[] = [];
  let buffered = '';
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
    waiters.splice(0).forEach((w) => w());
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    child,
    lines,
    async waitFor(n) {
      while (lines.length < n) {
        const more = new Promise<void>((resolve) => waiters.push(resolve));
        await Promise.race([more, exited]);
        if (child.exitCode !== null && lines.length < n) {
          throw new Error(`racer exited early: ${lines.join(' | ')} ${stderr}`);
        }
      }
    },
  };
}

/** Starts `count` processes, lets them all try at the same instant, and returns their outcomes. */
async function race(dir: string, count: number): Promise<{ outcomes: string[]; winnerPid: number }> {
  const lockModule = compiledLockModule();
  const racers = Array.from({ length: count }, () => startRacer(lockModule, dir));
  try {
    await Promise.all(racers.map((r) => r.waitFor(1)));
    const at = Date.now() + 300;
    for (const r of racers) r.child.stdin.write(`${at}\n`);
    await Promise.all(racers.map((r) => r.waitFor(2)));
    const outcomes = racers.map((r) => r.lines[1]!);
    const winner = racers.find((r) => r.lines[1] === 'won');
    // While the winner still holds it, the lock names the winner.
    const winnerPid = Number(readFileSync(lockFile(dir), 'utf8'));
    expect(winnerPid).toBe(winner?.child.pid);
    return { outcomes, winnerPid };
  } finally {
    await Promise.all(
      racers.map(
        (r) =>
          new Promise<void>((resolve) => {
            if (r.child.exitCode !== null) return resolve();
            r.child.on('exit', () => resolve());
            r.child.stdin.end();
          }),
      ),
    );
  }
}

const count = (outcomes: string[], value: string) => outcomes.filter((o) => o === value).length;

describe('data directory lock', () => {
  it('refuses a second holder while the first lives, and frees the directory on release', () => {
    const dir = newDir();
    // Another live process (a sleeping child) holds the lock.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    try {
      writeFileSync(lockFile(dir), String(child.pid));
      expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
      expect(() => acquireDataDirLock(dir)).toThrow(
        new RegExp(`in use by another Switchboard process \\(pid ${child.pid}\\)`),
      );
      expect(readFileSync(lockFile(dir), 'utf8')).toBe(String(child.pid));
    } finally {
      child.kill();
    }
  });

  it('takes over a lock left by a process that is gone, and leaves no temporary files', () => {
    const dir = newDir();
    writeFileSync(lockFile(dir), DEAD_PID);
    const lock = acquireDataDirLock(dir);
    expect(readFileSync(lockFile(dir), 'utf8')).toBe(String(process.pid));
    expect(readdirSync(dir)).toEqual(['switchboard.lock']);
    lock.release();
    expect(existsSync(lockFile(dir))).toBe(false);
  });

  it('refuses a second acquisition in the same process, and allows one after release', () => {
    const dir = newDir();
    const lock = acquireDataDirLock(dir);
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    expect(existsSync(lockFile(dir))).toBe(true);
    lock.release();
    lock.release(); // idempotent
    acquireDataDirLock(dir).release();
  });

  it('takes over a lock naming its own pid that it does not hold (a restarted container’s pid 1)', () => {
    const dir = newDir();
    writeFileSync(lockFile(dir), String(process.pid));
    acquireDataDirLock(dir).release();
  });

  it('treats an empty or unreadable lock as held while it is fresh, and never deletes it', () => {
    const dir = newDir();
    for (const content of ['', 'garbage']) {
      writeFileSync(lockFile(dir), content);
      expect(() => acquireDataDirLock(dir)).toThrow(/in use by another Switchboard process \(pid unknown\)/);
      expect(existsSync(lockFile(dir))).toBe(true);
      expect(readFileSync(lockFile(dir), 'utf8')).toBe(content);
    }
    // Old, it was cut short by a crash: taken over.
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockFile(dir), old, old);
    const lock = acquireDataDirLock(dir);
    expect(readFileSync(lockFile(dir), 'utf8')).toBe(String(process.pid));
    lock.release();
  });

  it('waits out a takeover in progress, and skips a claim abandoned by a process that died', () => {
    const dir = newDir();
    writeFileSync(lockFile(dir), DEAD_PID);
    const { dev, ino } = statSync(lockFile(dir));
    // Another process claimed this stale lock and died before removing it.
    linkSync(lockFile(dir), join(dir, `switchboard.lock.takeover-${dev}-${ino}.0`));
    // A fresh claim is another process at work: wait, then give up rather than race it.
    const started = Date.now();
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_500);
    expect(readFileSync(lockFile(dir), 'utf8')).toBe(DEAD_PID);
    // Seconds later, the claim is known to be abandoned.
    const lock = acquireDataDirLock(dir, { now: () => Date.now() + 60_000 });
    expect(readFileSync(lockFile(dir), 'utf8')).toBe(String(process.pid));
    expect(readdirSync(dir)).toEqual(['switchboard.lock']);
    lock.release();
  });

  it('lets exactly one of many processes starting at once take a free directory', async () => {
    const dir = newDir();
    const { outcomes } = await race(dir, 10);
    expect(count(outcomes, 'won'), outcomes.join(',')).toBe(1);
    expect(count(outcomes, 'locked'), outcomes.join(',')).toBe(9);
    expect(existsSync(lockFile(dir))).toBe(false); // released by the winner
  }, 60_000);

  it('lets exactly one of many processes take over a stale lock', async () => {
    const dir = newDir();
    writeFileSync(lockFile(dir), DEAD_PID);
    const { outcomes, winnerPid } = await race(dir, 10);
    expect(count(outcomes, 'won'), outcomes.join(',')).toBe(1);
    expect(count(outcomes, 'locked'), outcomes.join(',')).toBe(9);
    expect(winnerPid).not.toBe(Number(DEAD_PID));
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);
});
