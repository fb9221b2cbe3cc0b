// What every benchmark shares: a fresh migrated database per engine, percentiles, CPU counters,
// the machine's facts, rewriting one marked block of RESULTS.md, command-line errors, the owner's
// sign-in, and the forked load-client process.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Engine = 'pglite' | 'postgres';

export const RESULTS_PATH = fileURLToPath(new URL('RESULTS.md', import.meta.url));
export const SECRET_KEY = 'bench-secret-key-that-is-long-enough-0123456789';

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

export function fmt(n: number | undefined, digits = 1): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * The engines a run covers, from `--engine` and BENCH_DATABASE_URL (an admin URL on loopback;
 * `both` is the default when it is set, otherwise `pglite`).
 */
export function enginesFrom(flag: string | undefined): { engines: Engine[]; adminUrl: string } {
  const envUrl = process.env['BENCH_DATABASE_URL'];
  const adminUrl = envUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const which = flag ?? (envUrl ? 'both' : 'pglite');
  if (which !== 'pglite' && which !== 'postgres' && which !== 'both') {
    throw new Error(`--engine must be pglite, postgres or both (got ${which})`);
  }
  const host = new URL(adminUrl).hostname;
  if (which !== 'pglite' && host !== '127.0.0.1' && host !== 'localhost') {
    throw new Error(`BENCH_DATABASE_URL must point at 127.0.0.1 (got ${host})`);
  }
  return { engines: which === 'both' ? ['pglite', 'postgres'] : [which], adminUrl };
}

/** A bad command line: the scripts print its one-line message and exit 2. */
export class UsageError extends Error {}

/** `fn`'s result, its error (e.g. from parseArgs) rethrown as a UsageError. */
export function usageErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The whole number `raw` given to `--<name>`, from `min` to `max`; a UsageError otherwise. */
export function intArg(name: string, raw: string | undefined, min: number, max: number): number {
  const n = Number(raw);
  if (raw === undefined || !/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got ${raw ?? 'nothing'})`);
  }
  return n;
}

/** Ends a script that failed: `<script>: <message>` on stderr, exit 2 for a UsageError, else 1. */
export function exitWithError(script: string, err: unknown): never {
  console.error(`${script}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(err instanceof UsageError ? 2 : 1);
}

/** Runs registered cleanups in reverse order, reporting (not throwing) their failures. */
export class Cleanups {
  private readonly fns: (() => Promise<void> | void)[] = [];
  push(fn: () => Promise<void> | void): void {
    this.fns.push(fn);
  }
  async run(): Promise<void> {
    for (const fn of this.fns.reverse()) {
      try {
        await fn();
      } catch (err) {
        console.error('cleanup failed:', err);
      }
    }
    this.fns.length = 0;
  }
}

/**
 * A fresh, migrated database on `engine` (PostgreSQL: a `switchboard_bench_<random>` database
 * dropped at cleanup; PGlite: a temporary data directory) and the production configuration for it.
 */
export async function openBenchDatabase(engine: Engine, adminUrl: string, cleanups: Cleanups) {
  // Imported here so a load client's process does not load the server.
  const { parseConfig } = await import('../apps/server/src/config.ts');
  const { openPglite } = await import('../apps/server/src/platform/db/pglite.ts');
  const { openPostgres } = await import('../apps/server/src/platform/db/postgres.ts');
  const { default: pg } = await import('pg');
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    SECRET_KEY,
  };
  if (engine === 'postgres') {
    const name = `switchboard_bench_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl, application_name: 'switchboard-bench' });
    await admin.connect();
    cleanups.push(() => admin.end());
    await admin.query(`create database ${name}`);
    cleanups.push(async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
    });
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    env['DATABASE_URL'] = url.toString();
  }
  const config = parseConfig(env);
  let database;
  if (config.database.kind === 'postgres') {
    database = openPostgres(config.database);
  } else {
    const dir = mkdtempSync(join(os.tmpdir(), 'switchboard-bench-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    database = await openPglite({ dataDir: dir });
  }
  cleanups.push(() => database.close());
  await database.migrate();
  const rows = (await database.executeSql('select version() as v')).rows as { v: string }[];
  const version = rows[0]?.v ?? 'unknown';
  let settings: string | undefined;
  if (engine === 'postgres') {
    const s = (
      await database.executeSql(
        "select string_agg(name || ' = ' || current_setting(name), ', ' order by name) as s " +
          "from pg_settings where name in ('fsync', 'synchronous_commit', 'shared_buffers', 'max_connections')",
      )
    ).rows as { s: string }[];
    settings = s[0]?.s;
  }
  return { config, database, version, settings };
}

/** CPU seconds used so far by every `postgres` process on this machine (Linux /proc). */
export function postgresCpuSeconds(): number | undefined {
  let ticks = 0;
  let found = false;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const close = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
    // Fields after the command: state(3) ... utime(14) stime(15) cutime(16) cstime(17).
    const f = stat.slice(close + 2).split(' ');
    ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    found = true;
  }
  return found ? ticks / 100 : undefined; // USER_HZ is 100 on Linux
}

/** CPU seconds (user + system) used so far by one process (Linux /proc); undefined once it is gone. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime; USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** Machine-wide busy and steal CPU seconds so far (first line of /proc/stat). */
export function machineCpuSeconds(): { busy: number; steal: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    // cpu user nice system idle iowait irq softirq steal guest guest_nice
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    if (steal === undefined) return undefined;
    const busy = [user, nice, system, irq, softirq].reduce<number>((a, b) => a + (b ?? 0), 0);
    return { busy: busy / 100, steal: steal / 100 };
  } catch {
    return undefined;
  }
}

export function machineFacts(dbVersions: string[]): string {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const mem = os.totalmem() / 1024 ** 3;
  return [
    `- CPU: ${model} (from /proc/cpuinfo), \`nproc\` = ${os.availableParallelism()}`,
    `- Memory: ${fmt(mem, 1)} GiB total`,
    `- Node ${process.version}, ${os.type()} ${os.release()}`,
    ...dbVersions.map((v) => `- Database: ${v.split(' on ')[0] ?? v}`),
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
  ].join('\n');
}

/**
 * Rewrites the text between `<!-- <marker>:start -->` and `<!-- <marker>:end -->` in RESULTS.md,
 * adding `skeleton` (a section holding those markers) first when `section` is missing.
 */
export function updateResults(
  path: string,
  section: string,
  skeleton: () => string,
  blocks: Map<string, string>,
): void {
  let text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n';
  if (!text.includes(section)) text = `${text.trimEnd()}\n\n${skeleton()}\n`;
  for (const [marker, block] of blocks) {
    const start = `<!-- ${marker}:start -->`;
    const end = `<!-- ${marker}:end -->`;
    const i = text.indexOf(start);
    const j = text.indexOf(end);
    if (i < 0 || j < i) throw new Error(`${path}: markers ${marker} are missing`);
    text = `${text.slice(0, i + start.length)}\n${block}\n${text.slice(j)}`;
  }
  writeFileSync(path, text);
}

/** Signs in on the app at `base`: the CSRF token and the `sb_session=…` cookie to send with it. */
export async function signInOwner(
  base: string,
  email: string,
  password: string,
): Promise<{ csrfToken: string; cookie: string }> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = /sb_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0] ?? '';
  return { csrfToken, cookie };
}

// ---------------------------------------------------------------------------------------------
// Load client: a script forks itself with `--client`, so the load never shares the server's event
// loop; the parent sends one request at a time over IPC and the child answers each.
// ---------------------------------------------------------------------------------------------

type Reply<Res> = { ok: true; result: Res } | { ok: false; error: string };

/** The parent's end: `scriptUrl` (the caller's `import.meta.url`) forked with `--client`. */
export class ForkedClient<Req extends object, Res> {
  readonly child: ChildProcess;

  constructor(scriptUrl: string) {
    this.child = fork(fileURLToPath(scriptUrl), ['--client'], { stdio: 'inherit' });
  }

  /** The client process (its CPU is read from /proc). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends `req` and waits for its reply; rejects if the child exits first. */
  run(req: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load client exited (${code ?? 'signal'})`));
      this.child.once('exit', onExit);
      this.child.once('message', (m: Reply<Res>) => {
        this.child.off('exit', onExit);
        if (m.ok) resolve(m.result);
        else reject(new Error(m.error));
      });
      this.child.send(req);
    });
  }

  close(): void {
    if (this.child.connected) this.child.disconnect();
  }
}

/**
 * The child's end: answers each request with `handle`'s result or error; exits when the parent goes.
 * The parent's ForkedClient sends only `handle`'s requests, so each message is passed on as it is.
 */
export function serveLoadClient(handle: (req: never) => Promise<unknown>): void {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (req) => {
    handle(req as never).then(
      (result) => process.send?.({ ok: true, result }),
      (err: unknown) => process.send?.({ ok: false, error: String(err) }),
    );
  });
}
