import { afterEach, describe, expect, it } from 'vitest';
import { serializeEscaped, type SimulatorOptions } from '../src/index.ts';
import { collect, hmac, startPair } from './helpers.ts';

// Webhook delivery: handshake, signing over the escaped body, batching, and retries until a 200.

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

// Fault injection (duplicates, failures, slow and out-of-order deliveries, seeds): faults.test.ts.
