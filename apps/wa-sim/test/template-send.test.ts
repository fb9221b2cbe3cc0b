import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index.ts';
import { collect, metaError, sendMessage, startPair, upload, wamidOf, type Receiver } from './helpers.ts';

// Template sends with header (text, image, document, video) and button (quick reply payload, URL
// suffix) components: the accepted shape, and Meta's codes for a wrong header kind (132012) and a
// parameter count mismatch (132000) in the header and in buttons.

const PHONE = '510000000000011';
const TOKEN = 'token-template-send';
const CUSTOMER = '5511955551111';

let sim: Simulator;
let rx: Receiver;
let imageId: string;

const body = (text: string) => ({ type: 'BODY', text });
const mediaHeader = (format: string) => ({ type: 'HEADER', format });

beforeAll(async () => {
  ({ sim, rx } = await startPair({
    statusDelays: { sentMs: 1, deliveredMs: 2, readMs: null },
    businesses: [
      {
        wabaId: '510000000000001',
        accessToken: TOKEN,
        phoneNumbers: [{ id: PHONE, displayPhoneNumber: '15550004444' }],
        templates: [
          {
            name: 'shipping_update',
            language: 'en_US',
            category: 'UTILITY',
            components: [
              { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
              body('Hi {{1}}, your order ships {{2}}.'),
              {
                type: 'BUTTONS',
                buttons: [
                  { type: 'QUICK_REPLY', text: 'Stop updates' },
                  { type: 'URL', text: 'Track', url: 'https://acme.example/track/{{1}}' },
                ],
              },
            ],
          },
          {
            name: 'receipt_image',
            language: 'en_US',
            category: 'UTILITY',
            components: [mediaHeader('IMAGE'), body('Your receipt')],
          },
          {
            name: 'receipt_document',
            language: 'en_US',
            category: 'UTILITY',
            components: [mediaHeader('DOCUMENT'), body('Your invoice')],
          },
          {
            name: 'receipt_video',
            language: 'en_US',
            category: 'UTILITY',
            components: [mediaHeader('VIDEO'), body('How to use it')],
          },
        ],
      },
    ],
  }));
  imageId = String((await upload(sim, TOKEN, PHONE, Buffer.from('png'), 'image/png', 'r.png')).json['id']);
});
afterAll(async () => {
  await sim.close();
  await rx.close();
});

const sendTemplate = (name: string, components: unknown[]) =>
  sendMessage(sim, TOKEN, PHONE, {
    to: CUSTOMER,
    type: 'template',
    template: { name, language: { code: 'en_US' }, components },
  });

const textHeader = (...texts: string[]) => ({
  type: 'header',
  parameters: texts.map((text) => ({ type: 'text', text })),
});
const bodyParams = { type: 'body', parameters: ['Ana', 'today'].map((text) => ({ type: 'text', text })) };
const quickReply = (...parameters: unknown[]) => ({
  type: 'button',
  sub_type: 'quick_reply',
  index: '0',
  parameters,
});
const urlButton = (...parameters: unknown[]) => ({ type: 'button', sub_type: 'url', index: '1', parameters });
const payload = (p: string) => ({ type: 'payload', payload: p });
const suffix = (text: string) => ({ type: 'text', text });

describe('text header and buttons', () => {
  it('accepts header, body, quick-reply payload and URL suffix; the tap comes back with the payload', async () => {
    const components = [
      textHeader('#1234'),
      bodyParams,
      quickReply(payload('STOP-1234')),
      urlButton(suffix('1234')),
    ];
    const res = await sendTemplate('shipping_update', components);
    expect(res).toEqual({
      status: 200,
      json: {
        messaging_product: 'whatsapp',
        contacts: [{ input: CUSTOMER, wa_id: CUSTOMER }],
        messages: [{ id: expect.stringMatching(/^wamid\./), message_status: 'accepted' }],
      },
    });
    const id = wamidOf(res);
    const sent = sim.outbox().find((m) => m.id === id)!;
    expect(sent).toMatchObject({ type: 'template', to: CUSTOMER });
    expect(sent.request['template']).toEqual({
      name: 'shipping_update',
      language: { code: 'en_US' },
      components,
    });
    // The customer taps the quick reply: a `button` message quoting the template.
    sim.inbound({
      phoneNumberId: PHONE,
      from: CUSTOMER,
      type: 'button',
      button: { payload: 'STOP-1234', text: 'Stop updates' },
    });
    const all = await rx.waitFor((r) => collect(r, 'messages').length === 1);
    expect(collect(all, 'messages')[0]).toMatchObject({
      context: { from: '15550004444', id },
      type: 'button',
      button: { payload: 'STOP-1234', text: 'Stop updates' },
    });
  });

  it('buttons may be omitted when they have no parameters to fill, except a URL with a suffix', async () => {
    const res = await sendTemplate('shipping_update', [textHeader('#1'), bodyParams]);
    expect(res).toEqual({
      status: 400,
      json: metaError(131008, 'button 1: URL button requires a parameter'),
    });
    expect(
      (await sendTemplate('shipping_update', [textHeader('#1'), bodyParams, urlButton(suffix('1'))])).status,
    ).toBe(200);
  });

  it('header parameter count mismatch → 132000', async () => {
    const res = await sendTemplate('shipping_update', [bodyParams, urlButton(suffix('1'))]);
    expect(res).toEqual({
      status: 400,
      json: metaError(
        132000,
        'header: number of localizable_params (0) does not match the expected number of params (1)',
      ),
    });
    expect(
      await sendTemplate('shipping_update', [textHeader('a', 'b'), bodyParams, urlButton(suffix('1'))]),
    ).toEqual({
      status: 400,
      json: metaError(
        132000,
        'header: number of localizable_params (2) does not match the expected number of params (1)',
      ),
    });
  });

  it('a media parameter for a text header → 132012', async () => {
    const header = { type: 'header', parameters: [{ type: 'image', image: { id: imageId } }] };
    expect(await sendTemplate('shipping_update', [header, bodyParams, urlButton(suffix('1'))])).toEqual({
      status: 400,
      json: metaError(132012, "header: parameter type 'image' does not match format in the created template"),
    });
  });

  it('button parameter count mismatch → 132000 (URL suffix and quick reply)', async () => {
    expect(
      await sendTemplate('shipping_update', [
        textHeader('#1'),
        bodyParams,
        urlButton(suffix('1'), suffix('2')),
      ]),
    ).toEqual({
      status: 400,
      json: metaError(
        132000,
        'button 1: number of localizable_params (2) does not match the expected number of params (1)',
      ),
    });
    expect(
      await sendTemplate('shipping_update', [
        textHeader('#1'),
        bodyParams,
        quickReply(),
        urlButton(suffix('1')),
      ]),
    ).toEqual({
      status: 400,
      json: metaError(
        132000,
        'button 0: number of localizable_params (0) does not match the expected number of params (1)',
      ),
    });
  });

  it('wrong button parameter kinds or sub_type → 132012; a payload without its value → 131008', async () => {
    const base = [textHeader('#1'), bodyParams];
    expect(
      await sendTemplate('shipping_update', [...base, quickReply(suffix('x')), urlButton(suffix('1'))]),
    ).toEqual({
      status: 400,
      json: metaError(
        132012,
        "button 0: parameter type 'text' does not match QUICK_REPLY (expected 'payload')",
      ),
    });
    expect(await sendTemplate('shipping_update', [...base, urlButton(payload('x'))])).toEqual({
      status: 400,
      json: metaError(132012, "button 1: parameter type 'payload' does not match URL (expected 'text')"),
    });
    expect(
      await sendTemplate('shipping_update', [
        ...base,
        { ...urlButton(suffix('1')), sub_type: 'quick_reply' },
      ]),
    ).toEqual({
      status: 400,
      json: metaError(132012, 'button 1: sub_type QUICK_REPLY does not match template button URL'),
    });
    expect(
      await sendTemplate('shipping_update', [
        ...base,
        quickReply({ type: 'payload' }),
        urlButton(suffix('1')),
      ]),
    ).toEqual({ status: 400, json: metaError(131008, "button 0: payload parameter requires 'payload'") });
    expect(
      await sendTemplate('shipping_update', [...base, { ...urlButton(suffix('1')), index: '5' }]),
    ).toEqual({
      status: 400,
      json: metaError(131009, 'button: index 5 is not a button of this template'),
    });
  });
});

describe('media headers', () => {
  const header = (type: string, media: Record<string, unknown>) => ({
    type: 'header',
    parameters: [{ type, [type]: media }],
  });

  it.each([
    ['receipt_image', () => header('image', { id: imageId })],
    ['receipt_document', () => header('document', { link: 'https://acme.example/i.pdf', filename: 'i.pdf' })],
    ['receipt_video', () => header('video', { link: 'https://acme.example/howto.mp4' })],
  ])('%s is accepted with its own kind of header', async (name, build) => {
    const components = [build()];
    const res = await sendTemplate(name, components);
    expect(res.status).toBe(200);
    const sent = sim.outbox().find((m) => m.id === wamidOf(res))!;
    expect(sent.request['template']).toEqual({ name, language: { code: 'en_US' }, components });
  });

  it.each([
    ['receipt_image', 'video', 'IMAGE'],
    ['receipt_document', 'image', 'DOCUMENT'],
    ['receipt_video', 'document', 'VIDEO'],
  ])('%s with a %s header → 132012', async (name, kind, format) => {
    expect(await sendTemplate(name, [header(kind, { link: 'https://acme.example/f' })])).toEqual({
      status: 400,
      json: metaError(132012, `header: parameter type does not match the template header format ${format}`),
    });
  });

  it('a media header by id needs an uploaded media id (131009) of its kind (131053)', async () => {
    expect(await sendTemplate('receipt_image', [header('image', { id: '1234567890123456' })])).toEqual({
      status: 400,
      json: metaError(131009, 'Media id 1234567890123456 does not exist or has expired'),
    });
    expect(await sendTemplate('receipt_video', [header('video', { id: imageId })])).toEqual({
      status: 400,
      json: metaError(131053, 'Media of type image/png cannot be sent as video.'),
    });
    // Documents take any file, as for a document message.
    expect((await sendTemplate('receipt_document', [header('document', { id: imageId })])).status).toBe(200);
  });

  it('a media header needs exactly one parameter (132000) with an id or link (131008)', async () => {
    expect(await sendTemplate('receipt_image', [])).toEqual({
      status: 400,
      json: metaError(
        132000,
        'header: number of localizable_params (0) does not match the expected number of params (1)',
      ),
    });
    const two = { type: 'header', parameters: [1, 2].map(() => ({ type: 'image', image: { id: imageId } })) };
    expect(await sendTemplate('receipt_image', [two])).toEqual({
      status: 400,
      json: metaError(
        132000,
        'header: number of localizable_params (2) does not match the expected number of params (1)',
      ),
    });
    expect(await sendTemplate('receipt_image', [header('image', {})])).toEqual({
      status: 400,
      json: metaError(131008, "header: image parameter requires 'id' or 'link'"),
    });
  });
});
