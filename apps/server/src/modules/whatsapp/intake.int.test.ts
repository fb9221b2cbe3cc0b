import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { contacts } from '../contacts/contacts.tables.ts';
import { conversations, messages } from '../conversations/conversations.tables.ts';
import { webhookReceipts } from './whatsapp.tables.ts';
import { createTenant, createTestApp, engine, type TestTenant } from '../../../test/harness.ts';
import {
  connectNumber,
  firstMessageId,
  intakeProbes,
  loadFixtures,
  postWebhook,
  retarget,
  sign,
  waitFor,
  type TestNumber,
} from '../../../test/whatsapp-support.ts';

type MessageRow = typeof messages.$inferSelect;

describe(`WhatsApp webhook intake (${engine})`, () => {
  let app: SwitchboardApp;
  let tenant: TestTenant;
  let number: TestNumber;
  let probes: ReturnType<typeof intakeProbes>;

  beforeAll(async () => {
    app = await createTestApp();
    tenant = await createTenant(app);
    number = await connectNumber(tenant);
    probes = intakeProbes(app, tenant.organizationId);
  });
  afterAll(async () => app.close());

  it('answers the verification handshake only for a known verify token', async () => {
    const ok = await app.http.inject({
      method: 'GET',
      url: `/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${number.verifyToken}&hub.challenge=1158201444`,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('1158201444');
    const bad = await app.http.inject({
      method: 'GET',
      url: '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1',
    });
    expect(bad.statusCode).toBe(403);
  });

  it('stores nothing for a missing, wrong or other-secret signature', async () => {
    const body = retarget(loadFixtures('message.json')['text']!, number, 'unsigned');
    const before = await probes.receiptCount();
    expect((await postWebhook(app, body, null)).statusCode).toBe(401);
    expect((await postWebhook(app, body, 'not-the-secret')).statusCode).toBe(401);
    expect((await postWebhook(app, body, null, { 'x-hub-signature-256': 'sha256=zz' })).statusCode).toBe(401);
    expect(await probes.receiptCount()).toBe(before);
    expect(await probes.messageById(firstMessageId(body))).toBeUndefined();
  });

  it('accepts a signature over the escaped-unicode form as well as over the raw bytes', async () => {
    const body = retarget(loadFixtures('message.json')['text']!, number, 'unicode');
    const value = (
      body['entry'] as { changes: { value: { messages: { text: { body: string } }[] } }[] }[]
    )[0]!.changes[0]!.value;
    value.messages[0]!.text.body = 'Olá, ¿cómo estás? مرحبا 🙂';
    const raw = JSON.stringify(body);
    const escaped = raw.replace(/[^\0-~]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const res = await app.http.inject({
      method: 'POST',
      url: '/webhooks/whatsapp',
      payload: raw,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(escaped, number.appSecret) },
    });
    expect(res.statusCode).toBe(200);
    const stored = await probes.waitForMessage(firstMessageId(body));
    expect(stored.content).toEqual({ body: 'Olá, ¿cómo estás? مرحبا 🙂' });
  });

  it('answers 200 for an unknown phone number id, stores no payload, and counts it', async () => {
    const body = loadFixtures('message.json')['text']!;
    const before = await probes.receiptCount();
    const res = await postWebhook(app, body, 'whatever');
    expect(res.statusCode).toBe(200);
    expect(await probes.receiptCount()).toBe(before);
    expect(app.services.intake.counters.unknownNumbers).toBeGreaterThan(0);
  });

  it('rejects a body that is not a WhatsApp payload with 400', async () => {
    const res = await postWebhook(app, '{"hello": ', number.appSecret);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'malformed_request' });
  });

  describe('every fixture message lands, normalized', () => {
    const cases: [file: string, name: string][] = [];
    for (const file of [
      'message.json',
      'callback_button.json',
      'callback_selection.json',
      'system.json',
      'flow_completion.json',
      'deleted_message.json',
      'edited_message.json',
    ]) {
      for (const name of Object.keys(loadFixtures(file))) cases.push([file, name]);
    }
    const stored = new Map<string, MessageRow>();

    beforeAll(async () => {
      const posted: [string, string][] = [];
      for (const [file, name] of cases) {
        const body = retarget(loadFixtures(file)[name]!, number, `${name}-${randomBytes(3).toString('hex')}`);
        const res = await postWebhook(app, body, number.appSecret);
        expect(res.statusCode, `${file}/${name}: ${res.body}`).toBe(200);
        posted.push([`${file}/${name}`, firstMessageId(body)]);
      }
      for (const [key, id] of posted) stored.set(key, await probes.waitForMessage(id));
    });

    it.each(cases)('%s / %s is stored once with its type', (file, name) => {
      const row = stored.get(`${file}/${name}`);
      expect(row).toBeDefined();
      expect(row!.direction).toBe('inbound');
      expect(row!.raw).toBeTruthy();
    });

    it('normalizes content by type', () => {
      const get = (k: string) => stored.get(k)!;
      expect(get('message.json/text')).toMatchObject({ type: 'text', content: { body: expect.any(String) } });
      expect(get('message.json/image').content).toMatchObject({
        mediaId: expect.any(String),
        mimeType: 'image/jpeg',
        download: 'pending',
      });
      expect(get('message.json/voice').content).toMatchObject({ voice: true });
      expect(get('message.json/animated_sticker').content).toMatchObject({ animated: true });
      expect(get('message.json/current_location').content).toMatchObject({
        latitude: expect.any(Number),
        longitude: expect.any(Number),
      });
      const sentCards = (
        loadFixtures('message.json')['contacts']!['entry'] as {
          changes: { value: { messages: { contacts: unknown[] }[] } }[];
        }[]
      )[0]!.changes[0]!.value.messages[0]!.contacts;
      expect(get('message.json/contacts').content['contacts']).toEqual(sentCards);
      expect(get('message.json/order').content).toMatchObject({
        catalogId: expect.any(String),
        items: expect.any(Array),
      });
      expect(get('message.json/unsupported').type).toBe('unsupported');
      expect(get('message.json/unsupported_with_type').content).toMatchObject({
        unsupportedType: expect.any(String),
      });
      expect(get('message.json/reply').replyToExternalId).toMatch(/^wamid\./);
      expect(get('message.json/forwarded')).toMatchObject({ forwarded: true, frequentlyForwarded: false });
      expect(get('message.json/forwarded_many_times')).toMatchObject({
        forwarded: true,
        frequentlyForwarded: true,
      });
      expect(get('message.json/referral').referral).toMatchObject({
        source_id: 'ADID',
        ctwa_clid: 'CTWA_CLID',
      });
      expect(get('message.json/reaction')).toMatchObject({
        type: 'reaction',
        content: { emoji: expect.any(String) },
      });
      expect(get('message.json/unreaction_empty').content).toMatchObject({ emoji: null });
      expect(get('message.json/unreaction_no_emoji').content).toMatchObject({ emoji: null });
      expect(get('callback_button.json/quick_reply')).toMatchObject({
        type: 'button',
        content: { payload: 'callback_data', text: 'title' },
      });
      expect(get('callback_selection.json/callback').content).toMatchObject({
        kind: expect.stringMatching(/reply$/),
      });
      expect(get('flow_completion.json/completion').content).toMatchObject({
        kind: 'flow_reply',
        response: { flow_token: expect.any(String) },
      });
      expect(get('system.json/phone_number_change').content).toMatchObject({
        systemType: 'user_changed_number',
        newWaId: '972912345678',
      });
      expect(get('deleted_message.json/revoke').type).toBe('revoke');
      expect(get('edited_message.json/image').type).toBe('edit');
    });

    it('keeps each sender in their own contact, with a valid E.164 number and profile name', async () => {
      const row = stored.get('message.json/text')!;
      const contact = await app.database.tenant(tenant.organizationId, async (tx) => {
        const [c] = await tx
          .select()
          .from(contacts)
          .where(and(eq(contacts.tenantId, tenant.organizationId), eq(contacts.id, row.contactId)));
        return c;
      });
      expect(contact).toMatchObject({ profileName: expect.any(String) });
      expect(contact?.phoneE164 ?? '').toMatch(/^\+\d{8,15}$/);
    });
  });

  it('stores one message for three deliveries of the same webhook', async () => {
    const body = retarget(
      loadFixtures('message.json')['text']!,
      number,
      `dup-${randomBytes(3).toString('hex')}`,
    );
    for (let i = 0; i < 3; i++) expect((await postWebhook(app, body, number.appSecret)).statusCode).toBe(200);
    const row = await probes.waitForMessage(firstMessageId(body));
    // All three receipts processed: the two later ones found the message already stored.
    await waitFor(async () => {
      const receipts = await app.database.system((tx) =>
        tx
          .select({ body: webhookReceipts.body, processedAt: webhookReceipts.processedAt })
          .from(webhookReceipts),
      );
      const mine = receipts.filter((r) => r.body.includes(row.externalId!));
      return mine.length === 3 && mine.every((r) => r.processedAt) ? true : undefined;
    }, 60_000);
    const count = await app.database.tenant(tenant.organizationId, (tx) =>
      tx
        .select({ id: messages.id })
        .from(messages)
        .where(and(eq(messages.tenantId, tenant.organizationId), eq(messages.externalId, row.externalId!))),
    );
    expect(count).toHaveLength(1);
  });

  it('processes every message of a 50-message batch, in one conversation per sender', async () => {
    const from = `5511${String(Date.now()).slice(-9)}`;
    const tag = randomBytes(3).toString('hex');
    const items = Array.from({ length: 50 }, (_, i) => ({
      from,
      id: `wamid.batch.${tag}.${i}`,
      timestamp: String(1_700_000_000 + i),
      type: 'text',
      text: { body: `message ${i}` },
    }));
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: number.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550100', phone_number_id: number.phoneNumberId },
                contacts: [{ wa_id: from, profile: { name: 'Batch Sender' } }],
                messages: items,
              },
            },
          ],
        },
      ],
    };
    expect((await postWebhook(app, body, number.appSecret)).statusCode).toBe(200);
    const last = await probes.waitForMessage(`wamid.batch.${tag}.49`);
    const rows = await app.database.tenant(tenant.organizationId, (tx) =>
      tx
        .select()
        .from(messages)
        .where(
          and(eq(messages.tenantId, tenant.organizationId), eq(messages.conversationId, last.conversationId)),
        ),
    );
    expect(rows).toHaveLength(50);
    const convo = await app.database.tenant(
      tenant.organizationId,
      async (tx) =>
        (await tx.select().from(conversations).where(eq(conversations.id, last.conversationId)))[0],
    );
    expect(convo).toMatchObject({ status: 'open', lastMessageAt: new Date((1_700_000_000 + 49) * 1000) });
    expect(convo?.windowExpiresAt).toEqual(new Date((1_700_000_000 + 49) * 1000 + 24 * 3600_000));
  });
});
