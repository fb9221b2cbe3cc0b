// Large-tenant benchmark (issue 7): the API's read paths on the database bench/large-tenant.ts
// builds (1,000,000 conversations and 5,000,000 messages by default), through the real HTTP routes
// as a signed-in agent of that organization: the inbox list's first page per tab and per filter,
// the tab counts, the first page of the 10,000-message thread, full-text message search (a rare
// term, a common term, a phrase) and contact search (a name fragment, phone digits). Each is warmed
// up, then timed many times; p50/p95/p99 are printed with the ratio to issue 7's targets.
// `--explain <dir>` instead records EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) of the SQL each request
// sends (caught on its connection, inside its tenant transaction) into <dir>/inbox.md and
// <dir>/search.md's marked section.
//
// Run: npx tsx bench/scale.bench.ts [--conversations 1000000] [--messages 5000000] [--regenerate]
//      [--iterations 200] [--warmup 20] [--results <path>|none] [--json <path>] [--explain <dir>]
//      [--only <text>] (the requests whose name contains it, e.g. `counts`)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { meets, writeFigures, type Figure, type Target } from './figures.ts';
import {
  RARE_WORDS,
  adminUrlFromEnv,
  ensureLargeTenant,
  scaleUrl,
  sizesFrom,
  SCALE_PASSWORD,
  type ScaleMarker,
} from './large-tenant.ts';
import {
  Cleanups,
  RESULTS_PATH,
  SECRET_KEY,
  fmt,
  machineFacts,
  percentile,
  updateResults,
} from './support.ts';

const SECTION =
  '## Large tenant: 1M conversations, 5M messages (bench/large-tenant.ts, bench/scale.bench.ts)';
const LIST_P99: Target = { op: '<=', value: 25 };
const COUNTS_P99: Target = { op: '<=', value: 50 };
const THREAD_P99: Target = { op: '<=', value: 20 };
const SEARCH_P95: Target = { op: '<=', value: 150 };
/** A request stops after --iterations or this long, whichever comes first, but not before MIN_SAMPLES. */
const BUDGET_MS = 30_000;
const MIN_SAMPLES = 20;
/** Warm-up stops after --warmup requests or this long (at least one request). */
const WARMUP_BUDGET_MS = 10_000;

interface Measure {
  /** Figure name stem, e.g. `inbox list (tab mine)`. */
  name: string;
  group: 'inbox' | 'counts' | 'thread' | 'search' | 'contacts';
  path: string;
  /** Which percentile the target applies to. */
  at: 95 | 99;
  target?: Target;
  /** What a response must hold, so a broken route cannot pass as a fast one. */
  check: (body: unknown) => string | undefined;
}

interface Result {
  measure: Measure;
  p50: number;
  p95: number;
  p99: number;
  n: number;
  detail: string;
}

const items = (b: unknown) => (b as { items?: unknown[] }).items ?? [];

function measures(m: ScaleMarker): Measure[] {
  const list = (name: string, query: string): Measure => ({
    name: `inbox list ${name}`,
    group: 'inbox',
    path: `/api/v1/conversations${query}`,
    at: 99,
    target: LIST_P99,
    check: (b) => (items(b).length > 0 ? undefined : 'no conversations'),
  });
  const counts = (name: string, query: string): Measure => ({
    name: `inbox counts ${name}`,
    group: 'counts',
    path: `/api/v1/conversations/counts${query}`,
    at: 99,
    target: COUNTS_P99,
    check: (b) => ((b as { all?: number }).all ? undefined : 'no conversations counted'),
  });
  const messageSearch = (name: string, q: string): Measure => ({
    name: `message search ${name}`,
    group: 'search',
    path: `/api/v1/search?type=messages&q=${encodeURIComponent(q)}`,
    at: 95,
    target: SEARCH_P95,
    check: (b) =>
      (b as { messages?: { items: unknown[] } }).messages?.items.length
        ? undefined
        : `nothing found for ${q}`,
  });
  const contactSearch = (name: string, q: string): Measure => ({
    name: `contact search ${name}`,
    group: 'contacts',
    path: `/api/v1/search?type=contacts&q=${encodeURIComponent(q)}`,
    at: 95,
    check: (b) =>
      (b as { contacts?: { items: unknown[] } }).contacts?.items.length
        ? undefined
        : `nothing found for ${q}`,
  });
  const [number] = m.numberIds;
  const [team] = m.teamIds;
  const label = m.labelIds[1] ?? m.labelIds[0];
  return [
    list('(tab mine)', '?assignee=me'),
    list('(tab unassigned)', '?assignee=unassigned'),
    list('(tab all)', ''),
    list('(status pending)', '?status=pending'),
    list('(status all)', '?status=all'),
    list('(number)', `?numberId=${number}`),
    list('(team)', `?teamId=${team}`),
    list('(label)', `?labelId=${label}`),
    list('(priority urgent)', '?priority=urgent'),
    list('(tab mine, unread)', '?assignee=me&unread=true'),
    counts('(open)', ''),
    counts('(status all)', '?status=all'),
    counts('(team)', `?teamId=${team}`),
    counts('(label)', `?labelId=${label}`),
    {
      name: 'thread first page (10,000 messages)',
      group: 'thread',
      path: `/api/v1/conversations/${m.bigThreadId}/messages`,
      at: 99,
      target: THREAD_P99,
      check: (b) => (items(b).length === 50 ? undefined : `${items(b).length} messages`),
    },
    messageSearch('(rare term)', RARE_WORDS[0] ?? 'quokka'),
    messageSearch('(common term)', 'pedido'),
    messageSearch('(phrase)', 'cambiar dirección entrega'),
    contactSearch('(name fragment)', 'mari souz'),
    contactSearch('(phone fragment)', '+55 11 1000'),
  ];
}

async function signIn(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: SCALE_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  const cookie = /sb_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
  if (!cookie) throw new Error('login: no session cookie');
  return cookie;
}

async function get(base: string, cookie: string, path: string): Promise<unknown> {
  const res = await fetch(`${base}${path}`, { headers: { cookie } });
  const body: unknown = await res.json();
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function time(
  base: string,
  cookie: string,
  measure: Measure,
  warmup: number,
  iterations: number,
): Promise<Result> {
  let detail = '';
  const warmUntil = performance.now() + WARMUP_BUDGET_MS;
  for (let i = 0; i < warmup && (i === 0 || performance.now() < warmUntil); i++) {
    const body = await get(base, cookie, measure.path);
    if (i === 0) {
      const problem = measure.check(body);
      if (problem) throw new Error(`${measure.name}: ${problem}`);
      detail = describe(measure, body);
    }
  }
  const samples: number[] = [];
  const deadline = performance.now() + BUDGET_MS;
  for (let i = 0; i < iterations && (i < MIN_SAMPLES || performance.now() < deadline); i++) {
    const t0 = performance.now();
    await get(base, cookie, measure.path);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return {
    measure,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    n: samples.length,
    detail,
  };
}

function describe(measure: Measure, body: unknown): string {
  if (measure.group === 'counts') {
    const c = body as Record<string, number | null>;
    return `mine ${c['mine']}, unassigned ${c['unassigned']}, all ${c['all']}, unread ${c['unread']}`;
  }
  if (measure.group === 'search')
    return `${(body as { messages: { items: unknown[] } }).messages.items.length} hits on the page`;
  if (measure.group === 'contacts')
    return `${(body as { contacts: { items: unknown[] } }).contacts.items.length} hits on the page`;
  return `${items(body).length} rows`;
}

// ---------------------------------------------------------------------------------------------
// --explain: every select a request sends inside its tenant transaction is explained first, on the
// same connection, so the plan is the one row-level security and the tenant setting give.

interface Captured {
  sql: string;
  plan: string;
}
let capture: Captured[] | undefined;

function installExplainHook(): void {
  type Query = (this: pg.Client, ...args: unknown[]) => unknown;
  const proto = pg.Client.prototype as unknown as { query: Query };
  const original = proto.query;
  // Connections inside a tenant transaction (from its set_config to its commit or rollback): the
  // background workers' own queries on the same pool are left out.
  const inTenant = new WeakSet<pg.Client>();
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const [config] = args;
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text;
    if (typeof text === 'string') {
      if (/^\s*select set_config\('role', 'switchboard_app'/i.test(text)) inTenant.add(this);
      else if (/^\s*(commit|rollback)\b/i.test(text)) inTenant.delete(this);
    }
    const values =
      (typeof config === 'object' && config !== null
        ? (config as { values?: unknown[] }).values
        : undefined) ?? (Array.isArray(args[1]) ? (args[1] as unknown[]) : undefined);
    if (
      !capture ||
      !inTenant.has(this) ||
      typeof text !== 'string' ||
      !/^\s*\(?\s*select/i.test(text) ||
      /^\s*select set_config/i.test(text) ||
      args.some((a) => typeof a === 'function')
    ) {
      return original.apply(this, args);
    }
    const sink = capture;
    return (async () => {
      const res = (await original.call(this, {
        text: `explain (analyze, buffers, costs off) ${text}`,
        values,
      })) as { rows: { 'QUERY PLAN': string }[] };
      sink.push({ sql: text, plan: res.rows.map((r) => r['QUERY PLAN']).join('\n') });
      return original.apply(this, args);
    })();
  };
}

/** Uuids, timestamps and the tenant's ids are this run's: replaced so a regenerated file diffs cleanly. */
function stable(text: string, m: ScaleMarker): string {
  const names = new Map<string, string>([
    [m.tenantId, 'TENANT'],
    [m.otherTenantId, 'OTHER_TENANT'],
    [m.agentId, 'AGENT'],
    [m.bigThreadId, 'BIG_THREAD'],
    ...m.numberIds.map((id, i) => [id, `NUMBER_${i + 1}`] as [string, string]),
    ...m.teamIds.map((id, i) => [id, `TEAM_${i + 1}`] as [string, string]),
    ...m.labelIds.map((id, i) => [id, `LABEL_${i + 1}`] as [string, string]),
  ]);
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (u) => names.get(u) ?? '…uuid')
    .replace(/'\d{4}-\d\d-\d\d[ T][\d:.]+(\+00(:00)?|Z)?'/g, "'…time'");
}

async function explainAll(
  base: string,
  cookie: string,
  m: ScaleMarker,
  list: Measure[],
  version: string,
): Promise<Map<string, string>> {
  const docs = new Map<string, string[]>();
  for (const measure of list) {
    await get(base, cookie, measure.path); // warm the caches first
    capture = [];
    await get(base, cookie, measure.path);
    const captured = capture;
    capture = undefined;
    const doc = measure.group === 'search' || measure.group === 'contacts' ? 'search' : 'inbox';
    const out = docs.get(doc) ?? [];
    out.push(`### ${measure.name}\n\n\`GET ${stable(measure.path, m)}\`\n`);
    for (const [i, c] of captured.entries()) {
      out.push(
        `Statement ${i + 1} of ${captured.length}:\n\n\`\`\`sql\n${stable(c.sql.replace(/\s+/g, ' ').trim(), m)}\n\`\`\`\n\n\`\`\`\n${stable(c.plan, m)}\n\`\`\`\n`,
      );
    }
    docs.set(doc, out);
  }
  const header =
    `Generated by \`npx tsx bench/scale.bench.ts --explain docs/queries\` on the database of ` +
    `bench/large-tenant.ts (${m.conversations.toLocaleString('en-US')} conversations, ` +
    `${m.messages.toLocaleString('en-US')} messages, ${m.contacts.toLocaleString('en-US')} contacts in the large ` +
    `organization; a second small one). Every select the request sends inside its tenant transaction, ` +
    `as \`switchboard_app\` with \`app.tenant_id\` set, explained on the same connection just before it ` +
    `runs (the second time the request is made, so caches are warm). ${version.split(' on ')[0] ?? version}. ` +
    `Ids and times are replaced by names so a regenerated file diffs cleanly; timings vary by run.`;
  return new Map([...docs].map(([k, v]) => [k, `${header}\n\n${v.join('\n')}`]));
}

function writeExplain(dir: string, blocks: Map<string, string>): void {
  const inbox = join(dir, 'inbox.md');
  const start = '<!-- scale-plans:start -->';
  const end = '<!-- scale-plans:end -->';
  for (const [doc, block] of blocks) {
    const path = join(dir, `${doc}.md`);
    let text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (!text.includes(start)) {
      const title = doc === 'inbox' ? '# Inbox queries and their plans at scale\n' : '';
      text = `${(text || title).trimEnd()}\n\n## Plans at scale (bench/scale.bench.ts --explain)\n\n${start}\n${end}\n`;
    }
    const i = text.indexOf(start);
    const j = text.indexOf(end);
    text = `${text.slice(0, i + start.length)}\n${block}\n${text.slice(j)}`;
    writeFileSync(path, text);
    console.log(`wrote ${doc === 'inbox' ? inbox : path}`);
  }
}

// ---------------------------------------------------------------------------------------------

function table(results: Result[]): string {
  const rows = results.map((r) => {
    const value = r.measure.at === 95 ? r.p95 : r.p99;
    const target = r.measure.target;
    const vs = target
      ? `p${r.measure.at} ≤ ${target.value} ms: ${fmt(value / target.value, 2)}× ${meets(value, target) ? 'met' : '**missed**'}`
      : '–';
    return `| ${r.measure.name} | ${r.n} | ${fmt(r.p50, 1)} | ${fmt(r.p95, 1)} | ${fmt(r.p99, 1)} | ${vs} | ${r.detail} |`;
  });
  return [
    '| Request | n | p50 ms | p95 ms | p99 ms | Target (ratio) | Answer |',
    '| --- | ---: | ---: | ---: | ---: | --- | --- |',
    ...rows,
  ].join('\n');
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const { values } = parseArgs({
    options: {
      conversations: { type: 'string' },
      messages: { type: 'string' },
      regenerate: { type: 'boolean', default: false },
      iterations: { type: 'string', default: '200' },
      warmup: { type: 'string', default: '20' },
      results: { type: 'string' },
      json: { type: 'string' },
      explain: { type: 'string' },
      only: { type: 'string' },
    },
    strict: true,
  });
  const iterations = Number(values.iterations);
  const warmup = Number(values.warmup);
  if (!Number.isSafeInteger(iterations) || iterations < 1)
    throw new Error(`--iterations must be a positive integer (got ${values.iterations})`);
  if (!Number.isSafeInteger(warmup) || warmup < 1)
    throw new Error(`--warmup must be a positive integer (got ${values.warmup})`);
  if (values.explain !== undefined && !existsSync(values.explain))
    throw new Error(`--explain: no directory ${values.explain}`);
  const sizes = sizesFrom(values);
  const adminUrl = adminUrlFromEnv();

  const { marker, reused } = await ensureLargeTenant(adminUrl, sizes, values.regenerate);
  console.log(
    `${reused ? 'reusing' : 'generated'} the large tenant: ${marker.conversations} conversations, ${marker.messages} messages, ` +
      `${marker.contacts} contacts (generation took ${fmt(marker.generatedSeconds, 1)} s)`,
  );

  const { parseConfig } = await import('../apps/server/src/config.ts');
  const { openPostgres } = await import('../apps/server/src/platform/db/postgres.ts');
  const { createApp } = await import('../apps/server/src/app.ts');
  const cleanups = new Cleanups();
  try {
    const config = parseConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: process.env['SCALE_LOG_LEVEL'] ?? 'silent',
      HOST: '127.0.0.1',
      PORT: '0',
      SECRET_KEY,
      DATABASE_URL: scaleUrl(adminUrl),
    });
    if (config.database.kind !== 'postgres') throw new Error('the scale database must be PostgreSQL');
    const database = openPostgres(config.database);
    cleanups.push(() => database.close());
    const t0 = performance.now();
    await database.migrate(); // later migrations (indexes) reach a reused database here
    const migrateMs = performance.now() - t0;
    if (migrateMs > 1000) console.log(`migrations applied in ${fmt(migrateMs / 1000, 1)} s`);
    const version =
      ((await database.executeSql('select version() as v')).rows as { v: string }[])[0]?.v ?? 'unknown';
    const app = await createApp({ config, database, secretKey: SECRET_KEY });
    cleanups.push(() => app.close());
    await app.start();
    await app.http.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}`;
    const cookie = await signIn(base, marker.agentEmails[0] ?? '');
    const only = values.only;
    const list = measures(marker).filter((m) => only === undefined || m.name.includes(only));
    if (list.length === 0) throw new Error(`--only ${only}: no request's name contains it`);

    if (values.explain !== undefined) {
      installExplainHook();
      writeExplain(values.explain, await explainAll(base, cookie, marker, list, version));
      return;
    }

    const loadBefore = os.loadavg()[0] ?? NaN;
    const results: Result[] = [];
    for (const measure of list) {
      const r = await time(base, cookie, measure, warmup, iterations);
      console.log(
        `${measure.name}: p50 ${fmt(r.p50, 1)} ms, p95 ${fmt(r.p95, 1)} ms, p99 ${fmt(r.p99, 1)} ms (${r.detail})`,
      );
      results.push(r);
    }
    const loadAfter = os.loadavg()[0] ?? NaN;
    const rendered = table(results);
    console.log(`\n${rendered}\n`);

    const figures: Figure[] = results.map((r) => ({
      name: `${r.measure.name} p${r.measure.at}`,
      value: r.measure.at === 95 ? r.p95 : r.p99,
      unit: 'ms',
      engine: 'postgres',
      ...(r.measure.target ? { target: r.measure.target } : {}),
    }));
    figures.push({ name: 'generation time', value: marker.generatedSeconds, unit: 's', engine: 'postgres' });
    writeFigures(process.argv, 'scale', startedAt, figures);

    if (values.results !== 'none') {
      const path = values.results ?? RESULTS_PATH;
      const block = [
        `Measured ${startedAt.toISOString().slice(0, 10)} through the HTTP API (loopback, keep-alive) as an agent of the ` +
          `large organization: ${marker.conversations.toLocaleString('en-US')} conversations, ` +
          `${marker.messages.toLocaleString('en-US')} messages, ${marker.contacts.toLocaleString('en-US')} contacts, ` +
          `${marker.agentEmails.length} agents, a second small organization. ${warmup} warm-up and up to ${iterations} timed ` +
          `requests each (n: fewer when a request's ${BUDGET_MS / 1000} s budget ran out), one after another. Generation (bench/large-tenant.ts, COPY): ${fmt(marker.generatedSeconds, 0)} s. ` +
          `The machine was shared with other work while this ran: 1-minute load average ` +
          `${fmt(loadBefore, 1)} at the start and ${fmt(loadAfter, 1)} at the end, on ${os.availableParallelism()} cores.`,
        '',
        rendered,
        '',
        machineFacts([version]),
      ].join('\n');
      updateResults(
        path,
        SECTION,
        () => `${SECTION}\n\n<!-- scale:start -->\n<!-- scale:end -->`,
        new Map([['scale', block]]),
      );
      console.log(`updated ${path}`);
    }
  } finally {
    await cleanups.run();
  }
}

main().catch((err: unknown) => {
  console.error(`scale.bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
