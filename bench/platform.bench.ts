// Platform benchmark: what sign-in costs, what an authenticated list costs, and how far that is
// from the floor (a bare Fastify route doing one query on the same database), over real HTTP on
// loopback. The load client runs in a child process so it does not share the server's event loop.
//
// Run: npx tsx bench/platform.bench.ts [--engine pglite|postgres|both] [--duration 10]
//        [--concurrency 16] [--results bench/RESULTS.md | none] [--json <path>] (headline figures, for bench/run.ts)
// PostgreSQL: BENCH_DATABASE_URL (an admin URL; default postgres://postgres@127.0.0.1:5432/postgres).
// `both` is the default when BENCH_DATABASE_URL is set, otherwise `pglite`.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { writeFigures, type Figure } from './figures.ts';
import {
  Cleanups,
  enginesFrom,
  fmt,
  ForkedClient,
  machineCpuSeconds,
  machineFacts,
  openBenchDatabase,
  percentile,
  postgresCpuSeconds,
  RESULTS_PATH,
  SECRET_KEY,
  serveLoadClient,
  updateResults,
  type Engine,
} from './support.ts';

// ---------------------------------------------------------------------------------------------
// Load client (runs in the child process)
// ---------------------------------------------------------------------------------------------

interface LoadSpec {
  label: string;
  port: number;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  /** Request bodies, used round-robin (login uses one user per body). */
  bodies?: string[];
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  expectStatus: number;
}

interface LoadResult {
  label: string;
  concurrency: number;
  requests: number;
  errors: number;
  errorKinds: Record<string, number>;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** CPU the client process used during the measured window, in cores (1 = one core busy). */
  clientCores: number;
}

const REQUEST_TIMEOUT_MS = 30_000;

async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const send = (body: string | undefined) =>
    new Promise<number>((resolve, reject) => {
      const headers: Record<string, string | number> = { ...spec.headers };
      if (spec.method === 'POST')
        headers['content-length'] = body === undefined ? 0 : Buffer.byteLength(body);
      if (body !== undefined) headers['content-type'] = 'application/json';
      const req = http.request(
        { host: '127.0.0.1', port: spec.port, path: spec.path, method: spec.method, agent, headers },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body);
    });

  let seq = 0;
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let errors = 0;
  const errorKinds: Record<string, number> = {};
  const phase = async (ms: number, record: boolean) => {
    const end = performance.now() + ms;
    const worker = async () => {
      while (performance.now() < end) {
        const bodies = spec.bodies;
        const body = bodies ? bodies[seq++ % bodies.length] : undefined;
        const t0 = performance.now();
        let kind: string | undefined;
        try {
          const status = await send(body);
          if (status !== spec.expectStatus) kind = `HTTP ${status}`;
        } catch (err) {
          kind = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        }
        const took = performance.now() - t0;
        if (!record) continue;
        if (kind !== undefined) {
          errors++;
          errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
          continue;
        }
        if (count === latencies.length) {
          const grown = new Float64Array(latencies.length * 2);
          grown.set(latencies);
          latencies = grown;
        }
        latencies[count++] = took;
      }
    };
    await Promise.all(Array.from({ length: spec.concurrency }, worker));
  };

  await phase(spec.warmupMs, false);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await phase(spec.durationMs, true);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  const sorted = latencies.slice(0, count).sort();
  return {
    label: spec.label,
    concurrency: spec.concurrency,
    requests: count,
    errors,
    errorKinds,
    seconds,
    rps: count / seconds,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: percentile(sorted, 100),
    clientCores: (cpu.user + cpu.system) / 1e6 / seconds,
  };
}

// ---------------------------------------------------------------------------------------------
// Orchestrator (the parent process: the servers and the database live here)
// ---------------------------------------------------------------------------------------------

interface Measured extends LoadResult {
  /** CPU of this (server) process over warm-up + measurement, in cores. */
  serverCores: number;
  /** Share of the window the server's event loop was busy (1 = saturated main thread). */
  serverLoopBusy: number;
  /** CPU of the PostgreSQL server processes over the same window, in cores (postgres engine). */
  dbCores: number | undefined;
  /** CPU the whole machine used over the window minus server, db and client: other tenants of the box. */
  otherCores: number | undefined;
  /** CPU time the hypervisor gave to other guests while this one wanted it, in cores. */
  stealCores: number | undefined;
}

interface StepTiming {
  label: string;
  calls: number;
  meanUs: number;
  p50Us: number;
}

interface EngineReport {
  engine: Engine;
  dbVersion: string;
  /** Durability settings that matter for writes (PostgreSQL only). */
  dbSettings: string | undefined;
  poolMax: number | undefined;
  results: Measured[];
  breakdown: StepTiming[];
}

const PASSWORD = 'bench password 0123456789';
const USERS = 20;

let interrupted = false;

/** This script's own load client process (`--client`), each run measured from this side too. */
class LoadClient {
  private readonly forked = new ForkedClient<LoadSpec, LoadResult>(import.meta.url);

  async run(spec: LoadSpec, withPostgres: boolean): Promise<Measured> {
    if (interrupted || !this.forked.child.connected) throw new Error('interrupted');
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const db0 = withPostgres ? postgresCpuSeconds() : undefined;
    const m0 = machineCpuSeconds();
    const t0 = performance.now();
    const limit = spec.warmupMs + spec.durationMs + REQUEST_TIMEOUT_MS + 10_000;
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      this.forked.run(spec),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${spec.label}: no result after ${limit} ms`)), limit);
      }),
    ]).finally(() => clearTimeout(timer));
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const db1 = withPostgres ? postgresCpuSeconds() : undefined;
    const m1 = machineCpuSeconds();
    const serverCores = (cpu.user + cpu.system) / 1e6 / wall;
    const dbCores = db0 === undefined || db1 === undefined ? undefined : (db1 - db0) / wall;
    return {
      ...result,
      serverCores,
      serverLoopBusy: performance.eventLoopUtilization(elu0).utilization,
      dbCores,
      otherCores:
        m0 && m1
          ? Math.max(0, (m1.busy - m0.busy) / wall - serverCores - (dbCores ?? 0) - result.clientCores)
          : undefined,
      stealCores: m0 && m1 ? (m1.steal - m0.steal) / wall : undefined,
    };
  }

  close(): void {
    this.forked.close();
    if (this.forked.child.exitCode === null) this.forked.child.kill();
  }
}

/** Calls `fn` back to back for `ms` (after a short warm-up) and reports its mean and median. */
async function timeSequential(label: string, ms: number, fn: () => Promise<unknown>): Promise<StepTiming> {
  const warmEnd = performance.now() + Math.min(300, ms / 4);
  while (performance.now() < warmEnd) await fn();
  const samples: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const sum = samples.reduce((a, b) => a + b, 0);
  return {
    label,
    calls: samples.length,
    meanUs: (sum / samples.length) * 1000,
    p50Us: (samples[Math.floor(samples.length / 2)] ?? NaN) * 1000,
  };
}

async function benchEngine(
  engine: Engine,
  opts: { adminUrl: string; durationMs: number; concurrency: number; client: LoadClient },
): Promise<EngineReport> {
  // Imported here so the load client's process does not load the server.
  const { createApp } = await import('../apps/server/src/app.ts');
  const { systemActor } = await import('../apps/server/src/platform/auth/principal.ts');
  const { hashPassword, verifyPassword } = await import('../apps/server/src/platform/security/passwords.ts');
  const { default: Fastify } = await import('fastify');

  const cleanups = new Cleanups();
  try {
    const {
      config,
      database,
      version: dbVersion,
      settings: dbSettings,
    } = await openBenchDatabase(engine, opts.adminUrl, cleanups);

    // The real app on an ephemeral loopback port. app.close() closes the database too (twice is fine).
    const app = await createApp({ config, database, secretKey: SECRET_KEY });
    cleanups.push(() => app.close());
    await app.start();
    await app.http.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.http.server.address() as AddressInfo).port;

    // One organization, its owner and USERS agents.
    const ownerEmail = 'owner@bench.test';
    const { organization } = await app.services.organizations.createOrganization(
      {
        name: 'Bench Org',
        plan: 'pro',
        owner: { email: ownerEmail, password: PASSWORD, firstName: 'Olive', lastName: 'Owner' },
      },
      systemActor,
    );
    const tenantId = organization.id;
    const emails: string[] = [];
    for (let i = 0; i < USERS; i++) {
      const email = `agent${String(i).padStart(2, '0')}@bench.test`;
      await app.services.users.createUser(
        tenantId,
        { email, password: PASSWORD, firstName: 'Agent', lastName: String(i), role: 'agent' },
        systemActor,
      );
      emails.push(email);
    }

    // A session cookie (the owner) and an API key that may read users.
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ownerEmail, password: PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`owner login failed: ${login.status} ${await login.text()}`);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const sessionToken = /sb_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    if (!sessionToken) throw new Error('login set no session cookie');
    const cookie = `sb_session=${sessionToken}`;
    const keyRes = await fetch(`${base}/api/v1/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: 'bench', scopes: ['users.read'] }),
    });
    if (keyRes.status !== 201)
      throw new Error(`API key creation failed: ${keyRes.status} ${await keyRes.text()}`);
    const { key: apiKey } = (await keyRes.json()) as { key: string };
    const list = await fetch(`${base}/api/v1/users`, { headers: { cookie } });
    const listBody = await list.text();
    if (list.status !== 200) throw new Error(`GET /api/v1/users failed: ${list.status} ${listBody}`);

    // The floor: a bare Fastify 5 server on the same Database object, one query per request.
    const floorSelect = 'select id from users where tenant_id = $1 limit 50';
    await database.executeSql('create table bench_floor (id uuid primary key, at timestamptz)');
    const floor = Fastify();
    cleanups.push(() => floor.close());
    floor.get('/floor', async () => (await database.executeSql(floorSelect, [tenantId])).rows);
    floor.post('/floor/insert', async () => {
      const id = randomUUID();
      await database.executeSql('insert into bench_floor (id, at) values ($1, $2)', [id, new Date()]);
      return { id };
    });
    await floor.listen({ host: '127.0.0.1', port: 0 });
    const floorPort = (floor.server.address() as AddressInfo).port;
    const floorBody = await (await fetch(`http://127.0.0.1:${floorPort}/floor`)).text();

    const durationMs = opts.durationMs;
    const warmupMs = Math.min(2000, Math.max(500, durationMs / 5));
    const loginBodies = emails.map((email) => JSON.stringify({ email, password: PASSWORD }));
    function spec(
      label: string,
      p: number,
      method: 'GET' | 'POST',
      path: string,
      headers: Record<string, string>,
      concurrency: number,
      bodies?: string[],
    ): LoadSpec {
      return {
        label,
        port: p,
        method,
        path,
        headers,
        concurrency,
        warmupMs,
        durationMs,
        expectStatus: 200,
        ...(bodies ? { bodies } : {}),
      };
    }
    const c = opts.concurrency;
    const specs: LoadSpec[] = [
      spec('login, sequential', port, 'POST', '/api/v1/auth/login', {}, 1, loginBodies),
      spec('login, concurrency 4', port, 'POST', '/api/v1/auth/login', {}, 4, loginBodies),
      spec('GET /api/v1/users (session cookie)', port, 'GET', '/api/v1/users', { cookie }, c),
      spec(
        'GET /api/v1/users (API key)',
        port,
        'GET',
        '/api/v1/users',
        { authorization: `Bearer ${apiKey}` },
        c,
      ),
      spec('floor: bare Fastify, 1 SELECT', floorPort, 'GET', '/floor', {}, c),
      spec('floor: bare Fastify, 1 INSERT', floorPort, 'POST', '/floor/insert', {}, c),
    ];

    console.log(
      `\n[${engine}] ${dbVersion.split(' on ')[0] ?? dbVersion}; ${USERS + 1} users; list body ${listBody.length} B, ` +
        `floor body ${floorBody.length} B; ${durationMs / 1000} s per scenario after ${warmupMs / 1000} s warm-up`,
    );
    const results: Measured[] = [];
    for (const s of specs) {
      const r = await opts.client.run(s, engine === 'postgres');
      results.push(r);
      console.log(`  ${formatRow(r)}`);
    }

    // Where a request's time goes: the same pieces called back to back in-process (no sockets).
    const services = app.services;
    const stepMs = Math.min(1500, Math.max(300, durationMs / 6));
    const passwordHash = await hashPassword(PASSWORD);
    const loginClient = { ip: '127.0.0.1', userAgent: 'bench' };
    let nextUser = 0;
    const breakdown = [
      await timeSequential('argon2id verifyPassword (libuv thread pool)', stepMs, () =>
        verifyPassword(passwordHash, PASSWORD),
      ),
      await timeSequential('auth.login (throttle check, lookup, argon2id, session tx + audit)', stepMs, () =>
        services.auth.login(
          { email: emails[nextUser++ % emails.length] ?? '', password: PASSWORD },
          loginClient,
        ),
      ),
      await timeSequential('floor query: executeSql(select id ... limit 50), no transaction', stepMs, () =>
        database.executeSql(floorSelect, [tenantId]),
      ),
      await timeSequential('list query as raw SQL (select *, order by), no transaction', stepMs, () =>
        database.executeSql('select * from users where tenant_id = $1 order by created_at', [tenantId]),
      ),
      await timeSequential('session lookup: auth.authenticator.userSession (system tx)', stepMs, () =>
        services.auth.authenticator.userSession(sessionToken),
      ),
      await timeSequential('API key lookup: apiKeys.authenticate (system tx)', stepMs, () =>
        services.apiKeys.authenticate(apiKey),
      ),
      await timeSequential('users.listUsers (RLS tenant tx: begin, set_config, select, commit)', stepMs, () =>
        services.users.listUsers(tenantId),
      ),
      await timeSequential('app.inject GET /api/v1/users (whole Fastify pipeline, no socket)', stepMs, () =>
        app.http.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie } }),
      ),
      await timeSequential('floor.inject GET /floor (bare Fastify, no socket)', stepMs, () =>
        floor.inject({ method: 'GET', url: '/floor' }),
      ),
    ];
    console.log('  in-process, sequential (mean / median µs per call):');
    for (const b of breakdown) {
      console.log(
        `    ${b.label.padEnd(84)} ${fmt(b.meanUs, 0).padStart(7)} / ${fmt(b.p50Us, 0).padStart(7)}`,
      );
    }

    return {
      engine,
      dbVersion,
      dbSettings,
      poolMax: config.database.kind === 'postgres' ? config.database.poolMax : undefined,
      results,
      breakdown,
    };
  } finally {
    await cleanups.run();
  }
}

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

function formatRow(r: Measured): string {
  const errs = r.errors === 0 ? '0' : `${r.errors} (${JSON.stringify(r.errorKinds)})`;
  return (
    `${r.label.padEnd(36)} c=${String(r.concurrency).padEnd(3)} ${fmt(r.rps).padStart(9)} req/s  ` +
    `p50 ${fmt(r.p50, 2).padStart(7)}  p90 ${fmt(r.p90, 2).padStart(7)}  p99 ${fmt(r.p99, 2).padStart(7)}  ` +
    `max ${fmt(r.max, 2).padStart(7)} ms  errors ${errs}  cpu srv/db/cli/other ${fmt(r.serverCores, 2)}/` +
    `${fmt(r.dbCores, 2)}/${fmt(r.clientCores, 2)}/${fmt(r.otherCores, 2)} steal ${fmt(r.stealCores, 2)}  loop busy ${fmt(r.serverLoopBusy * 100, 0)}%`
  );
}

function ratios(report: EngineReport) {
  const find = (prefix: string) => report.results.find((r) => r.label.startsWith(prefix));
  const cookie = find('GET /api/v1/users (session');
  const key = find('GET /api/v1/users (API');
  const select = find('floor: bare Fastify, 1 SELECT');
  const insert = find('floor: bare Fastify, 1 INSERT');
  const line = (name: string, a: Measured | undefined, b: Measured | undefined) =>
    a && b
      ? `${name}: throughput ×${fmt(a.rps / b.rps, 2)} (the floor serves ${fmt(b.rps / a.rps, 1)}× more req/s), ` +
        `p99 ×${fmt(a.p99 / b.p99, 1)} (${fmt(a.p99, 2)} vs ${fmt(b.p99, 2)} ms)`
      : `${name}: –`;
  return [
    line('authenticated list (cookie) / floor SELECT', cookie, select),
    line('authenticated list (API key) / floor SELECT', key, select),
    line('authenticated list (cookie) / floor INSERT', cookie, insert),
  ];
}

function markdownBlock(report: EngineReport, durationMs: number, concurrency: number): string {
  const date = new Date().toISOString().slice(0, 10);
  const name = report.engine === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL';
  const pool =
    report.poolMax === undefined
      ? 'one in-process connection'
      : `pool of ${report.poolMax} (DB_POOL_MAX default)`;
  const rows = report.results.map(
    (r) =>
      `| ${r.label} | ${r.concurrency} | ${r.requests} | **${fmt(r.rps)}** | ${fmt(r.p50, 2)} | ${fmt(r.p90, 2)} | ` +
      `${fmt(r.p99, 2)} | ${fmt(r.max, 2)} | ${r.errors} | ${fmt(r.serverCores, 2)} / ${fmt(r.dbCores, 2)} / ${fmt(r.clientCores, 2)} / ${fmt(r.otherCores, 2)} (${fmt(r.stealCores, 2)}) | ${fmt(r.serverLoopBusy * 100, 0)}% |`,
  );
  const steps = report.breakdown.map((b) => `| ${b.label} | ${fmt(b.meanUs, 0)} | ${fmt(b.p50Us, 0)} |`);
  return [
    `### ${name}`,
    '',
    `Run ${date}: ${report.dbVersion.split(' on ')[0] ?? report.dbVersion}` +
      `${report.dbSettings ? ` (${report.dbSettings})` : ''}, ${pool}; ` +
      `${durationMs / 1000} s per scenario after a warm-up; lists at concurrency ${concurrency}; Node ${process.version}.`,
    '',
    '| Scenario | Conc. | Requests | req/s | p50 ms | p90 ms | p99 ms | max ms | Errors | CPU cores server / db / client / other (steal) | Server loop busy |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    ...rows,
    '',
    ...ratios(report).map((l) => `- ${l}`),
    '',
    'In-process, sequential (no sockets, no concurrency):',
    '',
    '| Step | mean µs | median µs |',
    '| --- | ---: | ---: |',
    ...steps,
  ].join('\n');
}

/** The headline figures for the runner (`--json`): login rates, and the authenticated list against the floor. */
function figures(report: EngineReport): Figure[] {
  const find = (prefix: string) => report.results.find((r) => r.label.startsWith(prefix));
  const select = find('floor: bare Fastify, 1 SELECT');
  const engine = report.engine;
  const out: Figure[] = [];
  for (const [name, label] of [
    ['login/s, sequential', 'login, sequential'],
    ['login/s, concurrency 4', 'login, concurrency 4'],
  ] as const) {
    const r = find(label);
    if (r) out.push({ name, value: r.rps, unit: 'req/s', engine });
  }
  for (const [name, label] of [
    ['GET /api/v1/users req/s (session cookie)', 'GET /api/v1/users (session'],
    ['GET /api/v1/users req/s (API key)', 'GET /api/v1/users (API'],
  ] as const) {
    const r = find(label);
    if (r) out.push({ name, value: r.rps, unit: 'req/s', engine, ...(select ? { floor: select.rps } : {}) });
  }
  const cookie = find('GET /api/v1/users (session');
  if (cookie) {
    out.push({
      name: 'GET /api/v1/users p99 (session cookie)',
      value: cookie.p99,
      unit: 'ms',
      engine,
      ...(select ? { floor: select.p99 } : {}),
    });
  }
  return out;
}

const SECTION = '## Platform: login and authenticated list (bench/platform.bench.ts)';

function sectionSkeleton(): string {
  return [
    SECTION,
    '',
    'Run: `npx tsx bench/platform.bench.ts [--engine pglite|postgres|both] [--duration 10]`. PostgreSQL needs',
    '`BENCH_DATABASE_URL` (an admin URL; `postgres://postgres@127.0.0.1:5432/postgres` is used when it is unset',
    'and `--engine postgres|both` is given); the bench creates a `switchboard_bench_<random>` database, migrates it',
    'and drops it at the end. PGlite gets a fresh temporary data directory. Figures below are rewritten per engine',
    'by each run (between the `platform:<engine>` markers).',
    '',
    'Setup: the real app (`createApp`, log level silent) listening on 127.0.0.1, one organization with its owner',
    'and 20 agents. The load client runs in a child process (keep-alive `http.Agent`, one socket per worker),',
    'loops stop by time. Login uses correct credentials, one user per request round-robin. The list is',
    '`GET /api/v1/users` (21 users) with the session cookie, then with an API key (`Authorization: Bearer`). The',
    'floor is a bare `Fastify()` server in the same process with one route running one query through the same',
    '`Database` object (`executeSql`, no auth, no RLS transaction, no schema): `select id from users where',
    'tenant_id = $1 limit 50`, and a second route doing one `insert into bench_floor`. "CPU cores" is CPU time',
    'divided by wall time: the server process (app + floor, and PGlite itself on that engine), the PostgreSQL',
    'server processes, the load client, the rest of the machine, and (in brackets) hypervisor steal; 2.0 is the',
    'whole machine. "Server loop busy" is the event-loop utilization of the server process: 100% means its main',
    'thread is the bottleneck. The in-process table calls the same pieces back to back without sockets, to show',
    "where a request's time goes.",
    '',
    '<!-- platform:pglite:start -->',
    '<!-- platform:pglite:end -->',
    '',
    '<!-- platform:postgres:start -->',
    '<!-- platform:postgres:end -->',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string' },
      duration: { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '16' },
      results: { type: 'string', default: RESULTS_PATH },
      json: { type: 'string' },
    },
  });
  const startedAt = new Date();
  const { engines, adminUrl } = enginesFrom(values.engine);
  const durationMs = Number(values.duration) * 1000;
  const concurrency = Number(values.concurrency);
  if (!(durationMs >= 1000 && durationMs <= 600_000)) throw new Error('--duration must be 1..600 seconds');
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new Error('--concurrency must be 1..256');
  }

  const client = new LoadClient();
  const reports: EngineReport[] = [];
  try {
    for (const engine of engines) {
      reports.push(await benchEngine(engine, { adminUrl, durationMs, concurrency, client }));
    }
  } finally {
    client.close();
  }

  console.log('\nHeadline: what auth + RLS transaction + validation + serialization cost over a bare query');
  for (const r of reports) for (const l of ratios(r)) console.log(`  [${r.engine}] ${l}`);
  writeFigures(process.argv, 'platform', startedAt, reports.flatMap(figures));

  if (values.results !== 'none') {
    const blocks = new Map(
      reports.map((r) => [r.engine, markdownBlock(r, durationMs, concurrency)] as const),
    );
    const marked = new Map([...blocks].map(([engine, block]) => [`platform:${engine}`, block] as const));
    updateResults(values.results, SECTION, sectionSkeleton, marked);
    console.log(machineFacts(reports.map((r) => r.dbVersion)));
    console.log(`\nUpdated ${values.results}`);
  }
}

if (process.argv.includes('--client')) {
  // The parent going away (crash, Ctrl-C) ends the client too.
  serveLoadClient(runLoad);
} else {
  // Ctrl-C also reaches the client (same process group), which ends the running scenario; later
  // ones are refused, and cleanup still closes everything and drops the bench database.
  process.once('SIGINT', () => {
    interrupted = true;
    process.exitCode = 130;
  });
  await main();
}
