// Crash test: the real `switchboard start` process receives a burst from the simulator, is killed
// with SIGKILL in the middle of it, and is started again on the same data. Once the simulator's
// retries have run, every message it sent is stored exactly once, in its sender's conversation.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '@switchboard/wa-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/platform/db/database.ts';
import { parseConfig } from '../src/config.ts';
import { openDatabase } from '../src/platform/db/open-database.ts';
import {
  createOrganization,
  createScratchDatabase,
  kill,
  signIn,
  startServer,
  type Api,
  type ScratchDatabase,
  type ServerProc,
} from './cli-process-support.ts';
import { engine } from './harness.ts';
import {
  connectPayload,
  freePort,
  sentMessages,
  simBusiness,
  simConfig,
  simSettled,
  until,
} from './sim-support.ts';

const MESSAGES = 1000;
const CLIENTS = 50;
const FIRST_CLIENT = 5_511_970_000_000;
const PASSWORD = 'crash test password 1';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface ConversationItem {
  id: string;
  contact: { waId: string | null };
}
interface MessageItem {
  externalId: string | null;
  direction: string;
}

/** Every inbound message of the number, through the inbox API, with its conversation's contact. */
async function inboxOf(
  api: Api,
  numberId: string,
): Promise<{
  conversations: ConversationItem[];
  messages: { externalId: string; waId: string | null; conversationId: string }[];
}> {
  const conversations: ConversationItem[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<ConversationItem> = await api(
      'GET',
      `/api/v1/conversations?status=all&numberId=${numberId}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    );
    conversations.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  const messages: { externalId: string; waId: string | null; conversationId: string }[] = [];
  for (const c of conversations) {
    let after: string | null = null;
    do {
      const page: Page<MessageItem> = await api(
        'GET',
        `/api/v1/conversations/${c.id}/messages?limit=100${after ? `&cursor=${after}` : ''}`,
      );
      for (const m of page.items)
        if (m.direction === 'inbound' && m.externalId)
          messages.push({ externalId: m.externalId, waId: c.contact.waId, conversationId: c.id });
      after = page.nextCursor;
    } while (after);
  }
  return { conversations, messages };
}

describe(`intake survives SIGKILL during a burst (${engine})`, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-crash-'));
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    NODE_ENV: 'production',
    LOG_LEVEL: 'error',
    SWITCHBOARD_DATA_DIR: dataDir,
  };
  let scratch: ScratchDatabase | undefined;
  let sim: Simulator | undefined;
  let server: ServerProc | undefined;

  beforeAll(async () => {
    if (engine !== 'postgres') return;
    const adminUrl = process.env['TEST_DATABASE_URL'];
    if (!adminUrl) throw new Error('TEST_DATABASE_URL is required on the postgres engine');
    // Its own scratch database: the server process migrates and owns it.
    scratch = await createScratchDatabase(adminUrl, 'switchboard_crash');
    env['DATABASE_URL'] = scratch.url;
    env['SECRET_KEY'] = `crash-test-secret-${randomBytes(16).toString('hex')}`;
  });

  afterAll(async () => {
    await kill(server, 'SIGKILL');
    await sim?.close();
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores every message the simulator sent exactly once after a SIGKILL and restart', async () => {
    const email = `crash-${randomBytes(4).toString('hex')}@example.test`;
    const { organizationId } = await createOrganization(env, { name: 'Crash Co', email, password: PASSWORD });

    const port = await freePort();
    server = await startServer(port, env);
    const business = simBusiness();
    sim = await startSimulator({
      port: 0,
      seed: 2024,
      appSecret: business.appSecret,
      verifyToken: business.verifyToken,
      ...simConfig(business, {
        // Short backoff so the retries land soon after the restart; nothing is dropped meanwhile.
        webhook: { concurrency: 16, retryDelaysMs: [50, 100, 200, 400, 800, 1000], maxAgeMs: 300_000 },
      }),
    });
    let { api } = await signIn(server.url, email, PASSWORD);
    const number = await api<{ id: string }>(
      'POST',
      '/api/v1/whatsapp/numbers',
      connectPayload(business, sim.url),
    );
    expect(await sim.setWebhook({ url: `${server.url}/webhooks/whatsapp` })).toBe('verified');

    // The burst: 1,000 messages from 50 clients over two seconds (the simulator's load mode).
    const load = sim.startLoad({
      phoneNumberId: business.phoneNumberId,
      ratePerSecond: MESSAGES / 2,
      customers: CLIENTS,
      durationMs: 2000,
      firstCustomer: FIRST_CLIENT,
    });
    expect(load.target).toBe(MESSAGES);
    // Mid-burst: some webhooks acknowledged, many more still to come.
    await until(() => sim!.webhookStats().delivered >= 150, 30_000);
    server.child.kill('SIGKILL');
    expect(await server.exited).toMatchObject({ signal: 'SIGKILL' });
    const atKill = sim.webhookStats();
    // Killed mid-burst: most of the burst is still to be generated or delivered.
    expect(atKill.delivered).toBeLessThan(MESSAGES / 2);
    // The simulator keeps trying a server that is gone.
    await until(() => sim!.webhookStats().failedAttempts > atKill.failedAttempts, 10_000);

    server = await startServer(port, env);
    const records = await simSettled(sim, 0, 60_000);
    expect(sim.webhookStats()).toMatchObject({ pending: 0, dropped: 0 });
    expect(sim.webhookStats().failedAttempts).toBeGreaterThan(0);
    const sent = sentMessages(records);
    expect(sent.size).toBe(MESSAGES);

    ({ api } = await signIn(server.url, email, PASSWORD));
    let inbox = await inboxOf(api, number.id);
    const deadline = Date.now() + 45_000;
    while (inbox.messages.length < MESSAGES && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      inbox = await inboxOf(api, number.id);
    }
    const seen = new Map<string, number>();
    for (const m of inbox.messages) seen.set(m.externalId, (seen.get(m.externalId) ?? 0) + 1);
    const missing = [...sent.keys()].filter((id) => !seen.has(id));
    expect(missing, `${missing.length} of ${MESSAGES} missing`).toEqual([]);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(inbox.messages).toHaveLength(MESSAGES);
    for (const m of inbox.messages) expect(m.waId, m.externalId).toBe(sent.get(m.externalId));
    // One conversation per client.
    expect(inbox.conversations).toHaveLength(CLIENTS);
    expect(new Set(inbox.conversations.map((c) => c.contact.waId)).size).toBe(CLIENTS);

    // Stopped cleanly, the database itself agrees: no extra rows, no receipt left behind.
    server.child.kill('SIGTERM');
    expect(await server.exited).toMatchObject({ code: 0 });
    server = undefined;
    // The same database the server opened (PGlite: the directory it no longer locks).
    const database: Database = await openDatabase(parseConfig(env).database);
    try {
      const counts = (
        await database.executeSql(
          'select count(*)::int as n, count(distinct external_id)::int as d from messages where tenant_id = $1',
          [organizationId],
        )
      ).rows[0] as { n: number; d: number };
      expect(counts).toEqual({ n: MESSAGES, d: MESSAGES });
      const left = (
        await database.executeSql(
          'select count(*)::int as n from webhook_receipts where processed_at is null',
          [],
        )
      ).rows[0] as { n: number };
      expect(left.n).toBe(0);
    } finally {
      await database.close();
    }
  }, 180_000);
});
