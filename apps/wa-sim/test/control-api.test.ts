import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorOptions } from '../src/index.ts';
import { collect, graph, sendMessage, startPair, wamidOf } from './helpers.ts';

// The control API over real HTTP on 127.0.0.1 (README "Control API"): customers send inbound
// messages of several types, bad bodies get a 400 with a readable message, the outbox lists what the
// business sent, and load mode sends N msg/s from M customers.

const WABA = '570000000000001';
const PHONE = '570000000000011';
const PHONE2 = '570000000000022';
const DISPLAY = '15550001212';
const TOKEN = 'token-control';
const CUSTOMER = '5511955557777';
const START = Date.parse('2026-08-01T12:00:00Z');

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function setup(options: SimulatorOptions = {}) {
  const pair = await startPair({
    bsuid: false,
    clock: { mode: 'manual', start: new Date(START).toISOString() },
    statusDelays: { sentMs: 10, deliveredMs: 20, readMs: null },
    customers: [{ waId: CUSTOMER, name: 'Ana' }],
    businesses: [
      {
        wabaId: WABA,
        accessToken: TOKEN,
        phoneNumbers: [
          { id: PHONE, displayPhoneNumber: DISPLAY },
          { id: PHONE2, displayPhoneNumber: '15550001213' },
        ],
      },
    ],
    ...options,
  });
  cleanup = async () => {
    await pair.sim.close();
    await pair.rx.close();
  };
  expect(pair.sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${pair.sim.url}/_sim/v1/${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  return { ...pair, control };
}

const ts = String(Math.floor(START / 1000));

describe('POST /_sim/v1/inbound', () => {
  it('delivers text, image (with data), voice, location, button reply and un-reaction webhooks', async () => {
    const { sim, rx, control } = await setup();
    const inbound = async (fields: Record<string, unknown>) => {
      const res = await control('POST', 'inbound', { phoneNumberId: PHONE, from: CUSTOMER, ...fields });
      expect(res).toEqual({ status: 200, json: { id: expect.stringMatching(/^wamid\./) } });
      return String(res.json['id']);
    };
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]);
    const ids = [
      await inbound({ type: 'text', text: { body: 'Olá' } }),
      await inbound({
        type: 'image',
        image: { data: jpeg.toString('base64'), mime_type: 'image/jpeg', caption: 'Foto' },
      }),
      await inbound({ type: 'audio', audio: { voice: true } }),
      await inbound({ type: 'location', location: { latitude: -23.55, longitude: -46.63, name: 'Sé' } }),
    ];
    // A reply button quotes the latest interactive message the business sent.
    const menu = wamidOf(
      await sendMessage(sim, TOKEN, PHONE, {
        to: CUSTOMER,
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'Pick' },
          action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }] },
        },
      }),
    );
    ids.push(
      await inbound({
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } },
      }),
      await inbound({ type: 'reaction', reaction: { message_id: menu } }),
    );
    const all = await rx.waitFor((r) => collect(r, 'messages').length === 6);
    const messages = collect(all, 'messages').sort(
      (a, b) => ids.indexOf(String(a['id'])) - ids.indexOf(String(b['id'])),
    );
    const image = messages[1]!['image'] as { id: string };
    const voice = messages[2]!['audio'] as { id: string; sha256: string };
    const base = (i: number, type: string) => ({ from: CUSTOMER, id: ids[i], timestamp: ts, type });
    expect(messages).toEqual([
      { ...base(0, 'text'), text: { body: 'Olá' } },
      {
        ...base(1, 'image'),
        image: {
          caption: 'Foto',
          mime_type: 'image/jpeg',
          sha256: createHash('sha256').update(jpeg).digest('base64'),
          id: image.id,
        },
      },
      {
        ...base(2, 'audio'),
        audio: { mime_type: 'audio/ogg; codecs=opus', sha256: voice.sha256, id: voice.id, voice: true },
      },
      { ...base(3, 'location'), location: { latitude: -23.55, longitude: -46.63, name: 'Sé' } },
      {
        context: { from: DISPLAY, id: menu },
        ...base(4, 'interactive'),
        interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } },
      },
      { ...base(5, 'reaction'), reaction: { message_id: menu } },
    ]);
    expect(all[0]!.body.entry[0]!.changes[0]!.value['contacts']).toEqual([
      { profile: { name: 'Ana' }, wa_id: CUSTOMER },
    ]);
    // The server can fetch the inbound media through the Graph API, and the phone page through /media.
    expect((await graph(sim, TOKEN, 'GET', image.id)).json).toMatchObject({
      mime_type: 'image/jpeg',
      sha256: createHash('sha256').update(jpeg).digest('hex'),
      file_size: String(jpeg.length),
    });
    const raw = await fetch(`${sim.url}/_sim/v1/media/${image.id}`);
    expect(raw.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await raw.arrayBuffer())).toEqual(jpeg);
  });

  it('400 with a clear message for each bad body, and no webhook', async () => {
    const bad: [Record<string, unknown>, string | RegExp][] = [
      [
        { type: 'text', text: { body: 'x' } },
        '✖ Invalid input: expected string, received undefined   → at from',
      ],
      [{ from: '+55 11 98765', type: 'text', text: { body: 'x' } }, '✖ digits only, no +   → at from'],
      [{ from: CUSTOMER, type: 'text' }, "type 'text' needs a 'text' field"],
      [{ from: CUSTOMER, type: 'image', image: { data: 'x', mime_type: 7 } }, /mime_type/],
      [{ from: CUSTOMER, type: 'poll' }, /^✖ Invalid option: expected one of "text"\|"image"\|.* → at type$/],
      [
        { phoneNumberId: '999', from: CUSTOMER, type: 'text', text: { body: 'x' } },
        'unknown phoneNumberId 999',
      ],
    ];
    const { control, rx } = await setup();
    for (const [body, message] of bad) {
      const res = await control('POST', 'inbound', { phoneNumberId: PHONE, ...body });
      expect(res.status).toBe(400);
      if (typeof message === 'string') expect(res.json).toEqual({ error: message });
      else expect(String(res.json['error'])).toMatch(message);
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(rx.received).toHaveLength(0);
  });

  it('400 for a body that is not JSON', async () => {
    const { sim } = await setup();
    const res = await fetch(`${sim.url}/_sim/v1/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: "Body is not valid JSON but content-type is set to 'application/json'",
    });
  });
});

describe('GET /_sim/v1/outbox', () => {
  it('lists what a number sent, with statuses, filtered by phoneNumberId, to and since', async () => {
    const { sim, rx, control } = await setup();
    for (const from of [CUSTOMER, '5511955558888'])
      for (const phone of [PHONE, PHONE2])
        sim.inbound({ phoneNumberId: phone, from, type: 'text', text: { body: 'hi' } });
    await rx.waitFor((r) => r.length === 4);
    const send = (phone: string, to: string, body: string) =>
      sendMessage(sim, TOKEN, phone, { to, type: 'text', text: { body } }).then(wamidOf);
    const a = await send(PHONE, CUSTOMER, 'one');
    await send(PHONE2, CUSTOMER, 'other number');
    sim.advanceClock(20);
    await rx.waitFor((r) => r.length === 8);
    const b = await send(PHONE, '5511955558888', 'two');

    const res = await control('GET', `outbox?phoneNumberId=${PHONE}`);
    expect(res).toEqual({
      status: 200,
      json: {
        messages: [
          {
            id: a,
            phoneNumberId: PHONE,
            to: CUSTOMER,
            type: 'text',
            status: 'delivered',
            statuses: [
              { status: 'sent', timestamp: START + 10 },
              { status: 'delivered', timestamp: START + 20 },
            ],
            createdAt: START,
            request: { messaging_product: 'whatsapp', to: CUSTOMER, type: 'text', text: { body: 'one' } },
          },
          {
            id: b,
            phoneNumberId: PHONE,
            to: '5511955558888',
            type: 'text',
            status: 'accepted',
            statuses: [],
            createdAt: START + 20,
            request: {
              messaging_product: 'whatsapp',
              to: '5511955558888',
              type: 'text',
              text: { body: 'two' },
            },
          },
        ],
      },
    });
    const ids = async (query: string) =>
      ((await control('GET', `outbox?${query}`)).json['messages'] as { id: string }[]).map((m) => m.id);
    expect(await ids(`phoneNumberId=${PHONE}&to=${CUSTOMER}`)).toEqual([a]);
    expect(await ids(`phoneNumberId=${PHONE}&since=${START + 1}`)).toEqual([b]);
    expect(await ids('')).toHaveLength(3);
  });
});

describe('load mode', () => {
  it('sends N msg/s from M customers for the duration: exactly N × duration, spread over M', async () => {
    const { control, rx } = await setup({
      clock: { mode: 'real' },
      webhook: { batchSize: 50, batchWindowMs: 20 },
    });
    const first = 5511970000000;
    const started = await control('POST', 'load', {
      phoneNumberId: PHONE,
      ratePerSecond: 200,
      customers: 7,
      durationMs: 1000,
      firstCustomer: first,
    });
    expect(started.json).toMatchObject({ id: 1, target: 200, running: true });
    const startedAt = Number(started.json['startedAt']);
    let status = started.json;
    while (status['running'] === true) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await control('GET', 'load/1')).json;
      // Never ahead of schedule: at most rate × elapsed.
      expect(Number(status['sent'])).toBeLessThanOrEqual(Math.ceil(((Date.now() - startedAt) * 200) / 1000));
    }
    expect(status['sent']).toBe(200);
    const took = Number(status['finishedAt']) - startedAt;
    expect(took).toBeGreaterThanOrEqual(990);
    expect(took).toBeLessThan(2500);
    const all = await rx.waitFor((r) => collect(r, 'messages').length === 200, 5000);
    const perCustomer = new Map<string, number>();
    for (const m of collect(all, 'messages'))
      perCustomer.set(String(m['from']), (perCustomer.get(String(m['from'])) ?? 0) + 1);
    // Round robin over 7 consecutive numbers: 200 = 4 × 29 + 3 × 28.
    expect(Object.fromEntries(perCustomer)).toEqual(
      Object.fromEntries(Array.from({ length: 7 }, (_, i) => [String(first + i), i < 4 ? 29 : 28])),
    );
  }, 15_000);

  it('DELETE /load/:id stops a run early; an unknown number → 400', async () => {
    const { control } = await setup({ clock: { mode: 'real' } });
    await control('POST', 'load', {
      phoneNumberId: PHONE,
      ratePerSecond: 50,
      customers: 2,
      durationMs: 60_000,
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(await control('DELETE', 'load/1')).toEqual({ status: 200, json: { ok: true } });
    const stopped = (await control('GET', 'load/1')).json;
    expect(stopped).toMatchObject({ running: false, target: 3000 });
    expect(Number(stopped['sent'])).toBeLessThan(50);
    const bad = await control('POST', 'load', {
      phoneNumberId: '1',
      ratePerSecond: 1,
      customers: 1,
      durationMs: 10,
    });
    expect(bad).toEqual({ status: 400, json: { error: 'unknown phoneNumberId 1' } });
  });
});
