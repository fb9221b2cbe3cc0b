// Agents' sends driven through the real WhatsApp simulator: what the API queues is what Meta's
// Graph API receives, in Meta's documented shape, and its statuses come back by webhook.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine } from './harness.ts';
import { simCustomer, simSettled, until } from './sim-support.ts';
import { waitFor } from './whatsapp-support.ts';
import {
  clientWrites,
  closeWindow,
  contactOf,
  messageReaches,
  outboxTo,
  sendMessage,
  startOutboundRig,
  type OutboundRig,
} from './outbound-support.ts';

describe(`outbound messages through the simulator (${engine})`, () => {
  let rig: OutboundRig;

  beforeAll(async () => {
    rig = await startOutboundRig();
  });
  afterAll(async () => {
    await rig.close();
  });

  it('sends a text reply, and moves it to read as the simulator reports it', async () => {
    const customer = simCustomer();
    const conversationId = await clientWrites(rig, customer);
    const queued = await sendMessage(rig, conversationId, {
      type: 'text',
      text: { body: 'Hi! How can we help?' },
    });
    expect(queued).toMatchObject({
      type: 'text',
      content: { body: 'Hi! How can we help?', previewUrl: false },
    });

    const sent = await messageReaches(rig, queued.id, ['sent', 'delivered', 'read']);
    const [entry, ...more] = outboxTo(rig, customer);
    expect(more).toEqual([]);
    expect(entry?.id).toBe(sent.externalId);
    expect(entry?.request).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: customer,
      biz_opaque_callback_data: expect.any(String),
      type: 'text',
      text: { preview_url: false, body: 'Hi! How can we help?' },
    });
    // The client reads the chat: the status webhook moves the message to read.
    await messageReaches(rig, queued.id, ['delivered', 'read']);
    rig.sim.read(rig.business.phoneNumberId, customer);
    await messageReaches(rig, queued.id, ['read']);
  });

  it("sends every kind in Meta's documented shape, replies with context and reactions by wamid", async () => {
    const customer = simCustomer();
    const conversationId = await clientWrites(rig, customer, 'I need the address');
    const history = await rig.tenant.owner.request({
      url: `/api/v1/conversations/${conversationId}/messages`,
    });
    const inbound = history.json<{ items: { id: string; externalId: string }[] }>().items[0]!;

    const sends: [Record<string, unknown>, Record<string, unknown>][] = [
      [
        {
          type: 'text',
          text: { body: 'Here it is: https://example.com/map', previewUrl: true },
          replyTo: inbound.id,
        },
        {
          type: 'text',
          text: { preview_url: true, body: 'Here it is: https://example.com/map' },
          context: { message_id: inbound.externalId },
        },
      ],
      [
        {
          type: 'location',
          location: { latitude: -23.56, longitude: -46.65, name: 'Shop', address: 'Av. Paulista 1' },
        },
        {
          type: 'location',
          location: { latitude: -23.56, longitude: -46.65, name: 'Shop', address: 'Av. Paulista 1' },
        },
      ],
      [
        {
          type: 'contacts',
          contacts: [
            {
              name: { formattedName: 'Ana Lima', firstName: 'Ana' },
              phones: [{ phone: '+5511999990000', type: 'WORK' }],
            },
          ],
        },
        {
          type: 'contacts',
          contacts: [
            {
              name: { formatted_name: 'Ana Lima', first_name: 'Ana' },
              phones: [{ phone: '+5511999990000', type: 'WORK' }],
              emails: [],
            },
          ],
        },
      ],
      [
        {
          type: 'interactive',
          interactive: {
            type: 'button',
            body: { text: 'Pick one' },
            footer: { text: 'Thanks' },
            buttons: [
              { id: 'yes', title: 'Yes' },
              { id: 'no', title: 'No' },
            ],
          },
        },
        {
          type: 'interactive',
          interactive: {
            type: 'button',
            body: { text: 'Pick one' },
            footer: { text: 'Thanks' },
            action: {
              buttons: [
                { type: 'reply', reply: { id: 'yes', title: 'Yes' } },
                { type: 'reply', reply: { id: 'no', title: 'No' } },
              ],
            },
          },
        },
      ],
      [
        {
          type: 'interactive',
          interactive: {
            type: 'list',
            body: { text: 'Our plans' },
            button: 'See plans',
            sections: [{ title: 'Plans', rows: [{ id: 'basic', title: 'Basic', description: '10/month' }] }],
          },
        },
        {
          type: 'interactive',
          interactive: {
            type: 'list',
            body: { text: 'Our plans' },
            action: {
              button: 'See plans',
              sections: [
                { title: 'Plans', rows: [{ id: 'basic', title: 'Basic', description: '10/month' }] },
              ],
            },
          },
        },
      ],
      [
        {
          type: 'interactive',
          interactive: {
            type: 'cta_url',
            header: { type: 'text', text: 'Track' },
            body: { text: 'Follow your order' },
            action: { displayText: 'Open', url: 'https://example.com/o/1' },
          },
        },
        {
          type: 'interactive',
          interactive: {
            type: 'cta_url',
            header: { type: 'text', text: 'Track' },
            body: { text: 'Follow your order' },
            action: { name: 'cta_url', parameters: { display_text: 'Open', url: 'https://example.com/o/1' } },
          },
        },
      ],
      [
        { type: 'image', image: { link: 'https://example.com/a.jpg', caption: 'The shop' } },
        { type: 'image', image: { link: 'https://example.com/a.jpg', caption: 'The shop' } },
      ],
      [
        { type: 'document', document: { link: 'https://example.com/i.pdf', filename: 'invoice.pdf' } },
        { type: 'document', document: { link: 'https://example.com/i.pdf', filename: 'invoice.pdf' } },
      ],
      [
        { type: 'reaction', reaction: { messageId: inbound.id, emoji: '👍' } },
        { type: 'reaction', reaction: { message_id: inbound.externalId, emoji: '👍' } },
      ],
    ];
    const ids: string[] = [];
    for (const [payload] of sends) ids.push((await sendMessage(rig, conversationId, payload)).id);
    const rows = [];
    for (const id of ids) rows.push(await messageReaches(rig, id, ['sent', 'delivered', 'read']));

    // One request per message, in the order they were written, each exactly as Meta documents it.
    const outbox = outboxTo(rig, customer);
    expect(outbox.map((e) => e.id)).toEqual(rows.map((r) => r.externalId));
    outbox.forEach((entry, i) => {
      expect(entry.request).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: customer,
        biz_opaque_callback_data: expect.any(String),
        ...sends[i]![1],
      });
    });
    // Our reaction is on the target message once WhatsApp has it.
    const thread = await rig.tenant.owner.request({
      url: `/api/v1/conversations/${conversationId}/messages?limit=50`,
    });
    const target = thread
      .json<{ items: { id: string; reactions: Record<string, string> }[] }>()
      .items.find((m) => m.id === inbound.id);
    expect(target?.reactions).toEqual({ business: '👍' });
  });

  it('refuses a non-template message outside the 24-hour window with 409 whatsapp_window_closed, sending nothing', async () => {
    const customer = simCustomer();
    const conversationId = await clientWrites(rig, customer);
    await closeWindow(rig, conversationId);
    const res = await rig.tenant.owner.request({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      payload: { type: 'text', text: { body: 'Are you there?' } },
    });
    expect(res.statusCode).toBe(409);
    const problem = res.json<{
      code: string;
      detail: string;
      windowExpiresAt: string;
      templateRequired: boolean;
    }>();
    expect(problem.code).toBe('whatsapp_window_closed');
    expect(problem.templateRequired).toBe(true);
    expect(new Date(problem.windowExpiresAt).getTime()).toBeLessThan(Date.now());
    expect(problem.detail).toMatch(/template/);
    const history = await rig.tenant.owner.request({
      url: `/api/v1/conversations/${conversationId}/messages`,
    });
    expect(history.json<{ items: { direction: string }[] }>().items.map((m) => m.direction)).toEqual([
      'inbound',
    ]);
    expect(outboxTo(rig, customer)).toEqual([]);
  });

  it('answers bad bodies with a problem naming every issue, and a quoted message from elsewhere with 422', async () => {
    const customer = simCustomer();
    const conversationId = await clientWrites(rig, customer);
    const bad = await rig.tenant.owner.request({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      payload: {
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: '' },
          buttons: [1, 2, 3, 4].map((i) => ({ id: `b${i}`, title: `B${i}` })),
        },
      },
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json<{ errors: { path: string }[] }>().errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.interactive.body.text', 'body.interactive.buttons']));

    const other = await clientWrites(rig, simCustomer());
    const otherHistory = await rig.tenant.owner.request({ url: `/api/v1/conversations/${other}/messages` });
    const foreign = otherHistory.json<{ items: { id: string }[] }>().items[0]!.id;
    const res = await rig.tenant.owner.request({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      payload: { type: 'text', text: { body: 'quoting' }, replyTo: foreign },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('body.replyTo');
    expect(outboxTo(rig, customer)).toEqual([]);
  });

  it('marks a message failed with its code and reason when WhatsApp cannot deliver it', async () => {
    const customer = simCustomer();
    const conversationId = await clientWrites(rig, customer);
    // The client leaves WhatsApp: Meta accepts the send, then reports it undeliverable (131026).
    rig.sim.upsertCustomer({ waId: customer, onWhatsApp: false });
    const queued = await sendMessage(rig, conversationId, { type: 'text', text: { body: 'still there?' } });
    const failed = await messageReaches(rig, queued.id, ['failed']);
    expect(failed.errorCode).toBe('131026');
    expect(failed.errorTitle).toBeTruthy();
  });

  it('sends an approved template after the window closed, checks its parameters first, and refuses marketing to an opted-out client', async () => {
    const customer = simCustomer();
    const conversationId = await clientWrites(rig, customer);
    await closeWindow(rig, conversationId);
    const base = `/api/v1/whatsapp/numbers/${rig.numberId}/templates`;
    const body = {
      type: 'BODY',
      text: 'Hi {{1}}, your order {{2}} has shipped.',
      example: { body_text: [['Ana', '42']] },
    };
    const suffix = String(Date.now()).slice(-6);
    for (const [name, category] of [
      [`shipped_${suffix}`, 'UTILITY'],
      [`promo_${suffix}`, 'MARKETING'],
    ] as const) {
      const created = await rig.tenant.owner.request({
        method: 'POST',
        url: base,
        payload: { name, language: 'en', category, components: [body] },
      });
      expect(created.statusCode, created.body).toBe(201);
    }
    // The simulator approves them and says so by webhook.
    await waitFor(async () => {
      const res = await rig.tenant.owner.request({ url: `${base}?status=APPROVED` });
      return res.json<{ items: unknown[] }>().items.length >= 2 ? true : undefined;
    });

    const url = `/api/v1/conversations/${conversationId}/messages`;
    const mismatch = await rig.tenant.owner.request({
      method: 'POST',
      url,
      payload: {
        type: 'template',
        template: { name: `shipped_${suffix}`, language: 'en', parameters: { body: ['Ana'] } },
      },
    });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain(
      'body.template.parameters.body.1',
    );

    const queued = await sendMessage(rig, conversationId, {
      type: 'template',
      template: { name: `shipped_${suffix}`, language: 'en', parameters: { body: ['Ana', 'A-42'] } },
    });
    expect(queued.content).toMatchObject({
      name: `shipped_${suffix}`,
      rendered: { body: 'Hi Ana, your order A-42 has shipped.' },
    });
    const sent = await messageReaches(rig, queued.id, ['sent', 'delivered', 'read']);
    const [entry] = outboxTo(rig, customer);
    expect(entry?.id).toBe(sent.externalId);
    expect(entry?.request).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: customer,
      biz_opaque_callback_data: expect.any(String),
      type: 'template',
      template: {
        name: `shipped_${suffix}`,
        language: { code: 'en' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ana' },
              { type: 'text', text: 'A-42' },
            ],
          },
        ],
      },
    });

    // An agent records that the client stopped marketing messages: a marketing template is
    // refused before it leaves.
    const contact = await contactOf(rig, customer);
    const optOut = await rig.tenant.owner.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${contact?.id}`,
      payload: { marketingOptOut: true },
    });
    expect(optOut.json()).toMatchObject({
      marketingOptOutSource: 'agent',
      marketingOptOutAt: expect.any(String),
    });
    const refused = await rig.tenant.owner.request({
      method: 'POST',
      url,
      payload: {
        type: 'template',
        template: { name: `promo_${suffix}`, language: 'en', parameters: { body: ['Ana', '1'] } },
      },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ code: string }>().code).toBe('contact_opted_out');
    expect(outboxTo(rig, customer)).toHaveLength(1);
  });

  it('greets a new client, answers with the away message outside business hours, and never twice for a redelivered webhook', async () => {
    await rig.tenant.owner.request({
      method: 'PATCH',
      url: `/api/v1/whatsapp/numbers/${rig.numberId}`,
      payload: {
        greetingMessage: 'Welcome to Sim Co!',
        awayMessage: 'We are closed now; we answer from 9:00.',
        autoReplyMessage: 'Thanks! An agent will answer shortly.',
        // Open no day at all: always outside business hours.
        businessHours: { timeZone: 'America/Sao_Paulo', intervals: [] },
      },
    });
    try {
      rig.sim.setFaults({ duplicateRate: 1, seed: 3 });
      const customer = simCustomer();
      const conversationId = await clientWrites(rig, customer, 'first message');
      const bodies = async () =>
        (await rig.tenant.owner.request({ url: `/api/v1/conversations/${conversationId}/messages` }))
          .json<{ items: { direction: string; content: { body?: string; auto?: string } }[] }>()
          .items.filter((m) => m.direction === 'outbound');
      await waitFor(async () => ((await bodies()).length >= 2 ? true : undefined));
      await until(() => outboxTo(rig, customer).length >= 2);
      rig.sim.setFaults({ duplicateRate: 0 });
      await simSettled(rig.sim);
      const auto = (await bodies()).map((m) => m.content.auto).sort();
      expect(auto).toEqual(['away', 'greeting']);
      expect(outboxTo(rig, customer).map((e) => (e.request['text'] as { body: string }).body)).toEqual([
        'Welcome to Sim Co!',
        'We are closed now; we answer from 9:00.',
      ]);

      // A client we know, opening a new conversation inside business hours, gets the auto-reply.
      await rig.tenant.owner.request({
        method: 'PATCH',
        url: `/api/v1/whatsapp/numbers/${rig.numberId}`,
        payload: { businessHours: null },
      });
      await rig.tenant.owner.request({
        method: 'PATCH',
        url: `/api/v1/conversations/${conversationId}`,
        payload: { status: 'resolved' },
      });
      await clientWrites(rig, customer, 'back again');
      await until(() => outboxTo(rig, customer).length >= 3);
      expect((outboxTo(rig, customer).at(-1)?.request['text'] as { body: string }).body).toBe(
        'Thanks! An agent will answer shortly.',
      );
      // Another message in the open conversation gets nothing more.
      await clientWrites(rig, customer, 'one more thing');
      await new Promise((r) => setTimeout(r, 300));
      expect(outboxTo(rig, customer)).toHaveLength(3);
    } finally {
      rig.sim.setFaults({ duplicateRate: 0 });
      await rig.tenant.owner.request({
        method: 'PATCH',
        url: `/api/v1/whatsapp/numbers/${rig.numberId}`,
        payload: { greetingMessage: null, awayMessage: null, autoReplyMessage: null, businessHours: null },
      });
    }
  });

  it('tells WhatsApp the client’s messages were read when an agent opens the conversation, unless the number says not to', async () => {
    const customer = simCustomer();
    const conversationId = await clientWrites(rig, customer);
    const latestInbound = async () =>
      (await rig.tenant.owner.request({ url: `/api/v1/conversations/${conversationId}/messages` }))
        .json<{ items: { direction: string; status: string }[] }>()
        .items.find((m) => m.direction === 'inbound');
    const open = () =>
      rig.tenant.owner.request({ method: 'POST', url: `/api/v1/conversations/${conversationId}/read` });

    await rig.tenant.owner.request({
      method: 'PATCH',
      url: `/api/v1/whatsapp/numbers/${rig.numberId}`,
      payload: { sendReadReceipts: false },
    });
    expect((await open()).statusCode).toBe(204);
    await new Promise((r) => setTimeout(r, 500));
    expect((await latestInbound())?.status).toBe('received');

    await rig.tenant.owner.request({
      method: 'PATCH',
      url: `/api/v1/whatsapp/numbers/${rig.numberId}`,
      payload: { sendReadReceipts: true },
    });
    expect((await open()).statusCode).toBe(204);
    // The status moves only once Graph has accepted the read mark.
    await waitFor(async () => ((await latestInbound())?.status === 'read' ? true : undefined));
  });
});
