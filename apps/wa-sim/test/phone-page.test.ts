import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index.ts';
import { collect, sendMessage, settle, startPair, upload, wamidOf, type Receiver } from './helpers.ts';

// The phone page without a browser: the HTML is served at / and /_sim/phone, and the control-API JSON
// it polls carries the chat in both directions with what the ticks and media views need. The real
// browser flow (type, see the business reply) is e2e/wa-sim-phone.e2e.test.ts.

const WABA = '580000000000001';
const PHONE = '580000000000011';
const DISPLAY = '15550001414';
const TOKEN = 'token-phone-page';
const CUSTOMER = '5511955559999';
const START = Date.parse('2026-09-01T15:00:00Z');

let sim: Simulator;
let rx: Receiver;

beforeAll(async () => {
  ({ sim, rx } = await startPair({
    bsuid: false,
    clock: { mode: 'manual', start: new Date(START).toISOString() },
    statusDelays: { sentMs: 100, deliveredMs: 200, readMs: null },
    businesses: [
      {
        wabaId: WABA,
        name: 'Acme',
        accessToken: TOKEN,
        phoneNumbers: [{ id: PHONE, displayPhoneNumber: DISPLAY, verifiedName: 'Acme Support' }],
      },
    ],
  }));
});
afterAll(async () => {
  await sim.close();
  await rx.close();
});

const api = async (path: string, body?: unknown) => {
  const res = await fetch(`${sim.url}/_sim/v1/${path}`, {
    ...(body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return (await res.json()) as Record<string, unknown>;
};

interface ChatLine {
  direction: 'in' | 'out';
  id: string;
  type: string;
  at: number;
  message: Record<string, unknown>;
  status?: string;
  readByBusiness?: boolean;
}
const chat = async () =>
  (await api(`conversation?phoneNumberId=${PHONE}&waId=${CUSTOMER}`)) as {
    messages: ChatLine[];
    typing: boolean;
  };

describe('the page', () => {
  it('is one HTML file at / and /_sim/phone that talks to the control API', async () => {
    const [root, phone] = await Promise.all([fetch(`${sim.url}/`), fetch(`${sim.url}/_sim/phone`)]);
    expect(root.status).toBe(200);
    expect(root.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await root.text();
    expect(await phone.text()).toBe(html);
    expect(html).toMatch(/^<!doctype html>/i);
    for (const marker of [
      '<div id="chat">',
      "const api = '/_sim/v1'",
      "'/businesses'",
      '/conversation?phoneNumberId=',
      "post('/read'",
      "post('/inbound'",
      '/media/',
    ])
      expect(html).toContain(marker);
  });

  it('lists the numbers to pick from', async () => {
    expect(await api('businesses')).toEqual({
      businesses: [
        {
          wabaId: WABA,
          name: 'Acme',
          accessToken: TOKEN,
          messagingLimitTier: 'TIER_250',
          phoneNumbers: [
            { id: PHONE, displayPhoneNumber: DISPLAY, verifiedName: 'Acme Support', throughputMps: 80 },
          ],
        },
      ],
    });
  });
});

describe('the chat JSON', () => {
  it('carries both directions in order, ticks moving accepted → sent → delivered → read, and media', async () => {
    const photo = Buffer.from('customer photo bytes');
    // The customer attaches a file on the page: an inbound image with base64 data.
    const inbound = (await api('inbound', {
      phoneNumberId: PHONE,
      from: CUSTOMER,
      name: 'Bia',
      type: 'image',
      image: { data: photo.toString('base64'), mime_type: 'image/png', caption: 'Olha' },
    })) as { id: string };
    await rx.waitFor((r) => r.length === 1);
    const inboundMediaId = (collect(rx.received, 'messages')[0]!['image'] as { id: string }).id;

    const reply = Buffer.from('business reply image');
    const uploaded = String((await upload(sim, TOKEN, PHONE, reply, 'image/png', 'r.png')).json['id']);
    sim.advanceClock(1000);
    const out = wamidOf(
      await sendMessage(sim, TOKEN, PHONE, {
        to: CUSTOMER,
        type: 'image',
        image: { id: uploaded, caption: 'Aqui' },
      }),
    );

    let conv = await chat();
    expect(conv).toEqual({
      typing: false,
      messages: [
        {
          direction: 'in',
          id: inbound.id,
          type: 'image',
          at: START,
          message: {
            from: CUSTOMER,
            id: inbound.id,
            timestamp: String(START / 1000),
            type: 'image',
            image: {
              caption: 'Olha',
              mime_type: 'image/png',
              sha256: expect.any(String),
              id: inboundMediaId,
            },
          },
          readByBusiness: false,
        },
        {
          direction: 'out',
          id: out,
          type: 'image',
          at: START + 1000,
          message: {
            messaging_product: 'whatsapp',
            to: CUSTOMER,
            type: 'image',
            image: { id: uploaded, caption: 'Aqui' },
          },
          status: 'accepted',
        },
      ],
    });
    // The page shows media through /_sim/v1/media/{id}, for both directions.
    for (const [id, bytes] of [
      [inboundMediaId, photo],
      [uploaded, reply],
    ] as const) {
      const res = await fetch(`${sim.url}/_sim/v1/media/${id}`);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    }

    const statusOf = async () => (await chat()).messages.find((m) => m.id === out)?.status;
    sim.advanceClock(100);
    expect(await statusOf()).toBe('sent');
    sim.advanceClock(100);
    expect(await statusOf()).toBe('delivered');
    // An open, visible chat reads what the business sent.
    expect(await api('read', { phoneNumberId: PHONE, from: CUSTOMER })).toEqual({ read: 1 });
    expect(await statusOf()).toBe('read');
    await settle(sim);
    expect(collect(rx.received, 'statuses').map((s) => s['status'])).toEqual(['sent', 'delivered', 'read']);

    // The business marks the chat read and shows typing; the page sees both.
    await sendMessage(sim, TOKEN, PHONE, {
      status: 'read',
      message_id: inbound.id,
      typing_indicator: { type: 'text' },
    });
    conv = await chat();
    expect(conv.typing).toBe(true);
    expect(conv.messages[0]!.readByBusiness).toBe(true);
  });

  it('a reply-button click quotes the business message; a failed send shows as failed', async () => {
    const menu = wamidOf(
      await sendMessage(sim, TOKEN, PHONE, {
        to: CUSTOMER,
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'Pick one' },
          action: { buttons: [{ type: 'reply', reply: { id: 'b1', title: 'Yes' } }] },
        },
      }),
    );
    // What the page posts when the button is clicked.
    await api('inbound', {
      phoneNumberId: PHONE,
      from: CUSTOMER,
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'b1', title: 'Yes' } },
      context: { id: menu },
    });
    await rx.waitFor((r) => collect(r, 'messages').length === 2);
    expect(collect(rx.received, 'messages')[1]).toMatchObject({
      context: { from: DISPLAY, id: menu },
      interactive: { type: 'button_reply', button_reply: { id: 'b1', title: 'Yes' } },
    });
    const lines = (await chat()).messages.map((m) => `${m.direction}:${m.type}`);
    expect(lines.slice(-2)).toEqual(['out:interactive', 'in:interactive']);

    // Outside the 24 h window a free-form send fails: the page shows ⚠.
    sim.advanceClock(25 * 3600_000);
    const late = wamidOf(
      await sendMessage(sim, TOKEN, PHONE, { to: CUSTOMER, type: 'text', text: { body: 'late' } }),
    );
    sim.advanceClock(100);
    expect((await chat()).messages.find((m) => m.id === late)?.status).toBe('failed');
  });
});
