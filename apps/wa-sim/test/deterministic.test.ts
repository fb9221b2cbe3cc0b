import { describe, expect, it } from 'vitest';
import { collect, graph, sendMessage, settle, startPair, upload, wamidOf } from './helpers.ts';

// Deterministic mode (README): the same seed and a manual clock give two simulator instances the
// same generated business, wamids, media and template ids, timestamps and webhook bytes.

const START = '2026-10-10T10:10:10Z';

async function run(seed: number) {
  const { sim, rx } = await startPair({
    seed,
    clock: { mode: 'manual', start: START },
    webhook: { concurrency: 1 },
    statusDelays: { sentMs: 1000, deliveredMs: 2000, readMs: 3000 },
    templateReview: { delayMs: 500 },
  });
  try {
    // No businesses configured: one is generated from the seed.
    const [business] = sim.businesses;
    const token = business!.accessToken;
    const phone = business!.phoneNumbers[0]!.id;
    const customer = '5511955550100';
    const inbound = [
      sim.inbound({ phoneNumberId: phone, from: customer, name: 'Ana', type: 'text', text: { body: 'Oi' } })
        .id,
      sim.inbound({
        phoneNumberId: phone,
        from: customer,
        type: 'document',
        document: { filename: 'cv.pdf' },
      }).id,
    ];
    await rx.waitFor((r) => r.length === 2);
    const uploaded = String(
      (await upload(sim, token, phone, Buffer.from('bytes'), 'image/png', 'a.png')).json['id'],
    );
    const mediaUrl = String((await graph(sim, token, 'GET', uploaded)).json['url']).replace(sim.url, '<sim>');
    const sent = [
      wamidOf(await sendMessage(sim, token, phone, { to: customer, type: 'text', text: { body: 'Olá!' } })),
      wamidOf(await sendMessage(sim, token, phone, { to: customer, type: 'image', image: { id: uploaded } })),
    ];
    const template = await graph(sim, token, 'POST', `${business!.wabaId}/message_templates`, {
      name: 'seeded',
      language: 'en',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Hello {{1}}' }],
    });
    const error = await graph(sim, token, 'POST', `${phone}/messages`, { messaging_product: 'whatsapp' });
    sim.advanceClock(5000);
    await settle(sim);
    return {
      business,
      inbound,
      uploaded,
      mediaUrl,
      sent,
      templateId: template.json['id'],
      fbtrace: (error.json['error'] as { fbtrace_id: string }).fbtrace_id,
      webhooks: rx.received.map((r) => ({ raw: r.raw, signature: r.signature })),
      inboundMediaId: (collect(rx.received, 'messages')[1]!['document'] as { id: string }).id,
      outbox: sim.outbox(),
    };
  } finally {
    await sim.close();
    await rx.close();
  }
}

describe('deterministic mode', () => {
  it('same seed + manual clock → identical ids, timestamps and webhook bytes across instances', async () => {
    const a = await run(2024);
    const b = await run(2024);
    expect(b).toEqual(a);
    // What was compared is meaningful: 2 messages, 6 statuses and 1 template update, all timestamped
    // on the simulated clock.
    expect(a.webhooks).toHaveLength(9);
    const bodies = a.webhooks.map((w) => JSON.parse(w.raw) as unknown);
    const statuses = collect(
      bodies.map((body) => ({ raw: '', signature: '', body: body as never })),
      'statuses',
    );
    const t0 = Date.parse(START) / 1000;
    expect(statuses.map((s) => [s['status'], Number(s['timestamp']) - t0])).toEqual([
      ['sent', 1],
      ['sent', 1],
      ['delivered', 2],
      ['delivered', 2],
      ['read', 3],
      ['read', 3],
    ]);
    expect(a.outbox.map((m) => m.createdAt)).toEqual([Date.parse(START), Date.parse(START)]);

    const c = await run(2025);
    for (const key of ['business', 'inbound', 'uploaded', 'sent', 'templateId', 'inboundMediaId'] as const)
      expect(c[key]).not.toEqual(a[key]);
  }, 20_000);
});
