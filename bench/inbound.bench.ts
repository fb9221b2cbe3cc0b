// Inbound ingestion benchmark: signed WhatsApp webhooks posted to the real app over loopback HTTP,
// on each database engine. It reports
//   - sustained ingestion: a closed-loop burst, counted until every message is stored (not only
//     acknowledged), in messages per second;
//   - webhook acknowledgement latency p50/p99;
//   - webhook-to-agent latency p50/p99 at a fixed rate: from the POST leaving the client to the
//     `message.created` frame reaching an agent's WebSocket (both ends in the client process, one
//     clock);
//   - the same run's floor: a bare Fastify route doing one INSERT of the body on the same database.
// The load client runs in a child process so it does not share the server's event loop.
//
// Run: npx tsx bench/inbound.bench.ts [--engine pglite|postgres|both] [--duration 10] [--rate 500]
//        [--concurrency 32] [--results bench/RESULTS.md | none] [--json <path>] (headline figures, for bench/run.ts)
// PostgreSQL: BENCH_DATABASE_URL (an admin URL; default postgres://postgres@127.0.0.1:5432/postgres).
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { writeFigures, type Figure, type Target as FigureTarget } from './figures.ts';
import {
  Cleanups,
  enginesFrom,
  fmt,
  machineFacts,
  openBenchDatabase,
  postgresCpuSeconds,
  RESULTS_PATH,
  SECRET_KEY,
  signInOwner,
  updateResults,
  type Engine,
} from './support.ts';
import {
  APP_SECRET,
  LoadClient,
  PHONE_NUMBER_ID,
  WABA_ID,
  type ClientResult,
  type ClientSpec,
} from './webhook-load.ts';

// ---------------------------------------------------------------------------------------------
// Orchestrator (the server and the database live in this process)
// ---------------------------------------------------------------------------------------------

interface Row {
  label: string;
  result: ClientResult;
  /** Messages stored per second, counted until the last one is stored (webhook scenarios). */
  storedPerSecond?: number;
  drainSeconds?: number;
  serverCores: number;
  dbCores: number | undefined;
  loopBusy: number;
}

interface EngineReport {
  engine: Engine;
  dbVersion: string;
  dbSettings: string | undefined;
  rows: Row[];
}

async function benchEngine(
  engine: Engine,
  opts: { adminUrl: string; durationMs: number; rate: number; concurrency: number; client: LoadClient },
): Promise<EngineReport> {
  const { createApp } = await import('../apps/server/src/app.ts');
  const { systemActor } = await import('../apps/server/src/platform/auth/principal.ts');
  const { default: Fastify } = await import('fastify');
  const cleanups = new Cleanups();
  try {
    const { config, database, version, settings } = await openBenchDatabase(engine, opts.adminUrl, cleanups);
    const app = await createApp({ config, database, secretKey: SECRET_KEY });
    cleanups.push(() => app.close());
    await app.start();
    await app.http.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.http.server.address() as AddressInfo).port;
    const base = `http://127.0.0.1:${port}`;

    const email = 'owner@bench.test';
    const password = 'bench password 0123456789';
    const { organization } = await app.services.organizations.createOrganization(
      { name: 'Bench Org', plan: 'pro', owner: { email, password, firstName: 'Olive', lastName: 'Owner' } },
      systemActor,
    );
    const { csrfToken, cookie } = await signInOwner(base, email, password);
    const authed = async (path: string, body: object) => {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
        body: JSON.stringify(body),
      });
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<Record<string, string>>;
    };
    await authed('/api/v1/whatsapp/numbers', {
      phoneNumberId: PHONE_NUMBER_ID,
      wabaId: WABA_ID,
      displayPhoneNumber: '+1 555 0100',
      accessToken: 'bench-access-token',
      appSecret: APP_SECRET,
      verifyToken: 'bench-verify-token',
      purpose: 'Support',
    });
    const { key: apiKey = '' } = await authed('/api/v1/api-keys', {
      name: 'agent',
      scopes: ['conversations.read'],
    });

    // The floor: one INSERT of the raw body per request, on the same Database object.
    await database.executeSql('create table bench_floor (id uuid primary key, at timestamptz, body text)');
    const floor = Fastify({ bodyLimit: 1024 * 1024 });
    floor.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    );
    floor.post('/floor', async (req) => {
      await database.executeSql('insert into bench_floor (id, at, body) values ($1, $2, $3)', [
        randomUUID(),
        new Date(),
        req.body,
      ]);
      return { ok: true };
    });
    cleanups.push(() => floor.close());
    await floor.listen({ host: '127.0.0.1', port: 0 });
    const floorPort = (floor.server.address() as AddressInfo).port;

    const stored = async () => {
      const { rows } = await database.executeSql(
        'select count(*)::int as n from messages where tenant_id = $1',
        [organization.id],
      );
      return (rows[0] as { n: number }).n;
    };
    /** Waits until `expected` messages are stored; returns when that happened (ms, performance clock). */
    const drained = async (expected: number) => {
      const deadline = performance.now() + 180_000;
      while ((await stored()) < expected) {
        if (performance.now() > deadline) throw new Error(`only ${await stored()} of ${expected} stored`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return performance.now();
    };
    const measure = async (label: string, spec: ClientSpec, expectStored: boolean): Promise<Row> => {
      const before = expectStored ? await stored() : 0;
      const cpu0 = process.cpuUsage();
      const elu0 = performance.eventLoopUtilization();
      const db0 = engine === 'postgres' ? postgresCpuSeconds() : undefined;
      const t0 = performance.now();
      const result = await opts.client.run(spec);
      const acked = result.sent - result.errors;
      const tDone = expectStored ? await drained(before + acked) : performance.now();
      const wall = (tDone - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const db1 = engine === 'postgres' ? postgresCpuSeconds() : undefined;
      const row: Row = {
        label,
        result,
        serverCores: (cpu.user + cpu.system) / 1e6 / wall,
        dbCores: db0 !== undefined && db1 !== undefined ? (db1 - db0) / wall : undefined,
        loopBusy: performance.eventLoopUtilization(elu0).utilization,
        ...(expectStored
          ? { storedPerSecond: acked / wall, drainSeconds: (tDone - t0) / 1000 - result.seconds }
          : {}),
      };
      console.log(`  ${formatRow(row)}`);
      return row;
    };

    const webhook = (runId: string) => ({ port, path: '/webhooks/whatsapp', signed: true, runId });
    const c = opts.concurrency;
    console.log(`\n[${engine}] ${version.split(' on ')[0] ?? version}`);
    // Warm-up: JIT, pools, the contacts and conversations of every customer.
    await measure('warm-up', { kind: 'burst', ...webhook('warm'), concurrency: c, durationMs: 2000 }, true);
    const rows = [
      await measure(
        `burst, concurrency ${c}`,
        { kind: 'burst', ...webhook('burst'), concurrency: c, durationMs: opts.durationMs },
        true,
      ),
      await measure(
        `paced ${opts.rate} msg/s + agent WebSocket`,
        {
          kind: 'paced',
          ...webhook('paced'),
          rate: opts.rate,
          durationMs: opts.durationMs,
          wsUrl: base.replace(/^http/, 'ws'),
          apiKey,
        },
        true,
      ),
      await measure(
        `floor: bare Fastify, 1 INSERT, concurrency ${c}`,
        {
          kind: 'burst',
          port: floorPort,
          path: '/floor',
          signed: false,
          runId: 'floor',
          concurrency: c,
          durationMs: opts.durationMs,
        },
        false,
      ),
    ];
    const left = (
      (
        await database.executeSql(
          'select count(*)::int as n from webhook_receipts where processed_at is null',
        )
      ).rows[0] as {
        n: number;
      }
    ).n;
    if (left !== 0) throw new Error(`${left} webhook receipts left unprocessed`);
    return { engine, dbVersion: version, dbSettings: settings, rows };
  } finally {
    await cleanups.run();
  }
}

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

function formatRow(r: Row): string {
  const x = r.result;
  const errs = x.errors === 0 ? '0' : `${x.errors} ${JSON.stringify(x.errorKinds)}`;
  return (
    `${r.label.padEnd(44)} sent ${String(x.sent).padStart(6)}  acked/s ${fmt((x.sent - x.errors) / x.seconds).padStart(8)}  ` +
    `stored/s ${fmt(r.storedPerSecond).padStart(8)}  ack p50/p99 ${fmt(x.ackP50, 2)}/${fmt(x.ackP99, 2)} ms  ` +
    `ws p50/p99 ${fmt(x.e2eP50, 2)}/${fmt(x.e2eP99, 2)} ms (${x.delivered ?? '–'} frames)  errors ${errs}  ` +
    `cpu srv/db ${fmt(r.serverCores, 2)}/${fmt(r.dbCores, 2)} loop ${fmt(r.loopBusy * 100, 0)}%`
  );
}

function ratios(report: EngineReport): string[] {
  const [burst, paced, floor] = report.rows;
  if (!burst || !paced || !floor) return [];
  const floorRps = (floor.result.sent - floor.result.errors) / floor.result.seconds;
  return [
    `sustained ingestion ${fmt(burst.storedPerSecond, 0)} msg/s stored = ×${fmt((burst.storedPerSecond ?? 0) / floorRps, 2)} the floor's ${fmt(floorRps, 0)} inserts/s`,
    `ack p99 ${fmt(burst.result.ackP99, 2)} ms under the burst, ${fmt(paced.result.ackP99, 2)} ms at ${fmt(paced.result.sent / paced.result.seconds, 0)} msg/s (floor p99 ${fmt(floor.result.ackP99, 2)} ms)`,
    `webhook-to-agent p50/p99 ${fmt(paced.result.e2eP50, 2)}/${fmt(paced.result.e2eP99, 2)} ms at ${fmt(paced.result.sent / paced.result.seconds, 0)} msg/s; ${paced.result.delivered ?? 0} of ${paced.result.sent - paced.result.errors} acknowledged messages reached the agent`,
  ];
}

function markdownBlock(report: EngineReport, durationMs: number): string {
  const name = report.engine === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL';
  const rows = report.rows.map((r) => {
    const x = r.result;
    return (
      `| ${r.label} | ${x.sent} | ${fmt((x.sent - x.errors) / x.seconds)} | **${fmt(r.storedPerSecond)}** | ` +
      `${fmt(x.ackP50, 2)} | ${fmt(x.ackP99, 2)} | ${fmt(x.e2eP50, 2)} | ${fmt(x.e2eP99, 2)} | ${x.errors} | ` +
      `${fmt(r.serverCores, 2)} / ${fmt(r.dbCores, 2)} | ${fmt(r.loopBusy * 100, 0)}% |`
    );
  });
  return [
    `### ${name}`,
    '',
    `Run ${new Date().toISOString().slice(0, 10)}: ${report.dbVersion.split(' on ')[0] ?? report.dbVersion}` +
      `${report.dbSettings ? ` (${report.dbSettings})` : ''}; ${durationMs / 1000} s per scenario; Node ${process.version}.`,
    '',
    '| Scenario | Sent | Acked/s | Stored/s | Ack p50 ms | Ack p99 ms | Webhook→WS p50 ms | Webhook→WS p99 ms | Errors | CPU cores server / db | Server loop busy |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    ...rows,
    '',
    ...ratios(report).map((l) => `- ${l}`),
  ].join('\n');
}

/**
 * The headline figures for the runner (`--json`), with issue 4's targets: sustained ingestion of at
 * least 2,000 msg/s on PostgreSQL and 800 on PGlite, and on PostgreSQL an acknowledgement p99 under
 * 50 ms during the burst and a webhook-to-agent p99 under 150 ms at 500 msg/s.
 */
function figures(report: EngineReport): Figure[] {
  const [burst, paced, floor] = report.rows;
  if (!burst || !paced || !floor) return [];
  const engine = report.engine;
  const pg = engine === 'postgres';
  const target = (t: FigureTarget | undefined) => (t ? { target: t } : {});
  const floorRps = (floor.result.sent - floor.result.errors) / floor.result.seconds;
  return [
    {
      name: 'sustained ingestion (burst, stored)',
      value: burst.storedPerSecond ?? NaN,
      unit: 'msg/s',
      engine,
      floor: floorRps,
      ...target({ op: '>=', value: pg ? 2000 : 800 }),
    },
    {
      name: 'webhook ack p99 under the burst',
      value: burst.result.ackP99,
      unit: 'ms',
      engine,
      floor: floor.result.ackP99,
      ...target(pg ? { op: '<=', value: 50 } : undefined),
    },
    { name: 'webhook→agent p50 (paced)', value: paced.result.e2eP50 ?? NaN, unit: 'ms', engine },
    {
      name: 'webhook→agent p99 (paced)',
      value: paced.result.e2eP99 ?? NaN,
      unit: 'ms',
      engine,
      ...target(pg ? { op: '<=', value: 150 } : undefined),
    },
  ];
}

const SECTION = '## Inbound ingestion (bench/inbound.bench.ts)';

function sectionSkeleton(): string {
  return [
    SECTION,
    '',
    'Run: `npx tsx bench/inbound.bench.ts [--engine pglite|postgres|both] [--duration 10] [--rate 500]`.',
    'The real app (`createApp`, one process serving HTTP and working jobs) on 127.0.0.1 with one organization',
    'and one connected number; a load client in a child process posts signed webhooks in Meta’s format (one',
    'text message per POST, 500 customers round-robin, en/es/pt text with emoji). "Stored/s" counts until the',
    'last acknowledged message is stored (receipt job done), so it is the sustained rate, not the acknowledgement',
    'rate. "Webhook→WS" is measured in the client from sending the POST to receiving the `message.created` frame',
    'on an agent’s WebSocket (API key). The floor is a bare Fastify route in the same process doing one INSERT of',
    'the body through the same `Database` object. Rewritten per engine by each run (between the markers).',
    '',
    '<!-- inbound:pglite:start -->',
    '<!-- inbound:pglite:end -->',
    '',
    '<!-- inbound:postgres:start -->',
    '<!-- inbound:postgres:end -->',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string' },
      duration: { type: 'string', default: '10' },
      rate: { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '32' },
      results: { type: 'string', default: RESULTS_PATH },
      json: { type: 'string' },
    },
  });
  const startedAt = new Date();
  const { engines, adminUrl } = enginesFrom(values.engine);
  const durationMs = Number(values.duration) * 1000;
  const rate = Number(values.rate);
  const concurrency = Number(values.concurrency);
  if (!(durationMs >= 1000 && durationMs <= 600_000)) throw new Error('--duration must be 1..600 seconds');
  if (!(rate >= 1 && rate <= 10_000)) throw new Error('--rate must be 1..10000 messages per second');
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new Error('--concurrency must be 1..256');
  }
  const client = new LoadClient();
  const reports: EngineReport[] = [];
  try {
    for (const engine of engines) {
      reports.push(await benchEngine(engine, { adminUrl, durationMs, rate, concurrency, client }));
    }
  } finally {
    client.close();
  }
  console.log('\nHeadline');
  for (const r of reports) for (const l of ratios(r)) console.log(`  [${r.engine}] ${l}`);
  console.log(machineFacts(reports.map((r) => r.dbVersion)));
  writeFigures(process.argv, 'inbound', startedAt, reports.flatMap(figures));
  if (values.results !== 'none') {
    const blocks = new Map(
      reports.map((r) => [`inbound:${r.engine}`, markdownBlock(r, durationMs)] as const),
    );
    updateResults(values.results, SECTION, sectionSkeleton, blocks);
    console.log(`\nUpdated ${values.results}`);
  }
}

await main();
