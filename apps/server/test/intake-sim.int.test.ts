// The intake driven by the real WhatsApp simulator: it delivers signed webhooks over real HTTP
// (loopback) to the real app listening on an ephemeral port, with its own fault injection,
// batching and retries. Whatever the delivery does, one WhatsApp message is one stored message,
// in its own sender's conversation.
import { randomBytes } from 'node:crypto';
import { startSimulator, type DeliveryRecord, type Simulator } from '@switchboard/wa-sim';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../src/app.ts';
import { uuidv7 } from '../src/platform/security/tokens.ts';
import { conversations, messages } from '../src/modules/conversations/conversations.tables.ts';
import { createTenant, createTestApp, engine, type TestTenant } from './harness.ts';
import { waitFor } from './whatsapp-support.ts';
import {
  connectPayload,
  freePort,
  receiptsMentioning,
  receiptsProcessed,
  sendFromBusiness,
  sentMessages,
  sentStatuses,
  simBusiness,
  simConfig,
  simCustomer,
  simSettled,
  storedMessages,
  until,
  type SimBusiness,
} from './sim-support.ts';

const NO_FAULTS = { duplicateRate: 0, outOfOrderRate: 0, failRate: 0, slowMs: 0 };

async function connect(tenant: TestTenant, business: SimBusiness, sim: Simulator): Promise<string> {
  const res = await tenant.owner.request({
    method: 'POST',
    url: '/api/v1/whatsapp/numbers',
    payload: connectPayload(business, sim.url),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

/** Posts raw bytes to the listening app over real HTTP, as any sender on the network would. */
async function rawPost(url: string, body: string, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

describe(`intake driven by the simulator over HTTP (${engine})`, () => {
  let app: SwitchboardApp;
  let webhookUrl: string;
  let tenant: TestTenant;
  let business: SimBusiness;
  let sim: Simulator;
  let numberId: string;
  const tag = () => `t-${randomBytes(4).toString('hex')}`;
  const since = () => sim.deliveries(1).at(-1)?.id ?? 0;
  const mine = (records: DeliveryRecord[], after: number) => records.filter((r) => r.id > after);

  beforeAll(async () => {
    app = await createTestApp();
    webhookUrl = `${await app.http.listen({ host: '127.0.0.1', port: 0 })}/webhooks/whatsapp`;
    tenant = await createTenant(app);
    business = simBusiness();
    sim = await startSimulator({
      port: 0,
      seed: 42,
      appSecret: business.appSecret,
      verifyToken: business.verifyToken,
      ...simConfig(business, {
        webhook: { concurrency: 32, retryDelaysMs: [20, 50, 100, 200, 400] },
        // Slow enough that the test stores the outbound row before the first status arrives.
        statusDelays: { sentMs: 800, deliveredMs: 850, readMs: 900 },
      }),
    });
    numberId = await connect(tenant, business, sim);
    // The handshake runs against our GET endpoint with the number's verify token.
    expect(await sim.setWebhook({ url: webhookUrl })).toBe('verified');
  });

  afterEach(async () => {
    sim.setFaults(NO_FAULTS);
    await simSettled(sim);
  });

  afterAll(async () => {
    await sim.close();
    await app.close();
  });

  it('stores one message per wamid when every webhook is delivered three times', async () => {
    const marker = tag();
    const after = since();
    const duplicatesBefore = app.services.intake.counters.duplicates;
    // Every acknowledged POST is delivered again by the simulator: same bytes, same signature.
    sim.setFaults({ duplicateRate: 1, seed: 7 });
    const customers = Array.from({ length: 5 }, simCustomer);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const from = customers[i % customers.length]!;
      ids.push(
        sim.inbound({
          phoneNumberId: business.phoneNumberId,
          from,
          type: 'text',
          text: { body: `${marker} ${i}` },
        }).id,
      );
    }
    const records = mine(await simSettled(sim, 40), after);
    const originals = records.filter((r) => !r.duplicate);
    expect(originals).toHaveLength(20);
    expect(records.filter((r) => r.duplicate)).toHaveLength(20);
    expect(records.every((r) => r.state === 'delivered')).toBe(true);
    // The simulator redelivers an acknowledged POST at most once; the third delivery replays its
    // signed bytes exactly as logged, as Meta's retries do.
    for (const r of originals) {
      expect(await rawPost(webhookUrl, r.body, { 'x-hub-signature-256': r.signature })).toBe(200);
    }

    await waitFor(async () => ((await receiptsMentioning(app.database, marker)) === 60 ? true : undefined));
    await receiptsProcessed(app, marker);
    const rows = await storedMessages(app.database, tenant.organizationId, ids);
    expect(rows).toHaveLength(20);
    expect(new Set(rows.map((r) => r.externalId))).toEqual(new Set(ids));
    expect(app.services.intake.counters.duplicates - duplicatesBefore).toBe(40);
  });

  it('ends every outbound message at its highest status when statuses arrive out of order and twice', async () => {
    const after = since();
    const customers = Array.from({ length: 10 }, simCustomer);
    // Each customer writes first (the 24-hour window must be open for the business to answer).
    const firstIds = customers.map(
      (from) =>
        sim.inbound({ phoneNumberId: business.phoneNumberId, from, type: 'text', text: { body: 'hello' } })
          .id,
    );
    const inbound = await waitFor(async () => {
      const rows = await storedMessages(app.database, tenant.organizationId, firstIds);
      return rows.length === firstIds.length ? rows : undefined;
    });
    // Statuses are held back at random so later ones overtake them, and sometimes redelivered.
    sim.setFaults({ outOfOrderRate: 1, duplicateRate: 0.5, seed: 11 });
    const outbound: string[] = [];
    for (const from of customers) {
      const wamid = await sendFromBusiness(sim, business, from, 'answer');
      const anchor = inbound.find((r) => r.contactWaId === from)!;
      // Stored as the sender (issue 5) will store it: accepted by Graph, status `sent` pending.
      await app.database.tenant(tenant.organizationId, (tx) =>
        tx.insert(messages).values({
          id: uuidv7(),
          tenantId: tenant.organizationId,
          conversationId: anchor.conversationId,
          contactId: anchor.contactId,
          numberId,
          direction: 'outbound',
          type: 'text',
          content: { body: 'answer' },
          externalId: wamid,
          status: 'queued',
          occurredAt: new Date(),
          createdAt: new Date(),
        }),
      );
      outbound.push(wamid);
    }
    // sent, delivered and read for each message.
    await until(
      () =>
        sim
          .outbox({ phoneNumberId: business.phoneNumberId })
          .filter((m) => outbound.includes(m.id) && m.status === 'read').length === outbound.length,
    );
    const records = mine(await simSettled(sim), after);
    const order = sentStatuses(records.filter((r) => !r.duplicate));
    const rank: Record<string, number> = { sent: 1, delivered: 2, read: 3 };
    const scrambled = outbound.filter((id) => {
      const seq = order.filter((s) => s.id === id).map((s) => rank[s.status] ?? 0);
      return seq.some((v, i) => i > 0 && v < seq[i - 1]!);
    });
    // The fault really reordered some messages' statuses (seeded, so this is stable).
    expect(scrambled.length).toBeGreaterThan(0);
    expect(records.some((r) => r.duplicate)).toBe(true);

    await receiptsProcessed(app, business.phoneNumberId);
    const rows = await storedMessages(app.database, tenant.organizationId, outbound);
    expect(rows).toHaveLength(outbound.length);
    for (const row of rows) {
      const sent = sim
        .outbox({ phoneNumberId: business.phoneNumberId })
        .find((m) => m.id === row.externalId)!;
      const read = sent.statuses.find((s) => s.status === 'read')!;
      expect(row, row.externalId).toMatchObject({ direction: 'outbound', status: 'read' });
      expect(row.statusAt?.getTime()).toBe(Math.floor(read.timestamp / 1000) * 1000);
    }
  });

  it('stores all 50 messages of one 50-message POST, each under its sender', async () => {
    const marker = tag();
    const after = since();
    expect(await sim.setWebhook({ batchSize: 50, batchWindowMs: 500 })).toBe('verified');
    try {
      const customers = Array.from({ length: 5 }, simCustomer);
      const from = new Map<string, string>();
      for (let i = 0; i < 50; i++) {
        const sender = customers[i % 5]!;
        const { id } = sim.inbound({
          phoneNumberId: business.phoneNumberId,
          from: sender,
          type: 'text',
          text: { body: `${marker} ${sender} #${i}` },
        });
        from.set(id, sender);
      }
      const records = mine(await simSettled(sim, 1), after);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ updates: 50, state: 'delivered' });
      expect(sentMessages(records)).toEqual(from);

      await receiptsProcessed(app, marker);
      const rows = await storedMessages(app.database, tenant.organizationId, [...from.keys()]);
      expect(rows).toHaveLength(50);
      for (const row of rows) expect(row.contactWaId).toBe(from.get(row.externalId));
      expect(new Set(rows.map((r) => r.conversationId)).size).toBe(5);
    } finally {
      await sim.setWebhook({ batchSize: 1, batchWindowMs: 0 });
    }
  });

  it('puts 2,000 concurrent messages from 200 clients each in its own sender’s conversation', async () => {
    const marker = tag();
    const after = since();
    const clients = Array.from(
      { length: 200 },
      (_, i) => `5521${String(900_000_000 + i * 7919 + Math.floor(Math.random() * 7000))}`,
    );
    const from = new Map<string, string>();
    // All at once: each round, every client sends; the simulator posts them 32 at a time.
    for (let round = 0; round < 10; round++) {
      for (const client of clients) {
        const { id } = sim.inbound({
          phoneNumberId: business.phoneNumberId,
          from: client,
          name: `Client ${client}`,
          type: 'text',
          text: { body: `${client} #${round} ${marker}` },
        });
        from.set(id, client);
      }
    }
    expect(from.size).toBe(2000);
    const records = mine(await simSettled(sim, 2000, 120_000), after);
    expect(records.filter((r) => r.state === 'delivered')).toHaveLength(2000);

    const ids = [...from.keys()];
    const rows = await waitFor(async () => {
      const found = await storedMessages(app.database, tenant.organizationId, ids);
      return found.length === ids.length ? found : undefined;
    }, 120_000);
    await receiptsProcessed(app, marker, 120_000);
    expect(new Set(rows.map((r) => r.externalId)).size).toBe(2000);
    for (const row of rows) {
      const sender = from.get(row.externalId)!;
      expect(row.contactWaId, row.externalId).toBe(sender);
      expect(String(row.content['body'])).toMatch(new RegExp(`^${sender} #`));
    }
    // One conversation per client, holding exactly that client's ten messages.
    const byConversation = new Map<string, Set<string>>();
    for (const row of rows) {
      const set = byConversation.get(row.conversationId) ?? new Set<string>();
      set.add(row.contactWaId!);
      byConversation.set(row.conversationId, set);
    }
    expect(byConversation.size).toBe(200);
    for (const senders of byConversation.values()) expect(senders.size).toBe(1);
    const contactIds = [...new Set(rows.map((r) => r.contactId))];
    expect(contactIds).toHaveLength(200);
    const convos = await app.database.tenant(tenant.organizationId, (tx) =>
      tx
        .select({ id: conversations.id, contactId: conversations.contactId })
        .from(conversations)
        .where(
          and(
            eq(conversations.tenantId, tenant.organizationId),
            eq(conversations.numberId, numberId),
            inArray(conversations.contactId, contactIds),
          ),
        ),
    );
    expect(convos).toHaveLength(200);
    for (const c of convos) expect(byConversation.get(c.id)?.size).toBe(1);
  }, 240_000);

  it('stores nothing from a simulator with the wrong app secret, nor from an unsigned POST', async () => {
    const marker = tag();
    const rejectedBefore = app.services.intake.counters.rejectedSignatures;
    // Same business and number, but signing with a secret that is not the number's.
    const impostor = await startSimulator({
      port: 0,
      seed: 5,
      webhookUrl,
      appSecret: `${business.appSecret}-wrong`,
      verifyToken: business.verifyToken,
      ...simConfig(business, { webhook: { retryDelaysMs: [20, 50, 100], maxAgeMs: 400 } }),
    });
    try {
      expect(impostor.webhookStats().verification).toBe('verified');
      const ids = Array.from(
        { length: 5 },
        (_, i) =>
          impostor.inbound({
            phoneNumberId: business.phoneNumberId,
            from: simCustomer(),
            type: 'text',
            text: { body: `${marker} ${i}` },
          }).id,
      );
      await impostor.whenWebhooksIdle();
      const records = impostor.deliveries(100);
      expect(records).toHaveLength(5);
      for (const r of records) {
        expect(r.state).toBe('dropped');
        expect(r.attempts.length).toBeGreaterThan(1);
        expect(r.attempts.every((a) => a.status === 401)).toBe(true);
      }
      // The same bytes with no signature, an empty one, and one over other bytes.
      const body = records[0]!.body;
      expect(await rawPost(webhookUrl, body)).toBe(401);
      expect(await rawPost(webhookUrl, body, { 'x-hub-signature-256': 'sha256=' })).toBe(401);
      expect(await rawPost(webhookUrl, body, { 'x-hub-signature-256': records[1]!.signature })).toBe(401);

      expect(await receiptsMentioning(app.database, marker)).toBe(0);
      expect(await storedMessages(app.database, tenant.organizationId, ids)).toHaveLength(0);
      const attempts = records.reduce((n, r) => n + r.attempts.length, 0);
      expect(app.services.intake.counters.rejectedSignatures - rejectedBefore).toBe(attempts + 3);
    } finally {
      await impostor.close();
    }
  });

  it('delivers everything exactly once through retries when the server is not listening at first', async () => {
    // A second server whose port the simulator already posts to before it listens.
    const late = await createTestApp();
    const port = await freePort();
    const lateTenant = await createTenant(late);
    const lateBusiness = simBusiness();
    const retrying = await startSimulator({
      port: 0,
      seed: 9,
      webhookUrl: `http://127.0.0.1:${port}/webhooks/whatsapp`,
      appSecret: lateBusiness.appSecret,
      verifyToken: lateBusiness.verifyToken,
      ...simConfig(lateBusiness, {
        // Verified before the outage (as Meta keeps a subscription): POSTs go out at once.
        webhook: {
          skipVerification: true,
          batchSize: 10,
          batchWindowMs: 50,
          retryDelaysMs: [50, 100, 200, 400],
        },
      }),
    });
    try {
      const res = await lateTenant.owner.request({
        method: 'POST',
        url: '/api/v1/whatsapp/numbers',
        payload: connectPayload(lateBusiness, retrying.url),
      });
      expect(res.statusCode, res.body).toBe(201);
      const from = new Map<string, string>();
      const customers = Array.from({ length: 8 }, simCustomer);
      for (let i = 0; i < 40; i++) {
        const sender = customers[i % 8]!;
        const { id } = retrying.inbound({
          phoneNumberId: lateBusiness.phoneNumberId,
          from: sender,
          type: 'text',
          text: { body: `down #${i}` },
        });
        from.set(id, sender);
      }
      // Every delivery is refused at least twice before anyone listens.
      await until(
        () =>
          retrying.deliveries(100).length === 4 &&
          retrying.deliveries(100).every((r) => r.attempts.length >= 2),
      );
      expect(retrying.webhookStats().delivered).toBe(0);
      await late.http.listen({ host: '127.0.0.1', port });
      // Once up, a flaky network still loses a third of the attempts; retries cover them too.
      retrying.setFaults({ failRate: 0.3, seed: 3 });
      for (let i = 0; i < 40; i++) {
        const sender = customers[i % 8]!;
        const { id } = retrying.inbound({
          phoneNumberId: lateBusiness.phoneNumberId,
          from: sender,
          type: 'text',
          text: { body: `flaky #${i}` },
        });
        from.set(id, sender);
      }
      await retrying.whenWebhooksIdle();
      const records = retrying.deliveries(100);
      expect(records).toHaveLength(8);
      expect(records.every((r) => r.state === 'delivered')).toBe(true);
      expect(
        records.slice(0, 4).every((r) => r.attempts[0]?.status === 0 && r.attempts.at(-1)?.status === 200),
      ).toBe(true);
      expect(retrying.webhookStats()).toMatchObject({ delivered: 8, dropped: 0 });
      expect(sentMessages(records)).toEqual(from);

      await receiptsProcessed(late, lateBusiness.phoneNumberId);
      const rows = await storedMessages(late.database, lateTenant.organizationId, [...from.keys()]);
      expect(rows).toHaveLength(80);
      for (const row of rows) expect(row.contactWaId).toBe(from.get(row.externalId));
      expect(await receiptsMentioning(late.database, lateBusiness.phoneNumberId)).toBe(8);
    } finally {
      await retrying.close();
      await late.close();
    }
  }, 120_000);
});
