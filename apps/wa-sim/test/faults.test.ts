import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator, SimulatorOptions } from '../src/index.ts';
import { collect, sendMessage, settle, startPair, statusTrail, wamidOf, type Receiver } from './helpers.ts';

// Fault injection (duplicates, out-of-order statuses, slow and failing attempts), switchable per run
// and reproducible from a seed: on a manual clock the whole run (webhook bodies, signatures, attempt
// outcomes and their timestamps) is identical for the same seed.

const PHONE = '560000000000011';
const TOKEN = 'token-faults';
const START = Date.parse('2026-07-01T00:00:00.850Z');

const opened: { sim: Simulator; rx: Receiver }[] = [];
afterEach(async () => {
  for (const { sim, rx } of opened.splice(0)) {
    await sim.close();
    await rx.close();
  }
});

async function setup(options: SimulatorOptions) {
  const pair = await startPair({
    seed: 99,
    bsuid: false,
    clock: { mode: 'manual', start: new Date(START).toISOString() },
    webhook: { concurrency: 1 },
    statusDelays: { sentMs: 100, deliveredMs: 200, readMs: 300 },
    businesses: [
      {
        wabaId: '560000000000001',
        accessToken: TOKEN,
        phoneNumbers: [{ id: PHONE, displayPhoneNumber: '15550009999' }],
      },
    ],
    ...options,
  });
  opened.push(pair);
  const send = async (to: string, body: string) =>
    wamidOf(await sendMessage(pair.sim, TOKEN, PHONE, { to, type: 'text', text: { body } }));
  return { ...pair, send };
}

const text = (from: string, body: string) =>
  ({ phoneNumberId: PHONE, from, type: 'text', text: { body } }) as const;

describe('slow delivery', () => {
  it('slowMs holds every POST back that long on the simulated clock', async () => {
    const { sim, rx } = await setup({ faults: { slowMs: 1000 } });
    sim.inbound(text('5511955556666', 'slow'));
    await new Promise((r) => setTimeout(r, 100));
    sim.advanceClock(999);
    await settle(sim);
    expect(rx.received).toHaveLength(0);
    sim.advanceClock(1);
    await rx.waitFor((r) => r.length === 1);
    expect(sim.deliveries()[0]!.attempts).toEqual([{ at: START + 1000, status: 200 }]);
  });

  it('on the real clock, slowMs delays the POST in wall time', async () => {
    const { sim, rx } = await setup({ clock: { mode: 'real' }, faults: { slowMs: 150 } });
    const t0 = Date.now();
    const at0 = sim.now();
    sim.inbound(text('5511955556666', 'slow'));
    await rx.waitFor((r) => r.length === 1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(sim.deliveries()[0]!.attempts[0]!.at - at0).toBeGreaterThanOrEqual(150);
  });
});

describe('out-of-order statuses', () => {
  it('seed 7 reorders exactly the same way every time; timestamps keep the real order', async () => {
    const { sim, rx, send } = await setup({ faults: { outOfOrderRate: 0.5, seed: 7 } });
    sim.inbound(text('5511955556666', 'hi'));
    await rx.waitFor((r) => r.length === 1);
    const ids = [await send('5511955556666', 'm0'), await send('5511955556666', 'm1')];
    sim.advanceClock(1000);
    await settle(sim);
    const s0 = String(Math.floor(START / 1000));
    const s1 = String(Math.floor(START / 1000) + 1);
    // sent at +100 ms (.950, second s0), delivered at +200 ms and read at +300 ms (second s1). Held
    // statuses wait 50-249 ms, so later ones overtake them.
    expect(statusTrail(rx.received).map((s) => [ids.indexOf(s.id), s.status, s.timestamp])).toEqual([
      [1, 'sent', s0],
      [0, 'delivered', s1],
      [1, 'read', s1],
      [1, 'delivered', s1],
      [0, 'sent', s0],
      [0, 'read', s1],
    ]);
    // The outbox keeps the true order and never goes backwards.
    for (const m of sim.outbox()) {
      expect(m.status).toBe('read');
      expect(m.statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
    }
  });
});

describe('the whole fault sequence is reproducible from a seed', () => {
  async function faultyRun(seed: number) {
    const { sim, rx, send } = await setup({
      webhook: { concurrency: 1, retryDelaysMs: [40, 80] },
      faults: { duplicateRate: 0.3, failRate: 0.3, outOfOrderRate: 0.5, slowMs: 30, seed },
    });
    const customers = ['5511955550010', '5511955550011', '5511955550012', '5511955550013'];
    for (const c of customers) sim.inbound(text(c, `Oi, sou ${c} 😀`));
    for (const c of customers) for (const n of [1, 2]) await send(c, `Resposta ${n} para ${c}`);
    // Step the clock only while the dispatcher is quiet, so every attempt has a reproducible time.
    for (let step = 0; step < 400; step++) {
      await settle(sim);
      if (sim.webhookStats().pending === 0 && sim.deliveries(1000).every((d) => d.state !== 'pending')) break;
      sim.advanceClock(10);
    }
    return {
      received: rx.received.map((r) => ({ raw: r.raw, signature: r.signature })),
      deliveries: sim.deliveries(1000),
      outbox: sim.outbox(),
      stats: sim.webhookStats(),
      now: sim.now(),
    };
  }

  it('same seed → identical webhook bodies, signatures and attempt outcomes; another seed differs', async () => {
    const a = await faultyRun(42);
    const b = await faultyRun(42);
    expect(b).toEqual(a);

    // The run really exercised every fault.
    const received = a.received.map((r) => ({ raw: r.raw, signature: r.signature, body: JSON.parse(r.raw) }));
    // Duplicated POSTs repeat some items; distinct, there are 4 messages and 8 × 3 statuses.
    expect(new Set(collect(received, 'messages').map((m) => m['id'])).size).toBe(4);
    expect(
      new Set(collect(received, 'statuses').map((s) => `${String(s['id'])}:${String(s['status'])}`)).size,
    ).toBe(24);
    expect(a.deliveries.some((d) => d.duplicate)).toBe(true);
    expect(a.deliveries.flatMap((d) => d.attempts).some((t) => t.error === 'injected failure')).toBe(true);
    expect(a.stats).toMatchObject({ pending: 0, dropped: 0 });
    expect(a.stats.duplicatesSent).toBeGreaterThan(0);
    expect(a.stats.failedAttempts).toBeGreaterThan(0);
    // The first POST (the first customer message, created at START) waited slowMs.
    expect(a.deliveries[0]!.attempts[0]!.at).toBe(START + 30);
    const trail = statusTrail(received);
    const rank = ['sent', 'delivered', 'read'];
    const reordered = [...new Set(trail.map((s) => s.id))].filter((id) => {
      const seen = trail.filter((s) => s.id === id).map((s) => rank.indexOf(s.status));
      return seen.some((r, i) => i > 0 && r < seen[i - 1]!);
    });
    expect(reordered.length).toBeGreaterThan(0);

    const c = await faultyRun(43);
    expect(c.deliveries.map((d) => d.attempts)).not.toEqual(a.deliveries.map((d) => d.attempts));
  }, 30_000);
});
