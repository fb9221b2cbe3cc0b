import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorOptions } from '../src/index.ts';
import { sendMessage, settle, startPair, statusTrail, wamidOf } from './helpers.ts';

// Status progression (contract doc §3) on a manual clock: sent → delivered → read after the
// configured delays, `delivered` skipped when read comes at once, reactions only `sent`, reads on
// request, with the exact status webhook bodies (PMP pricing on `sent` and the first of delivered/read).

const WABA = '540000000000001';
const PHONE = '540000000000011';
const DISPLAY = '15550007777';
const TOKEN = 'token-statuses';
const CUSTOMER = '5511955554444';
const START = Date.parse('2026-05-04T10:00:00Z');

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function setup(statusDelays: SimulatorOptions['statusDelays'], openWindow = true) {
  const pair = await startPair({
    clock: { mode: 'manual', start: new Date(START).toISOString() },
    webhook: { concurrency: 1 },
    bsuid: false,
    statusDelays,
    customers: [{ waId: CUSTOMER, name: 'Ana' }],
    businesses: [
      {
        wabaId: WABA,
        accessToken: TOKEN,
        phoneNumbers: [{ id: PHONE, displayPhoneNumber: DISPLAY }],
        templates: [
          {
            name: 'promo',
            language: 'en',
            category: 'MARKETING',
            components: [{ type: 'BODY', text: 'Sale' }],
          },
        ],
      },
    ],
  });
  cleanup = async () => {
    await pair.sim.close();
    await pair.rx.close();
  };
  if (openWindow) {
    pair.sim.inbound({ phoneNumberId: PHONE, from: CUSTOMER, type: 'text', text: { body: 'Oi' } });
    await pair.rx.waitFor((r) => r.length === 1);
    pair.rx.received.length = 0;
  }
  const send = async (body: Record<string, unknown> = { type: 'text', text: { body: 'Olá' } }) =>
    wamidOf(await sendMessage(pair.sim, TOKEN, PHONE, { to: CUSTOMER, ...body }));
  /** Advances the clock and waits for the webhooks that fall due. */
  const advance = async (ms: number) => {
    pair.sim.advanceClock(ms);
    await settle(pair.sim);
  };
  return { ...pair, send, advance };
}

const seconds = (ms: number) => String(Math.floor(ms / 1000));

/** The exact status webhook of one status (one update per POST: batchSize 1). */
function statusWebhook(status: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: WABA,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: DISPLAY, phone_number_id: PHONE },
              contacts: [{ profile: { name: 'Ana' }, wa_id: CUSTOMER }],
              statuses: [{ ...status, recipient_id: CUSTOMER }],
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

const freeService = {
  billable: false,
  pricing_model: 'PMP',
  type: 'free_customer_service',
  category: 'service',
};

describe('status progression', () => {
  it('sent → delivered → read at the configured delays, with pricing on sent and delivered', async () => {
    const { rx, send, advance } = await setup({ sentMs: 1000, deliveredMs: 3000, readMs: 7000 });
    const id = await send();
    await advance(999);
    expect(rx.received).toHaveLength(0);
    await advance(1);
    await advance(1999);
    expect(statusTrail(rx.received).map((s) => s.status)).toEqual(['sent']);
    await advance(1);
    await advance(3999);
    expect(statusTrail(rx.received).map((s) => s.status)).toEqual(['sent', 'delivered']);
    await advance(1);
    expect(rx.received.map((r) => r.body)).toEqual([
      statusWebhook({ id, status: 'sent', timestamp: seconds(START + 1000), pricing: freeService }),
      statusWebhook({ id, status: 'delivered', timestamp: seconds(START + 3000), pricing: freeService }),
      statusWebhook({ id, status: 'read', timestamp: seconds(START + 7000) }),
    ]);
  });

  it('skips delivered when read comes at once (readMs <= deliveredMs); read then carries pricing', async () => {
    const { sim, rx, send, advance } = await setup({ sentMs: 1000, deliveredMs: 4000, readMs: 4000 });
    const id = await send();
    await advance(60_000);
    expect(rx.received.map((r) => r.body)).toEqual([
      statusWebhook({ id, status: 'sent', timestamp: seconds(START + 1000), pricing: freeService }),
      statusWebhook({ id, status: 'read', timestamp: seconds(START + 4000), pricing: freeService }),
    ]);
    expect(sim.outbox()[0]!.statuses).toEqual([
      { status: 'sent', timestamp: START + 1000 },
      { status: 'read', timestamp: START + 4000 },
    ]);
  });

  it('reactions only get sent, even when the customer reads the chat', async () => {
    const { sim, rx, send, advance } = await setup({ sentMs: 1000, deliveredMs: 2000, readMs: 3000 });
    const target = sim.inbound({
      phoneNumberId: PHONE,
      from: CUSTOMER,
      type: 'text',
      text: { body: '!' },
    }).id;
    await rx.waitFor((r) => r.length === 1);
    rx.received.length = 0;
    const id = await send({ type: 'reaction', reaction: { message_id: target, emoji: '❤️' } });
    await advance(60_000);
    expect(sim.read(PHONE, CUSTOMER)).toBe(0);
    await settle(sim);
    expect(rx.received.map((r) => r.body)).toEqual([
      statusWebhook({ id, status: 'sent', timestamp: seconds(START + 1000), pricing: freeService }),
    ]);
  });

  it('with readMs null, read only happens when the customer reads the chat', async () => {
    const { sim, rx, send, advance } = await setup({ sentMs: 1000, deliveredMs: 2000, readMs: null });
    const a = await send();
    const b = await send();
    await advance(3_600_000);
    expect(statusTrail(rx.received).map((s) => `${s.id === a ? 'a' : 'b'}:${s.status}`)).toEqual([
      'a:sent',
      'b:sent',
      'a:delivered',
      'b:delivered',
    ]);
    expect(sim.read(PHONE, CUSTOMER)).toBe(2);
    expect(sim.read(PHONE, CUSTOMER)).toBe(0); // nothing left unread
    await settle(sim);
    const reads = statusTrail(rx.received).filter((s) => s.status === 'read');
    expect(reads).toEqual([
      { id: a, status: 'read', timestamp: seconds(START + 3_600_000) },
      { id: b, status: 'read', timestamp: seconds(START + 3_600_000) },
    ]);
  });

  it('a marketing template outside the window is billed: regular pricing on sent and delivered', async () => {
    const { rx, send, advance } = await setup({ sentMs: 1000, deliveredMs: 2000, readMs: null }, false);
    const id = await send({ type: 'template', template: { name: 'promo', language: { code: 'en' } } });
    await advance(2000);
    const regular = { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' };
    expect(rx.received.map((r) => r.body)).toEqual([
      statusWebhook({ id, status: 'sent', timestamp: seconds(START + 1000), pricing: regular }),
      statusWebhook({ id, status: 'delivered', timestamp: seconds(START + 2000), pricing: regular }),
    ]);
  });
});
