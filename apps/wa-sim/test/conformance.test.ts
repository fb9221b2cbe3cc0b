import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { InboundRequest, Simulator } from '../src/index.ts';
import { collect, graph, startPair, type Receiver, type WebhookBody } from './helpers.ts';

// The simulator must be able to produce every case of the pywa fixtures, structurally equal (same keys,
// same JSON types, recursively), ids and timestamps aside. Each case is reproduced through the public
// surfaces only: the control API for customers, the Graph API for the business.

const FIXTURES = '/work/shared/fixtures/whatsapp-cloud/pywa';
type Cases = Record<string, WebhookBody>;
const load = (name: string): Cases => JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8')) as Cases;

/** Reduces a JSON value to its shape: object keys (sorted) → shapes, arrays → element shapes, leaves → type. */
export function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, shape((v as Record<string, unknown>)[k])]),
    );
  }
  return v === null ? 'null' : typeof v;
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

/** Turns a fixture message into the control-API request that should reproduce it. */
function toInbound(
  phoneId: string,
  msg: Record<string, unknown>,
  value: Record<string, unknown>,
): InboundRequest {
  const type = msg['type'] as InboundRequest['type'];
  const req: Record<string, unknown> = { phoneNumberId: phoneId, from: msg['from'], type };
  const contacts = value['contacts'] as { profile: { name: string } }[] | undefined;
  if (contacts?.[0]) req['name'] = contacts[0].profile.name;
  const ctx = msg['context'] as Record<string, unknown> | undefined;
  if (ctx) req['context'] = ctx['id'] !== undefined ? { id: ctx['id'] } : ctx;
  else if (type === 'button' || type === 'interactive') req['context'] = null;
  if (msg['from_user_id']) req['withUserId'] = true;
  if (contacts?.[0] && !('user_id' in contacts[0])) req['bsuid'] = false;
  if (msg['referral']) req['referral'] = msg['referral'];
  if (value['errors']) req['valueErrors'] = value['errors'];
  const content = msg[type];
  if (['image', 'audio', 'video', 'document', 'sticker'].includes(type)) {
    const m = content as Record<string, unknown>;
    req[type] = {
      mime_type: m['mime_type'],
      ...(m['caption'] !== undefined ? { caption: m['caption'] } : {}),
      ...(m['filename'] !== undefined ? { filename: m['filename'] } : {}),
      ...(m['voice'] !== undefined ? { voice: m['voice'] } : {}),
      ...(m['animated'] !== undefined ? { animated: m['animated'] } : {}),
    };
    req['mediaUrl'] = m['url'] !== undefined;
  } else if (type === 'system') {
    const s = content as Record<string, unknown>;
    req['system'] = { type: s['type'], ...(s['wa_id'] ? { wa_id: s['wa_id'] } : {}) };
  } else if (content !== undefined) req[type] = content;
  return req as InboundRequest;
}

async function lastWebhook(rx: Receiver, count: number): Promise<WebhookBody> {
  const all = await rx.waitFor((r) => r.length >= count);
  return all[count - 1]!.body;
}

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

  it('failed', async () => {
    const { sim, rx, phoneId, token } = await setup();
    await sendText(sim, token, phoneId); // no inbound first: outside the 24 h window
    const all = await rx.waitFor((r) => collect(r, 'statuses').some((s) => s['status'] === 'failed'));
    expect(shape(all[0]!.body)).toEqual(shape(fixtures['failed']));
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
