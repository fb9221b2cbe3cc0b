// The delivery engine against the simulator's limits and faults: retries of Meta's rate-limit answers, write order per client, a rejected token, and
// the messages whose fate is unknown (never resent by themselves, sent again on request).
import { createServer, type Server, type Socket } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboundQueue } from '../src/modules/outbound/outbound.tables.ts';
import { engine } from './harness.ts';
import { simCustomer } from './sim-support.ts';
import {
  clientWrites,
  messageReaches,
  messageRow,
  outboxTo,
  sendMessage,
  sendRounds,
  startOutboundRig,
  textsTo,
  type OutboundRig,
} from './outbound-support.ts';
import { waitFor } from './whatsapp-support.ts';

/** A Graph API that takes connections and never answers. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe(`outbound delivery engine (${engine})`, () => {
  let rig: OutboundRig;

  beforeAll(async () => {
    rig = await startOutboundRig({ delivery: { requestTimeoutMs: 1500 } });
  });
  afterAll(async () => {
    await rig.close();
  });

  const patchNumber = async (payload: Record<string, unknown>) => {
    const res = await rig.tenant.owner.request({
      method: 'PATCH',
      url: `/api/v1/whatsapp/numbers/${rig.numberId}`,
      payload,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ status: string; statusReason: string | null }>();
  };

  it('retries what Meta refuses for throughput (130429) with backoff until every message is sent once', async () => {
    // Meta's limit is lower than the number's setting says: Graph answers 130429 to the excess.
    rig.sim.setLimits(rig.business.phoneNumberId, { throughputMps: 5 });
    const customers = Array.from({ length: 12 }, simCustomer);
    const conversations = await Promise.all(customers.map((c) => clientWrites(rig, c)));
    const before = { ...rig.app.services.delivery.counters };
    const ids: string[] = [];
    for (const [i, conversationId] of conversations.entries()) {
      ids.push((await sendMessage(rig, conversationId, { type: 'text', text: { body: `burst ${i}` } })).id);
    }
    for (const id of ids) await messageReaches(rig, id, ['sent', 'delivered', 'read'], 60_000);
    expect(rig.app.services.delivery.counters.retried - before.retried).toBeGreaterThan(0);
    for (const customer of customers)
      expect(outboxTo(rig, customer).filter((e) => e.type === 'text')).toHaveLength(1);
    rig.sim.setLimits(rig.business.phoneNumberId, { throughputMps: 1000 });
  }, 90_000);

  it('delivers every message exactly once while the simulator answers 130429, 500 and 503 to a third of the sends', async () => {
    const customers = Array.from({ length: 20 }, simCustomer);
    const conversations = await Promise.all(customers.map((c) => clientWrites(rig, c)));
    const before = { ...rig.app.services.delivery.counters };
    rig.sim.setFaults({ sendErrorRate: 0.3, seed: 5 });
    try {
      const ids: string[] = [];
      for (const [i, conversationId] of [...conversations, ...conversations].entries()) {
        ids.push(
          (await sendMessage(rig, conversationId, { type: 'text', text: { body: `faulty ${i}` } })).id,
        );
      }
      for (const id of ids) await messageReaches(rig, id, ['sent', 'delivered', 'read'], 60_000);
      const bodies = customers.flatMap((c) =>
        outboxTo(rig, c).map((e) => (e.request['text'] as { body: string } | undefined)?.body),
      );
      expect(bodies.filter((b) => b?.startsWith('faulty'))).toHaveLength(40);
      expect(new Set(bodies).size).toBe(40);
      expect(rig.app.services.delivery.counters.retried - before.retried).toBeGreaterThan(5);
      expect(rig.app.services.delivery.counters.failed - before.failed).toBe(0);
    } finally {
      rig.sim.setFaults({ sendErrorRate: 0 });
    }
  }, 90_000);

  it('fails at once with 190 and flags the number for attention until its token is replaced', async () => {
    const customer = simCustomer();
    const conversationId = await clientWrites(rig, customer);
    await patchNumber({ accessToken: 'EAAG-revoked-token' });
    const queued = await sendMessage(rig, conversationId, { type: 'text', text: { body: 'token test' } });
    const failed = await messageReaches(rig, queued.id, ['failed']);
    expect(failed.errorCode).toBe('190');
    expect(failed.errorTitle).toMatch(/access token/);
    const numbers = await rig.tenant.owner.request({ url: '/api/v1/whatsapp/numbers' });
    const number = numbers
      .json<{ items: { id: string; status: string; statusReason: string }[] }>()
      .items.find((n) => n.id === rig.numberId);
    expect(number).toMatchObject({ status: 'needs_attention', statusReason: expect.stringMatching(/190/) });
    expect(outboxTo(rig, customer)).toEqual([]);

    const restored = await patchNumber({ accessToken: rig.business.accessToken });
    expect(restored).toMatchObject({ status: 'active', statusReason: null });
    const again = await rig.tenant.owner.request({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages/${queued.id}/resend`,
    });
    expect(again.statusCode, again.body).toBe(202);
    await messageReaches(rig, queued.id, ['sent', 'delivered', 'read']);
    expect(outboxTo(rig, customer)).toHaveLength(1);
  });

  it('marks a send with no answer unknown, never resends it by itself, and sends it again on request', async () => {
    const customer = simCustomer();
    const conversationId = await clientWrites(rig, customer);
    const silent = await silentServer();
    try {
      await patchNumber({ graphBaseUrl: silent.url });
      const queued = await sendMessage(rig, conversationId, {
        type: 'text',
        text: { body: 'into the void' },
      });
      const unknown = await messageReaches(rig, queued.id, ['unknown']);
      expect(unknown.errorTitle).toMatch(/No answer from WhatsApp/);
      // Nothing is queued for it any more: no automatic resend, however long we wait.
      const queuedRows = await rig.app.database.system((tx) =>
        tx
          .select()
          .from(outboundQueue)
          .where(sql`message_id = ${queued.id}`),
      );
      expect(queuedRows).toEqual([]);

      // Only a failed or unknown message can be sent again.
      const history = await rig.tenant.owner.request({
        url: `/api/v1/conversations/${conversationId}/messages`,
      });
      const inboundId = history
        .json<{ items: { id: string; direction: string }[] }>()
        .items.find((m) => m.direction === 'inbound')!.id;
      const refused = await rig.tenant.owner.request({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/messages/${inboundId}/resend`,
      });
      expect(refused.statusCode).toBe(409);

      await patchNumber({ graphBaseUrl: rig.sim.url });
      const res = await rig.tenant.owner.request({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/messages/${queued.id}/resend`,
      });
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json<{ status: string }>().status).toBe('queued');
      const sent = await messageReaches(rig, queued.id, ['sent', 'delivered', 'read']);
      expect(outboxTo(rig, customer).map((e) => e.id)).toEqual([sent.externalId]);
    } finally {
      await patchNumber({ graphBaseUrl: rig.sim.url });
      await silent.close();
    }
  });

  it('turns a claim whose worker died into unknown instead of sending it again', async () => {
    const customer = simCustomer();
    const conversationId = await clientWrites(rig, customer);
    const silent = await silentServer();
    try {
      await patchNumber({ graphBaseUrl: silent.url });
      const queued = await sendMessage(rig, conversationId, { type: 'text', text: { body: 'claimed' } });
      // The worker has claimed it (its request hangs): make its lease lapse, as after a crash.
      await waitFor(async () => {
        const rows = await rig.app.database.system((tx) =>
          tx
            .update(outboundQueue)
            .set({ availableAt: sql`now() - interval '1 second'` })
            .where(sql`message_id = ${queued.id} and state = 'sending'`)
            .returning(),
        );
        return rows.length > 0 ? true : undefined;
      });
      const unknown = await messageReaches(rig, queued.id, ['unknown']);
      expect(unknown.errorTitle).toMatch(/may have been delivered/);
      expect((await messageRow(rig, queued.id))?.externalId).toBeNull();
    } finally {
      await patchNumber({ graphBaseUrl: rig.sim.url });
      await silent.close();
    }
  });
});

describe(`outbound pacing per client (${engine})`, () => {
  let rig: OutboundRig;

  beforeAll(async () => {
    // Meta's pair rate scaled down: bursts of 5, then one per 200 ms (Meta: 45, then one per 6 s).
    rig = await startOutboundRig({
      delivery: { pairBurst: 5, pairIntervalMs: 200 },
      sim: { pairRate: { burst: 5, intervalMs: 200 } },
    });
  });
  afterAll(async () => {
    await rig.close();
  });

  it('spaces a burst to one client instead of failing it (131056), in the order written', async () => {
    const customer = simCustomer();
    const conversationId = await clientWrites(rig, customer);
    const before = { ...rig.app.services.delivery.counters };
    const ids: string[] = [];
    for (let i = 0; i < 15; i++) {
      ids.push((await sendMessage(rig, conversationId, { type: 'text', text: { body: `part ${i}` } })).id);
    }
    for (const id of ids) await messageReaches(rig, id, ['sent', 'delivered', 'read']);
    const outbox = outboxTo(rig, customer);
    expect(outbox.map((e) => (e.request['text'] as { body: string }).body)).toEqual(
      ids.map((_, i) => `part ${i}`),
    );
    // The burst of 5 went at once; the other 10 one per interval.
    const times = outbox.map((e) => e.createdAt);
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(10 * 200 - 50);
    expect(rig.app.services.delivery.counters.retried - before.retried).toBe(0);
  });
});

describe(`outbound lines longer than a claim (${engine})`, () => {
  let rig: OutboundRig;

  beforeAll(async () => {
    // Two messages of a client per claim, and a number at 10 per second: the lines grow faster
    // than they leave, and the rest of a line is claimed while it is being sent.
    rig = await startOutboundRig({ delivery: { lineDepth: 2 }, number: { throughputMps: 10 } });
  });
  afterAll(async () => {
    await rig.close();
  });

  it('claims the rest of a line while it is being sent, in the order written, each message once', async () => {
    const customers = Array.from({ length: 3 }, simCustomer);
    const conversations = await Promise.all(customers.map((c) => clientWrites(rig, c)));
    const before = { ...rig.app.services.delivery.counters };
    const ids = await sendRounds(rig, conversations, 10, 'long');
    for (const id of ids) await messageReaches(rig, id, ['sent', 'delivered', 'read']);
    const expected = Array.from({ length: 10 }, (_, i) => `long ${i}`);
    for (const customer of customers) expect(textsTo(rig, customer)).toEqual(expected);
    // A claim takes at most 2 of a line's messages; the rest were claimed while it was being sent.
    expect(rig.app.services.delivery.counters.toppedUp - before.toppedUp).toBeGreaterThan(0);
    expect(rig.app.services.delivery.counters.retried - before.retried).toBe(0);
  });

  it('puts what was claimed behind a message Meta refused back in line, so each line still leaves in order, once', async () => {
    const customers = Array.from({ length: 4 }, simCustomer);
    const conversations = await Promise.all(customers.map((c) => clientWrites(rig, c)));
    const before = { ...rig.app.services.delivery.counters };
    rig.sim.setFaults({ sendErrorRate: 0.25, seed: 11 });
    try {
      const ids = await sendRounds(rig, conversations, 8, 'mended');
      for (const id of ids) await messageReaches(rig, id, ['sent', 'delivered', 'read'], 60_000);
      const expected = Array.from({ length: 8 }, (_, i) => `mended ${i}`);
      for (const customer of customers) expect(textsTo(rig, customer)).toEqual(expected);
      expect(rig.app.services.delivery.counters.retried - before.retried).toBeGreaterThan(3);
      expect(rig.app.services.delivery.counters.toppedUp - before.toppedUp).toBeGreaterThan(0);
      expect(rig.app.services.delivery.counters.failed - before.failed).toBe(0);
    } finally {
      rig.sim.setFaults({ sendErrorRate: 0 });
    }
  }, 90_000);
});
