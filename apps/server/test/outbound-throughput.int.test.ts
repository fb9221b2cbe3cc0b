// The delivery engine's pacing (issue 5): 1,000 messages queued for one number whose throughput is
// 80 messages per second. The simulator runs in its own process, as Meta is remote, and counts
// what it receives in every sliding second, refusing the excess with 130429 as Meta does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../src/app.ts';
import { createTenant, createTestApp, engine, signIn, type TestTenant } from './harness.ts';
import { connectPayload, simBusiness, simConfig, simCustomer, type SimBusiness } from './sim-support.ts';
import { bodyOf, busiestSecond, startSimProcess, type SimProcess } from './sim-process.ts';
import { waitFor } from './whatsapp-support.ts';

interface Rig {
  apps: SwitchboardApp[];
  tenant: TestTenant;
  business: SimBusiness;
  sim: SimProcess;
  close(): Promise<void>;
}

/** `instances` apps on one database, each working the delivery queue, and one number at 80 mps. */
async function startRig(instances: number): Promise<Rig> {
  const apps: SwitchboardApp[] = [];
  for (let i = 0; i < instances; i++) apps.push(await createTestApp());
  const first = apps[0]!;
  const webhookUrl = `${await first.http.listen({ host: '127.0.0.1', port: 0 })}/webhooks/whatsapp`;
  const tenant = await createTenant(first);
  const business = simBusiness();
  const sim = await startSimProcess(
    simConfig(business, {
      seed: 11,
      webhook: { concurrency: 16, retryDelaysMs: [20, 50, 100, 200, 400] },
      statusDelays: { sentMs: 30, deliveredMs: 60, readMs: 90 },
    }),
    business,
  );
  await sim.setLimits(business.phoneNumberId, { throughputMps: 80 });
  const res = await tenant.owner.request({
    method: 'POST',
    url: '/api/v1/whatsapp/numbers',
    payload: { ...connectPayload(business, sim.url), throughputMps: 80 },
  });
  expect(res.statusCode, res.body).toBe(201);
  expect(await sim.setWebhook({ url: webhookUrl })).toBe('verified');
  return {
    apps,
    tenant,
    business,
    sim,
    async close() {
      await sim.close();
      for (const app of apps) await app.close();
    },
  };
}

/**
 * Clients write (opening their windows), then each gets `perClient` messages, written one after
 * another, the sends spread over the rig's instances. Resolves with what the simulator received.
 */
async function sendBurst(rig: Rig, clients: number, perClient: number) {
  const { tenant, business, sim } = rig;
  const customers = Array.from({ length: clients }, simCustomer);
  await Promise.all(
    customers.map((from) =>
      sim.inbound({ phoneNumberId: business.phoneNumberId, from, type: 'text', text: { body: 'hi' } }),
    ),
  );
  const conversations = await waitFor(async () => {
    const res = await tenant.owner.request({ url: `/api/v1/conversations?limit=${clients}` });
    const items = res.json<{ items: { id: string; contact: { waId: string } }[] }>().items;
    return items.length === clients ? items : undefined;
  }, 60_000);
  // The customers' own messages count against the number's throughput: let their second pass.
  await new Promise((r) => setTimeout(r, 1100));
  const retriedBefore = rig.apps.map((a) => a.services.delivery.counters.retried);
  // The owner signed in on every instance: sessions live in the shared database.
  const callers = [tenant.owner];
  for (const app of rig.apps.slice(1)) callers.push(await signIn(app, tenant.ownerEmail));

  const bodies = new Map<string, string[]>();
  for (let round = 0; round < perClient; round++) {
    await Promise.all(
      conversations.map(async (c, i) => {
        const body = `${c.contact.waId} #${round}`;
        bodies.set(c.contact.waId, [...(bodies.get(c.contact.waId) ?? []), body]);
        const res = await callers[i % callers.length]!.request({
          method: 'POST',
          url: `/api/v1/conversations/${c.id}/messages`,
          payload: { type: 'text', text: { body } },
        });
        expect(res.statusCode, res.body).toBe(202);
      }),
    );
  }
  const total = clients * perClient;
  const outbox = await waitFor(async () => {
    const sent = await sim.outbox({ phoneNumberId: business.phoneNumberId });
    return sent.length >= total ? sent : undefined;
  }, 90_000);
  const retried = rig.apps.reduce(
    (n, a, i) => n + a.services.delivery.counters.retried - (retriedBefore[i] ?? 0),
    0,
  );
  return { outbox, bodies, total, retried };
}

/** What every burst must show: each message once, in write order per client, never over 80/s. */
function expectPaced(
  { outbox, bodies, total, retried }: Awaited<ReturnType<typeof sendBurst>>,
  maxRetried = 0,
) {
  expect(outbox).toHaveLength(total);
  const seen = outbox.map(bodyOf);
  expect(new Set(seen).size).toBe(total);
  expect(new Set(seen)).toEqual(new Set([...bodies.values()].flat()));
  const times = outbox.map((e) => e.createdAt);
  expect(busiestSecond(times)).toBeLessThanOrEqual(80);
  // At 80 per second, `total` take at least (total - 80) / 80 s.
  expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(((total - 80) / 80) * 1000);
  // Paced, not refused: one instance is never answered 130429; across instances the bound is soft
  // (ADR 0006), a rare late send is refused and retried.
  expect(retried).toBeLessThanOrEqual(maxRetried);
  const byClient = new Map<string, string[]>();
  for (const e of [...outbox].sort((a, b) => a.createdAt - b.createdAt)) {
    byClient.set(e.to, [...(byClient.get(e.to) ?? []), bodyOf(e)]);
  }
  for (const [waId, written] of bodies) expect(byClient.get(waId)).toEqual(written);
}

describe(`outbound pacing at a number's throughput (${engine})`, () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig(1);
  });
  afterAll(async () => {
    await rig.close();
  });

  it('sends 1,000 queued messages at 80 per second: never more in any second, all arrive, none twice', async () => {
    expectPaced(await sendBurst(rig, 100, 10));
  }, 150_000);
});

// Two instances share one PostgreSQL (PGlite is one process's database).
describe.runIf(engine === 'postgres')('outbound pacing across two instances (postgres)', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig(2);
  });
  afterAll(async () => {
    await rig.close();
  });

  it('holds one number to 80 per second when two instances send for it', async () => {
    const burst = await sendBurst(rig, 60, 10);
    // Both instances worked the queue.
    for (const app of rig.apps) expect(app.services.delivery.counters.accepted).toBeGreaterThan(50);
    expectPaced(burst, Math.ceil(burst.total / 100));
  }, 150_000);
});
