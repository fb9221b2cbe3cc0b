// Outbound delivery benchmark (issue 5): the real app sending through the WhatsApp simulator, on
// each database engine. It reports
//   - throughput at a number's limit (80 and 1,000 mps, the simulator's limit set the same): N text
//     messages queued through the send route while the delivery worker is stopped, then the worker
//     started; the achieved rate is counted at the simulator (first to last accepted send, its own
//     `createdAt`), with the 130429 retries (`counters.retried`) and the busiest sliding second;
//   - send-to-`sent` latency p50/p99 at a fixed rate: from the send request leaving the client to
//     the `message.updated` frame with status `sent` (Meta's acceptance recorded) on an agent's
//     WebSocket (both ends in the client process, one clock);
//   - the same run's floor: a trivial client (a fetch loop in the load-client process, open loop at
//     exactly the limit, no retries) sending raw Graph requests to the same simulator.
// The simulator runs in its own process (Meta is remote; sharing the server's event loop would
// distort its timing), and so does the load client.
//
// Run: npx tsx bench/outbound.bench.ts [--engine pglite|postgres|both] [--clients 250] [--messages 10000]
//        [--rate 50] [--duration 10] [--results bench/RESULTS.md | none] [--json <path>] (headline figures,
//        for bench/run.ts)
//      diagnosis (with --results none): [--only-1000 | --only-latency] [--delivery '{"pollMs":50}'] (delivery
//        engine options) [--status-sink] (status webhooks to a sink, not the app) [--batched-statuses] (the
//        simulator sends the statuses of 20 ms in one webhook) [--cpu-prof file.cpuprofile]
//        (the server process, while the worker drains at 1,000 mps or during the paced latency run)
//        [--timeline] (the engine's stages and the simulator's sends every 250 ms)
// PostgreSQL: BENCH_DATABASE_URL (an admin URL; default postgres://postgres@127.0.0.1:5432/postgres).
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { busiestSecond } from '../apps/server/test/sim-process.ts';
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
  signInOwner,
  updateResults,
  type Engine,
} from './support.ts';

const GRAPH_VERSION = 'v24.0';
/** Clients per 1,200 messages at 80 mps (30 each; Meta's pair rate allows bursts of 45). */
const CLIENTS_80 = 40;
const MESSAGES_80 = 1200;
/** The PGlite engine's queue at 1,000 mps (the floor and PostgreSQL send --messages). */
const PGLITE_MESSAGES_1000 = 2000;

// ---------------------------------------------------------------------------------------------
// Load client (child process)
// ---------------------------------------------------------------------------------------------

interface SendJob {
  conversationId: string;
  body: string;
}

type ClientSpec =
  /** Posts every job to the send route (closed loop, `concurrency` at a time). */
  | { kind: 'queue'; base: string; apiKey: string; jobs: SendJob[]; concurrency: number }
  /** Posts jobs round-robin at `rate`/s for `durationMs`, timing each until its `sent` frame. */
  | {
      kind: 'paced';
      base: string;
      apiKey: string;
      jobs: SendJob[];
      rate: number;
      durationMs: number;
    }
  /** Raw Graph sends to the simulator at `rate`/s (open loop), round-robin over `to`. */
  | {
      kind: 'floor';
      simUrl: string;
      phoneNumberId: string;
      accessToken: string;
      to: string[];
      count: number;
      rate: number;
      tag: string;
    };

interface ClientResult {
  sent: number;
  errors: number;
  errorKinds: Record<string, number>;
  seconds: number;
  /** Floor: requests answered 130429. */
  refused?: number;
  /** Paced: 202 latencies and send-to-`sent` latencies (ms, ascending). */
  ackP50?: number;
  ackP99?: number;
  sentP50?: number;
  sentP90?: number;
  sentP99?: number;
  sentMax?: number;
  reachedSent?: number;
  /** Paced: messages whose first non-queued status was not `sent` (failed, unknown). */
  otherOutcomes?: Record<string, number>;
}

function countError(kinds: Record<string, number>, kind: string) {
  kinds[kind] = (kinds[kind] ?? 0) + 1;
}

async function runClient(spec: ClientSpec): Promise<ClientResult> {
  const errorKinds: Record<string, number> = {};
  let errors = 0;
  if (spec.kind === 'floor') {
    let refused = 0;
    let sent = 0;
    const one = async (i: number) => {
      try {
        const res = await fetch(`${spec.simUrl}/${GRAPH_VERSION}/${spec.phoneNumberId}/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${spec.accessToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            messaging_product: 'whatsapp',
            to: spec.to[i % spec.to.length],
            type: 'text',
            text: { body: `${spec.tag} #${i}` },
          }),
        });
        const json = (await res.json()) as { error?: { code?: number } };
        if (res.status === 200) sent++;
        else if (json.error?.code === 130429) refused++;
        else {
          errors++;
          countError(errorKinds, `HTTP ${res.status} ${json.error?.code ?? ''}`);
        }
      } catch (err) {
        errors++;
        countError(errorKinds, (err as Error).message);
      }
    };
    const inFlight: Promise<void>[] = [];
    let next = 0;
    const t0 = performance.now();
    while (next < spec.count) {
      const due = Math.min(spec.count, Math.floor(((performance.now() - t0) / 1000) * spec.rate) + 1);
      while (next < due) inFlight.push(one(next++));
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(inFlight);
    return { sent, errors, errorKinds, refused, seconds: (performance.now() - t0) / 1000 };
  }

  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: spec.kind === 'queue' ? spec.concurrency : 64,
  });
  const post = (job: SendJob) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const body = JSON.stringify({ type: 'text', text: { body: job.body } });
      const url = new URL(`${spec.base}/api/v1/conversations/${job.conversationId}/messages`);
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${spec.apiKey}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        },
      );
      req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body);
    });

  if (spec.kind === 'queue') {
    let next = 0;
    let sent = 0;
    const t0 = performance.now();
    const worker = async () => {
      while (next < spec.jobs.length) {
        const job = spec.jobs[next++];
        if (!job) return;
        try {
          const res = await post(job);
          if (res.status === 202) sent++;
          else {
            errors++;
            countError(errorKinds, `HTTP ${res.status} ${res.body.slice(0, 120)}`);
          }
        } catch (err) {
          errors++;
          countError(errorKinds, (err as Error).message);
        }
      }
    };
    await Promise.all(Array.from({ length: spec.concurrency }, worker));
    agent.destroy();
    return { sent, errors, errorKinds, seconds: (performance.now() - t0) / 1000 };
  }

  // Paced sends, each timed until the agent's WebSocket shows it `sent`.
  const postedAt = new Map<string, number>();
  const acks: number[] = [];
  const firstUpdate = new Map<string, { at: number; status: string }>();
  const ws = new WebSocket(`${spec.base.replace(/^http/, 'ws')}/api/v1/realtime`, {
    headers: { authorization: `Bearer ${spec.apiKey}` },
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (raw: Buffer) => {
      const at = performance.now();
      const frame = JSON.parse(raw.toString('utf8')) as {
        type: string;
        data: { id?: string; status?: string };
      };
      if (frame.type === 'ready') resolve();
      if (frame.type !== 'message.updated' || !frame.data.id || frame.data.status === 'queued') return;
      if (!firstUpdate.has(frame.data.id))
        firstUpdate.set(frame.data.id, { at, status: frame.data.status ?? '?' });
    });
  });
  let next = 0;
  const one = async () => {
    const job = spec.jobs[next++ % spec.jobs.length];
    if (!job) return;
    const t = performance.now();
    try {
      const res = await post(job);
      if (res.status !== 202) {
        errors++;
        countError(errorKinds, `HTTP ${res.status} ${res.body.slice(0, 120)}`);
        return;
      }
      acks.push(performance.now() - t);
      postedAt.set((JSON.parse(res.body) as { id: string }).id, t);
    } catch (err) {
      errors++;
      countError(errorKinds, (err as Error).message);
    }
  };
  const inFlight: Promise<void>[] = [];
  const t0 = performance.now();
  const end = t0 + spec.durationMs;
  while (performance.now() < end) {
    const due = Math.floor(((performance.now() - t0) / 1000) * spec.rate);
    while (next < due) inFlight.push(one());
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - t0) / 1000;
  // Every accepted send's frame, or 30 s.
  const deadline = performance.now() + 30_000;
  while ([...postedAt.keys()].some((id) => !firstUpdate.has(id)) && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  ws.close();
  agent.destroy();
  const lat: number[] = [];
  const otherOutcomes: Record<string, number> = {};
  for (const [id, t] of postedAt) {
    const u = firstUpdate.get(id);
    if (!u) countError(otherOutcomes, 'no frame');
    else if (u.status === 'sent' || u.status === 'delivered' || u.status === 'read') lat.push(u.at - t);
    else countError(otherOutcomes, u.status);
  }
  lat.sort((a, b) => a - b);
  acks.sort((a, b) => a - b);
  return {
    sent: postedAt.size,
    errors,
    errorKinds,
    seconds,
    ackP50: percentile(acks, 50),
    ackP99: percentile(acks, 99),
    sentP50: percentile(lat, 50),
    sentP90: percentile(lat, 90),
    sentP99: percentile(lat, 99),
    sentMax: percentile(lat, 100),
    reachedSent: lat.length,
    otherOutcomes,
  };
}

/** This script's own load client process (`--client`). */
class LoadClient extends ForkedClient<ClientSpec, ClientResult> {
  constructor() {
    super(import.meta.url);
  }
}

// ---------------------------------------------------------------------------------------------
// The simulator in its own process (as apps/server/test/sim-process.ts, with its control API open)
// ---------------------------------------------------------------------------------------------

interface OutboxEntry {
  id: string;
  phoneNumberId: string;
  to: string;
  createdAt: number;
  request: { text?: { body?: string } };
}

async function startSim(config: object, secrets: { appSecret: string; verifyToken: string }) {
  const bin = fileURLToPath(new URL('../apps/wa-sim/bin/wa-sim.js', import.meta.url));
  const file = join(tmpdir(), `wa-sim-bench-${process.pid}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(config));
  const child = spawn(
    process.execPath,
    [
      bin,
      '--port',
      '0',
      '--config',
      file,
      '--app-secret',
      secrets.appSecret,
      '--verify-token',
      secrets.verifyToken,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const firstLine = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`wa-sim exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  const { url } = JSON.parse(firstLine) as { url: string };
  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/_sim/v1${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`wa-sim ${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    url,
    control,
    async outbox(phoneNumberId: string, since: number): Promise<OutboxEntry[]> {
      return (
        await control<{ messages: OutboxEntry[] }>(
          'GET',
          `/outbox?phoneNumberId=${phoneNumberId}&since=${since}`,
        )
      ).messages;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Diagnostics: a webhook sink in its own process (answers the handshake, then 200 to everything). */
async function startSink() {
  const code = `
    const http = require('node:http');
    const s = http.createServer((req, res) => {
      const challenge = new URL(req.url, 'http://x').searchParams.get('hub.challenge');
      req.resume();
      req.on('end', () => res.end(challenge ?? 'ok'));
    });
    s.listen(0, '127.0.0.1', () => console.log(s.address().port));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout }).once('line', resolve),
  );
  return {
    url: `http://127.0.0.1:${port}/hook`,
    close: () => void child.kill('SIGTERM'),
  };
}

/** Diagnostics: a CPU profile of this process (the server) between start and stop. */
async function startProfile() {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Orchestrator (the server and the database live in this process)
// ---------------------------------------------------------------------------------------------

interface Usage {
  serverCores: number;
  dbCores: number | undefined;
  otherCores: number | undefined;
  loopBusy: number;
}

function usageMeter(engine: Engine) {
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const db0 = engine === 'postgres' ? postgresCpuSeconds() : undefined;
  const m0 = machineCpuSeconds();
  const t0 = performance.now();
  return (): Usage => {
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const server = (cpu.user + cpu.system) / 1e6;
    const db1 = engine === 'postgres' ? postgresCpuSeconds() : undefined;
    const db = db0 !== undefined && db1 !== undefined ? db1 - db0 : undefined;
    const m1 = machineCpuSeconds();
    const machine = m0 && m1 ? m1.busy - m0.busy : undefined;
    return {
      serverCores: server / wall,
      dbCores: db === undefined ? undefined : db / wall,
      otherCores: machine === undefined ? undefined : (machine - server - (db ?? 0)) / wall,
      loopBusy: performance.eventLoopUtilization(elu0).utilization,
    };
  };
}

interface ThroughputRow {
  label: string;
  kind: 'floor' | 'engine';
  limit: number;
  messages: number;
  clients: number;
  /** Sends the simulator accepted. */
  accepted: number;
  /** First to last accepted send at the simulator, seconds. */
  span: number;
  /** Engine: from starting the worker to the last accepted send, seconds. */
  fromStart?: number;
  busiest: number;
  /** Engine: counters.retried (130429 and other retryable answers); floor: requests refused 130429. */
  refused: number;
  failedOrUnknown: number;
  /** Engine: how long queueing the N sends took (worker stopped), and its errors. */
  queueSeconds?: number;
  /** Engine: mean claims in hand (queue rows `sending`) while draining. */
  meanInHand?: number;
  usage: Usage;
}

interface LatencyRow {
  label: string;
  limit: number;
  result: ClientResult;
  usage: Usage;
}

interface EngineReport {
  engine: Engine;
  dbVersion: string;
  dbSettings: string | undefined;
  throughput: ThroughputRow[];
  latency: LatencyRow | undefined;
}

const rateOf = (r: ThroughputRow) => (r.accepted > 1 && r.span > 0 ? (r.accepted - 1) / r.span : NaN);

const simCustomer = () => `55119${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
const bigId = () => `${randomInt(100_000, 999_999)}${randomInt(100_000_000, 999_999_999)}`;

async function benchEngine(
  engine: Engine,
  opts: {
    adminUrl: string;
    clients1000: number;
    messages1000: number;
    rate: number;
    durationMs: number;
    /** Diagnostics only: overrides of the delivery engine's options (recorded runs use none). */
    delivery: Record<string, number> | undefined;
    /** Diagnostics only: just the engine at 1,000 mps. */
    only1000: boolean;
    /** Diagnostics only: just the paced latency run. */
    onlyLatency: boolean;
    /** Diagnostics only: status webhooks go to a sink process instead of the app. */
    statusSink: boolean;
    /** Diagnostics only: the simulator batches status webhooks (recorded runs: one status per POST). */
    batchedStatuses: boolean;
    /** Diagnostics only: the engine's stages every 250 ms and sends per 250 ms at the simulator. */
    timeline: boolean;
    /** Diagnostics only: a CPU profile of the server process while the worker drains at 1,000 mps (with
     * --only-1000) or during the paced latency run (with --only-latency). */
    cpuProf: string | undefined;
    client: LoadClient;
  },
): Promise<EngineReport> {
  const { createApp } = await import('../apps/server/src/app.ts');
  const { systemActor } = await import('../apps/server/src/platform/auth/principal.ts');
  const cleanups = new Cleanups();
  try {
    const { config, database, version, settings } = await openBenchDatabase(engine, opts.adminUrl, cleanups);
    // worker: false, then the intake worker started here: the delivery worker is started and
    // stopped by each scenario, so that its messages can be queued first.
    const app = await createApp({
      config,
      database,
      secretKey: SECRET_KEY,
      worker: false,
      ...(opts.delivery ? { delivery: opts.delivery } : {}),
    });
    cleanups.push(() => app.close());
    await app.start();
    const stopIntake = await app.services.intake.startWorker();
    cleanups.push(() => stopIntake());
    await app.http.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}`;

    const business = {
      wabaId: bigId(),
      phoneNumberId: bigId(),
      accessToken: `EAAG-${randomBytes(12).toString('hex')}`,
      appSecret: `app-secret-${randomBytes(12).toString('hex')}`,
      verifyToken: `verify-${randomBytes(6).toString('hex')}`,
    };
    const sim = await startSim(
      {
        seed: 5,
        webhook: {
          concurrency: 16,
          retryDelaysMs: [20, 50, 100, 200, 400],
          // Diagnosis: the statuses of 20 ms in one POST, as Meta may batch them (contract doc §2).
          ...(opts.batchedStatuses ? { batchSize: 1000, batchWindowMs: 20 } : {}),
        },
        // Meta's sent and delivered statuses come back as webhooks; customers do not read.
        statusDelays: { sentMs: 30, deliveredMs: 60, readMs: null },
        businesses: [
          {
            wabaId: business.wabaId,
            name: 'Bench Co',
            accessToken: business.accessToken,
            phoneNumbers: [
              {
                id: business.phoneNumberId,
                displayPhoneNumber: '15550100',
                verifiedName: 'Bench Co',
                throughputMps: 1000,
              },
            ],
          },
        ],
      },
      business,
    );
    cleanups.push(() => sim.close());

    const email = 'owner@bench.test';
    const password = 'bench password 0123456789';
    const { organization } = await app.services.organizations.createOrganization(
      { name: 'Bench Org', plan: 'pro', owner: { email, password, firstName: 'Olive', lastName: 'Owner' } },
      systemActor,
    );
    const { csrfToken, cookie } = await signInOwner(base, email, password);
    const authed = async (method: string, path: string, body: object, expect: number) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
        body: JSON.stringify(body),
      });
      if (res.status !== expect) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<Record<string, string>>;
    };
    const { id: numberId = '' } = await authed(
      'POST',
      '/api/v1/whatsapp/numbers',
      {
        phoneNumberId: business.phoneNumberId,
        wabaId: business.wabaId,
        displayPhoneNumber: '+1 555 0100',
        accessToken: business.accessToken,
        appSecret: business.appSecret,
        verifyToken: business.verifyToken,
        purpose: 'Bench',
        graphBaseUrl: sim.url,
      },
      201,
    );
    const { key: apiKey = '' } = await authed(
      'POST',
      '/api/v1/api-keys',
      { name: 'agent', scopes: ['conversations.read', 'conversations.manage'] },
      201,
    );
    const verification = await sim.control<{ verification: string }>('POST', '/webhook', {
      url: `${base}/webhooks/whatsapp`,
    });
    if (verification.verification !== 'verified') throw new Error(`webhook: ${verification.verification}`);

    const setLimit = async (mps: number) => {
      await sim.control('POST', '/limits', { phoneNumberId: business.phoneNumberId, throughputMps: mps });
      await authed('PATCH', `/api/v1/whatsapp/numbers/${numberId}`, { throughputMps: mps }, 200);
    };

    /** Webhooks delivered and stored: nothing of one scenario spills into the next. */
    const quiet = async () => {
      const deadline = performance.now() + 300_000;
      for (let calm = 0; calm < 3;) {
        const { stats } = await sim.control<{ stats: { pending: number } }>('GET', '/webhooks?limit=0');
        const left = (
          (
            await database.executeSql(
              'select count(*)::int as n from webhook_receipts where processed_at is null',
            )
          ).rows[0] as { n: number }
        ).n;
        calm = stats.pending === 0 && left === 0 ? calm + 1 : 0;
        if (performance.now() > deadline) throw new Error('webhooks never settled');
        await new Promise((r) => setTimeout(r, 200));
      }
      // Meta counts inbound traffic against the number: let the last second pass.
      await new Promise((r) => setTimeout(r, 1100));
    };

    /** Each of `waIds` writes "hi" through the simulator (opening its 24-hour window), 32 at a time. */
    const writeIn = async (waIds: string[]) => {
      for (let i = 0; i < waIds.length; i += 32) {
        await Promise.all(
          waIds.slice(i, i + 32).map((from) =>
            sim.control('POST', '/inbound', {
              phoneNumberId: business.phoneNumberId,
              from,
              type: 'text',
              text: { body: 'hi' },
            }),
          ),
        );
      }
    };

    /** `n` clients write (opening their 24-hour windows); their waIds and conversations. */
    const clientsWrite = async (n: number) => {
      const waIds = Array.from({ length: n }, simCustomer);
      await writeIn(waIds);
      const deadline = performance.now() + 120_000;
      for (;;) {
        const { rows } = await database.executeSql(
          `select c.id, ct.wa_id as "waId" from conversations c join contacts ct on ct.id = c.contact_id
           where c.tenant_id = $1 and ct.wa_id = any($2::text[])`,
          [organization.id, waIds],
        );
        if (rows.length === n) return rows as { id: string; waId: string }[];
        if (performance.now() > deadline) throw new Error(`only ${rows.length} of ${n} conversations`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    const delivery = app.services.delivery;
    const counters = () => ({ ...delivery.counters });

    const floorRow = async (limit: number, messages: number, clients: number): Promise<ThroughputRow> => {
      const to = Array.from({ length: clients }, simCustomer);
      // Floor customers write through the simulator too (the 24-hour window is checked there).
      await writeIn(to);
      await quiet();
      const tag = `floor-${limit}-${randomBytes(3).toString('hex')}`;
      const since = Date.now();
      const usage = usageMeter(engine);
      const r = await opts.client.run({
        kind: 'floor',
        simUrl: sim.url,
        phoneNumberId: business.phoneNumberId,
        accessToken: business.accessToken,
        to,
        count: messages,
        rate: limit,
        tag,
      });
      const u = usage();
      const outbox = (await sim.outbox(business.phoneNumberId, since)).filter((e) =>
        e.request.text?.body?.startsWith(tag),
      );
      const times = outbox.map((e) => e.createdAt);
      if (r.errors) console.log(`  floor errors: ${JSON.stringify(r.errorKinds)}`);
      return {
        label: `floor: fetch loop at ${limit}/s, no retries`,
        kind: 'floor',
        limit,
        messages,
        clients,
        accepted: outbox.length,
        span: (Math.max(...times) - Math.min(...times)) / 1000,
        busiest: busiestSecond(times),
        refused: r.refused ?? 0,
        failedOrUnknown: r.errors,
        usage: u,
      };
    };

    const engineRow = async (
      limit: number,
      messages: number,
      clients: number,
      written?: { id: string; waId: string }[],
      profile?: string,
    ): Promise<ThroughputRow> => {
      const conversations = written ?? (await clientsWrite(clients));
      await quiet();
      const tag = `engine-${limit}-${randomBytes(3).toString('hex')}`;
      const perClient = Math.ceil(messages / clients);
      const jobs: SendJob[] = [];
      for (let round = 0; round < perClient; round++) {
        for (const c of conversations) {
          if (jobs.length < messages) jobs.push({ conversationId: c.id, body: `${tag} ${c.waId} #${round}` });
        }
      }
      // Queued with the worker stopped: the measured part is the worker's alone.
      const q = await opts.client.run({ kind: 'queue', base, apiKey, jobs, concurrency: 16 });
      if (q.errors) throw new Error(`queueing: ${JSON.stringify(q.errorKinds)}`);
      console.log(
        `  queued ${q.sent} sends in ${fmt(q.seconds, 1)} s (${fmt(q.sent / q.seconds, 0)}/s, worker stopped)`,
      );
      await quiet();
      const before = counters();
      const usage = usageMeter(engine);
      const since = Date.now();
      const profiler = profile ? await startProfile() : undefined;
      const stop = delivery.start();
      const deadline = performance.now() + 600_000;
      // Claims in hand (state `sending`: claimed, waiting for a slot, at Graph or being recorded),
      // sampled every 250 ms: by Little's law, rate = in hand ÷ the time a claim is held.
      const inHand: number[] = [];
      const retryCodes = new Map<string, string>();
      let lastSample = 0;
      for (;;) {
        if (performance.now() - lastSample >= 250) {
          lastSample = performance.now();
          // With why messages are waiting for a retry (kept only while they wait), for the report.
          const { rows } = await database.executeSql(
            `select count(*) filter (where state = 'sending')::int as n,
                    json_object_agg(message_id, split_part(last_error, ':', 1))
                      filter (where last_error is not null) as waits
             from outbound_queue`,
          );
          const sample = rows[0] as { n: number; waits: Record<string, string> | null };
          inHand.push(sample.n);
          for (const [id, code] of Object.entries(sample.waits ?? {})) retryCodes.set(id, code);
          if (opts.timeline)
            console.log(
              `  stages ${JSON.stringify(delivery.gauges())} heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
            );
        }
        const c = counters();
        const settled =
          c.accepted - before.accepted + (c.failed - before.failed) + (c.unknown - before.unknown);
        if (settled >= messages) break;
        if (performance.now() > deadline) {
          await stop();
          throw new Error(`only ${settled} of ${messages} sends settled`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      const u = usage();
      if (profiler && profile) await profiler.stop(profile);
      if (retryCodes.size > 0) {
        const byCode = new Map<string, number>();
        for (const code of retryCodes.values()) byCode.set(code, (byCode.get(code) ?? 0) + 1);
        console.log(`  messages retried, by their last error: ${JSON.stringify(Object.fromEntries(byCode))}`);
      }
      await stop();
      const after = counters();
      const outbox = (await sim.outbox(business.phoneNumberId, since)).filter((e) =>
        e.request.text?.body?.startsWith(tag),
      );
      const times = outbox.map((e) => e.createdAt);
      const last = Math.max(...times);
      if (opts.timeline) {
        const first = Math.min(...times);
        const bins = new Array<number>(Math.ceil((last - first + 1) / 250)).fill(0);
        for (const t of times) {
          const bin = Math.floor((t - first) / 250);
          bins[bin] = (bins[bin] ?? 0) + 1;
        }
        console.log(`  sends per 250 ms: ${bins.join(' ')}`);
      }
      return {
        label: `engine: ${messages} queued, ${clients} clients`,
        kind: 'engine',
        limit,
        messages,
        clients,
        accepted: outbox.length,
        span: (last - Math.min(...times)) / 1000,
        fromStart: (last - since) / 1000,
        busiest: busiestSecond(times),
        refused: after.retried - before.retried,
        failedOrUnknown: after.failed - before.failed + (after.unknown - before.unknown),
        queueSeconds: q.seconds,
        meanInHand: inHand.reduce((a, b) => a + b, 0) / Math.max(1, inHand.length),
        usage: u,
      };
    };

    console.log(`\n[${engine}] ${version.split(' on ')[0] ?? version}`);
    const throughput: ThroughputRow[] = [];
    const show = (r: ThroughputRow) => {
      throughput.push(r);
      console.log(`  ${formatRow(r)}`);
    };
    if (opts.only1000) {
      let written: { id: string; waId: string }[] | undefined;
      if (opts.statusSink) {
        written = await clientsWrite(opts.clients1000);
        await quiet();
        const sink = await startSink();
        cleanups.push(() => sink.close());
        const v = await sim.control<{ verification: string }>('POST', '/webhook', { url: sink.url });
        if (v.verification !== 'verified') throw new Error(`sink webhook: ${v.verification}`);
      }
      await setLimit(1000);
      show(await engineRow(1000, opts.messages1000, opts.clients1000, written, opts.cpuProf));
      return { engine, dbVersion: version, dbSettings: settings, throughput, latency: undefined };
    }
    if (!opts.onlyLatency) {
      await setLimit(80);
      show(await floorRow(80, MESSAGES_80, CLIENTS_80));
      show(await engineRow(80, MESSAGES_80, CLIENTS_80));
      await setLimit(1000);
      show(await floorRow(1000, opts.messages1000, opts.clients1000));
      // PGlite (one connection) saturates near 100 mps: a smaller queue measures that rate in a
      // fraction of the time, which keeps `npm run bench -- all` within its 30 minutes.
      const queued =
        engine === 'pglite' ? Math.min(opts.messages1000, PGLITE_MESSAGES_1000) : opts.messages1000;
      show(await engineRow(1000, queued, opts.clients1000));
    }

    // Latency at a moderate fixed rate, on a number at Meta's default 80 mps.
    await setLimit(80);
    const latClients = Math.max(1, Math.ceil((opts.rate * opts.durationMs) / 1000 / 20));
    const conversations = await clientsWrite(latClients);
    await quiet();
    const stop = delivery.start();
    const usage = usageMeter(engine);
    const profiler = opts.onlyLatency && opts.cpuProf ? await startProfile() : undefined;
    const result = await opts.client.run({
      kind: 'paced',
      base,
      apiKey,
      jobs: conversations.map((c) => ({ conversationId: c.id, body: `latency ${c.waId}` })),
      rate: opts.rate,
      durationMs: opts.durationMs,
    });
    const latency: LatencyRow = {
      label: `${opts.rate} sends/s for ${opts.durationMs / 1000} s, ${latClients} clients, number at 80 mps`,
      limit: 80,
      result,
      usage: usage(),
    };
    if (profiler && opts.cpuProf) await profiler.stop(opts.cpuProf);
    await stop();
    console.log(`  ${formatLatency(latency)}`);
    return { engine, dbVersion: version, dbSettings: settings, throughput, latency };
  } finally {
    await cleanups.run();
  }
}

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

const cores = (u: Usage) => `${fmt(u.serverCores, 2)} / ${fmt(u.dbCores, 2)} / ${fmt(u.otherCores, 2)}`;

function formatRow(r: ThroughputRow): string {
  return (
    `${`${r.limit} mps ${r.label}`.padEnd(48)} accepted ${r.accepted}/${r.messages} in ${fmt(r.span, 2)} s = ` +
    `${fmt(rateOf(r))} mps (×${fmt(rateOf(r) / r.limit, 3)} of the limit)` +
    (r.fromStart !== undefined ? `, from worker start ${fmt(r.accepted / r.fromStart)} mps` : '') +
    (r.meanInHand !== undefined ? `, mean in hand ${fmt(r.meanInHand, 0)}` : '') +
    `  busiest second ${r.busiest}  ${r.kind === 'engine' ? 'retried' : 'refused 130429'} ${r.refused}` +
    `  failed/unknown ${r.failedOrUnknown}  cpu srv/db/other ${cores(r.usage)} loop ${fmt(r.usage.loopBusy * 100, 0)}%`
  );
}

function formatLatency(l: LatencyRow): string {
  const x = l.result;
  return (
    `latency ${l.label}: send→sent p50/p90/p99/max ${fmt(x.sentP50, 1)}/${fmt(x.sentP90, 1)}/${fmt(x.sentP99, 1)}/` +
    `${fmt(x.sentMax, 1)} ms; 202 p50/p99 ${fmt(x.ackP50, 2)}/${fmt(x.ackP99, 2)} ms; ${x.reachedSent} of ${x.sent} ` +
    `reached sent; errors ${x.errors} ${JSON.stringify(x.errorKinds)}; other ${JSON.stringify(x.otherOutcomes)}; ` +
    `cpu srv/db/other ${cores(l.usage)} loop ${fmt(l.usage.loopBusy * 100, 0)}%`
  );
}

function ratios(report: EngineReport): string[] {
  const out: string[] = [];
  for (const limit of [80, 1000]) {
    const floor = report.throughput.find((r) => r.kind === 'floor' && r.limit === limit);
    const eng = report.throughput.find((r) => r.kind === 'engine' && r.limit === limit);
    if (!floor || !eng) continue;
    out.push(
      `${limit} mps: the engine sustained ${fmt(rateOf(eng))} mps = **×${fmt(rateOf(eng) / limit, 3)} of the limit** ` +
        `(×${fmt(eng.accepted / (eng.fromStart ?? NaN) / limit, 3)} counted from the worker's start), ` +
        `${eng.refused} retried, busiest second ${eng.busiest}; the trivial client got ×${fmt(rateOf(floor) / limit, 3)} ` +
        `(${floor.refused} refused 130429); engine ÷ floor ×${fmt(rateOf(eng) / rateOf(floor), 3)}`,
    );
  }
  const l = report.latency;
  if (l) {
    const x = l.result;
    out.push(
      `send→sent p50/p99 ${fmt(x.sentP50, 1)}/${fmt(x.sentP99, 1)} ms at ${fmt(x.sent / x.seconds, 0)} sends/s ` +
        `(202 p50/p99 ${fmt(x.ackP50, 2)}/${fmt(x.ackP99, 2)} ms); ${x.reachedSent} of ${x.sent} reached \`sent\``,
    );
  }
  return out;
}

function markdownBlock(report: EngineReport): string {
  const name = report.engine === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL';
  const rows = report.throughput.map(
    (r) =>
      `| ${r.label} | ${r.limit} | ${r.accepted} / ${r.messages} | ${r.clients} | ${fmt(r.span, 2)} | ` +
      `${fmt(rateOf(r))} | **${fmt(rateOf(r) / r.limit, 3)}** | ` +
      `${r.fromStart === undefined ? '–' : fmt(r.accepted / r.fromStart / r.limit, 3)} | ${r.busiest} | ` +
      `${r.refused}${r.kind === 'floor' ? ' refused' : ''} | ${r.failedOrUnknown} | ` +
      `${r.meanInHand === undefined ? '–' : fmt(r.meanInHand, 0)} | ` +
      `${r.queueSeconds === undefined ? '–' : fmt(r.messages / r.queueSeconds, 0)} | ${cores(r.usage)} | ` +
      `${fmt(r.usage.loopBusy * 100, 0)}% |`,
  );
  const l = report.latency;
  const latencyRows = l
    ? [
        '',
        '| Latency scenario | Sends | 202 p50 ms | 202 p99 ms | Send→sent p50 ms | p90 ms | p99 ms | max ms | Reached `sent` | CPU cores server / db / other | Server loop busy |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
        `| ${l.label} | ${l.result.sent} | ${fmt(l.result.ackP50, 2)} | ${fmt(l.result.ackP99, 2)} | ` +
          `**${fmt(l.result.sentP50, 1)}** | ${fmt(l.result.sentP90, 1)} | **${fmt(l.result.sentP99, 1)}** | ` +
          `${fmt(l.result.sentMax, 1)} | ${l.result.reachedSent} | ${cores(l.usage)} | ${fmt(l.usage.loopBusy * 100, 0)}% |`,
      ]
    : [];
  return [
    `### ${name}`,
    '',
    `Run ${new Date().toISOString().slice(0, 10)}: ${report.dbVersion.split(' on ')[0] ?? report.dbVersion}` +
      `${report.dbSettings ? ` (${report.dbSettings})` : ''}; Node ${process.version}.`,
    '',
    '| Scenario | Limit mps | Accepted / sent | Clients | First→last s | Achieved mps | ÷ limit | ÷ limit from worker start | Busiest second | Retried (130429) | Failed / unknown | Mean in hand | Queued/s (worker stopped) | CPU cores server / db / other | Server loop busy |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    ...rows,
    ...latencyRows,
    '',
    ...ratios(report).map((line) => `- ${line}`),
  ].join('\n');
}

/**
 * The headline figures for the runner (`--json`): the achieved rate ÷ the number's limit at 80 and
 * 1,000 mps against the trivial client's (the floor), with issue 5's target (≥ 0.95 at 1,000 mps on
 * PostgreSQL), and the send→`sent` latency.
 */
function figures(report: EngineReport): Figure[] {
  const engine = report.engine;
  const out: Figure[] = [];
  for (const limit of [80, 1000]) {
    const floor = report.throughput.find((r) => r.kind === 'floor' && r.limit === limit);
    const eng = report.throughput.find((r) => r.kind === 'engine' && r.limit === limit);
    if (!eng) continue;
    out.push({
      name: `achieved ÷ limit at ${limit} mps`,
      value: rateOf(eng) / limit,
      unit: 'ratio',
      engine,
      ...(floor ? { floor: rateOf(floor) / limit } : {}),
      ...(limit === 1000 && engine === 'postgres' ? { target: { op: '>=' as const, value: 0.95 } } : {}),
    });
    out.push({
      name: `achieved mps at ${limit} mps`,
      value: rateOf(eng),
      unit: 'msg/s',
      engine,
      ...(floor ? { floor: rateOf(floor) } : {}),
    });
  }
  const l = report.latency;
  if (l) {
    out.push({ name: 'send→sent p50 (paced)', value: l.result.sentP50 ?? NaN, unit: 'ms', engine });
    out.push({ name: 'send→sent p99 (paced)', value: l.result.sentP99 ?? NaN, unit: 'ms', engine });
  }
  return out;
}

const SECTION = '## Outbound delivery (bench/outbound.bench.ts)';

function sectionSkeleton(): string {
  return [
    SECTION,
    '',
    'Run: `npx tsx bench/outbound.bench.ts [--engine pglite|postgres|both] [--clients 250] [--messages 10000] [--rate 50] [--duration 10]`.',
    'The real app (`createApp`, one process serving HTTP, the webhook intake and the delivery worker) on 127.0.0.1 with one',
    'organization and one number connected to the WhatsApp simulator, which runs in its own process and sends the `sent` and',
    '`delivered` status webhooks back (customers do not read). Throughput: clients write first (opening their windows), then N',
    'texts are queued through `POST /api/v1/conversations/{id}/messages` by a load client in a child process while the',
    'delivery worker is stopped; the worker is started and the rate is counted at the simulator, from the first to the last',
    'accepted send (its `createdAt`). Number and simulator limits are set the same (80, then 1,000 mps; at 1,000 mps PGlite',
    'gets 2,000 messages, not --messages, as it saturates near 100 mps). "÷ limit from worker',
    'start" counts from starting the worker instead (it includes the first claim). "Retried" is `counters.retried` (130429',
    'and other retryable answers); "busiest second" is the most sends the simulator saw in any sliding second. The floor is',
    'a fetch loop in the load-client process sending raw Graph requests at exactly the limit (open loop, no retries; its',
    'refused requests are counted, not resent). Latency: sends at a fixed rate, timed in the client from the request',
    'leaving to the `message.updated` frame with status `sent` on an agent’s WebSocket (API key). "Other" CPU is the rest',
    'of the machine: the simulator and the load client. Rewritten per engine by each run (between the markers).',
    '',
    '<!-- outbound:pglite:start -->',
    '<!-- outbound:pglite:end -->',
    '',
    '<!-- outbound:postgres:start -->',
    '<!-- outbound:postgres:end -->',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string' },
      clients: { type: 'string', default: '250' },
      messages: { type: 'string', default: '10000' },
      rate: { type: 'string', default: '50' },
      duration: { type: 'string', default: '10' },
      results: { type: 'string', default: RESULTS_PATH },
      delivery: { type: 'string' },
      'only-1000': { type: 'boolean', default: false },
      'only-latency': { type: 'boolean', default: false },
      'status-sink': { type: 'boolean', default: false },
      'batched-statuses': { type: 'boolean', default: false },
      timeline: { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      json: { type: 'string' },
    },
  });
  const startedAt = new Date();
  const { engines, adminUrl } = enginesFrom(values.engine);
  const clients1000 = Number(values.clients);
  const messages1000 = Number(values.messages);
  const rate = Number(values.rate);
  const durationMs = Number(values.duration) * 1000;
  if (!(messages1000 >= 1000 && messages1000 <= 100_000)) throw new Error('--messages must be 1000..100000');
  if (!(clients1000 >= 1 && messages1000 / clients1000 <= 44)) {
    throw new Error('--clients: at most 44 messages per client (Meta’s pair rate allows bursts of 45)');
  }
  if (!(rate >= 1 && rate <= 80))
    throw new Error('--rate must be 1..80 sends per second (the number is at 80 mps)');
  if (!(durationMs >= 1000 && durationMs <= 120_000)) throw new Error('--duration must be 1..120 seconds');
  const delivery = values.delivery ? (JSON.parse(values.delivery) as Record<string, number>) : undefined;
  if (
    (delivery ||
      values['only-1000'] ||
      values['only-latency'] ||
      values['status-sink'] ||
      values['batched-statuses'] ||
      values['cpu-prof'] ||
      values.timeline) &&
    values.results !== 'none'
  ) {
    throw new Error(
      '--delivery, --only-1000, --only-latency, --status-sink, --batched-statuses, --cpu-prof and --timeline are for diagnosis: use --results none',
    );
  }
  if (values['only-1000'] && values['only-latency'])
    throw new Error('--only-1000 or --only-latency, not both');
  const client = new LoadClient();
  const reports: EngineReport[] = [];
  try {
    for (const engine of engines) {
      reports.push(
        await benchEngine(engine, {
          adminUrl,
          clients1000,
          messages1000,
          rate,
          durationMs,
          delivery,
          only1000: values['only-1000'],
          onlyLatency: values['only-latency'],
          statusSink: values['status-sink'],
          batchedStatuses: values['batched-statuses'],
          timeline: values.timeline,
          cpuProf: values['cpu-prof'],
          client,
        }),
      );
    }
  } finally {
    client.close();
  }
  console.log('\nHeadline');
  for (const r of reports) for (const l of ratios(r)) console.log(`  [${r.engine}] ${l}`);
  console.log(machineFacts(reports.map((r) => r.dbVersion)));
  writeFigures(process.argv, 'outbound', startedAt, reports.flatMap(figures));
  if (values.results !== 'none') {
    const blocks = new Map(reports.map((r) => [`outbound:${r.engine}`, markdownBlock(r)] as const));
    updateResults(values.results, SECTION, sectionSkeleton, blocks);
    console.log(`\nUpdated ${values.results}`);
  }
}

if (process.argv.includes('--client')) serveLoadClient(runClient);
else await main();
