// Web inbox benchmark: the agent app in Chromium against the real server holding one organization
// with 10,000 conversations and one 2,000-message thread. Measures time to interactive of the inbox
// (list rendered, first row clickable) and of opening the big thread (newest message in view), over
// several runs, and counts the rows in the DOM to show the lists are virtualized.
// Run: npx tsx bench/web-inbox.bench.ts [--engine pglite|postgres] [--runs 7] [--results none]
//      [--screenshots <dir>] [--json <path>] (headline figures, for bench/run.ts)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../e2e/support.ts';
import { writeFigures, type Figure } from './figures.ts';
import {
  Cleanups,
  RESULTS_PATH,
  SECRET_KEY,
  enginesFrom,
  fmt,
  machineFacts,
  openBenchDatabase,
  percentile,
  updateResults,
  type Engine,
} from './support.ts';

const CONVERSATIONS = 10_000;
const THREAD_MESSAGES = 2_000;
const BATCH = 1_000;
const PASSWORD = 'bench-password-123';
const OWNER = 'owner@web-bench.test';
/** How far the list is scrolled (keyset pages of 25) to show the DOM stays small as rows load. */
const DEEP_SCROLL_ROWS = 1_000;
const SECTION = '## Web inbox: 10,000 conversations, a 2,000-message thread (bench/web-inbox.bench.ts)';
const root = fileURLToPath(new URL('..', import.meta.url));

const lastText = (n: number) => `Message ${n} of the long thread`;
/** Bodies of varied length, so message rows differ in height (the virtualizer measures them). */
const BODIES = [
  'Ok, thanks!',
  'Could you tell me when my order will arrive? I paid yesterday and have not heard back yet.',
  'Sure. Let me check with the carrier and get back to you in a few minutes. 🙏',
  'Hola, necesito cambiar la dirección de entrega: la nueva es Rua das Flores 123, apto 45, São Paulo. ' +
    'Also, can you add a gift note? It is for my mother’s birthday and I would like it to say ' +
    '“Feliz aniversário, com amor” if that is possible.',
  '👍',
];

interface Seeded {
  tenantId: string;
  threadConversationId: string;
  seedMs: number;
}

async function seed(app: import('../apps/server/src/app.ts').SwitchboardApp, base: string): Promise<Seeded> {
  const { systemActor } = await import('../apps/server/src/platform/auth/principal.ts');
  const { uuidv7 } = await import('../apps/server/src/platform/security/tokens.ts');
  const { contacts } = await import('../apps/server/src/modules/contacts/contacts.tables.ts');
  const { conversations, messages } =
    await import('../apps/server/src/modules/conversations/conversations.tables.ts');
  const started = performance.now();
  const { organization } = await app.services.organizations.createOrganization(
    {
      name: 'Web Bench Org',
      plan: 'pro',
      owner: { email: OWNER, password: PASSWORD, firstName: 'Olive', lastName: 'Owner' },
    },
    systemActor,
  );
  const tenantId = organization.id;

  // A connected number, through the API as an owner connects one.
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: OWNER, password: PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = /sb_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0] ?? '';
  const numberRes = await fetch(`${base}/api/v1/whatsapp/numbers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({
      phoneNumberId: '100200300400500',
      wabaId: '600700800900100',
      displayPhoneNumber: '+1 555 0100',
      accessToken: 'bench-token',
      appSecret: 'bench-app-secret',
      verifyToken: 'bench-verify',
      purpose: 'Support',
    }),
  });
  if (numberRes.status !== 201) throw new Error(`number: ${numberRes.status} ${await numberRes.text()}`);
  const numberId = ((await numberRes.json()) as { id: string }).id;

  // Multi-row inserts through the app's own database layer (RLS transaction per batch). The first
  // conversation is the newest: it holds the long thread.
  const now = Date.now();
  const minute = 60_000;
  let threadConversationId = '';
  let threadConversation = { contactId: '', lastMessageAt: new Date(now) };
  for (let from = 0; from < CONVERSATIONS; from += BATCH) {
    const contactRows: (typeof contacts.$inferInsert)[] = [];
    const conversationRows: (typeof conversations.$inferInsert)[] = [];
    const messageRows: (typeof messages.$inferInsert)[] = [];
    for (let i = from; i < Math.min(CONVERSATIONS, from + BATCH); i++) {
      const at = new Date(now - 10_000 - i * minute);
      const waId = `5511${String(900_000_000 + i)}`;
      const contactId = uuidv7(at.getTime());
      const conversationId = uuidv7(at.getTime());
      if (i === 0) {
        threadConversationId = conversationId;
        threadConversation = { contactId, lastMessageAt: at };
      }
      contactRows.push({
        id: contactId,
        tenantId,
        waId,
        phoneE164: `+${waId}`,
        profileName: `Cliente ${i}`,
        createdAt: at,
        updatedAt: at,
      });
      conversationRows.push({
        id: conversationId,
        tenantId,
        contactId,
        numberId,
        status: 'open',
        lastMessageAt: at,
        lastInboundAt: at,
        windowExpiresAt: new Date(at.getTime() + 24 * 3_600_000),
        createdAt: at,
        updatedAt: at,
      });
      if (i !== 0) {
        messageRows.push({
          id: uuidv7(at.getTime()),
          tenantId,
          conversationId,
          contactId,
          numberId,
          direction: 'inbound',
          type: 'text',
          content: { body: BODIES[i % BODIES.length] },
          externalId: `wamid.bench.${i}`,
          status: 'received',
          occurredAt: at,
          createdAt: at,
        });
      }
    }
    await app.database.tenant(tenantId, async (tx) => {
      await tx.insert(contacts).values(contactRows);
      await tx.insert(conversations).values(conversationRows);
      if (messageRows.length > 0) await tx.insert(messages).values(messageRows);
    });
  }

  // The long thread: alternating customer and agent, over about ten days (day headings), ending at
  // the conversation's last activity.
  const { contactId, lastMessageAt } = threadConversation;
  for (let from = 0; from < THREAD_MESSAGES; from += BATCH) {
    const rows: (typeof messages.$inferInsert)[] = [];
    for (let j = from; j < Math.min(THREAD_MESSAGES, from + BATCH); j++) {
      const at = new Date(lastMessageAt.getTime() - (THREAD_MESSAGES - 1 - j) * 7 * minute);
      const inbound = j % 2 === 0;
      const n = j + 1;
      rows.push({
        id: uuidv7(at.getTime()),
        tenantId,
        conversationId: threadConversationId,
        contactId,
        numberId,
        direction: inbound ? 'inbound' : 'outbound',
        type: 'text',
        content: { body: n === THREAD_MESSAGES ? lastText(n) : `${BODIES[j % BODIES.length]} (#${n})` },
        externalId: `wamid.bench.thread.${n}`,
        status: inbound ? 'received' : 'read',
        occurredAt: at,
        createdAt: at,
      });
    }
    await app.database.tenant(tenantId, (tx) => tx.insert(messages).values(rows));
  }
  return { tenantId, threadConversationId, seedMs: performance.now() - started };
}

const count = (page: Page, selector: string) =>
  page.evaluate<number>(`document.querySelectorAll(${JSON.stringify(selector)}).length`);

/** True once the thread's newest message is inside the thread's visible box. */
const NEWEST_IN_VIEW = `(() => {
  const thread = document.querySelector('[data-testid=thread]');
  if (!thread) return false;
  const last = [...thread.querySelectorAll('article')].find((a) => a.textContent.includes(${JSON.stringify(
    lastText(THREAD_MESSAGES),
  )}));
  if (!last) return false;
  const r = last.getBoundingClientRect();
  const s = thread.getBoundingClientRect();
  return r.height > 0 && r.top >= s.top - 1 && r.bottom <= s.bottom + 1;
})()`;

interface Run {
  inboxMs: number;
  threadMs: number;
  listDomRows: number;
  threadDomMessages: number;
}

async function measureRun(browser: Browser, base: string): Promise<Run> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const login = await context.request.post(`${base}/api/v1/auth/login`, {
      data: { email: OWNER, password: PASSWORD },
    });
    if (login.status() !== 200) throw new Error(`browser login: ${login.status()}`);
    const page = await context.newPage();
    const rows = page.getByTestId('conversation-row');

    let t0 = performance.now();
    await page.goto(`${base}/inbox?tab=all`, { waitUntil: 'commit' });
    await rows.first().click({ trial: true, timeout: 60_000 });
    const inboxMs = performance.now() - t0;
    const listDomRows = await count(page, '[data-testid=conversation-row]');

    t0 = performance.now();
    await rows.first().click();
    await page.waitForFunction(NEWEST_IN_VIEW, undefined, { polling: 'raf', timeout: 60_000 });
    const threadMs = performance.now() - t0;
    const threadDomMessages = await count(page, '[data-testid=thread] article');
    return { inboxMs, threadMs, listDomRows, threadDomMessages };
  } finally {
    await context.close();
  }
}

interface Deep {
  listLoaded: number;
  listDomRows: number;
  listMs: number;
  threadLoaded: number;
  threadDomMessages: number;
  threadMs: number;
  /** Older pages seen prepended while probing, and the most the reader's top message moved. */
  prepends: number;
  medianDriftPx: number;
  maxDriftPx: number;
}

/**
 * Runs in the page while the thread is scrolled up: every frame it notes the message at the top
 * of the thread; when older rows were prepended since the previous frame (that message's row index
 * grew), it measures, 20 frames later, how far that message moved on screen (Infinity if it left).
 */
const WATCH_PREPENDS = `(() => {
  const t = document.querySelector('[data-testid=thread]');
  const top = (el) => el.getBoundingClientRect().top - t.getBoundingClientRect().top;
  const index = (el) => Number(el.closest('[data-index]').dataset.index);
  window.__drifts = [];
  let prev = null;
  let pending = null;
  const frame = () => {
    const box = t.getBoundingClientRect();
    const first = [...t.querySelectorAll('article[id]')].find((a) => a.getBoundingClientRect().bottom > box.top + 1);
    if (pending) {
      if (++pending.frames >= 20) {
        const el = document.getElementById(pending.id);
        window.__drifts.push(el ? Math.abs(top(el) - pending.top) : Infinity);
        pending = null;
      }
    } else if (prev) {
      const el = document.getElementById(prev.id);
      if (el && index(el) > prev.index) pending = { ...prev, frames: 0 };
    }
    prev = first ? { id: first.id, top: top(first), index: index(first) } : null;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})()`;

/** Scrolls the list down through DEEP_SCROLL_ROWS rows and the thread up to its first message. */
async function measureDeep(
  browser: Browser,
  base: string,
  threadId: string,
  screenshots: string | undefined,
): Promise<Deep> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    await context.request.post(`${base}/api/v1/auth/login`, { data: { email: OWNER, password: PASSWORD } });
    const page = await context.newPage();
    await page.goto(`${base}/inbox/${threadId}?tab=all`);
    await page.waitForFunction(NEWEST_IN_VIEW, undefined, { polling: 'raf', timeout: 60_000 });

    const loadedRows = () =>
      page.evaluate<number>(
        `Math.max(0, ...[...document.querySelectorAll('[data-testid=conversation-list] li')].map((li) => Number(li.getAttribute('aria-posinset'))))`,
      );
    let t0 = performance.now();
    let listLoaded = 0;
    while (listLoaded < DEEP_SCROLL_ROWS && performance.now() - t0 < 120_000) {
      await page.evaluate(
        `(() => { const s = document.querySelector('[data-testid=conversation-scroll]'); s.scrollTop = s.scrollHeight; })()`,
      );
      await page.waitForTimeout(50);
      listLoaded = await loadedRows();
    }
    const listMs = performance.now() - t0;
    const listDomRows = await count(page, '[data-testid=conversation-row]');

    // Scrolling up: each older page is prepended while the reader's top message stays where it was.
    t0 = performance.now();
    const atStart = `!!document.querySelector('[data-testid=thread] .thread-start')`;
    await page.evaluate(WATCH_PREPENDS);
    while (!(await page.evaluate<boolean>(atStart)) && performance.now() - t0 < 180_000) {
      await page.evaluate(`document.querySelector('[data-testid=thread]').scrollTop = 0`);
      await page.waitForTimeout(500);
    }
    const threadMs = performance.now() - t0;
    await page.waitForTimeout(500);
    const drifts = (await page.evaluate<number[]>('window.__drifts')).sort((a, b) => a - b);
    await page.evaluate(`document.querySelector('[data-testid=thread]').scrollTop = 0`);
    await page.waitForTimeout(300);
    const threadDomMessages = await count(page, '[data-testid=thread] article');
    const threadLoaded = await page.evaluate<number>(
      `document.querySelector('[data-testid=thread] article')?.textContent.includes('(#1)') ? ${THREAD_MESSAGES} : 0`,
    );
    if (screenshots) await page.screenshot({ path: join(screenshots, 'web-inbox-bench.png') });
    return {
      listLoaded,
      listDomRows,
      listMs,
      threadLoaded,
      threadDomMessages,
      threadMs,
      prepends: drifts.length,
      medianDriftPx: percentile(drifts, 50),
      maxDriftPx: drifts.at(-1) ?? NaN,
    };
  } finally {
    await context.close();
  }
}

interface Report {
  engine: Engine;
  dbVersion: string;
  chromium: string;
  seedMs: number;
  runs: Run[];
  deep: Deep;
}

async function benchEngine(
  engine: Engine,
  adminUrl: string,
  runs: number,
  screenshots: string | undefined,
): Promise<Report> {
  const { createApp } = await import('../apps/server/src/app.ts');
  const cleanups = new Cleanups();
  try {
    const { config, database, version } = await openBenchDatabase(engine, adminUrl, cleanups);
    const app = await createApp({ config, database, secretKey: SECRET_KEY });
    cleanups.push(() => app.close());
    await app.start();
    await app.http.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}`;
    console.log(
      `[${engine}] seeding ${CONVERSATIONS} conversations and a ${THREAD_MESSAGES}-message thread…`,
    );
    const seeded = await seed(app, base);
    console.log(`[${engine}] seeded in ${fmt(seeded.seedMs / 1000, 1)} s`);

    const browser = await launchBrowser();
    cleanups.push(() => browser.close());
    // One warm-up run (server caches, Chromium's first start of the bundle), not counted.
    await measureRun(browser, base);
    const measured: Run[] = [];
    for (let i = 0; i < runs; i++) {
      const run = await measureRun(browser, base);
      console.log(
        `[${engine}] run ${i + 1}: inbox ${fmt(run.inboxMs, 0)} ms (${run.listDomRows} rows in the DOM), ` +
          `thread ${fmt(run.threadMs, 0)} ms (${run.threadDomMessages} messages in the DOM)`,
      );
      measured.push(run);
    }
    const deep = await measureDeep(browser, base, seeded.threadConversationId, screenshots);
    console.log(
      `[${engine}] list scrolled to ${deep.listLoaded} rows in ${fmt(deep.listMs / 1000, 1)} s: ${deep.listDomRows} in the DOM; ` +
        `thread scrolled up through ${deep.threadLoaded} messages in ${fmt(deep.threadMs / 1000, 1)} s: ${deep.threadDomMessages} in the DOM; ` +
        `${deep.prepends} prepends seen, the top message moved ${fmt(deep.medianDriftPx, 1)} px (median), ${fmt(deep.maxDriftPx, 1)} px at most`,
    );
    return {
      engine,
      dbVersion: version,
      chromium: browser.version(),
      seedMs: seeded.seedMs,
      runs: measured,
      deep,
    };
  } finally {
    await cleanups.run();
  }
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: percentile(sorted, 50),
    min: sorted[0] ?? NaN,
    max: sorted.at(-1) ?? NaN,
  };
}

function markdownBlock(r: Report): string {
  const inbox = stats(r.runs.map((x) => x.inboxMs));
  const thread = stats(r.runs.map((x) => x.threadMs));
  const listDom = stats(r.runs.map((x) => x.listDomRows));
  const threadDom = stats(r.runs.map((x) => x.threadDomMessages));
  const spread = (s: { median: number; min: number; max: number }) =>
    `${fmt(s.min, 0)}–${fmt(s.max, 0)} (±${fmt(((s.max - s.min) / 2 / s.median) * 100, 0)}%)`;
  return [
    `### ${r.engine === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL'}`,
    '',
    `Run ${new Date().toISOString().slice(0, 10)}: ${r.dbVersion.split(' on ')[0]}; Chromium ${r.chromium} (headless); ` +
      `Node ${process.version}; ${r.runs.length} runs after a warm-up; seed ${fmt(r.seedMs / 1000, 1)} s.`,
    '',
    machineFacts([r.dbVersion]),
    `- Chromium ${r.chromium} (headless); the machine was shared with other work during the run`,
    '',
    '| Measure | Median | Min–max (spread) | Rows in the DOM (median) |',
    '| --- | ---: | --- | ---: |',
    `| Inbox: navigation to the list rendered and its first row clickable | **${fmt(inbox.median, 0)} ms** | ${spread(inbox)} ms | ${fmt(listDom.median, 0)} conversation rows of ${fmt(CONVERSATIONS, 0)} |`,
    `| Open the ${fmt(THREAD_MESSAGES, 0)}-message thread: click to its newest message in view | **${fmt(thread.median, 0)} ms** | ${spread(thread)} ms | ${fmt(threadDom.median, 0)} messages (first page: 50) |`,
    `| List scrolled down to ${fmt(r.deep.listLoaded, 0)} rows (keyset pages of 25), once | ${fmt(r.deep.listMs / 1000, 1)} s | – | ${fmt(r.deep.listDomRows, 0)} rows |`,
    `| Thread scrolled up through all ${fmt(r.deep.threadLoaded, 0)} messages (pages of 50; scrolled to the top every 500 ms, the place checked every frame), once | ${fmt(r.deep.threadMs / 1000, 1)} s | – | ${fmt(r.deep.threadDomMessages, 0)} messages |`,
    '',
    `- DOM rows / loaded rows: list ${fmt(r.deep.listDomRows, 0)} / ${fmt(r.deep.listLoaded, 0)} = ×${fmt(r.deep.listDomRows / r.deep.listLoaded, 3)}; ` +
      `thread ${fmt(r.deep.threadDomMessages, 0)} / ${fmt(r.deep.threadLoaded, 0)} = ×${fmt(r.deep.threadDomMessages / r.deep.threadLoaded, 3)}`,
    `- Scrolling up, ${r.deep.prepends} older pages were seen prepended; the message at the top of the thread then moved ${fmt(r.deep.medianDriftPx, 1)} px (median), ${fmt(r.deep.maxDriftPx, 1)} px at most (0: the reader's place is kept exactly)`,
    `- Opening the thread / showing the inbox (medians): ×${fmt(thread.median / inbox.median, 2)}`,
  ].join('\n');
}

/** The headline figures for the runner (`--json`): times to interactive (each run a sample), DOM rows. */
function figures(r: Report): Figure[] {
  const engine = r.engine;
  const timed = (name: string, samples: number[]): Figure => ({
    name,
    value: stats(samples).median,
    unit: 'ms',
    engine,
    samples,
  });
  return [
    timed(
      'inbox: navigation to first row clickable',
      r.runs.map((x) => x.inboxMs),
    ),
    timed(
      `open the ${fmt(THREAD_MESSAGES, 0)}-message thread: newest message in view`,
      r.runs.map((x) => x.threadMs),
    ),
    {
      // Stable names (the runner aggregates by name): how far the list got varies by a page.
      name: `conversation rows in the DOM, list scrolled to ${fmt(DEEP_SCROLL_ROWS, 0)}+ rows`,
      value: r.deep.listDomRows,
      unit: 'rows',
      engine,
    },
    {
      name: `messages in the DOM, thread scrolled through ${fmt(THREAD_MESSAGES, 0)}`,
      value: r.deep.threadDomMessages,
      unit: 'rows',
      engine,
    },
    { name: "reader's place moved on prepend, max", value: r.deep.maxDriftPx, unit: 'px', engine },
  ];
}

function sectionSkeleton(): string {
  return [
    SECTION,
    '',
    'Run: `npx tsx bench/web-inbox.bench.ts [--engine pglite|postgres] [--runs 7]`. Needs Debian’s Chromium, as',
    'the e2e tests do (`CHROMIUM_PATH` points elsewhere), and builds the web app when `apps/web/dist` is missing.',
    '',
    'Setup: the real app (`createApp`, log level silent) on 127.0.0.1 serving the built web app; one organization',
    'with one number, 10,000 open conversations (one message each) and, in the newest one, 2,000 messages of',
    'varied length over about ten days, seeded with multi-row inserts through the app’s database layer (1,000',
    'rows per statement). Chromium (playwright-core, the flags of e2e/support.ts, 1400×900) signs in through the',
    'API, then per run a fresh browser context: "inbox" is from navigating to `/inbox?tab=all` until the first',
    'row passes Playwright’s actionability checks (a trial click); "thread" is from clicking that row until the',
    'newest message is inside the thread’s visible box. Times include the page’s API calls (list, counts, users,',
    'messages) and are wall time seen by the driver. The machine is shared: other work ran on it during the run.',
    '',
    '<!-- web-inbox:pglite:start -->',
    '<!-- web-inbox:pglite:end -->',
    '',
    '<!-- web-inbox:postgres:start -->',
    '<!-- web-inbox:postgres:end -->',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string' },
      runs: { type: 'string', default: '7' },
      results: { type: 'string', default: RESULTS_PATH },
      /** A directory for a screenshot of the inbox after the deep scroll. */
      screenshots: { type: 'string' },
      json: { type: 'string' },
    },
  });
  const startedAt = new Date();
  const { engines, adminUrl } = enginesFrom(values.engine);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error('--runs must be 1..50');
  if (!existsSync(join(root, 'apps/web/dist/index.html'))) {
    const build = spawnSync('npm', ['run', 'build', '-w', '@switchboard/web'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error('web build failed');
  }
  const reports: Report[] = [];
  for (const engine of engines) reports.push(await benchEngine(engine, adminUrl, runs, values.screenshots));
  console.log('');
  for (const r of reports) console.log(markdownBlock(r), '\n');
  console.log(machineFacts(reports.map((r) => r.dbVersion)));
  if (reports[0]) console.log(`- Chromium ${reports[0].chromium}`);
  writeFigures(process.argv, 'web-inbox', startedAt, reports.flatMap(figures));
  if (values.results !== 'none') {
    const blocks = new Map(reports.map((r) => [`web-inbox:${r.engine}`, markdownBlock(r)] as const));
    updateResults(values.results, SECTION, sectionSkeleton, blocks);
    console.log(`\nUpdated ${values.results}`);
  }
}

await main();
