import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index.ts';
import { graph, metaError, startPair, upload, type Receiver } from './helpers.ts';

// Bad requests answer with Meta's documented codes and the exact error envelope (contract doc §4),
// compared whole with toEqual: message, type, code, error_data.details, error_subcode, fbtrace_id.

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

const required = (name: string) =>
  metaError(100, `The parameter ${name} is required.`, { message: `The parameter ${name} is required.` });

describe('Graph API errors: the exact Meta envelope', () => {
  it('wrong token → 190 (HTTP 401) without error_data', async () => {
    expect(await send({ type: 'text', text: { body: 'x' } }, 'wrong-token')).toEqual({
      status: 401,
      json: {
        error: {
          message: 'Invalid OAuth access token - Cannot parse access token',
          type: 'OAuthException',
          code: 190,
          fbtrace_id: expect.stringMatching(/^A[\w-]{20,}$/),
        },
      },
    });
    expect((await graph(sim, token, 'GET', phoneId)).status).toBe(200);
  });

  it('missing top-level fields → 100', async () => {
    expect(
      await graph(sim, token, 'POST', `${phoneId}/messages`, {
        messaging_product: 'whatsapp',
        type: 'text',
        text: { body: 'x' },
      }),
    ).toEqual({ status: 400, json: required('to') });
    expect(await send({ type: 'text', text: {} })).toEqual({ status: 400, json: required("text['body']") });
    expect(await send({ type: 'image' })).toEqual({ status: 400, json: required('image') });
    expect(
      await graph(sim, token, 'POST', `${phoneId}/messages`, { to: TO, type: 'text', text: { body: 'x' } }),
    ).toEqual({ status: 400, json: required('messaging_product') });
  });

  it('missing nested parameter → 131008, bad values → 131009, unknown type → 131051', async () => {
    expect(await send({ type: 'image', image: { caption: 'no id or link' } })).toEqual({
      status: 400,
      json: metaError(131008, "Parameter 'image' requires either 'id' or 'link'."),
    });
    expect(await send({ type: 'text', text: { body: 'x'.repeat(4097) } })).toEqual({
      status: 400,
      json: metaError(131009, "Parameter 'text['body']' is too long. Max length is 4096."),
    });
    expect(await send({ type: 'poll', poll: {} })).toEqual({
      status: 400,
      json: metaError(131051, "Message type 'poll' is not supported."),
    });
  });

  it('too many buttons / rows → 131009', async () => {
    const buttons = [1, 2, 3, 4].map((i) => ({ type: 'reply', reply: { id: `b${i}`, title: `B${i}` } }));
    expect(
      await send({
        type: 'interactive',
        interactive: { type: 'button', body: { text: 'pick' }, action: { buttons } },
      }),
    ).toEqual({
      status: 400,
      json: metaError(131009, 'Number of buttons is 4; reply buttons must be between 1 and 3.'),
    });
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
    expect(await send({ type: 'interactive', interactive: list })).toEqual({
      status: 400,
      json: metaError(131009, 'Total row count is 11; a list may have at most 10 rows.'),
    });
    const ok = await send({
      type: 'interactive',
      interactive: { type: 'button', body: { text: 'pick' }, action: { buttons: buttons.slice(0, 3) } },
    });
    expect(ok.status).toBe(200);
  });

  it('unknown template → 132001 (HTTP 404)', async () => {
    expect(await send({ type: 'template', template: { name: 'nope', language: { code: 'en_US' } } })).toEqual(
      {
        status: 404,
        json: metaError(132001, 'template name (nope) does not exist in en_US'),
      },
    );
    expect(
      await send({ type: 'template', template: { name: 'hello', language: { code: 'pt_BR' } } }),
    ).toEqual({
      status: 404,
      json: metaError(132001, 'template name (hello) does not exist in pt_BR'),
    });
  });

  it('parameter count mismatch → 132000, format mismatch → 132012', async () => {
    const one = [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }];
    expect(
      await send({
        type: 'template',
        template: { name: 'hello', language: { code: 'en_US' }, components: one },
      }),
    ).toEqual({
      status: 400,
      json: metaError(
        132000,
        'body: number of localizable_params (1) does not match the expected number of params (2)',
      ),
    });
    expect(
      await send({
        type: 'template',
        template: { name: 'named_hello', language: { code: 'en_US' }, components: one },
      }),
    ).toEqual({
      status: 400,
      json: metaError(132012, 'body: this template uses named parameters; each needs a parameter_name'),
    });
    const wrongName = [{ type: 'body', parameters: [{ type: 'text', text: 'Ana', parameter_name: 'name' }] }];
    expect(
      await send({
        type: 'template',
        template: { name: 'named_hello', language: { code: 'en_US' }, components: wrongName },
      }),
    ).toEqual({
      status: 400,
      json: metaError(132012, "body: parameter_name 'name' is not a parameter of this named template"),
    });
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

  it('oversized media → 131053 and wrong MIME type → 100 at upload; MIME/kind mismatch on send → 131053', async () => {
    expect(
      await upload(sim, token, phoneId, Buffer.alloc(5 * 1024 * 1024 + 1), 'image/jpeg', 'big.jpg'),
    ).toEqual({
      status: 400,
      json: metaError(131053, 'File of 5242881 bytes exceeds the 5242880 byte limit for image.'),
    });
    const exe = await upload(sim, token, phoneId, Buffer.from('MZ'), 'application/x-msdownload', 'evil.exe');
    const details = String((exe.json['error'] as { error_data?: { details?: string } }).error_data?.details);
    expect(details).toMatch(
      /^Param file must be a file with one of the following types: image\/jpeg, image\/png, .*\. Received file of type 'application\/x-msdownload'\.$/,
    );
    expect(exe).toEqual({ status: 400, json: metaError(100, details) });
    const ok = await upload(sim, token, phoneId, Buffer.from('hello'), 'text/plain', 'a.txt');
    expect(ok.status).toBe(200);
    expect(await send({ type: 'image', image: { id: ok.json['id'] } })).toEqual({
      status: 400,
      json: metaError(131053, 'Media of type text/plain cannot be sent as image.'),
    });
  });

  it('unregistered number → 133010; another business’s number → 100 / 33', async () => {
    sim.core.store.phones.get(phoneId)!.registered = false;
    try {
      expect(await send({ type: 'text', text: { body: 'x' } })).toEqual({
        status: 400,
        json: metaError(133010, 'Phone number is not registered on the Cloud API.'),
      });
    } finally {
      sim.core.store.phones.get(phoneId)!.registered = true;
    }
    expect(
      await graph(sim, token, 'POST', '999999999999/messages', { messaging_product: 'whatsapp' }),
    ).toEqual({
      status: 400,
      json: metaError(
        100,
        "Unsupported request. Object with ID '999999999999' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
        { message: 'Unsupported request', subcode: 33 },
      ),
    });
  });

  it('pair rate → 131056; malformed JSON and unknown paths → 100', async () => {
    sim.inbound({ phoneNumberId: phoneId, from: TO, type: 'text', text: { body: 'hi' } });
    let last = await send({ type: 'text', text: { body: 'burst' } });
    for (let i = 0; i < 45 && last.status === 200; i++)
      last = await send({ type: 'text', text: { body: 'burst' } });
    expect(last).toEqual({
      status: 400,
      json: metaError(
        131056,
        'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
      ),
    });
    const bad = await fetch(`${sim.url}/v24.0/${phoneId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"messaging_product":',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual(
      metaError(100, "Body is not valid JSON but content-type is set to 'application/json'", {
        message: 'Invalid parameter',
      }),
    );
    expect(await graph(sim, token, 'GET', `${phoneId}/nothing/here`)).toEqual({
      status: 400,
      json: metaError(100, `Unknown path components: /v24.0/${phoneId}/nothing/here`, {
        message: 'Unknown path components',
      }),
    });
  });
});
