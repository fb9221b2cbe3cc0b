import { randomBytes } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import type { Tx } from '../../platform/db/database.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { contacts } from '../contacts/contacts.tables.ts';
import { conversations, messages } from './conversations.tables.ts';
import { conversationsRepo } from './conversations.repo.ts';
import { createTenant, createTestApp, engine, type TestTenant } from '../../../test/harness.ts';
import { connectNumber, postWebhook, waitFor, type TestNumber } from '../../../test/whatsapp-support.ts';

type Item = Record<string, unknown>;

describe(`inbound messages and statuses (${engine})`, () => {
  let app: SwitchboardApp;
  let tenant: TestTenant;
  let number: TestNumber;
  beforeAll(async () => {
    app = await createTestApp();
    tenant = await createTenant(app);
    number = await connectNumber(tenant);
  });
  afterAll(async () => app.close());

  const customer = () => `55119${String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, '0')}`;
  const envelope = (value: Item) => ({
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
              ...value,
            },
          },
        ],
      },
    ],
  });
  const send = async (from: string, items: Item[], name = 'Cliente') => {
    const res = await postWebhook(
      app,
      envelope({
        contacts: [{ wa_id: from, profile: { name } }],
        messages: items.map((m) => ({ from, timestamp: String(Math.floor(Date.now() / 1000)), ...m })),
      }),
      number.appSecret,
    );
    expect(res.statusCode).toBe(200);
  };
  const tx = <T>(fn: (t: Tx) => Promise<T>) => app.database.tenant(tenant.organizationId, fn);
  const message = (externalId: string) =>
    tx(
      async (t) =>
        (
          await t
            .select()
            .from(messages)
            .where(and(eq(messages.tenantId, tenant.organizationId), eq(messages.externalId, externalId)))
        )[0],
    );
  const wid = () => `wamid.${randomBytes(8).toString('hex')}`;

  it('attaches a reaction to its target and clears it on removal', async () => {
    const from = customer();
    const target = wid();
    await send(from, [{ id: target, type: 'text', text: { body: 'Preço?' } }]);
    await waitFor(() => message(target));
    const like = wid();
    await send(from, [{ id: like, type: 'reaction', reaction: { message_id: target, emoji: '👍' } }]);
    await waitFor(async () => ((await message(target))?.reactions[from] === '👍' ? true : undefined));
    await send(from, [{ id: wid(), type: 'reaction', reaction: { message_id: target } }]);
    await waitFor(async () =>
      Object.keys((await message(target))?.reactions ?? { x: 1 }).length === 0 ? true : undefined,
    );
    expect((await message(target))?.reactions).toEqual({});
  });

  it('moves the contact to the new number on a number-change system message', async () => {
    const from = customer();
    const next = customer();
    await send(from, [{ id: wid(), type: 'text', text: { body: 'oi' } }]);
    const sys = wid();
    await postWebhook(
      app,
      envelope({
        messages: [
          {
            from,
            id: sys,
            timestamp: '1753851315',
            type: 'system',
            system: { body: `changed from ${from} to ${next}`, wa_id: next, type: 'user_changed_number' },
          },
        ],
      }),
      number.appSecret,
    );
    const stored = await waitFor(() => message(sys));
    const contact = await tx(
      async (t) => (await t.select().from(contacts).where(eq(contacts.id, stored.contactId)))[0],
    );
    expect(contact).toMatchObject({ waId: next, phoneE164: `+${next}` });
  });

  it('reopens a resolved conversation when the client writes again', async () => {
    const from = customer();
    const first = wid();
    await send(from, [{ id: first, type: 'text', text: { body: 'one' } }]);
    const m1 = await waitFor(() => message(first));
    await tx((t) =>
      conversationsRepo(t).update(tenant.organizationId, m1.conversationId, {
        status: 'resolved',
        resolvedAt: new Date(),
      }),
    );
    const second = wid();
    await send(from, [{ id: second, type: 'text', text: { body: 'two' } }]);
    const m2 = await waitFor(() => message(second));
    expect(m2.conversationId).toBe(m1.conversationId);
    const convo = await tx(
      async (t) => (await t.select().from(conversations).where(eq(conversations.id, m1.conversationId)))[0],
    );
    expect(convo).toMatchObject({ status: 'open', resolvedAt: null });
  });

  describe('statuses', () => {
    /** An outbound message as the sender (issue 5) will store it. */
    async function outbound(status: 'queued' | 'sent' = 'sent') {
      const from = customer();
      const seed = wid();
      await send(from, [{ id: seed, type: 'text', text: { body: 'hi' } }]);
      const inbound = await waitFor(() => message(seed));
      const externalId = wid();
      await tx((t) =>
        t.insert(messages).values({
          id: uuidv7(),
          tenantId: tenant.organizationId,
          conversationId: inbound.conversationId,
          contactId: inbound.contactId,
          numberId: inbound.numberId,
          direction: 'outbound',
          type: 'text',
          content: { body: 'answer' },
          externalId,
          status,
          occurredAt: new Date(),
          createdAt: new Date(),
        }),
      );
      return { externalId, to: from };
    }
    const statusBody = (externalId: string, to: string, status: string, ts: number, extra: Item = {}) =>
      envelope({ statuses: [{ id: externalId, status, timestamp: String(ts), recipient_id: to, ...extra }] });

    it('ends at the highest state whatever order statuses arrive in, and twice is harmless', async () => {
      const { externalId, to } = await outbound();
      for (const [s, ts] of [
        ['read', 30],
        ['delivered', 20],
        ['sent', 10],
        ['read', 30],
      ] as const) {
        expect(
          (await postWebhook(app, statusBody(externalId, to, s, 1_700_000_000 + ts), number.appSecret))
            .statusCode,
        ).toBe(200);
      }
      await waitFor(async () => ((await message(externalId))?.status === 'read' ? true : undefined));
      await new Promise((r) => setTimeout(r, 1500)); // let the late `delivered` and `sent` be processed
      expect((await message(externalId))?.status).toBe('read');
    });

    it('keeps failed as terminal, with its code and a readable reason (131047: the window had closed)', async () => {
      const { externalId, to } = await outbound();
      const failed = statusBody(externalId, to, 'failed', 1_700_000_100, {
        errors: [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message' }],
      });
      await postWebhook(app, failed, number.appSecret);
      await waitFor(async () => ((await message(externalId))?.status === 'failed' ? true : undefined));
      await postWebhook(app, statusBody(externalId, to, 'read', 1_700_000_200), number.appSecret);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await message(externalId)).toMatchObject({
        status: 'failed',
        errorCode: '131047',
        errorTitle: 'More than 24 hours have passed since the client last wrote; only a template can be sent',
      });
    });
  });

  it('attributes concurrent messages from many clients to the right client, one conversation each', async () => {
    const clients = Array.from({ length: 40 }, () => customer());
    const perClient = 5;
    const ids = new Map<string, string[]>();
    await Promise.all(
      clients.flatMap((from) =>
        Array.from({ length: perClient }, async (_, i) => {
          const id = wid();
          ids.set(from, [...(ids.get(from) ?? []), id]);
          await send(from, [{ id, type: 'text', text: { body: `${from} #${i}` } }], `Client ${from}`);
        }),
      ),
    );
    const all = [...ids.values()].flat();
    const rows = await waitFor(async () => {
      const found = await tx((t) =>
        t
          .select()
          .from(messages)
          .where(and(eq(messages.tenantId, tenant.organizationId), inArray(messages.externalId, all))),
      );
      return found.length === all.length ? found : undefined;
    }, 60_000);
    const people = await tx((t) =>
      t
        .select()
        .from(contacts)
        .where(inArray(contacts.id, [...new Set(rows.map((r) => r.contactId))])),
    );
    const waIdOf = new Map(people.map((p) => [p.id, p.waId]));
    for (const row of rows) {
      const body = (row.content as { body: string }).body;
      expect(
        body.startsWith(`${waIdOf.get(row.contactId)} #`),
        `${body} stored under ${waIdOf.get(row.contactId)}`,
      ).toBe(true);
    }
    const byClient = new Map<string, Set<string>>();
    for (const row of rows)
      byClient.set(row.contactId, (byClient.get(row.contactId) ?? new Set()).add(row.conversationId));
    expect(byClient.size).toBe(clients.length);
    for (const convos of byClient.values()) expect(convos.size).toBe(1);
  });
});
