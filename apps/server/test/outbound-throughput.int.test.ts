// The delivery engine's pacing (issue 5): 1,000 messages queued for one number whose throughput is
// 80 messages per second. The simulator runs in its own process, as Meta is remote, and counts
// what it receives in every sliding second, refusing the excess with 130429 as Meta does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '@switchboard/wa-sim';
import type { SwitchboardApp } from '../src/app.ts';
import { createTenant, createTestApp, engine, type TestTenant } from './harness.ts';
import { connectPayload, simBusiness, simConfig, simCustomer, type SimBusiness } from './sim-support.ts';
import { startSimProcess, type SimProcess } from './sim-process.ts';
import { waitFor } from './whatsapp-support.ts';

/** The most entries in any sliding second (`(t - 1000, t]`, as the simulator counts). */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[start] ?? 0) <= (sorted[end] ?? 0) - 1000) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

const bodyOf = (e: OutboxEntry) => (e.request['text'] as { body: string }).body;

describe(`outbound pacing at a number's throughput (${engine})`, () => {
  let app: SwitchboardApp;
  let tenant: TestTenant;
  let business: SimBusiness;
  let sim: SimProcess;

  beforeAll(async () => {
    app = await createTestApp();
    const webhookUrl = `${await app.http.listen({ host: '127.0.0.1', port: 0 })}/webhooks/whatsapp`;
    tenant = await createTenant(app);
    business = simBusiness();
    sim = await startSimProcess(
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
  });
  afterAll(async () => {
    await sim.close();
    await app.close();
  });

  it('sends 1,000 queued messages at 80 per second: never more in any second, all arrive, none twice', async () => {
    const customers = Array.from({ length: 100 }, simCustomer);
    const ids = await Promise.all(
      customers.map((from) =>
        sim.inbound({ phoneNumberId: business.phoneNumberId, from, type: 'text', text: { body: 'hi' } }),
      ),
    );
    const conversations = await waitFor(async () => {
      const res = await tenant.owner.request({ url: '/api/v1/conversations?limit=100' });
      const items = res.json<{ items: { id: string; contact: { waId: string } }[] }>().items;
      return items.length === 100 ? items : undefined;
    }, 60_000);
    expect(ids).toHaveLength(100);
    // The customers' own messages count against the number's throughput: let their second pass.
    await new Promise((r) => setTimeout(r, 1100));
    const before = { ...app.services.delivery.counters };

    // Ten rounds of one message per client: each client's messages are written one after another.
    const bodies = new Map<string, string[]>();
    for (let round = 0; round < 10; round++) {
      await Promise.all(
        conversations.map(async (c) => {
          const body = `${c.contact.waId} #${round}`;
          bodies.set(c.contact.waId, [...(bodies.get(c.contact.waId) ?? []), body]);
          const res = await tenant.owner.request({
            method: 'POST',
            url: `/api/v1/conversations/${c.id}/messages`,
            payload: { type: 'text', text: { body } },
          });
          expect(res.statusCode, res.body).toBe(202);
        }),
      );
    }
    const outbox = await waitFor(async () => {
      const sent = await sim.outbox({ phoneNumberId: business.phoneNumberId });
      return sent.length >= 1000 ? sent : undefined;
    }, 90_000);

    expect(outbox).toHaveLength(1000);
    const seen = outbox.map(bodyOf);
    expect(new Set(seen).size).toBe(1000);
    expect(new Set(seen)).toEqual(new Set([...bodies.values()].flat()));
    const times = outbox.map((e) => e.createdAt);
    expect(busiestSecond(times)).toBeLessThanOrEqual(80);
    // 1,000 at 80 per second take at least 12.5 s.
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(12_000);
    // Paced, not refused: no request was answered 130429 and retried.
    expect(app.services.delivery.counters.retried - before.retried).toBe(0);
    // Each client got its messages in the order they were written.
    const byClient = new Map<string, string[]>();
    for (const e of [...outbox].sort((a, b) => a.createdAt - b.createdAt)) {
      byClient.set(e.to, [...(byClient.get(e.to) ?? []), bodyOf(e)]);
    }
    for (const [waId, written] of bodies) expect(byClient.get(waId)).toEqual(written);
  }, 150_000);
});
