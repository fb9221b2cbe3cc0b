import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { realtimeEvents } from '../../platform/realtime/realtime.tables.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import {
  addUser,
  createTenant,
  createTestApp,
  engine,
  withApiKey,
  type Caller,
  type TestTenant,
} from '../../../test/harness.ts';
import { customer, inboundText } from '../../../test/inbox-support.ts';
import { connectNumber, type TestNumber } from '../../../test/whatsapp-support.ts';
import { conversations } from '../conversations/conversations.tables.ts';
import { labelsRepo } from '../labels/labels.repo.ts';

interface Contact {
  id: string;
  name: string | null;
  profileName: string | null;
  waId: string | null;
  phoneE164: string | null;
  whatsappUserId: string | null;
  attributes: Record<string, unknown>;
  labels: { id: string; name: string }[];
}

describe(`merging contacts (${engine})`, () => {
  let app: SwitchboardApp;
  let tenant: TestTenant;
  let support: TestNumber;
  let sales: TestNumber;
  beforeAll(async () => {
    app = await createTestApp();
    tenant = await createTenant(app);
    support = await connectNumber(tenant, 'Support');
    sales = await connectNumber(tenant, 'Sales');
    for (const [key, type] of [
      ['plan', 'text'],
      ['seats', 'number'],
    ] as const) {
      await tenant.owner.request({
        method: 'POST',
        url: '/api/v1/contact-attributes',
        payload: { key, label: key, type },
      });
    }
  });
  afterAll(async () => app.close());

  const call = async (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    url: string,
    payload?: object,
    caller: Caller = tenant.owner,
  ) => {
    const res = await caller.request({ method, url, ...(payload ? { payload } : {}) });
    return res;
  };
  const ok = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) => {
    const res = await call(method, url, payload);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res;
  };
  const merge = (targetId: string, sourceContactId: string, caller: Caller = tenant.owner) =>
    call('POST', `/api/v1/contacts/${targetId}/merge`, { sourceContactId }, caller);
  const conversationsOf = (contactId: string) =>
    app.database.tenant(tenant.organizationId, (tx) =>
      tx
        .select()
        .from(conversations)
        .where(
          and(eq(conversations.tenantId, tenant.organizationId), eq(conversations.contactId, contactId)),
        ),
    );
  const history = async (conversationId: string) =>
    (await ok('GET', `/api/v1/conversations/${conversationId}/messages?limit=100`))
      .json<{ items: { content: { body?: string } }[] }>()
      .items.map((m) => m.content.body)
      .sort();

  it('moves conversations, messages, labels, notes and identity; later messages from the source land on the target', async () => {
    // The target knows the client only by a business-scoped user id; the duplicate by phone.
    const userId = `BR.${randomBytes(8).toString('hex')}`;
    const waId = customer();
    const t1 = await inboundText(app, tenant.organizationId, support, { userId: userId }, 'target hello', {
      name: 'Ana',
    });
    const s1 = await inboundText(app, tenant.organizationId, support, waId, 'source one', {
      name: 'Ana Souza',
    });
    await inboundText(app, tenant.organizationId, support, waId, 'source two', { name: 'Ana Souza' });
    const s2 = await inboundText(app, tenant.organizationId, sales, waId, 'source sales', {
      name: 'Ana Souza',
    });
    const target = t1.contactId;
    const source = s1.contactId;
    expect(source).not.toBe(target);

    const label = async (name: string) =>
      (await ok('POST', '/api/v1/labels', { name, color: '#336699' })).json<{ id: string }>().id;
    const [shared, only] = [await label(`Shared ${waId}`), await label(`Only ${waId}`)];
    for (const [kind, id, labels] of [
      ['contacts', target, [shared]],
      ['contacts', source, [shared, only]],
      ['conversations', t1.conversationId, [shared]],
      ['conversations', s1.conversationId, [shared, only]],
    ] as const) {
      for (const l of labels) await ok('PUT', `/api/v1/${kind}/${id}/labels/${l}`);
    }
    await ok('POST', `/api/v1/contacts/${source}/notes`, { body: 'Met at the fair' });
    await ok('PATCH', `/api/v1/contacts/${target}`, { attributes: { plan: 'gold' } });
    await ok('PATCH', `/api/v1/contacts/${source}`, {
      name: 'Ana (phone)',
      attributes: { plan: 'silver', seats: 3 },
    });
    await ok('PATCH', `/api/v1/conversations/${s1.conversationId}`, { priority: 'high' });

    const res = await merge(target, source);
    expect(res.statusCode, res.body).toBe(200);
    const merged = res.json<Contact>();
    expect(merged).toMatchObject({
      id: target,
      waId,
      phoneE164: `+${waId}`,
      whatsappUserId: userId,
      name: 'Ana (phone)',
      profileName: 'Ana',
      attributes: { plan: 'gold', seats: 3 },
    });
    expect(merged.labels.map((l) => l.id).sort()).toEqual([shared, only].sort());
    expect((await call('GET', `/api/v1/contacts/${source}`)).statusCode).toBe(404);

    // Both active on the support number: the source's messages joined the target's conversation,
    // which took the higher priority, and the emptied one is gone. The sales one moved as is.
    const after = await conversationsOf(target);
    expect(after.map((c) => c.id).sort()).toEqual([t1.conversationId, s2.conversationId].sort());
    expect(after.find((c) => c.id === t1.conversationId)).toMatchObject({ status: 'open', priority: 'high' });
    expect((await call('GET', `/api/v1/conversations/${s1.conversationId}`)).statusCode).toBe(404);
    expect(await history(t1.conversationId)).toEqual(['source one', 'source two', 'target hello']);
    expect(await history(s2.conversationId)).toEqual(['source sales']);
    const conversationLabels = await app.database.tenant(tenant.organizationId, (tx) =>
      labelsRepo(tx).labelsOf(tenant.organizationId, [t1.conversationId]),
    );
    expect(
      conversationLabels
        .get(t1.conversationId)
        ?.map((l) => l.id)
        .sort(),
    ).toEqual([shared, only].sort());
    const notes = await ok('GET', `/api/v1/contacts/${target}/notes`);
    expect(notes.json<{ items: { body: string }[] }>().items.map((n) => n.body)).toEqual(['Met at the fair']);

    const audit = await ok('GET', `/api/v1/audit-log?action=contact.merged&targetId=${target}`);
    expect(audit.json<{ items: unknown[] }>().items).toEqual([
      expect.objectContaining({
        action: 'contact.merged',
        before: { source: expect.objectContaining({ id: source, waId }) },
        after: { conversationsMoved: 1, conversationsFolded: 1, messagesMoved: 3, notesMoved: 1 },
      }),
    ]);
    const [gone] = await app.database
      .tenant(tenant.organizationId, (tx) =>
        tx
          .select()
          .from(realtimeEvents)
          .where(
            and(
              eq(realtimeEvents.tenantId, tenant.organizationId),
              eq(realtimeEvents.conversationId, s1.conversationId),
            ),
          )
          .orderBy(realtimeEvents.seq),
      )
      .then((rows) => rows.slice(-1));
    expect(gone?.data).toMatchObject({ deleted: true, mergedIntoConversationId: t1.conversationId });

    // The client writes again from the phone: same contact, same conversation.
    const later = await inboundText(app, tenant.organizationId, support, waId, 'after the merge');
    expect(later).toMatchObject({ contactId: target, conversationId: t1.conversationId });
    const bySales = await inboundText(app, tenant.organizationId, sales, waId, 'sales again');
    expect(bySales).toMatchObject({ contactId: target, conversationId: s2.conversationId });
    const byUserId = await inboundText(
      app,
      tenant.organizationId,
      support,
      { userId: userId },
      'by user id',
      { name: 'Ana' },
    );
    expect(byUserId).toMatchObject({ contactId: target, conversationId: t1.conversationId });
  });

  it('moves a resolved conversation as it is, next to the target’s active one', async () => {
    const target = await inboundText(app, tenant.organizationId, support, customer(), 'target');
    const sourceWa = customer();
    const sourceMessage = await inboundText(app, tenant.organizationId, support, sourceWa, 'old');
    await ok('PATCH', `/api/v1/conversations/${sourceMessage.conversationId}`, { status: 'resolved' });
    // Different WhatsApp ids cannot merge; a business-scoped target can take the source's.
    expect((await merge(target.contactId, sourceMessage.contactId)).statusCode).toBe(409);
    const bsuTarget = await inboundText(
      app,
      tenant.organizationId,
      support,
      { userId: `BR.${randomBytes(8).toString('hex')}` },
      'hi',
      { name: 'B' },
    );
    const res = await merge(bsuTarget.contactId, sourceMessage.contactId);
    expect(res.statusCode, res.body).toBe(200);
    const after = await conversationsOf(bsuTarget.contactId);
    expect(after.map((c) => [c.id, c.status]).sort()).toEqual(
      [
        [bsuTarget.conversationId, 'open'],
        [sourceMessage.conversationId, 'resolved'],
      ].sort(),
    );
  });

  it('refuses merging into itself (422), foreign or unknown contacts (404), conflicting identities (409)', async () => {
    const a = await inboundText(app, tenant.organizationId, support, customer(), 'a');
    const b = await inboundText(app, tenant.organizationId, support, customer(), 'b');
    const self = await merge(a.contactId, a.contactId);
    expect(self.statusCode).toBe(422);
    expect(self.json()).toMatchObject({
      code: 'unprocessable_content',
      errors: [{ path: 'body.sourceContactId' }],
    });

    const other = await createTenant(app);
    const theirNumber = await connectNumber(other);
    const theirs = await inboundText(app, other.organizationId, theirNumber, customer(), 'theirs');
    const foreignSource = await merge(a.contactId, theirs.contactId);
    expect(foreignSource.statusCode).toBe(404);
    expect(foreignSource.json()).toMatchObject({ errors: [{ path: 'body.sourceContactId' }] });
    expect((await merge(theirs.contactId, a.contactId)).statusCode).toBe(404);
    expect((await merge(a.contactId, theirs.contactId, other.owner)).statusCode).toBe(404);
    expect((await merge(uuidv7(), a.contactId)).statusCode).toBe(404);

    const conflict = await merge(a.contactId, b.contactId);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toMatchObject({ code: 'conflict', errors: [{ path: 'body.sourceContactId' }] });
    expect(
      (await call('POST', `/api/v1/contacts/${a.contactId}/merge`, { sourceContactId: 'x' })).statusCode,
    ).toBe(400);
    expect(
      (
        await call('POST', `/api/v1/contacts/${a.contactId}/merge`, {
          sourceContactId: b.contactId,
          force: true,
        })
      ).statusCode,
    ).toBe(400);
    // Nothing moved.
    expect((await call('GET', `/api/v1/contacts/${b.contactId}`)).statusCode).toBe(200);
    expect(
      (await call('GET', `/api/v1/contacts/${theirs.contactId}`, undefined, other.owner)).statusCode,
    ).toBe(200);
  });

  it('needs conversations.manage', async () => {
    const target = await inboundText(
      app,
      tenant.organizationId,
      support,
      { userId: `BR.${randomBytes(8).toString('hex')}` },
      'hi',
      { name: 'C' },
    );
    const source = await inboundText(app, tenant.organizationId, support, customer(), 'dup');
    const readerKey = await ok('POST', '/api/v1/api-keys', { name: 'r', scopes: ['conversations.read'] });
    const reader = withApiKey(app, readerKey.json<{ key: string }>().key);
    expect((await merge(target.contactId, source.contactId, reader)).statusCode).toBe(403);
    const agent = await addUser(app, tenant, 'agent');
    expect((await merge(target.contactId, source.contactId, agent.caller)).statusCode).toBe(200);
  });
});
