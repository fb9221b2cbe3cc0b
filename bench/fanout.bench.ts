// Realtime fan-out benchmark (issue 7): one organization with N agent users (500 by default), each
// signed in (a session created in the database, the cookie sent on the upgrade) with an open
// WebSocket to GET /api/v1/realtime, while signed WhatsApp webhooks arrive at a fixed rate (200
// messages/s by default). It reports
//   - delivery latency p50/p95/p99/max over every (socket, message) pair: from the webhook POST
//     leaving the client to the `message.created` frame arriving on that socket (the poster and all
//     sockets live in one load-client process: one clock);
//   - frames expected vs received: every socket must get every acknowledged message exactly once
//     (missing and duplicated pairs are counted);
//   - the server's RSS and V8 heap before and after opening the idle sockets (after a full GC), so
//     memory per idle connection;
//   - CPU used during the paced run: server process, PostgreSQL processes (machine-wide), load client.
// The server (createApp, production config, every role in one process) runs in this process; the
// load client is a forked child so it does not share the server's event loop.
//
// Run: npx tsx bench/fanout.bench.ts [--engine pglite|postgres|both] (default postgres: the target
//        is for it) [--sockets 500] [--rate 200] [--duration 10] [--results bench/RESULTS.md | none]
//        [--json <path>] (headline figures, for bench/run.ts)
// PostgreSQL: BENCH_DATABASE_URL (an admin URL; default postgres://postgres@127.0.0.1:5432/postgres).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import { writeFigures, type Figure, type Target } from './figures.ts';
import { postWebhook, textWebhookBody } from './webhook-load.ts';
import {
  Cleanups,
  enginesFrom,
  exitWithError,
  fmt,
  ForkedClient,
  intArg,
  machineFacts,
  openBenchDatabase,
  percentile,
  postgresCpuSeconds,
  RESULTS_PATH,
  SECRET_KEY,
  serveLoadClient,
  signInOwner,
  updateResults,
  usageErrors,
  UsageError,
  type Engine,
} from './support.ts';

const APP_SECRET = 'bench-app-secret';
const PHONE_NUMBER_ID = '109876543210988';
const WABA_ID = '209876543210988';
/** Customers writing in, round-robin (their conversations exist after the warm-up). */
const CUSTOMERS = 200;
const DELIVERY_P99: Target = { op: '<=', value: 100 };
const SECTION = '## Realtime fan-out: 500 agent WebSockets (bench/fanout.bench.ts)';

// ---------------------------------------------------------------------------------------------
// Load client (child process): the sockets and the webhook poster
// ---------------------------------------------------------------------------------------------

type ClientCommand =
  | { kind: 'open'; wsUrl: string; tokens: string[] }
  | { kind: 'drive'; port: number; rate: number; durationMs: number; runId: string }
  | { kind: 'close' };

interface OpenResult {
  opened: number;
  seconds: number;
}

interface DriveResult {
  sent: number;
  acked: number;
  errors: Record<string, number>;
  seconds: number;
  /** Acknowledged messages × sockets. */
  expected: number;
  /** Distinct (socket, message) pairs received. */
  received: number;
  missing: number;
  duplicates: number;
  /** Frames of the run's messages that arrived on a socket after the wait for stragglers. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  ackP99: number;
  /** Other frames (conversation.updated, …) counted, to show the whole traffic. */
  otherFrames: number;
  clientCpuSeconds: number;
  clientLoopBusy: number;
  closedSockets: number;
}

const account = { wabaId: WABA_ID, phoneNumberId: PHONE_NUMBER_ID, customers: CUSTOMERS, idPrefix: 'fanout' };
const webhookBody = (runId: string, n: number) =>
  textWebhookBody(account, runId, n, `Olá, preciso de ajuda com o pedido ✅ #${n}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function createClient() {
  let sockets: WebSocket[] = [];
  /** The run being measured; frames are matched against it without parsing the JSON. */
  let run:
    | {
        prefix: Buffer;
        capacity: number;
        sentAt: Float64Array;
        /** Per (socket, message): arrivals and the first arrival's latency. */
        count: Uint8Array;
        latency: Float64Array;
      }
    | undefined;
  let otherFrames = 0;
  let closedSockets = 0;
  const TYPE = Buffer.from('"type":"message.created"');

  function onFrame(index: number, data: Buffer): void {
    const r = run;
    if (!r) return;
    const at = performance.now();
    const t = data.indexOf(TYPE);
    if (t < 0 || t > 64) {
      otherFrames++;
      return;
    }
    const p = data.indexOf(r.prefix);
    if (p < 0) return; // a message of another run (none here)
    let n = 0;
    for (let i = p + r.prefix.length; i < data.length; i++) {
      const d = (data[i] ?? 0) - 48;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (n >= r.capacity) return;
    const k = index * r.capacity + n;
    const c = r.count[k] ?? 0;
    if (c < 255) r.count[k] = c + 1;
    if (c === 0) r.latency[k] = at - (r.sentAt[n] ?? 0);
  }

  async function open(wsUrl: string, tokens: string[]): Promise<OpenResult> {
    const t0 = performance.now();
    const openOne = (token: string, index: number) =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`${wsUrl}/api/v1/realtime`, {
          headers: { cookie: `sb_session=${token}` },
          perMessageDeflate: false,
        });
        const timer = setTimeout(() => reject(new Error(`socket ${index}: no ready frame in 30 s`)), 30_000);
        ws.once('error', reject);
        ws.once('close', () => closedSockets++);
        ws.once('message', (data: Buffer) => {
          clearTimeout(timer);
          if (!data.toString('utf8').includes('"type":"ready"')) {
            reject(new Error(`socket ${index}: first frame was not ready`));
            return;
          }
          ws.on('message', (frame: Buffer) => onFrame(index, frame));
          resolve(ws);
        });
      });
    // 25 handshakes at a time: the load is the fan-out, not a thundering herd of upgrades.
    const opened: WebSocket[] = new Array<WebSocket>(tokens.length);
    let next = 0;
    const worker = async () => {
      while (next < tokens.length) {
        const i = next++;
        opened[i] = await openOne(tokens[i] ?? '', i);
      }
    };
    await Promise.all(Array.from({ length: 25 }, worker));
    sockets = opened;
    return { opened: sockets.length, seconds: (performance.now() - t0) / 1000 };
  }

  async function drive(cmd: Extract<ClientCommand, { kind: 'drive' }>): Promise<DriveResult> {
    const capacity = Math.ceil((cmd.rate * cmd.durationMs) / 1000) + 16;
    const r = {
      prefix: Buffer.from(`"externalId":"wamid.fanout.${cmd.runId}.`),
      capacity,
      sentAt: new Float64Array(capacity),
      count: new Uint8Array(capacity * sockets.length),
      latency: new Float64Array(capacity * sockets.length),
    };
    run = r;
    otherFrames = 0;
    const acked = new Uint8Array(capacity);
    const acks: number[] = [];
    const errors: Record<string, number> = {};
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    let next = 0;
    const one = async () => {
      const n = next++;
      const body = webhookBody(cmd.runId, n);
      const t0 = performance.now();
      r.sentAt[n] = t0;
      try {
        const status = await postWebhook(agent, cmd.port, '/webhooks/whatsapp', body, APP_SECRET);
        if (status === 200) {
          acked[n] = 1;
          acks.push(performance.now() - t0);
        } else errors[`HTTP ${status}`] = (errors[`HTTP ${status}`] ?? 0) + 1;
      } catch (err) {
        const kind = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        errors[kind] = (errors[kind] ?? 0) + 1;
      }
    };
    // Open loop: each 5 ms tick sends what the schedule owes, whatever earlier requests do.
    const t0 = performance.now();
    const end = t0 + cmd.durationMs;
    const inFlight: Promise<void>[] = [];
    while (performance.now() < end) {
      const due = Math.min(capacity, Math.floor(((performance.now() - t0) / 1000) * cmd.rate));
      while (next < due) inFlight.push(one());
      await sleep(5);
    }
    await Promise.all(inFlight);
    const seconds = (performance.now() - t0) / 1000;
    agent.destroy();
    const ackedCount = acked.reduce((a, b) => a + b, 0);
    const expected = ackedCount * sockets.length;
    const receivedPairs = () => {
      let got = 0;
      for (let s = 0; s < sockets.length; s++)
        for (let n = 0; n < next; n++) if (acked[n] && (r.count[s * capacity + n] ?? 0) > 0) got++;
      return got;
    };
    // The stragglers: up to 30 s for every acknowledged message to reach every socket, then 500 ms
    // more so that a duplicate sent late is still counted.
    const deadline = performance.now() + 30_000;
    while (receivedPairs() < expected && performance.now() < deadline) await sleep(100);
    await sleep(500);
    const cpu = process.cpuUsage(cpu0);
    const elu = performance.eventLoopUtilization(elu0).utilization;
    run = undefined;

    const latencies = new Float64Array(expected);
    let received = 0;
    let duplicates = 0;
    for (let s = 0; s < sockets.length; s++) {
      for (let n = 0; n < next; n++) {
        const k = s * capacity + n;
        const c = r.count[k] ?? 0;
        if (c === 0) continue;
        if (c > 1) duplicates += c - 1;
        if (acked[n]) latencies[received++] = r.latency[k] ?? NaN;
      }
    }
    const sorted = latencies.subarray(0, received).sort();
    const sortedAcks = Float64Array.from(acks).sort();
    return {
      sent: next,
      acked: ackedCount,
      errors,
      seconds,
      expected,
      received,
      missing: expected - received,
      duplicates,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: percentile(sorted, 100),
      ackP99: percentile(sortedAcks, 99),
      otherFrames,
      clientCpuSeconds: (cpu.user + cpu.system) / 1e6,
      clientLoopBusy: elu,
      closedSockets,
    };
  }

  async function close(): Promise<number> {
    await Promise.all(
      sockets.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            ws.once('close', () => resolve());
            ws.close(1000);
            setTimeout(() => {
              ws.terminate();
              resolve();
            }, 2000).unref();
          }),
      ),
    );
    const n = sockets.length;
    sockets = [];
    return n;
  }

  return { open, drive, close };
}

function clientMain(): void {
  const client = createClient();
  serveLoadClient((cmd: ClientCommand) =>
    cmd.kind === 'open'
      ? client.open(cmd.wsUrl, cmd.tokens)
      : cmd.kind === 'drive'
        ? client.drive(cmd)
        : client.close(),
  );
}

/** This script's own load client process (`--client`), each command typed with its result. */
class LoadClient extends ForkedClient<ClientCommand, unknown> {
  constructor() {
    super(import.meta.url);
  }
  send(cmd: Extract<ClientCommand, { kind: 'open' }>): Promise<OpenResult>;
  send(cmd: Extract<ClientCommand, { kind: 'drive' }>): Promise<DriveResult>;
  send(cmd: Extract<ClientCommand, { kind: 'close' }>): Promise<number>;
  send(cmd: ClientCommand): Promise<unknown> {
    return this.run(cmd);
  }
}

// ---------------------------------------------------------------------------------------------
// Orchestrator (the server and the database live in this process)
// ---------------------------------------------------------------------------------------------

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
}

/** A full collection first (V8's gc, exposed at run time), so heap figures are live objects. */
const gc = (() => {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

async function settledMemory(): Promise<Memory> {
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(50);
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
}

interface EngineReport {
  engine: Engine;
  dbVersion: string;
  dbSettings: string | undefined;
  sockets: number;
  rate: number;
  durationMs: number;
  openSeconds: number;
  memBefore: Memory;
  memAfter: Memory;
  drive: DriveResult;
  serverCores: number;
  /** Server CPU seconds of the run (webhooks, storage and fan-out), per frame delivered: less
   * sensitive to a busy machine than latency. */
  serverCpuPerFrameUs: number;
  serverLoopBusy: number;
  dbCores: number | undefined;
  wall: number;
}

async function benchEngine(
  engine: Engine,
  opts: { adminUrl: string; sockets: number; rate: number; durationMs: number },
): Promise<EngineReport> {
  const { createApp } = await import('../apps/server/src/app.ts');
  const { systemActor } = await import('../apps/server/src/platform/auth/principal.ts');
  const { defaultPermissions } = await import('../apps/server/src/platform/auth/permissions.ts');
  const { usersRepo } = await import('../apps/server/src/modules/users/users.repo.ts');
  const { hashPassword } = await import('../apps/server/src/platform/security/passwords.ts');
  const { uuidv7 } = await import('../apps/server/src/platform/security/tokens.ts');
  const cleanups = new Cleanups();
  const client = new LoadClient();
  cleanups.push(() => client.close());
  try {
    const { config, database, version, settings } = await openBenchDatabase(engine, opts.adminUrl, cleanups);
    const app = await createApp({ config, database, secretKey: SECRET_KEY });
    cleanups.push(() => app.close());
    await app.start();
    await app.http.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.http.server.address() as AddressInfo).port;
    const base = `http://127.0.0.1:${port}`;
    console.log(`\n[${engine}] ${version.split(' on ')[0] ?? version}`);

    const email = 'owner@fanout.bench.test';
    const password = 'bench password 0123456789';
    const { organization } = await app.services.organizations.createOrganization(
      { name: 'Fanout Org', plan: 'pro', owner: { email, password, firstName: 'Olive', lastName: 'Owner' } },
      systemActor,
    );
    const { csrfToken, cookie } = await signInOwner(base, email, password);
    const res = await fetch(`${base}/api/v1/whatsapp/numbers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({
        phoneNumberId: PHONE_NUMBER_ID,
        wabaId: WABA_ID,
        displayPhoneNumber: '+1 555 0100',
        accessToken: 'bench-access-token',
        appSecret: APP_SECRET,
        verifyToken: 'bench-verify-token',
        purpose: 'Support',
      }),
    });
    if (res.status !== 201) throw new Error(`connect number: ${res.status} ${await res.text()}`);

    // The agents: users and their sessions written in one transaction (one password hash shared:
    // nobody signs in with it, and 500 argon2id hashes would take a minute), tokens as the
    // sign-in would set them in the cookie.
    const t0 = performance.now();
    const passwordHash = await hashPassword(password);
    const tokens = await database.tenant(organization.id, async (tx) => {
      const out: string[] = [];
      for (let i = 0; i < opts.sockets; i++) {
        const now = new Date();
        const user = await usersRepo(tx).insert(organization.id, {
          id: uuidv7(now.getTime()),
          email: `agent${i}@fanout.bench.test`,
          firstName: 'Agent',
          lastName: String(i),
          passwordHash,
          role: 'agent',
          permissions: defaultPermissions('agent'),
          status: 'active',
          passwordChangedAt: now,
          createdAt: now,
          updatedAt: now,
        });
        const { token } = await app.services.auth.createSession(tx, user, {
          ip: '127.0.0.1',
          userAgent: 'fanout-bench',
        });
        out.push(token);
      }
      return out;
    });
    console.log(`  ${opts.sockets} agents with sessions in ${fmt((performance.now() - t0) / 1000, 1)} s`);

    // Warm-up, without sockets: JIT, pools, and every customer's contact and conversation.
    {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
      for (let n = 0; n < CUSTOMERS; n += 16) {
        await Promise.all(
          Array.from({ length: Math.min(16, CUSTOMERS - n) }, (_, i) =>
            postWebhook(agent, port, '/webhooks/whatsapp', webhookBody('warm', n + i), APP_SECRET),
          ),
        );
      }
      agent.destroy();
      const deadline = performance.now() + 60_000;
      for (;;) {
        const { rows } = await database.executeSql(
          'select count(*)::int as n from messages where tenant_id = $1',
          [organization.id],
        );
        if ((rows[0] as { n: number }).n >= CUSTOMERS) break;
        if (performance.now() > deadline) throw new Error('warm-up messages were not stored in 60 s');
        await sleep(50);
      }
    }

    // Memory per idle connection: a full GC before and after opening the sockets.
    const memBefore = await settledMemory();
    const opened = await client.send({ kind: 'open', wsUrl: base.replace(/^http/, 'ws'), tokens });
    await sleep(500);
    const memAfter = await settledMemory();
    const serverSockets = app.http.websocketServer.clients.size;
    if (serverSockets !== opts.sockets) {
      throw new Error(`${serverSockets} sockets open on the server, not ${opts.sockets}`);
    }
    console.log(
      `  ${opened.opened} sockets open in ${fmt(opened.seconds, 1)} s; server RSS ` +
        `${fmt(memBefore.rss / 2 ** 20)} → ${fmt(memAfter.rss / 2 ** 20)} MiB, heap ` +
        `${fmt(memBefore.heapUsed / 2 ** 20)} → ${fmt(memAfter.heapUsed / 2 ** 20)} MiB`,
    );

    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const db0 = engine === 'postgres' ? postgresCpuSeconds() : undefined;
    const w0 = performance.now();
    const drive = await client.send({
      kind: 'drive',
      port,
      rate: opts.rate,
      durationMs: opts.durationMs,
      runId: 'run',
    });
    const wall = (performance.now() - w0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const db1 = engine === 'postgres' ? postgresCpuSeconds() : undefined;
    const report: EngineReport = {
      engine,
      dbVersion: version,
      dbSettings: settings,
      sockets: opts.sockets,
      rate: opts.rate,
      durationMs: opts.durationMs,
      openSeconds: opened.seconds,
      memBefore,
      memAfter,
      drive,
      serverCores: (cpu.user + cpu.system) / 1e6 / wall,
      serverCpuPerFrameUs: drive.received === 0 ? NaN : (cpu.user + cpu.system) / drive.received,
      serverLoopBusy: performance.eventLoopUtilization(elu0).utilization,
      dbCores: db0 !== undefined && db1 !== undefined ? (db1 - db0) / wall : undefined,
      wall,
    };
    await client.send({ kind: 'close' });
    for (const line of summary(report)) console.log(`  ${line}`);
    return report;
  } finally {
    await cleanups.run();
  }
}

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

const KiB = 1024;
const perConnection = (r: EngineReport, key: keyof Memory) =>
  (r.memAfter[key] - r.memBefore[key]) / r.sockets / KiB;

function summary(r: EngineReport): string[] {
  const d = r.drive;
  const errs = Object.keys(d.errors).length === 0 ? '0' : JSON.stringify(d.errors);
  const exact = d.missing === 0 && d.duplicates === 0;
  return [
    `${d.sent} webhooks in ${fmt(d.seconds, 1)} s (${fmt(d.sent / d.seconds, 0)} msg/s), ${d.acked} acknowledged, errors ${errs}, ack p99 ${fmt(d.ackP99, 2)} ms`,
    `frames: expected ${d.expected} (${d.acked} × ${r.sockets} sockets), received ${d.received}, missing ${d.missing}, duplicated ${d.duplicates} → ${exact ? 'every socket got every message exactly once' : 'NOT exactly once'}; ${d.otherFrames} other frames; ${d.closedSockets} sockets closed by the server`,
    `delivery p50/p95/p99/max ${fmt(d.p50, 2)}/${fmt(d.p95, 2)}/${fmt(d.p99, 2)}/${fmt(d.max, 2)} ms; p99 = ×${fmt(d.p99 / DELIVERY_P99.value, 2)} the ${DELIVERY_P99.value} ms target`,
    `memory per idle connection: heap ${fmt(perConnection(r, 'heapUsed'), 1)} KiB, RSS ${fmt(perConnection(r, 'rss'), 1)} KiB, external ${fmt(perConnection(r, 'external'), 1)} KiB`,
    `CPU during the run (cores): server ${fmt(r.serverCores, 2)} (${fmt(r.serverCpuPerFrameUs, 1)} µs per frame delivered; loop ${fmt(r.serverLoopBusy * 100, 0)}% busy), postgres ${fmt(r.dbCores, 2)}, load client ${fmt(d.clientCpuSeconds / r.wall, 2)} (loop ${fmt(d.clientLoopBusy * 100, 0)}% busy)`,
  ];
}

function markdownBlock(r: EngineReport): string {
  const d = r.drive;
  const name = r.engine === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL';
  const mib = (b: number) => fmt(b / 2 ** 20, 1);
  return [
    `### ${name}`,
    '',
    `Run ${new Date().toISOString().slice(0, 10)}: ${r.dbVersion.split(' on ')[0] ?? r.dbVersion}` +
      `${r.dbSettings ? ` (${r.dbSettings})` : ''}; ${r.sockets} sockets, ${r.rate} msg/s for ` +
      `${r.durationMs / 1000} s; Node ${process.version}.`,
    '',
    '| Sockets | Msg/s sent | Acked | Frames expected | Received | Missing | Duplicated | p50 ms | p95 ms | p99 ms | Max ms | p99 ÷ target | CPU cores server / db / client |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    `| ${r.sockets} | ${fmt(d.sent / d.seconds, 0)} | ${d.acked} | ${d.expected} | ${d.received} | ${d.missing} | ${d.duplicates} | ` +
      `${fmt(d.p50, 2)} | ${fmt(d.p95, 2)} | **${fmt(d.p99, 2)}** | ${fmt(d.max, 2)} | ×${fmt(d.p99 / DELIVERY_P99.value, 2)} | ` +
      `${fmt(r.serverCores, 2)} / ${fmt(r.dbCores, 2)} / ${fmt(d.clientCpuSeconds / r.wall, 2)} |`,
    '',
    '| Server memory | Before sockets | After | Per idle connection |',
    '| --- | ---: | ---: | ---: |',
    `| RSS | ${mib(r.memBefore.rss)} MiB | ${mib(r.memAfter.rss)} MiB | ${fmt(perConnection(r, 'rss'), 1)} KiB |`,
    `| V8 heap used | ${mib(r.memBefore.heapUsed)} MiB | ${mib(r.memAfter.heapUsed)} MiB | ${fmt(perConnection(r, 'heapUsed'), 1)} KiB |`,
    `| External (buffers) | ${mib(r.memBefore.external)} MiB | ${mib(r.memAfter.external)} MiB | ${fmt(perConnection(r, 'external'), 1)} KiB |`,
    '',
    ...summary(r).map((l) => `- ${l}`),
  ].join('\n');
}

/** Issue 7's target: p99 delivery ≤ 100 ms at 200 msg/s with 500 sockets on PostgreSQL. */
function figures(r: EngineReport): Figure[] {
  const d = r.drive;
  const engine = r.engine;
  const onTarget = engine === 'postgres' && r.sockets >= 500 && r.rate >= 200;
  return [
    { name: 'delivery p50', value: d.p50, unit: 'ms', engine },
    { name: 'delivery p95', value: d.p95, unit: 'ms', engine },
    {
      name: 'delivery p99',
      value: d.p99,
      unit: 'ms',
      engine,
      ...(onTarget ? { target: DELIVERY_P99 } : {}),
    },
    {
      name: 'frames received / expected',
      value: d.expected === 0 ? NaN : d.received / d.expected,
      unit: 'ratio',
      engine,
      target: { op: '>=', value: 1 },
    },
    {
      name: 'duplicated frames',
      value: d.duplicates,
      unit: 'frames',
      engine,
      target: { op: '<=', value: 0 },
    },
    { name: 'heap per idle connection', value: perConnection(r, 'heapUsed'), unit: 'KiB', engine },
    { name: 'RSS per idle connection', value: perConnection(r, 'rss'), unit: 'KiB', engine },
    { name: 'server CPU during fan-out', value: r.serverCores, unit: 'cores', engine },
    { name: 'server CPU per frame delivered', value: r.serverCpuPerFrameUs, unit: 'µs', engine },
  ];
}

function sectionSkeleton(): string {
  return [
    SECTION,
    '',
    'Run: `npx tsx bench/fanout.bench.ts [--engine pglite|postgres|both] [--sockets 500] [--rate 200] [--duration 10]`',
    '(default engine: PostgreSQL, which issue 7’s target is for). The real app (`createApp`, production',
    'configuration, every role in one process) on 127.0.0.1 with one organization, one connected number and',
    '`--sockets` agent users, each signed in (a session) with a WebSocket to `GET /api/v1/realtime` held by a',
    'load client in a child process. The same client posts signed webhooks (one text message each, 200',
    'customers round-robin, their conversations created by a warm-up) at `--rate` for `--duration`, and',
    'timestamps every `message.created` frame on every socket: latency is from sending the POST to the frame',
    'arriving, over every (socket, message) pair; every socket must receive every acknowledged message',
    'exactly once. Memory: the server process after a full GC, before and after opening the idle sockets.',
    'Target (issue 7): p99 ≤ 100 ms at 200 msg/s with 500 sockets on PostgreSQL. The 2-core machine is',
    'shared with the load client and the database, so CPU spent on either is CPU the server did not get.',
    '',
    '<!-- fanout:pglite:start -->',
    '<!-- fanout:pglite:end -->',
    '',
    '<!-- fanout:postgres:start -->',
    '<!-- fanout:postgres:end -->',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = usageErrors(() =>
    parseArgs({
      options: {
        engine: { type: 'string' },
        sockets: { type: 'string', default: '500' },
        rate: { type: 'string', default: '200' },
        duration: { type: 'string', default: '10' },
        results: { type: 'string', default: RESULTS_PATH },
        json: { type: 'string' },
      },
    }),
  );
  const startedAt = new Date();
  const { engines, adminUrl } = usageErrors(() => enginesFrom(values.engine ?? 'postgres'));
  const sockets = intArg('sockets', values.sockets, 1, 5000);
  const rate = intArg('rate', values.rate, 1, 2000);
  const durationMs = intArg('duration', values.duration, 1, 600) * 1000;
  if (values.results === '') throw new UsageError('--results needs a path or none');

  const reports: EngineReport[] = [];
  for (const engine of engines) {
    reports.push(await benchEngine(engine, { adminUrl, sockets, rate, durationMs }));
  }
  console.log('\nHeadline');
  for (const r of reports) {
    console.log(
      `  [${r.engine}] ${r.sockets} sockets at ${r.rate} msg/s: delivery p99 ${fmt(r.drive.p99, 2)} ms ` +
        `(×${fmt(r.drive.p99 / DELIVERY_P99.value, 2)} the ${DELIVERY_P99.value} ms target), ` +
        `${r.drive.received}/${r.drive.expected} frames, ${r.drive.duplicates} duplicated; ` +
        `${fmt(perConnection(r, 'heapUsed'), 1)} KiB heap and ${fmt(perConnection(r, 'rss'), 1)} KiB RSS per idle connection`,
    );
  }
  console.log(machineFacts(reports.map((r) => r.dbVersion)));
  writeFigures(process.argv, 'fanout', startedAt, reports.flatMap(figures));
  if (values.results !== 'none') {
    const blocks = new Map(reports.map((r) => [`fanout:${r.engine}`, markdownBlock(r)] as const));
    updateResults(values.results, SECTION, sectionSkeleton, blocks);
    console.log(`\nUpdated ${values.results}`);
  }
}

if (process.argv.includes('--client')) clientMain();
else {
  try {
    await main();
    process.exit(0);
  } catch (err) {
    exitWithError('fanout.bench', err);
  }
}
