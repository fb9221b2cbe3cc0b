import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index.ts';
import {
  metaError,
  sendMessage,
  settle,
  startPair,
  statusTrail,
  upload,
  wamidOf,
  type GraphResult,
  type Receiver,
} from './helpers.ts';

// Every send type of the contract (doc §4) that the other suites do not cover: the exact success
// body, what lands in the outbox, the statuses that follow, and a validation failure per type. The
// clock is manual, so timestamps are exact.

const PHONE = '500000000000011';
const TOKEN = 'token-send-types';
const CUSTOMER = '5511955550001';
const START = Date.parse('2026-02-01T12:00:00Z');

let sim: Simulator;
let rx: Receiver;
let inboundId: string;
const media: Record<string, string> = {};

beforeAll(async () => {
  ({ sim, rx } = await startPair({
    clock: { mode: 'manual', start: new Date(START).toISOString() },
    statusDelays: { sentMs: 10, deliveredMs: 20, readMs: null },
    businesses: [
      {
        wabaId: '500000000000001',
        accessToken: TOKEN,
        phoneNumbers: [{ id: PHONE, displayPhoneNumber: '15550003333', throughputMps: 1000 }],
      },
    ],
    customers: [{ waId: CUSTOMER, name: 'Ana' }],
  }));
  // The customer writes first, so the 24 h window is open for free-form messages.
  inboundId = sim.inbound({ phoneNumberId: PHONE, from: CUSTOMER, type: 'text', text: { body: 'Oi' } }).id;
  await rx.waitFor((r) => r.length === 1);
  const files: [string, string, string][] = [
    ['image', 'image/png', 'a.png'],
    ['video', 'video/mp4', 'a.mp4'],
    ['audio', 'audio/ogg', 'a.ogg'],
    ['sticker', 'image/webp', 'a.webp'],
    ['document', 'application/pdf', 'a.pdf'],
  ];
  for (const [kind, mime, name] of files) {
    const res = await upload(sim, TOKEN, PHONE, Buffer.from(`${kind} bytes`), mime, name);
    media[kind] = String(res.json['id']);
  }
});
afterAll(async () => {
  await sim.close();
  await rx.close();
});

const send = (body: Record<string, unknown>) => sendMessage(sim, TOKEN, PHONE, { to: CUSTOMER, ...body });

/** Asserts the exact success body and the fresh outbox entry; returns the wamid. */
function expectAccepted(res: GraphResult, body: Record<string, unknown>): string {
  expect(res).toEqual({
    status: 200,
    json: {
      messaging_product: 'whatsapp',
      contacts: [{ input: CUSTOMER, wa_id: CUSTOMER }],
      messages: [{ id: expect.stringMatching(/^wamid\.[A-Za-z0-9+/]+=*$/), message_status: 'accepted' }],
    },
  });
  const id = wamidOf(res);
  expect(sim.outbox({ to: CUSTOMER }).find((m) => m.id === id)).toEqual({
    id,
    phoneNumberId: PHONE,
    to: CUSTOMER,
    type: body['type'],
    status: 'accepted',
    statuses: [],
    createdAt: sim.now(),
    request: { messaging_product: 'whatsapp', to: CUSTOMER, ...body },
  });
  return id;
}

/** Sends, checks the 200 and the outbox, then runs the clock: sent at +10 ms, delivered at +20 ms. */
async function sendAndDeliver(body: Record<string, unknown>): Promise<string> {
  const id = expectAccepted(await send(body), body);
  const t0 = sim.now();
  sim.advanceClock(20);
  await rx.waitFor((r) => statusTrail(r).some((s) => s.id === id && s.status === 'delivered'));
  expect(sim.outbox().find((m) => m.id === id)).toMatchObject({
    status: 'delivered',
    statuses: [
      { status: 'sent', timestamp: t0 + 10 },
      { status: 'delivered', timestamp: t0 + 20 },
    ],
  });
  return id;
}

describe('text', () => {
  it('sends with preview_url and refuses a non-boolean preview_url (131009)', async () => {
    await sendAndDeliver({ type: 'text', text: { preview_url: true, body: 'See https://example.com' } });
    expect(await send({ type: 'text', text: { preview_url: 'yes', body: 'x' } })).toEqual({
      status: 400,
      json: metaError(131009, "Parameter 'text.preview_url' must be a boolean"),
    });
  });
});

describe('media sends', () => {
  it('video by id with a caption; an image id sent as video → 131053', async () => {
    await sendAndDeliver({ type: 'video', video: { id: media['video'], caption: 'Watch' } });
    expect(await send({ type: 'video', video: { id: media['image'] } })).toEqual({
      status: 400,
      json: metaError(131053, 'Media of type image/png cannot be sent as video.'),
    });
    expect(await send({ type: 'video', video: { id: media['video'], caption: 'x'.repeat(1025) } })).toEqual({
      status: 400,
      json: metaError(131009, "Parameter 'video.caption' is too long. Max length is 1024."),
    });
  });

  it('video by link; a non-http link → 131009', async () => {
    await sendAndDeliver({ type: 'video', video: { link: 'https://cdn.example.com/clip.mp4' } });
    expect(await send({ type: 'video', video: { link: 'ftp://cdn.example.com/clip.mp4' } })).toEqual({
      status: 400,
      json: metaError(131009, "Parameter 'video.link' must be an http(s) URL"),
    });
  });

  it('sticker by id; a PNG sent as sticker → 131053; no id or link → 131008', async () => {
    await sendAndDeliver({ type: 'sticker', sticker: { id: media['sticker'] } });
    expect(await send({ type: 'sticker', sticker: { id: media['image'] } })).toEqual({
      status: 400,
      json: metaError(131053, 'Media of type image/png cannot be sent as sticker.'),
    });
    expect(await send({ type: 'sticker', sticker: {} })).toEqual({
      status: 400,
      json: metaError(131008, "Parameter 'sticker' requires either 'id' or 'link'."),
    });
  });

  it('audio with voice:true can be played; a non-boolean voice → 131009', async () => {
    const id = await sendAndDeliver({ type: 'audio', audio: { id: media['audio'], voice: true } });
    expect(sim.played(id)).toBe(true);
    await rx.waitFor((r) => statusTrail(r).some((s) => s.id === id && s.status === 'played'));
    expect(sim.outbox().find((m) => m.id === id)?.status).toBe('played');
    expect(await send({ type: 'audio', audio: { id: media['audio'], voice: 'yes' } })).toEqual({
      status: 400,
      json: metaError(131009, "Parameter 'audio.voice' must be a boolean"),
    });
  });

  it('an unknown media id → 131009', async () => {
    expect(await send({ type: 'document', document: { id: '123456789' } })).toEqual({
      status: 400,
      json: metaError(131009, 'Media id 123456789 does not exist or has expired'),
    });
  });
});

describe('location and contacts', () => {
  it('location; a missing longitude → 131008, a non-numeric latitude → 131009', async () => {
    await sendAndDeliver({
      type: 'location',
      location: { latitude: -23.5505, longitude: -46.6333, name: 'Sé', address: 'Praça da Sé, São Paulo' },
    });
    expect(await send({ type: 'location', location: { latitude: 1 } })).toEqual({
      status: 400,
      json: metaError(131008, "The parameter location['longitude'] is required."),
    });
    expect(await send({ type: 'location', location: { latitude: 'north', longitude: 1 } })).toEqual({
      status: 400,
      json: metaError(131009, "Parameter 'location.latitude' must be a number"),
    });
  });

  it('contacts; a contact without name.formatted_name → 131008, none at all → 131009', async () => {
    await sendAndDeliver({
      type: 'contacts',
      contacts: [
        {
          name: { formatted_name: 'Chandler Bing', first_name: 'Chandler', last_name: 'Bing' },
          phones: [{ phone: '+1 555-555-5555', type: 'CELL', wa_id: '15555555555' }],
          emails: [{ email: 'chandler@example.com', type: 'WORK' }],
        },
      ],
    });
    expect(await send({ type: 'contacts', contacts: [{ name: { first_name: 'X' } }] })).toEqual({
      status: 400,
      json: metaError(131008, 'The parameter contacts[0].name.formatted_name is required.'),
    });
    expect(await send({ type: 'contacts', contacts: [] })).toEqual({
      status: 400,
      json: metaError(131009, "Parameter 'contacts' has 0 items; it must have between 1 and 257."),
    });
  });
});

describe('interactive cta_url', () => {
  const cta = (parameters: Record<string, unknown>) => ({
    type: 'interactive',
    interactive: {
      type: 'cta_url',
      header: { type: 'text', text: 'Your order' },
      body: { text: 'Track it online' },
      footer: { text: 'Acme' },
      action: { name: 'cta_url', parameters },
    },
  });

  it('sends; a bad URL or a display_text over 20 chars → 131009; no parameters → 131008', async () => {
    await sendAndDeliver(cta({ display_text: 'Track order', url: 'https://acme.example/t/1' }));
    expect(await send(cta({ display_text: 'Track', url: 'acme.example/t/1' }))).toEqual({
      status: 400,
      json: metaError(131009, "Parameter 'interactive.action.parameters.url' must be an http(s) URL"),
    });
    expect(await send(cta({ display_text: 'x'.repeat(21), url: 'https://acme.example' }))).toEqual({
      status: 400,
      json: metaError(
        131009,
        "Parameter 'interactive.action.parameters.display_text' is too long. Max length is 20.",
      ),
    });
    const noParams = cta({});
    delete (noParams.interactive.action as Record<string, unknown>)['parameters'];
    expect(await send(noParams)).toEqual({
      status: 400,
      json: metaError(131008, 'The parameter interactive.action.parameters is required.'),
    });
  });
});

describe('reactions', () => {
  it('"" removes a reaction; reactions only ever get `sent`', async () => {
    const body = { type: 'reaction', reaction: { message_id: inboundId, emoji: '' } };
    const id = expectAccepted(await send(body), body);
    const t0 = sim.now();
    sim.advanceClock(1000);
    await rx.waitFor((r) => statusTrail(r).some((s) => s.id === id));
    await settle(sim);
    expect(statusTrail(rx.received).filter((s) => s.id === id)).toEqual([
      { id, status: 'sent', timestamp: String(Math.floor((t0 + 10) / 1000)) },
    ]);
    expect(sim.outbox().find((m) => m.id === id)?.statuses).toEqual([{ status: 'sent', timestamp: t0 + 10 }]);
  });

  it('a missing emoji → 100; a reaction with a context → 131009', async () => {
    expect(await send({ type: 'reaction', reaction: { message_id: inboundId } })).toEqual({
      status: 400,
      json: metaError(100, "The parameter reaction['emoji'] is required.", {
        message: "The parameter reaction['emoji'] is required.",
      }),
    });
    expect(
      await send({
        type: 'reaction',
        reaction: { message_id: inboundId, emoji: '👍' },
        context: { message_id: inboundId },
      }),
    ).toEqual({ status: 400, json: metaError(131009, 'Reactions cannot carry a context') });
  });
});

describe('context.message_id replies', () => {
  it('quotes a received message', async () => {
    await sendAndDeliver({ type: 'text', text: { body: 'Replying' }, context: { message_id: inboundId } });
  });

  it('an unknown wamid is accepted and delivered without the quote (Meta: contextual replies)', async () => {
    // Meta's contextual-replies page: when the quoted message is gone, the bubble is just not shown.
    await sendAndDeliver({
      type: 'text',
      text: { body: 'Old thread' },
      context: { message_id: 'wamid.HBgMNTUxMTk1NTU1MDAwMRUCABIYFjNFQjA=' },
    });
  });

  it('a context without message_id → 131008', async () => {
    expect(await send({ type: 'text', text: { body: 'x' }, context: {} })).toEqual({
      status: 400,
      json: metaError(131008, 'The parameter context.message_id is required.'),
    });
  });
});

describe('mark as read with a typing indicator', () => {
  const conversation = async () => {
    const res = await fetch(`${sim.url}/_sim/v1/conversation?phoneNumberId=${PHONE}&waId=${CUSTOMER}`);
    return (await res.json()) as { typing: boolean; messages: { id: string; readByBusiness?: boolean }[] };
  };

  it('answers {success:true}, marks the chat read and shows typing for 25 s or until the reply', async () => {
    const second = sim.inbound({ phoneNumberId: PHONE, from: CUSTOMER, type: 'text', text: { body: '?' } });
    const before = sim.outbox().length;
    const res = await send({
      status: 'read',
      message_id: second.id,
      typing_indicator: { type: 'text' },
      to: undefined,
    });
    expect(res).toEqual({ status: 200, json: { success: true } });
    expect(sim.outbox()).toHaveLength(before); // a read receipt is not a message
    let conv = await conversation();
    expect(conv.typing).toBe(true);
    expect(conv.messages.filter((m) => m.id === inboundId || m.id === second.id)).toMatchObject([
      { id: inboundId, readByBusiness: true },
      { id: second.id, readByBusiness: true },
    ]);
    sim.advanceClock(24_999);
    expect((await conversation()).typing).toBe(true);
    sim.advanceClock(2);
    expect((await conversation()).typing).toBe(false);
    // Typing again, then the reply clears it at once.
    await send({ status: 'read', message_id: second.id, typing_indicator: { type: 'text' }, to: undefined });
    expect((await conversation()).typing).toBe(true);
    await sendAndDeliver({ type: 'text', text: { body: 'Here you go' } });
    conv = await conversation();
    expect(conv.typing).toBe(false);
  });

  it('refuses a bad typing indicator, an unknown message and a missing message_id', async () => {
    expect(
      await send({
        status: 'read',
        message_id: inboundId,
        typing_indicator: { type: 'audio' },
        to: undefined,
      }),
    ).toEqual({ status: 400, json: metaError(131009, "Parameter 'typing_indicator.type' must be 'text'") });
    expect(await send({ status: 'read', message_id: 'wamid.nope', to: undefined })).toEqual({
      status: 400,
      json: metaError(131009, 'Message wamid.nope was not received by this number'),
    });
    expect(await send({ status: 'read', to: undefined })).toEqual({
      status: 400,
      json: metaError(100, 'The parameter message_id is required.', {
        message: 'The parameter message_id is required.',
      }),
    });
  });
});
