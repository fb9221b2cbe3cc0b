import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppAPI } from 'whatsapp-api-js';
import { Document, Image } from 'whatsapp-api-js/messages/media';
import {
  ActionButtons,
  ActionList,
  Body,
  Button,
  Interactive,
  ListSection,
  Row,
} from 'whatsapp-api-js/messages/interactive';
import { Reaction } from 'whatsapp-api-js/messages/reaction';
import { BodyComponent, BodyParameter, Language, Template } from 'whatsapp-api-js/messages/template';
import { Text } from 'whatsapp-api-js/messages/text';
import type { Simulator } from '../src/index.ts';
import { APP_SECRET, collect, startPair, type Receiver } from './helpers.ts';

// whatsapp-api-js is an independent, third-party implementation of the Cloud API client. Its URLs are
// hard-coded to https://graph.facebook.com, so a fetch ponyfill redirects them to the simulator.

let sim: Simulator;
let rx: Receiver;
let phoneId: string;
let wa: WhatsAppAPI;
const CUSTOMER = '5511987654321';
// The library's non-deprecated signature wants a recipient object with a business-scoped user id.
const me = () => ({ phone: CUSTOMER, bsuid: sim.core.store.customer(CUSTOMER).userId });

beforeAll(async () => {
  ({ sim, rx, phoneId } = await startPair({
    statusDelays: { sentMs: 1, deliveredMs: 2, readMs: 3 },
    businesses: [
      {
        wabaId: '102290129340398',
        accessToken: 'token-for-whatsapp-api-js',
        phoneNumbers: [{ id: '106540352242922', displayPhoneNumber: '15550783881' }],
        templates: [
          {
            name: 'order_confirmation',
            language: 'en_US',
            category: 'UTILITY',
            components: [{ type: 'BODY', text: 'Thank you, {{1}}! Your order number is {{2}}.' }],
          },
        ],
      },
    ],
  }));
  const base = sim.url;
  wa = new WhatsAppAPI({
    token: 'token-for-whatsapp-api-js',
    appSecret: APP_SECRET,
    v: 'v24.0',
    ponyfill: {
      fetch: (input: string | URL | Request, init?: RequestInit) => {
        const url = (input instanceof Request ? input.url : input.toString()).replace(
          'https://graph.facebook.com',
          base,
        );
        return fetch(url, init);
      },
    },
  });
  // The customer writes first, so the 24 h window is open.
  sim.inbound({ phoneNumberId: phoneId, from: CUSTOMER, name: 'Ana', type: 'text', text: { body: 'Oi!' } });
  await rx.waitFor((r) => r.length === 1);
});

afterAll(async () => {
  await sim.close();
  await rx.close();
});

const expectAccepted = (res: unknown) => {
  expect(res).toMatchObject({
    messaging_product: 'whatsapp',
    contacts: [{ input: CUSTOMER, wa_id: CUSTOMER }],
    messages: [{ id: expect.stringMatching(/^wamid\./) as unknown, message_status: 'accepted' }],
  });
};

describe('whatsapp-api-js against the simulator', () => {
  it('sends text, media, template, interactive and reaction messages', async () => {
    expectAccepted(await wa.sendMessage(phoneId, me(), new Text('Olá! ¿Cómo estás? 😀')));
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('%PDF-1.4 test')], { type: 'application/pdf' }), 'invoice.pdf');
    const upload = await wa.uploadMedia(phoneId, form);
    expect(upload).toEqual({ id: expect.stringMatching(/^\d+$/) as unknown });
    const mediaId = (upload as { id: string }).id;
    expectAccepted(
      await wa.sendMessage(phoneId, me(), new Document(mediaId, true, 'Invoice', 'invoice.pdf')),
    );
    expectAccepted(
      await wa.sendMessage(phoneId, me(), new Image('https://example.com/cat.png', false, 'cat')),
    );
    expectAccepted(
      await wa.sendMessage(
        phoneId,
        me(),
        new Template(
          'order_confirmation',
          new Language('en_US'),
          new BodyComponent(new BodyParameter('Ana'), new BodyParameter('860198')),
        ),
      ),
    );
    expectAccepted(
      await wa.sendMessage(
        phoneId,
        me(),
        new Interactive(
          new ActionButtons(new Button('yes', 'Yes'), new Button('no', 'No')),
          new Body('Confirm?'),
        ),
      ),
    );
    expectAccepted(
      await wa.sendMessage(
        phoneId,
        me(),
        new Interactive(
          new ActionList(
            'Pick',
            new ListSection('Sizes', new Row('s', 'Small'), new Row('m', 'Medium', 'Most popular')),
          ),
          new Body('Size?'),
        ),
      ),
    );
    const inboundId = sim.inbound({
      phoneNumberId: phoneId,
      from: CUSTOMER,
      type: 'text',
      text: { body: 'react to me' },
    }).id;
    expectAccepted(await wa.sendMessage(phoneId, me(), new Reaction(inboundId, '👍')));
    expect(await wa.markAsRead(phoneId, inboundId, 'text')).toEqual({ success: true });
    expect(sim.outbox({ phoneNumberId: phoneId }).map((m) => m.type)).toEqual([
      'text',
      'document',
      'image',
      'template',
      'interactive',
      'interactive',
      'reaction',
    ]);
  });

  it('retrieves and downloads uploaded media with the token', async () => {
    const form = new FormData();
    form.append(
      'file',
      new Blob([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], { type: 'image/jpeg' }),
      'a.jpg',
    );
    const { id } = (await wa.uploadMedia(phoneId, form)) as { id: string };
    const info = (await wa.retrieveMedia(id)) as {
      url: string;
      mime_type: string;
      file_size: string;
      sha256: string;
    };
    expect(info).toMatchObject({
      messaging_product: 'whatsapp',
      mime_type: 'image/jpeg',
      file_size: '7',
      id,
    });
    const res = await wa.fetchMedia(info.url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    expect((await fetch(info.url)).status).toBe(401); // no bearer token
    expect(await wa.deleteMedia(id)).toEqual({ success: true });
  });

  it('accepts the simulator signatures, including emoji, Arabic, Portuguese and Spanish bodies', async () => {
    const before = rx.received.length;
    const texts = [
      'Olá, tudo bem? Ação, coração 😀👍🏽',
      'مرحبا، كيف حالك؟',
      '¿Dónde está mi pedido? Señor Muñoz',
      'mixed ✓ — “quotes” \u007f',
    ];
    for (const body of texts)
      sim.inbound({ phoneNumberId: phoneId, from: CUSTOMER, type: 'text', text: { body } });
    await rx.waitFor((r) => collect(r.slice(before), 'messages').length >= texts.length);
    const seen: string[] = [];
    wa.on.message = ({ message }) => {
      if (message.type === 'text') seen.push(message.text.body);
    };
    for (const r of rx.received.slice(before)) {
      expect(await wa.verifyRequestSignature(r.raw, r.signature)).toBe(true);
      await wa.post(JSON.parse(r.raw) as Parameters<WhatsAppAPI['post']>[0], r.raw, r.signature);
    }
    expect(seen.filter((t) => texts.includes(t))).toEqual(texts);
    // A tampered body must fail, or the check above proves nothing.
    const tampered = rx.received[before]!.raw.replace('Ol', 'Al');
    expect(await wa.verifyRequestSignature(tampered, rx.received[before]!.signature)).toBe(false);
  });
});
