import { afterEach, describe, expect, it } from 'vitest';
import { serializeEscaped, type SimulatorOptions } from '../src/index.ts';
import { collect, hmac, startPair } from './helpers.ts';

// Webhook delivery: handshake, signing over the escaped body, batching, retries until a 200, and
// seeded fault injection.

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function setup(options: SimulatorOptions = {}) {
  const pair = await startPair(options);
  cleanup = async () => {
    await pair.sim.close();
    await pair.rx.close();
  };
  return pair;
}

const text = (phoneNumberId: string, from: string, body: string) =>
  ({ phoneNumberId, from, type: 'text', text: { body } }) as const;

describe('signing', () => {
  it('escapes non-ASCII as lowercase \\uXXXX per UTF-16 unit and signs those exact bytes', async () => {
    expect(serializeEscaped({ t: 'é😀\u007f' })).toBe('{"t":"\\u00e9\\ud83d\\ude00\\u007f"}');
    const { sim, rx, phoneId } = await setup();
    sim.inbound(text(phoneId, '5511900000001', 'Ação 😀 مرحبا'));
    const [r] = await rx.waitFor((x) => x.length === 1);
    expect(r!.raw).toMatch(/^[\x20-\x7e]+$/);
    expect(r!.raw).toContain('A\\u00e7\\u00e3o \\ud83d\\ude00');
    expect(r!.signature).toBe(hmac(r!.raw));
  });
});

describe('verification handshake', () => {
  it('holds webhooks until the callback answers the challenge', async () => {
    const { sim, rx, phoneId } = await setup({ verifyToken: 'not-what-the-receiver-expects' });
    expect(sim.webhookStats().verification).toBe('failed');
    sim.inbound(text(phoneId, '5511900000001', 'queued'));
    await new Promise((r) => setTimeout(r, 50));
    expect(rx.received).toHaveLength(0);
    expect(await sim.setWebhook({ verifyToken: 'test-verify-token' })).toBe('verified');
    await rx.waitFor((x) => x.length === 1);
    expect(rx.handshakes.length).toBeGreaterThanOrEqual(2);
  });
});

describe('delivery', () => {
  it('retries until the receiver answers 200, then stops', async () => {
    const { sim, rx, phoneId } = await setup({ webhook: { retryDelaysMs: [5, 10, 20] } });
    rx.respond = (attempt) => (attempt < 3 ? 500 : 200);
    sim.inbound(text(phoneId, '5511900000001', 'retry me'));
    await rx.waitFor((x) => x.length === 1);
    await sim.whenWebhooksIdle();
    await new Promise((r) => setTimeout(r, 100));
    expect(rx.attempts).toBe(4);
    const [d] = sim.deliveries();
    expect(d!.state).toBe('delivered');
    expect(d!.attempts.map((a) => a.status)).toEqual([500, 500, 500, 200]);
    expect(sim.webhookStats()).toMatchObject({ delivered: 1, failedAttempts: 3, pending: 0 });
  });

  it('treats non-200 success codes as failures and drops after maxAgeMs', async () => {
    const { sim, rx, phoneId } = await setup({ webhook: { retryDelaysMs: [5], maxAgeMs: 40 } });
    rx.respond = 204;
    sim.inbound(text(phoneId, '5511900000001', 'never acknowledged'));
    await sim.whenWebhooksIdle();
    const [d] = sim.deliveries();
    expect(d!.state).toBe('dropped');
    expect(d!.attempts.length).toBeGreaterThan(2);
    expect(d!.attempts.every((a) => a.status === 204)).toBe(true);
  });

  it('batches several updates into one POST', async () => {
    const { sim, rx, phoneId } = await setup({ webhook: { batchSize: 10, batchWindowMs: 30 } });
    for (let i = 0; i < 5; i++) sim.inbound(text(phoneId, `551190000000${i % 2}`, `m${i}`));
    await rx.waitFor((x) => collect(x, 'messages').length === 5);
    expect(rx.received).toHaveLength(1);
    const value = rx.received[0]!.body.entry[0]!.changes[0]!.value;
    expect((value['messages'] as unknown[]).length).toBe(5);
    expect((value['contacts'] as unknown[]).length).toBe(2);
  });
});

describe('fault injection', () => {
  async function runFaulty(seed: number): Promise<string[]> {
    const { sim, rx, phoneId } = await setup({
      clock: { mode: 'manual' },
      webhook: { concurrency: 1, retryDelaysMs: [0] },
      faults: { duplicateRate: 0.3, failRate: 0.3, seed },
    });
    for (let i = 0; i < 20; i++) sim.inbound(text(phoneId, '5511900000001', `m${i}`));
    await sim.whenWebhooksIdle();
    sim.advanceClock(1000); // releases the scheduled duplicates
    await new Promise((r) => setTimeout(r, 50));
    await sim.whenWebhooksIdle();
    const pattern = sim
      .deliveries(1000)
      .map((d) => `${d.duplicate ? 'D' : 'O'}:${d.attempts.map((a) => a.status).join(',')}`);
    expect(new Set(collect(rx.received, 'messages').map((m) => m['id'])).size).toBe(20);
    await cleanup?.();
    cleanup = undefined;
    return pattern;
  }

  it('produces duplicates and failed attempts, reproducibly from a seed', async () => {
    const a = await runFaulty(42);
    const b = await runFaulty(42);
    expect(a).toEqual(b);
    expect(a.some((p) => p.startsWith('D'))).toBe(true);
    expect(a.some((p) => p.includes('0,'))).toBe(true);
  });

  it('can deliver statuses out of order', async () => {
    const { sim, rx, phoneId, token } = await setup({
      statusDelays: { sentMs: 1, deliveredMs: 2, readMs: 3 },
      faults: { outOfOrderRate: 1, seed: 3 },
    });
    sim.inbound(text(phoneId, '5511900000001', 'hi'));
    for (let i = 0; i < 10; i++) {
      await fetch(`${sim.url}/v24.0/${phoneId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          messaging_product: 'whatsapp',
          to: '5511900000001',
          type: 'text',
          text: { body: `r${i}` },
        }),
      });
    }
    const all = await rx.waitFor((x) => collect(x, 'statuses').length === 30);
    const order = new Map<string, string[]>();
    for (const s of collect(all, 'statuses'))
      order.set(String(s['id']), [...(order.get(String(s['id'])) ?? []), String(s['status'])]);
    const inOrder = [...order.values()].filter((o) => o.join() === 'sent,delivered,read').length;
    expect(inOrder).toBeLessThan(10);
  });
});
