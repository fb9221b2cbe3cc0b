import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index.ts';
import { graph, startPair, type Receiver } from './helpers.ts';

// Bad requests answer with Meta's documented codes and the exact error envelope.

let sim: Simulator;
let rx: Receiver;
let phoneId: string;
let token: string;
const TO = '5511911112222';

beforeAll(async () => {
  ({ sim, rx, phoneId, token } = await startPair({
    businesses: [
      {
        wabaId: '300000000000001',
        accessToken: 'token-errors-test',
        phoneNumbers: [{ id: '300000000000011', displayPhoneNumber: '15550001111' }],
        templates: [
          {
            name: 'hello',
            language: 'en_US',
            category: 'UTILITY',
            components: [{ type: 'BODY', text: 'Hi {{1}}, your code is {{2}}' }],
          },
          {
            name: 'named_hello',
            language: 'en_US',
            category: 'MARKETING',
            parameter_format: 'NAMED',
            components: [{ type: 'BODY', text: 'Hi {{first_name}}' }],
          },
        ],
      },
    ],
  }));
});
afterAll(async () => {
  await sim.close();
  await rx.close();
});

const send = (body: Record<string, unknown>, t = token) =>
  graph(sim, t, 'POST', `${phoneId}/messages`, { messaging_product: 'whatsapp', to: TO, ...body });

function expectError(res: { status: number; json: Record<string, unknown> }, http: number, code: number) {
  expect(res.status).toBe(http);
  const error = res.json['error'] as Record<string, unknown>;
  expect(error).toMatchObject({ type: 'OAuthException', code, fbtrace_id: expect.any(String) as unknown });
  expect(String(error['message'])).toContain(code === 190 ? 'access token' : `(#${code})`);
  return error;
}

describe('Graph API errors', () => {
  it('wrong token → 190 without error_data', async () => {
    const error = expectError(await send({ type: 'text', text: { body: 'x' } }, 'wrong-token'), 401, 190);
    expect(error['error_data']).toBeUndefined();
  });

  it('missing fields → 100', async () => {
    const res = await graph(sim, token, 'POST', `${phoneId}/messages`, {
      messaging_product: 'whatsapp',
      type: 'text',
      text: { body: 'x' },
    });
    const error = expectError(res, 400, 100);
    expect(error['error_data']).toEqual({
      messaging_product: 'whatsapp',
      details: 'The parameter to is required.',
    });
    expectError(await send({ type: 'text', text: {} }), 400, 100);
    expectError(
      await graph(sim, token, 'POST', `${phoneId}/messages`, { to: TO, type: 'text', text: { body: 'x' } }),
      400,
      100,
    );
  });

  it('missing nested parameter → 131008, bad values → 131009, unknown type → 131051', async () => {
    expectError(await send({ type: 'image', image: { caption: 'no id or link' } }), 400, 131008);
    expectError(await send({ type: 'text', text: { body: 'x'.repeat(4097) } }), 400, 131009);
    expectError(await send({ type: 'poll', poll: {} }), 400, 131051);
  });

  it('too many buttons / rows → 131009', async () => {
    const buttons = [1, 2, 3, 4].map((i) => ({ type: 'reply', reply: { id: `b${i}`, title: `B${i}` } }));
    const res = await send({
      type: 'interactive',
      interactive: { type: 'button', body: { text: 'pick' }, action: { buttons } },
    });
    expect((expectError(res, 400, 131009)['error_data'] as { details: string }).details).toMatch(
      /between 1 and 3/,
    );
    const rows = Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` }));
    const list = {
      type: 'list',
      body: { text: 'pick' },
      action: {
        button: 'Open',
        sections: [
          { title: 'a', rows: rows.slice(0, 6) },
          { title: 'b', rows: rows.slice(6) },
        ],
      },
    };
    expectError(await send({ type: 'interactive', interactive: list }), 400, 131009);
    const ok = await send({
      type: 'interactive',
      interactive: { type: 'button', body: { text: 'pick' }, action: { buttons: buttons.slice(0, 3) } },
    });
    expect(ok.status).toBe(200);
  });

  it('unknown template → 132001 (HTTP 404)', async () => {
    expectError(
      await send({ type: 'template', template: { name: 'nope', language: { code: 'en_US' } } }),
      404,
      132001,
    );
    expectError(
      await send({ type: 'template', template: { name: 'hello', language: { code: 'pt_BR' } } }),
      404,
      132001,
    );
  });

  it('parameter count mismatch → 132000, format mismatch → 132012', async () => {
    const one = [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }];
    const res = await send({
      type: 'template',
      template: { name: 'hello', language: { code: 'en_US' }, components: one },
    });
    expect((expectError(res, 400, 132000)['error_data'] as { details: string }).details).toContain('(1)');
    const positional = [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }];
    expectError(
      await send({
        type: 'template',
        template: { name: 'named_hello', language: { code: 'en_US' }, components: positional },
      }),
      400,
      132012,
    );
    const named = [
      { type: 'body', parameters: [{ type: 'text', text: 'Ana', parameter_name: 'first_name' }] },
    ];
    expect(
      (
        await send({
          type: 'template',
          template: { name: 'named_hello', language: { code: 'en_US' }, components: named },
        })
      ).status,
    ).toBe(200);
  });

  it('oversized media and wrong MIME type are refused at upload', async () => {
    const upload = async (bytes: Buffer, type: string, name: string) => {
      const form = new FormData();
      form.append('messaging_product', 'whatsapp');
      form.append('file', new Blob([bytes], { type }), name);
      const res = await fetch(`${sim.url}/v24.0/${phoneId}/media`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    expectError(await upload(Buffer.alloc(5 * 1024 * 1024 + 1), 'image/jpeg', 'big.jpg'), 400, 131053);
    expectError(await upload(Buffer.from('MZ'), 'application/x-msdownload', 'evil.exe'), 400, 100);
    const ok = await upload(Buffer.from('hello'), 'text/plain', 'a.txt');
    expect(ok.status).toBe(200);
    // A document cannot be sent as an image (MIME mismatch → 131053).
    expectError(await send({ type: 'image', image: { id: ok.json['id'] } }), 400, 131053);
  });

  it('unregistered number → 133010; another business’s number → 100', async () => {
    sim.core.store.phones.get(phoneId)!.registered = false;
    try {
      expectError(await send({ type: 'text', text: { body: 'x' } }), 400, 133010);
    } finally {
      sim.core.store.phones.get(phoneId)!.registered = true;
    }
    expectError(
      await graph(sim, token, 'POST', '999999999999/messages', { messaging_product: 'whatsapp' }),
      400,
      100,
    );
  });
});
