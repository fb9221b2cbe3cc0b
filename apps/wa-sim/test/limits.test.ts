import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorOptions } from '../src/index.ts';
import { collect, graph, startPair } from './helpers.ts';

// The 24 h window, throughput, pair rate and messaging-limit tier, on a manual clock so that time
// only moves when the test says so.

const DAY = 24 * 3600_000;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function setup(options: SimulatorOptions = {}) {
  const pair = await startPair({
    clock: { mode: 'manual', start: '2026-01-05T10:00:00Z' },
    statusDelays: { sentMs: 10, deliveredMs: 20, readMs: null },
    businesses: [
      {
        wabaId: '400000000000001',
        accessToken: 'token-limits-test',
        phoneNumbers: [{ id: '400000000000011', displayPhoneNumber: '15550002222' }],
        templates: [
          {
            name: 'promo',
            language: 'en',
            category: 'MARKETING',
            components: [{ type: 'BODY', text: 'Sale!' }],
          },
          {
            name: 'notice',
            language: 'en',
            category: 'UTILITY',
            components: [{ type: 'BODY', text: 'Notice' }],
          },
        ],
      },
    ],
    ...options,
  });
  cleanup = async () => {
    await pair.sim.close();
    await pair.rx.close();
  };
  const send = (to: string, body: Record<string, unknown> = { type: 'text', text: { body: 'hi' } }) =>
    graph(pair.sim, pair.token, 'POST', `${pair.phoneId}/messages`, {
      messaging_product: 'whatsapp',
      to,
      ...body,
    });
  const template = (name: string) => ({ type: 'template', template: { name, language: { code: 'en' } } });
  return { ...pair, send, template };
}

const failures = (received: Parameters<typeof collect>[0]) =>
  collect(received, 'statuses')
    .filter((s) => s['status'] === 'failed')
    .map((s) => ({ id: s['id'], code: (s['errors'] as { code: number }[])[0]!.code }));

describe('24 h customer-service window', () => {
  it('accepts a free-form send outside the window, then fails it with 131047', async () => {
    const { sim, rx, phoneId, send } = await setup();
    sim.inbound({ phoneNumberId: phoneId, from: '5511900000001', type: 'text', text: { body: 'hello' } });
    const inside = await send('5511900000001');
    expect(inside.status).toBe(200);
    sim.advanceClock(DAY + 1000);
    const outside = await send('5511900000001');
    expect(outside.status).toBe(200);
    const outsideId = (outside.json['messages'] as { id: string }[])[0]!.id;
    sim.advanceClock(100);
    const all = await rx.waitFor((r) => failures(r).length === 1);
    expect(failures(all)).toEqual([{ id: outsideId, code: 131047 }]);
    const insideId = (inside.json['messages'] as { id: string }[])[0]!.id;
    expect(sim.outbox().find((m) => m.id === insideId)?.status).toBe('delivered');
    // Templates are allowed outside the window.
    const t = await send('5511900000001', {
      type: 'template',
      template: { name: 'notice', language: { code: 'en' } },
    });
    sim.advanceClock(100);
    await rx.waitFor((r) =>
      collect(r, 'statuses').some(
        (s) => s['id'] === (t.json['messages'] as { id: string }[])[0]!.id && s['status'] === 'delivered',
      ),
    );
  });

  it('fails undeliverable numbers (131026) and opted-out marketing (131050)', async () => {
    const { sim, rx, send, template } = await setup({
      customers: [
        { waId: '5511900000002', onWhatsApp: false },
        { waId: '5511900000003', marketingOptOut: true },
      ],
    });
    await send('5511900000002', template('notice'));
    await send('5511900000003', template('promo'));
    await send('5511900000003', template('notice'));
    sim.advanceClock(100);
    const all = await rx.waitFor((r) => collect(r, 'statuses').length >= 4);
    expect(
      failures(all)
        .map((f) => f.code)
        .sort(),
    ).toEqual([131026, 131050]);
  });
});

describe('throughput, pair rate and messaging limit', () => {
  it('returns 130429 above the per-number throughput, and recovers a second later', async () => {
    const { sim, phoneId, send, template } = await setup();
    sim.setLimits(phoneId, { throughputMps: 5 });
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await send(`55119100000${10 + i}`, template('notice'))).status);
    expect(codes).toEqual([200, 200, 200, 200, 200, 400, 400]);
    const over = await send('5511910000099', template('notice'));
    expect((over.json['error'] as { code: number; error_subcode: number }).code).toBe(130429);
    sim.advanceClock(1001);
    expect((await send('5511910000099', template('notice'))).status).toBe(200);
  });

  it('returns 131056 when one customer gets too many messages', async () => {
    const { sim, send, template } = await setup({ pairRate: { burst: 3, intervalMs: 6000 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await send('5511920000001', template('notice'))).status);
    expect(statuses).toEqual([200, 200, 200, 400]);
    expect(((await send('5511920000001', template('notice'))).json['error'] as { code: number }).code).toBe(
      131056,
    );
    expect((await send('5511920000002', template('notice'))).status).toBe(200);
    sim.advanceClock(6000);
    expect((await send('5511920000001', template('notice'))).status).toBe(200);
  });

  it('enforces the messaging-limit tier on unique customers outside the window', async () => {
    const { sim, rx, phoneId, send, template } = await setup();
    sim.setLimits(phoneId, { tier: 'TIER_50', throughputMps: 1000 });
    // A customer inside the window does not count against the tier.
    sim.inbound({ phoneNumberId: phoneId, from: '5511930000999', type: 'text', text: { body: 'hi' } });
    for (let i = 0; i < 50; i++)
      expect((await send(`55119300000${10 + i}`, template('notice'))).status).toBe(200);
    expect((await send('5511930000999', template('notice'))).status).toBe(200);
    expect((await send('5511930000010', template('notice'))).status).toBe(200); // same customer again
    const over = await send('5511930000100', template('notice'));
    expect(over.status).toBe(200);
    sim.advanceClock(100);
    const all = await rx.waitFor((r) => failures(r).length > 0);
    expect(failures(all)).toEqual([{ id: (over.json['messages'] as { id: string }[])[0]!.id, code: 131048 }]);
    sim.advanceClock(DAY);
    const later = await send('5511930000101', template('notice'));
    sim.advanceClock(100);
    await rx.waitFor((r) =>
      collect(r, 'statuses').some(
        (s) => s['id'] === (later.json['messages'] as { id: string }[])[0]!.id && s['status'] === 'delivered',
      ),
    );
  });
});
