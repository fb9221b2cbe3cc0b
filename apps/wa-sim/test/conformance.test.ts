import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { InboundRequest, Simulator } from '../src/index.ts';
import { collect, graph, startPair, type Receiver, type WebhookBody } from './helpers.ts';

// The simulator must be able to produce every case of the pywa fixtures, structurally equal (same keys,
// same JSON types, recursively) and with the same values in enum-like fields, ids and timestamps aside.
// Each case is reproduced through the public surfaces only: the control API for customers (built from
// its own first-class fields), the Graph API for the business.

/** The pywa fixtures, kept in the repository (fixtures/whatsapp-cloud/pywa, MIT licence). */
const FIXTURES = fileURLToPath(new URL('../../../fixtures/whatsapp-cloud/pywa', import.meta.url));
type Cases = Record<string, WebhookBody>;
type Json = Record<string, unknown>;
const load = (name: string): Cases => JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8')) as Cases;

/**
 * Fields whose values are drawn from a small documented set (contract doc §2, §3, §6): the shape keeps
 * their values, so `sent` vs `delivered`, `CBP` vs `PMP`, `service` vs `marketing` or 131047 vs 130472
 * are differences, not equal shapes.
 */
const ENUM_KEYS = new Set([
  'object',
  'field',
  'messaging_product',
  'type', // message, media, interactive, system, pricing, conversation origin, unsupported, contact kinds
  'status',
  'recipient_type',
  'pricing_model',
  'category',
  'code',
  'event',
  'reason',
  'message_template_category',
  'mime_type',
]);

/**
 * Reduces a JSON value to its shape: object keys (sorted) → shapes, arrays → element shapes, leaves →
 * their type, except that enum-like fields and booleans keep their value (`"status=sent"`).
 */
export function shape(v: unknown, key?: string): unknown {
  if (Array.isArray(v)) return v.map((x) => shape(x, key));
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, shape((v as Json)[k], k)]),
    );
  }
  if (v === null) return 'null';
  if (typeof v === 'boolean') return `boolean=${String(v)}`;
  if (key !== undefined && ENUM_KEYS.has(key) && (typeof v === 'string' || typeof v === 'number'))
    return `${typeof v}=${String(v)}`;
  return typeof v;
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function setup(options: Parameters<typeof startPair>[0] = {}) {
  const pair = await startPair({
    pricingModel: 'CBP',
    statusDelays: { sentMs: 1, deliveredMs: 2, readMs: null },
    groups: [{ id: 'group-1', participants: ['972987654321'] }],
    customers: [{ waId: '972987654321', name: 'Test Name' }],
    templateReview: { delayMs: 1 },
    ...options,
  });
  cleanup = async () => {
    await pair.sim.close();
    await pair.rx.close();
  };
  return pair;
}

/** Copies the listed keys that are present (the control API's first-class fields for a type). */
function pick(from: unknown, keys: string[]): Json {
  const src = (from ?? {}) as Json;
  return Object.fromEntries(keys.filter((k) => src[k] !== undefined).map((k) => [k, src[k]]));
}

/**
 * Builds the control-API request that should reproduce a fixture message, field by field from the
 * control API's first-class fields (README "Control API"). Only `contacts` cards, `referral` and
 * value-level `errors` are passed through whole: the control API takes them as Meta's objects.
 */
function toInbound(phoneId: string, msg: Json, value: Json): InboundRequest {
  const type = msg['type'] as InboundRequest['type'];
  const req: Json = { phoneNumberId: phoneId, from: msg['from'], type };
  const contact = (value['contacts'] as Json[] | undefined)?.[0];
  if (contact) {
    req['name'] = (contact['profile'] as Json)['name'];
    if (!('user_id' in contact)) req['bsuid'] = false;
  }
  if (msg['from_user_id'] !== undefined) req['withUserId'] = true;
  const ctx = msg['context'] as Json | undefined;
  if (typeof ctx?.['id'] === 'string')
    req['context'] = { id: ctx['id'] }; // the sim fills `from`
  else if (ctx?.['forwarded'] === true) req['context'] = { forwarded: true };
  else if (ctx?.['frequently_forwarded'] === true) req['context'] = { frequently_forwarded: true };
  else if (type === 'button' || type === 'interactive') req['context'] = null; // no automatic quote
  if (msg['referral'] !== undefined) req['referral'] = msg['referral'];
  if (value['errors'] !== undefined) req['valueErrors'] = value['errors'];
  const content = msg[type] as Json | undefined;
  switch (type) {
    case 'text':
      req['text'] = { body: content?.['body'] };
      break;
    case 'image':
    case 'audio':
    case 'video':
    case 'document':
    case 'sticker':
      // id and sha256 are the simulator's to make; the customer chooses type, caption, name and flags.
      req[type] = pick(content, ['mime_type', 'caption', 'filename', 'voice', 'animated']);
      req['mediaUrl'] = content?.['url'] !== undefined;
      break;
    case 'location':
      req['location'] = pick(content, ['latitude', 'longitude', 'name', 'address', 'url']);
      break;
    case 'contacts':
      req['contacts'] = msg['contacts'];
      break;
    case 'interactive':
      if (content) {
        const kind = String(content['type']);
        req['interactive'] = { type: kind, [kind]: pick(content[kind], ['id', 'title', 'description']) };
      }
      break;
    case 'button':
      req['button'] = pick(content, ['payload', 'text']);
      break;
    case 'reaction':
      req['reaction'] = pick(content, ['message_id', 'emoji']);
      break;
    case 'order':
      req['order'] = pick(content, ['catalog_id', 'text', 'product_items']);
      break;
    case 'system':
      req['system'] = pick(content, ['type', 'wa_id']);
      break;
    case 'unsupported':
      if (content) req['unsupported'] = pick(content, ['type']);
      break;
  }
  return req as InboundRequest;
}

async function lastWebhook(rx: Receiver, count: number): Promise<WebhookBody> {
  const all = await rx.waitFor((r) => r.length >= count);
  return all[count - 1]!.body;
}

describe('shape()', () => {
  it('ignores ids and timestamps but not enum-like values', () => {
    const status = (over: Json) => ({ id: 'wamid.A', status: 'sent', timestamp: '1', ...over });
    expect(shape(status({ id: 'wamid.B', timestamp: '2' }))).toEqual(shape(status({})));
    expect(shape(status({ status: 'delivered' }))).not.toEqual(shape(status({})));
    expect(shape({ pricing: { pricing_model: 'PMP' } })).not.toEqual(
      shape({ pricing: { pricing_model: 'CBP' } }),
    );
    expect(shape({ origin: { type: 'marketing' } })).not.toEqual(shape({ origin: { type: 'service' } }));
    expect(shape({ errors: [{ code: 131047 }] })).not.toEqual(shape({ errors: [{ code: 130472 }] }));
    expect(shape({ audio: { voice: true } })).not.toEqual(shape({ audio: { voice: false } }));
  });
});

describe('pywa fixture conformance: inbound messages', () => {
  const files = ['message.json', 'callback_button.json', 'callback_selection.json', 'system.json'];
  for (const file of files) {
    for (const [name, fixture] of Object.entries(load(file))) {
      it(`${file} ${name}`, async () => {
        const { sim, rx, phoneId } = await setup();
        const value = fixture.entry[0]!.changes[0]!.value;
        const msg = (value['messages'] as Record<string, unknown>[])[0]!;
        sim.inbound(toInbound(phoneId, msg, value));
        const body = await lastWebhook(rx, 1);
        expect(shape(body)).toEqual(shape(fixture));
      });
    }
  }
});

async function sendText(sim: Simulator, token: string, phoneId: string, extra: Record<string, unknown> = {}) {
  const res = await graph(sim, token, 'POST', `${phoneId}/messages`, {
    messaging_product: 'whatsapp',
    to: '972987654321',
    type: 'text',
    text: { body: 'hello' },
    ...extra,
  });
  expect(res.status).toBe(200);
  return (res.json['messages'] as { id: string }[])[0]!.id;
}

describe('pywa fixture conformance: statuses', () => {
  const fixtures = load('message_status.json');
  const statusOf = (b: WebhookBody) => collect([{ raw: '', signature: '', body: b }], 'statuses')[0] ?? {};

  it.each(['sent', 'delivered', 'read', 'with_tracker'])('%s', async (name) => {
    const { sim, rx, phoneId, token } = await setup();
    sim.inbound({ phoneNumberId: phoneId, from: '972987654321', type: 'text', text: { body: 'hi' } });
    await rx.waitFor((r) => r.length === 1);
    const extra = name === 'with_tracker' ? { biz_opaque_callback_data: 'some data' } : {};
    await sendText(sim, token, phoneId, extra);
    const want = name === 'with_tracker' ? 'sent' : name;
    if (want === 'read') {
      await rx.waitFor((r) => collect(r, 'statuses').some((st) => st['status'] === 'delivered'));
      expect(sim.read(phoneId, '972987654321')).toBe(1);
    }
    const all = await rx.waitFor((r) => collect(r, 'statuses').some((s) => s['status'] === want));
    const body = all.find((r) => statusOf(r.body)['status'] === want)!.body;
    expect(shape(body)).toEqual(shape(fixtures[name]));
  });

  it('a PMP status does not pass for the CBP fixture (values are compared)', async () => {
    const { sim, rx, phoneId, token } = await setup({ pricingModel: 'PMP' });
    sim.inbound({ phoneNumberId: phoneId, from: '972987654321', type: 'text', text: { body: 'hi' } });
    await rx.waitFor((r) => r.length === 1);
    await sendText(sim, token, phoneId);
    const all = await rx.waitFor((r) => collect(r, 'statuses').some((s) => s['status'] === 'sent'));
    const body = all.find((r) => statusOf(r.body)['status'] === 'sent')!.body;
    expect(statusOf(body)['pricing']).toMatchObject({ pricing_model: 'PMP', type: 'free_customer_service' });
    expect(shape(body)).not.toEqual(shape(fixtures['sent']));
  });

  it('played', async () => {
    const { sim, rx, phoneId, token } = await setup();
    sim.inbound({ phoneNumberId: phoneId, from: '972987654321', type: 'text', text: { body: 'hi' } });
    const up = sim.inbound({
      phoneNumberId: phoneId,
      from: '972987654321',
      type: 'audio',
      audio: { voice: true },
    });
    await rx.waitFor((r) => r.length === 2);
    const mediaId = (
      rx.received[1]!.body.entry[0]!.changes[0]!.value['messages'] as { audio: { id: string } }[]
    )[0]!.audio.id;
    expect(up.id).toMatch(/^wamid\./);
    const id = await sendText(sim, token, phoneId, {
      type: 'audio',
      text: undefined,
      audio: { id: mediaId },
    });
    await rx.waitFor((r) => collect(r, 'statuses').some((s) => s['status'] === 'delivered'));
    expect(sim.played(id)).toBe(true);
    const all = await rx.waitFor((r) => collect(r, 'statuses').some((s) => s['status'] === 'played'));
    const body = all.find((r) => statusOf(r.body)['status'] === 'played')!.body;
    expect(shape(body)).toEqual(shape(fixtures['played']));
  });

  it('failed (130472: the customer is in Meta’s marketing-message experiment)', async () => {
    const { sim, rx, token, phoneId } = await setup({
      customers: [{ waId: '972987654321', name: 'Test Name', marketingExperiment: true }],
    });
    const waba = sim.businesses[0]!.wabaId;
    await graph(sim, token, 'POST', `${waba}/message_templates`, {
      name: 'weekly_deals',
      language: 'en_US',
      category: 'MARKETING',
      components: [{ type: 'BODY', text: 'New deals this week' }],
    });
    await rx.waitFor((r) => r.length === 1); // approved
    await sendText(sim, token, phoneId, {
      type: 'template',
      text: undefined,
      template: { name: 'weekly_deals', language: { code: 'en_US' } },
    });
    const all = await rx.waitFor((r) => collect(r, 'statuses').some((s) => s['status'] === 'failed'));
    const body = all.find((r) => statusOf(r.body)['status'] === 'failed')!.body;
    expect(shape(body)).toEqual(shape(fixtures['failed']));
    expect(statusOf(body)['errors']).toEqual(
      (fixtures['failed']!.entry[0]!.changes[0]!.value['statuses'] as Json[])[0]!['errors'],
    );
  });

  it('group', async () => {
    const { sim, rx, phoneId, token } = await setup({
      statusDelays: { sentMs: 1, deliveredMs: 2, readMs: 3 },
      customers: [{ waId: '972987654321', name: 'Test Name', username: '@test' }],
    });
    await sendText(sim, token, phoneId, { recipient_type: 'group', to: 'group-1' });
    const all = await rx.waitFor((r) => collect(r, 'statuses').some((s) => s['status'] === 'read'));
    const body = all.find((r) => statusOf(r.body)['status'] === 'read')!.body;
    expect(shape(body)).toEqual(shape(fixtures['group']));
  });
});

describe('pywa fixture conformance: template status updates', () => {
  const fixtures = load('template_status_update.json');
  it.each([
    ['approved', 'order_confirmation', 'UTILITY', 'Thanks {{1}}, order {{2}} is confirmed.'],
    ['rejected', 'abandoned_cart', 'MARKETING', 'You left {{1}}{{2}} in your cart.'],
  ])('%s', async (name, templateName, category, text) => {
    const { sim, rx, token } = await setup();
    const waba = sim.businesses[0]!.wabaId;
    const res = await graph(sim, token, 'POST', `${waba}/message_templates`, {
      name: templateName,
      language: 'en_US',
      category,
      components: [{ type: 'BODY', text, example: { body_text: [['a', 'b']] } }],
    });
    expect(res.json['status']).toBe('PENDING');
    const body = await lastWebhook(rx, 1);
    expect(body.entry[0]!.changes[0]!.value['event']).toBe(name.toUpperCase());
    expect(shape(body)).toEqual(shape(fixtures[name]));
  });
});
