import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index.ts';
import { graph, metaError, sendMessage, startPair, upload, wamidOf, type Receiver } from './helpers.ts';

// Scripted errors (`failNext`): the next N Graph calls of one kind are refused with Meta's error
// body and HTTP status, then calls succeed again; the Graph call log records each call's answer.

let sim: Simulator;
let rx: Receiver;
let phoneId: string;
let token: string;
const TO = '5511933334444';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

beforeAll(async () => {
  ({ sim, rx, phoneId, token } = await startPair({
    businesses: [
      {
        wabaId: '310000000000001',
        accessToken: 'token-scripted-errors',
        phoneNumbers: [
          { id: '310000000000011', displayPhoneNumber: '15550002222' },
          { id: '310000000000012', displayPhoneNumber: '15550002223' },
        ],
      },
    ],
  }));
});
afterAll(async () => {
  await sim.close();
  await rx.close();
});

const text = (body: string) => sendMessage(sim, token, phoneId, { to: TO, type: 'text', text: { body } });
const control = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${sim.url}/_sim/v1/${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

describe('scripted Graph errors', () => {
  it('refuses the next uploads with 131000 (HTTP 500) in Meta’s envelope, then takes the file', async () => {
    expect(sim.failNext({ kind: 'media', code: 131000, times: 2 })).toBe(2);
    const first = await upload(sim, token, phoneId, PNG, 'image/png', 'a.png');
    expect(first).toEqual({
      status: 500,
      json: metaError(131000, 'Something went wrong (scripted error).', { message: 'Something went wrong' }),
    });
    expect((await upload(sim, token, phoneId, PNG, 'image/png', 'a.png')).status).toBe(500);
    const third = await upload(sim, token, phoneId, PNG, 'image/png', 'a.png');
    expect(third.status).toBe(200);
    expect(sim.core.store.media.has(String(third.json['id']))).toBe(true);
    expect(sim.graphCalls({ kind: 'media', phoneNumberId: phoneId }).map((c) => [c.status, c.code])).toEqual([
      [500, 131000],
      [500, 131000],
      [200, undefined],
    ]);
  });

  it('a permanent upload error (131053, HTTP 400) with its own details; sends are not touched', async () => {
    sim.failNext({ kind: 'media', code: 131053, details: 'Uploaded file is corrupt.' });
    const sent = await text('still works');
    expect(sent.status).toBe(200);
    expect(await upload(sim, token, phoneId, PNG, 'image/png', 'a.png')).toEqual({
      status: 400,
      json: metaError(131053, 'Uploaded file is corrupt.'),
    });
  });

  it('read marks and sends are scripted apart; a number filter leaves other numbers alone', async () => {
    const inbound = sim.inbound({ phoneNumberId: phoneId, from: TO, type: 'text', text: { body: 'hi' } });
    sim.failNext({ kind: 'read', code: 131016 });
    sim.failNext({ kind: 'message', code: 130429, phoneNumberId: '310000000000012' });
    const read = () => sendMessage(sim, token, phoneId, { status: 'read', message_id: inbound.id });
    // The text on this number is not refused: the 130429 is for the other number.
    expect(wamidOf(await text('not refused'))).toMatch(/^wamid\./);
    expect(await read()).toEqual({
      status: 503,
      json: metaError(131016, 'Service unavailable (scripted error).', { message: 'Service unavailable' }),
    });
    expect(await read()).toEqual({ status: 200, json: { success: true } });
    expect(sim.core.store.inbox.get(inbound.id)?.readByBusiness).toBe(true);

    const other = await sendMessage(sim, token, '310000000000012', {
      to: TO,
      type: 'text',
      text: { body: 'refused' },
    });
    expect(other).toEqual({
      status: 400,
      json: metaError(130429, 'Rate limit hit (scripted error).', { subcode: 2494055 }),
    });
    expect(sim.outbox({ phoneNumberId: '310000000000012' })).toEqual([]);
    expect(sim.graphCalls({ kind: 'read' }).map((c) => [c.status, c.scripted])).toEqual([
      [503, true],
      [200, false],
    ]);
  });

  it('is driven by the control API too, which refuses codes outside the error table', async () => {
    expect(await control('POST', 'fail-next', { kind: 'media', code: 100, times: 3 })).toEqual({
      status: 200,
      json: { pending: 3 },
    });
    expect((await control('GET', 'fail-next')).json).toEqual({
      pending: [{ kind: 'media', code: 100, remaining: 3 }],
    });
    expect((await upload(sim, token, phoneId, PNG, 'image/png', 'a.png')).json).toEqual(
      metaError(100, 'Invalid parameter (scripted error).'),
    );
    expect(await control('DELETE', 'fail-next')).toEqual({ status: 200, json: { ok: true } });
    expect((await upload(sim, token, phoneId, PNG, 'image/png', 'a.png')).status).toBe(200);
    expect((await control('POST', 'fail-next', { kind: 'media', code: 999 })).status).toBe(400);
    expect((await control('POST', 'fail-next', { kind: 'other', code: 100 })).status).toBe(400);

    const calls = await control('GET', `graph-calls?kind=media&phoneNumberId=${phoneId}`);
    const list = calls.json['calls'] as { kind: string; status: number; scripted: boolean }[];
    expect(list.slice(-2)).toEqual([
      expect.objectContaining({ kind: 'media', status: 400, code: 100, scripted: true }),
      expect.objectContaining({ kind: 'media', status: 200, scripted: false }),
    ]);
  });

  it('does not log calls refused for a bad token', async () => {
    const before = sim.graphCalls().length;
    expect((await graph(sim, 'bad-token', 'POST', `${phoneId}/messages`, {})).status).toBe(401);
    expect(sim.graphCalls()).toHaveLength(before);
  });
});
