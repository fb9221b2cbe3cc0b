// The intake's batches (ADR 0005): a POST's items recorded in order in one tenant transaction, a bad
// item not losing the good ones, statuses applied together as they would be one by one, and the
// signature cache following a rotated secret or a disconnected number.
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
  firstMessageId,
  intakeProbes,
  loadFixtures,
  postWebhook,
  retarget,
  waitFor,
  type Json,
  type TestNumber,
} from '../../../test/whatsapp-support.ts';

describe(`WhatsApp webhook intake batches (${engine})`, () => {
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
      const last = await probes.waitForMessage(fromZ);

      const target = await probes.messageById(first);
      expect(target?.reactions).toEqual({ [x]: '👍' });
      const twice = await app.database.tenant(tenant.organizationId, (tx) =>
        tx
          .select({ id: messages.id })
          .from(messages)
          .where(and(eq(messages.tenantId, tenant.organizationId), eq(messages.externalId, repeated))),
      );
      expect(twice).toHaveLength(1);
      // The number change applied before the next message: the new number is the same client.
      const [oldY, newY] = [await probes.messageById(fromY), await probes.messageById(fromYNew)];
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
      const inbound = await probes.waitForMessage(hello);
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
      await probes.waitForMessage(good);
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
      await probes.waitForMessage(sent.at(-1)!);
      const removed = await tenant.owner.request({
        method: 'DELETE',
        url: `/api/v1/whatsapp/numbers/${other.id}`,
      });
      expect(removed.statusCode).toBe(204);
      const unknownBefore = app.services.intake.counters.unknownNumbers;
      const before = await probes.receiptCount();
      expect((await post(rotated)).statusCode).toBe(200);
      expect(await probes.receiptCount()).toBe(before);
      expect(app.services.intake.counters.unknownNumbers).toBe(unknownBefore + 1);
    });
  });
});
