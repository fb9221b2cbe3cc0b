import { randomBytes } from 'node:crypto';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { contacts } from '../contacts/contacts.tables.ts';
import { conversations, messages, pendingStatuses } from '../conversations/conversations.tables.ts';
import { webhookReceipts } from './whatsapp.tables.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { createTenant, createTestApp, engine, type TestTenant } from '../../../test/harness.ts';
import {
  connectNumber,
  loadFixtures,
  postWebhook,
  retarget,
  sign,
  waitFor,
  type Json,
  type TestNumber,
} from '../../../test/whatsapp-support.ts';

type MessageRow = typeof messages.$inferSelect;

describe(`WhatsApp webhook intake (${engine})`, () => {
  let app: SwitchboardApp;
  let tenant: TestTenant;
  let number: TestNumber;

  beforeAll(async () => {
    app = await createTestApp();
    tenant = await createTenant(app);
    number = await connectNumber(tenant);
  });
  afterAll(async () => app.close());

  const messageById = (externalId: string) =>
    app.database.tenant(tenant.organizationId, async (tx) => {
      const [row] = await tx
        .select()
        .from(messages)
        .where(and(eq(messages.tenantId, tenant.organizationId), eq(messages.externalId, externalId)));
      return row;
    });
  const waitForMessage = (externalId: string) => waitFor(() => messageById(externalId));
  const receiptCount = async () =>
    (await app.database.system((tx) => tx.select({ id: webhookReceipts.id }).from(webhookReceipts))).length;
  const firstMessageId = (body: Json): string => {
    const entry = (body['entry'] as { changes: { value: { messages?: { id: string }[] } }[] }[])[0]!;
    return entry.changes[0]!.value.messages![0]!.id;
  };

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
    const before = await receiptCount();
    expect((await postWebhook(app, body, null)).statusCode).toBe(401);
    expect((await postWebhook(app, body, 'not-the-secret')).statusCode).toBe(401);
    expect((await postWebhook(app, body, null, { 'x-hub-signature-256': 'sha256=zz' })).statusCode).toBe(401);
    expect(await receiptCount()).toBe(before);
    expect(await messageById(firstMessageId(body))).toBeUndefined();
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
    const stored = await waitForMessage(firstMessageId(body));
    expect(stored.content).toEqual({ body: 'Olá, ¿cómo estás? مرحبا 🙂' });
  });

  it('answers 200 for an unknown phone number id, stores no payload, and counts it', async () => {
    const body = loadFixtures('message.json')['text']!;
    const before = await receiptCount();
    const res = await postWebhook(app, body, 'whatever');
    expect(res.statusCode).toBe(200);
    expect(await receiptCount()).toBe(before);
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
      for (const [key, id] of posted) stored.set(key, await waitForMessage(id));
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
    const row = await waitForMessage(firstMessageId(body));
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
    const last = await waitForMessage(`wamid.batch.${tag}.49`);
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

  describe('batches', () => {
    const customer = () => `55119${String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, '0')}`;
    const wid = (tag: string) => `wamid.${tag}.${randomBytes(6).toString('hex')}`;
    const change = (items: Json[], contacts: Json[], statuses: Json[] = []) => ({
      field: 'messages',
      value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '15550100', phone_number_id: number.phoneNumberId },
        contacts,
        messages: items,
        ...(statuses.length > 0 ? { statuses } : {}),
      },
    });
    const envelope = (changes: Json[]) => ({
      object: 'whatsapp_business_account',
      entry: [{ id: number.wabaId, changes }],
    });
    const text = (from: string, id: string, body: string, at = Math.floor(Date.now() / 1000)) => ({
      from,
      id,
      timestamp: String(at),
      type: 'text',
      text: { body },
    });
    const receiptsWith = (marker: string) =>
      app.database.system((tx) =>
        tx
          .select()
          .from(webhookReceipts)
          .where(like(webhookReceipts.body, `%${marker}%`)),
      );

    it('records a mixed POST in order: effects on messages of the same batch, a number change, statuses, duplicates', async () => {
      const [x, y, yNew, z] = [customer(), customer(), customer(), customer()];
      const first = wid('mixed');
      const repeated = wid('mixed');
      const unknownStatus = wid('mixed-status');
      const fromY = wid('mixed');
      const fromYNew = wid('mixed');
      const fromZ = wid('mixed');
      const body = envelope([
        change(
          [
            text(x, first, 'Preço?'),
            {
              from: x,
              id: wid('mixed'),
              timestamp: '1753851315',
              type: 'reaction',
              reaction: { message_id: first, emoji: '👍' },
            },
            text(x, repeated, 'twice'),
            text(x, repeated, 'twice'),
            text(y, fromY, 'old number'),
            {
              from: y,
              id: wid('mixed'),
              timestamp: '1753851316',
              type: 'system',
              system: { body: `changed from ${y} to ${yNew}`, wa_id: yNew, type: 'user_changed_number' },
            },
          ],
          [
            { wa_id: x, profile: { name: 'Xavier' } },
            { wa_id: y, profile: { name: 'Yara' } },
          ],
          [{ id: unknownStatus, status: 'delivered', timestamp: '1753851317', recipient_id: x }],
        ),
        change([text(yNew, fromYNew, 'new number')], [{ wa_id: yNew, profile: { name: 'Yara' } }]),
        change([text(z, fromZ, 'first time')], [{ wa_id: z, profile: { name: 'Zoe' } }]),
      ]);
      expect((await postWebhook(app, body, number.appSecret)).statusCode).toBe(200);
      const last = await waitForMessage(fromZ);

      const target = await messageById(first);
      expect(target?.reactions).toEqual({ [x]: '👍' });
      const twice = await app.database.tenant(tenant.organizationId, (tx) =>
        tx
          .select({ id: messages.id })
          .from(messages)
          .where(and(eq(messages.tenantId, tenant.organizationId), eq(messages.externalId, repeated))),
      );
      expect(twice).toHaveLength(1);
      // The number change applied before the next message: the new number is the same client.
      const [oldY, newY] = [await messageById(fromY), await messageById(fromYNew)];
      expect(newY?.contactId).toBe(oldY?.contactId);
      expect(newY?.conversationId).toBe(oldY?.conversationId);
      const yContact = await app.database.tenant(tenant.organizationId, async (tx) => {
        const [c] = await tx.select().from(contacts).where(eq(contacts.id, oldY!.contactId));
        return c;
      });
      expect(yContact).toMatchObject({ waId: yNew, profileName: 'Yara' });
      // A new client: one contact, one open conversation.
      const zConversations = await app.database.tenant(tenant.organizationId, (tx) =>
        tx
          .select()
          .from(conversations)
          .where(
            and(
              eq(conversations.tenantId, tenant.organizationId),
              eq(conversations.contactId, last.contactId),
            ),
          ),
      );
      expect(zConversations).toMatchObject([{ status: 'open' }]);
      // A status for a message we do not have is kept for later.
      const pending = await app.database.tenant(tenant.organizationId, (tx) =>
        tx
          .select()
          .from(pendingStatuses)
          .where(
            and(
              eq(pendingStatuses.tenantId, tenant.organizationId),
              eq(pendingStatuses.externalId, unknownStatus),
            ),
          ),
      );
      expect(pending).toHaveLength(1);
      const [receipt] = await waitFor(async () => {
        const rows = await receiptsWith(fromZ);
        return rows.every((r) => r.processedAt) && rows.length === 1 ? rows : undefined;
      });
      expect(receipt).toMatchObject({ attempts: 1, lastError: null });
    });

    it('applies a batch of statuses as one by one: in order, monotonic, failed terminal, adopted by our id, kept for later', async () => {
      const x = customer();
      const hello = wid('statuses');
      expect(
        (await postWebhook(app, envelope([change([text(x, hello, 'hi')], [{ wa_id: x }])]), number.appSecret))
          .statusCode,
      ).toBe(200);
      const inbound = await waitForMessage(hello);
      const [a, b, c] = [uuidv7(), uuidv7(), uuidv7()];
      const [wa, wb, wc, unknown] = [wid('a'), wid('b'), wid('c'), wid('unknown')];
      await app.database.tenant(tenant.organizationId, (tx) =>
        tx.insert(messages).values(
          [
            { id: a, externalId: wa, status: 'sent' as const },
            { id: b, externalId: wb, status: 'sent' as const },
            // Sent, but its answer was lost: Meta's statuses name it by our id only.
            { id: c, externalId: null, status: 'unknown' as const },
          ].map((m) => ({
            ...m,
            tenantId: tenant.organizationId,
            conversationId: inbound.conversationId,
            contactId: inbound.contactId,
            numberId: inbound.numberId,
            direction: 'outbound' as const,
            type: 'text' as const,
            content: { body: 'answer' },
            occurredAt: new Date(),
            createdAt: new Date(),
          })),
        ),
      );
      const at = (n: number) => String(1_753_900_000 + n);
      const statuses = [
        { id: wa, status: 'delivered', timestamp: at(1), recipient_id: x },
        { id: wa, status: 'read', timestamp: at(2), recipient_id: x },
        { id: wa, status: 'sent', timestamp: at(3), recipient_id: x },
        {
          id: wb,
          status: 'failed',
          timestamp: at(4),
          recipient_id: x,
          errors: [{ code: 131050, title: 'stopped' }],
        },
        { id: wb, status: 'delivered', timestamp: at(5), recipient_id: x },
        { id: wc, status: 'delivered', timestamp: at(6), recipient_id: x, biz_opaque_callback_data: c },
        { id: wc, status: 'read', timestamp: at(7), recipient_id: x },
        { id: unknown, status: 'delivered', timestamp: at(8), recipient_id: x },
      ];
      const body = envelope([change([], [], statuses)]);
      expect((await postWebhook(app, body, number.appSecret)).statusCode).toBe(200);
      await waitFor(async () => {
        const rows = await receiptsWith(unknown);
        return rows.length === 1 && rows[0]!.processedAt ? rows : undefined;
      });
      const rows = await app.database.tenant(tenant.organizationId, (tx) =>
        tx
          .select()
          .from(messages)
          .where(
            and(
              eq(messages.tenantId, tenant.organizationId),
              eq(messages.conversationId, inbound.conversationId),
            ),
          ),
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(byId.get(a)).toMatchObject({ status: 'read', statusAt: new Date(Number(at(2)) * 1000) });
      expect(byId.get(b)).toMatchObject({
        status: 'failed',
        errorCode: '131050',
        statusAt: new Date(Number(at(4)) * 1000),
      });
      expect(byId.get(c)).toMatchObject({
        externalId: wc,
        status: 'read',
        statusAt: new Date(Number(at(7)) * 1000),
      });
      const [client] = await app.database.tenant(tenant.organizationId, (tx) =>
        tx.select().from(contacts).where(eq(contacts.id, inbound.contactId)),
      );
      expect(client?.marketingOptOutSource).toBe('131050');
      const pending = await app.database.tenant(tenant.organizationId, (tx) =>
        tx
          .select()
          .from(pendingStatuses)
          .where(
            and(eq(pendingStatuses.tenantId, tenant.organizationId), eq(pendingStatuses.externalId, unknown)),
          ),
      );
      expect(pending).toMatchObject([{ status: 'delivered' }]);
    });

    it('stores the good messages of a POST with a bad one, and keeps the receipt for a retry', async () => {
      const good = wid('partial');
      const body = envelope([
        change(
          [
            text(customer(), good, 'fine'),
            { id: wid('partial'), timestamp: '1753851315', type: 'text', text: { body: '?' } },
          ],
          [],
        ),
      ]);
      expect((await postWebhook(app, body, number.appSecret)).statusCode).toBe(200);
      await waitForMessage(good);
      const [receipt] = await waitFor(async () => {
        const rows = await receiptsWith(good);
        return rows[0]?.lastError ? rows : undefined;
      });
      expect(receipt?.processedAt).toBeNull();
      expect(receipt?.lastError).toMatch(/no sender id/);
      expect(receipt?.attempts).toBeGreaterThanOrEqual(1);
      // Tried again later (2 s, 4 s, ...), not at once.
      expect(receipt!.availableAt.getTime()).toBeGreaterThan(Date.now());
    });

    it('sees a rotated app secret or a disconnected number at once, despite the signature cache', async () => {
      const other = await connectNumber(tenant);
      const sent: string[] = [];
      const post = (secret: string) => {
        const body = retarget(loadFixtures('message.json')['text']!, other, randomBytes(3).toString('hex'));
        sent.push(firstMessageId(body));
        return postWebhook(app, body, secret);
      };
      expect((await post(other.appSecret)).statusCode).toBe(200); // cached from here on
      const rotated = `${other.appSecret}-rotated`;
      const patched = await tenant.owner.request({
        method: 'PATCH',
        url: `/api/v1/whatsapp/numbers/${other.id}`,
        payload: { appSecret: rotated },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect((await post(other.appSecret)).statusCode).toBe(401);
      expect((await post(rotated)).statusCode).toBe(200);
      // Stored before the number goes, so the worker does not count it unknown meanwhile.
      await waitForMessage(sent.at(-1)!);
      const removed = await tenant.owner.request({
        method: 'DELETE',
        url: `/api/v1/whatsapp/numbers/${other.id}`,
      });
      expect(removed.statusCode).toBe(204);
      const unknownBefore = app.services.intake.counters.unknownNumbers;
      const before = await receiptCount();
      expect((await post(rotated)).statusCode).toBe(200);
      expect(await receiptCount()).toBe(before);
      expect(app.services.intake.counters.unknownNumbers).toBe(unknownBefore + 1);
    });
  });
});
