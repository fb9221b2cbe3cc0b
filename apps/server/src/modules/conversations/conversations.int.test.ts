import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { conversationsRepo } from './conversations.repo.ts';
import {
  addUser,
  createTenant,
  createTestApp,
  engine,
  withApiKey,
  type Caller,
  type TestTenant,
} from '../../../test/harness.ts';
import { connectNumber, type TestNumber } from '../../../test/whatsapp-support.ts';
import { customer, inboundText, storeOutbound, type StoredMessage } from '../../../test/inbox-support.ts';

interface Convo {
  id: string;
  status: string;
  snoozedUntil: string | null;
  priority: string;
  assigneeId: string | null;
  lastMessageAt: string;
  resolvedAt: string | null;
  unreadCount: number;
  contact: { id: string; waId: string; phoneE164: string; profileName: string };
  number: { id: string; purpose: string };
  lastMessage: { id: string; preview: string; direction: string } | null;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Problem {
  code: string;
  errors?: { path: string }[];
}

const get = async <T>(caller: Caller, url: string) => {
  const res = await caller.request({ method: 'GET', url });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return res.json<T>();
};
const paths = (body: Problem) => (body.errors ?? []).map((e) => e.path);
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe(`conversations API (${engine})`, () => {
  let app: SwitchboardApp;
  let tenant: TestTenant;
  let number: TestNumber;
  let other: TestNumber;
  const first: StoredMessage[] = [];
  beforeAll(async () => {
    app = await createTestApp();
    tenant = await createTenant(app);
    number = await connectNumber(tenant, 'Sales');
    other = await connectNumber(tenant, 'Support');
    // Five clients, the oldest first; the last writes to the other number.
    for (let i = 0; i < 5; i++) {
      const from = customer();
      const m = await inboundText(app, tenant.organizationId, i === 4 ? other : number, from, `hello ${i}`, {
        at: ago(100 - i),
        name: `Client ${i}`,
      });
      waIds.set(m.contactId, from);
      first.push(m);
    }
  });
  afterAll(async () => app.close());

  /** The client writes again: to the conversation of `from` when it is a stored message. */
  const waIds = new Map<string, string>();
  const send = async (from: StoredMessage | string, body: string, at?: Date) => {
    const waId = typeof from === 'string' ? from : waIds.get(from.contactId)!;
    const m = await inboundText(app, tenant.organizationId, number, waId, body, at ? { at } : {});
    waIds.set(m.contactId, waId);
    return m;
  };
  const patch = (id: string, payload: object, caller: Caller = tenant.owner) =>
    caller.request({ method: 'PATCH', url: `/api/v1/conversations/${id}`, payload });

  it('lists newest activity first with contact, number and last message, and pages without duplicates', async () => {
    const all = await get<Page<Convo>>(tenant.owner, '/api/v1/conversations?limit=100');
    expect(all.items.map((c) => c.id)).toEqual(first.map((m) => m.conversationId).reverse());
    expect(all.items[0]).toMatchObject({
      status: 'open',
      priority: 'none',
      assigneeId: null,
      unreadCount: 1,
      contact: { profileName: 'Client 4', phoneE164: `+${all.items[0]!.contact.waId}` },
      number: { id: other.id, purpose: 'Support' },
      lastMessage: { id: first[4]!.id, direction: 'inbound', preview: 'hello 4' },
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Convo> = await get(
        tenant.owner,
        `/api/v1/conversations?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((c) => c.id));
    const single = await get<Convo>(tenant.owner, `/api/v1/conversations/${first[0]!.conversationId}`);
    expect(single).toMatchObject({ id: first[0]!.conversationId, lastMessage: { preview: 'hello 0' } });
  });

  it('counts, for an API key, inbound messages since the last outbound one as unread', async () => {
    const res = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'unread', scopes: ['conversations.read'] },
    });
    const key = withApiKey(app, res.json<{ key: string }>().key);
    const m = first[1]!;
    const url = `/api/v1/conversations/${m.conversationId}`;
    await send(m, 'are you there?', ago(90));
    expect((await get<Convo>(key, url)).unreadCount).toBe(2);
    await storeOutbound(app, tenant.organizationId, m, ago(89));
    expect((await get<Convo>(key, url)).unreadCount).toBe(0);
    // A user has read marks instead (inbox.int.test.ts): replies do not mark read.
    expect((await get<Convo>(tenant.owner, url)).unreadCount).toBe(2);
    await send(m, 'thanks', ago(88));
    const after = await get<Convo>(key, url);
    expect(after).toMatchObject({ unreadCount: 1, lastMessage: { preview: 'thanks' } });
  });

  it('filters by number, contact, assignee and status, and counts the tabs', async () => {
    const byNumber = await get<Page<Convo>>(tenant.owner, `/api/v1/conversations?numberId=${other.id}`);
    expect(byNumber.items.map((c) => c.id)).toEqual([first[4]!.conversationId]);
    const byContact = await get<Page<Convo>>(
      tenant.owner,
      `/api/v1/conversations?contactId=${first[2]!.contactId}`,
    );
    expect(byContact.items.map((c) => c.id)).toEqual([first[2]!.conversationId]);

    const agent = await addUser(app, tenant, 'agent');
    expect((await patch(first[2]!.conversationId, { assigneeId: tenant.ownerId })).statusCode).toBe(200);
    expect((await patch(first[3]!.conversationId, { assigneeId: agent.id })).statusCode).toBe(200);
    const ids = (p: Page<Convo>) => p.items.map((c) => c.id).sort();
    expect(ids(await get(tenant.owner, '/api/v1/conversations?assignee=me'))).toEqual([
      first[2]!.conversationId,
    ]);
    expect(ids(await get(agent.caller, '/api/v1/conversations?assignee=me'))).toEqual([
      first[3]!.conversationId,
    ]);
    expect(ids(await get(tenant.owner, `/api/v1/conversations?assignee=${agent.id}`))).toEqual([
      first[3]!.conversationId,
    ]);
    const unassigned = ids(await get(tenant.owner, '/api/v1/conversations?assignee=unassigned'));
    expect(unassigned).toHaveLength(3);
    expect(await get(tenant.owner, '/api/v1/conversations/counts')).toEqual({
      mine: 1,
      unassigned: 3,
      all: 5,
      unread: 5,
    });
    expect(await get(agent.caller, `/api/v1/conversations/counts?numberId=${other.id}`)).toEqual({
      mine: 0,
      unassigned: 1,
      all: 1,
      unread: 1,
    });

    expect((await patch(first[0]!.conversationId, { status: 'resolved' })).statusCode).toBe(200);
    expect((await patch(first[1]!.conversationId, { status: 'pending' })).statusCode).toBe(200);
    const open = ids(await get(tenant.owner, '/api/v1/conversations'));
    expect(open).not.toContain(first[0]!.conversationId);
    expect(open).not.toContain(first[1]!.conversationId);
    expect(ids(await get(tenant.owner, '/api/v1/conversations?status=resolved,pending'))).toEqual(
      [first[0]!.conversationId, first[1]!.conversationId].sort(),
    );
    expect(ids(await get(tenant.owner, '/api/v1/conversations?status=all'))).toHaveLength(5);
    expect(await get(tenant.owner, '/api/v1/conversations/counts')).toMatchObject({ all: 3, unassigned: 1 });
    await patch(first[1]!.conversationId, { status: 'open' });
  });

  it('pages messages newest first', async () => {
    const from = customer();
    const sent: StoredMessage[] = [];
    for (let i = 0; i < 5; i++) sent.push(await send(from, `m${i}`, ago(50 - i)));
    const url = `/api/v1/conversations/${sent[0]!.conversationId}/messages?limit=2`;
    const seen: { id: string; content: { body: string } }[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<(typeof seen)[number]> = await get(
        tenant.owner,
        cursor ? `${url}&cursor=${cursor}` : url,
      );
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((m) => m.content.body)).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);
    expect(seen[0]).toMatchObject({
      id: sent[4]!.id,
      direction: 'inbound',
      type: 'text',
      externalId: sent[4]!.externalId,
      status: 'received',
      forwarded: false,
      reactions: {},
      senderUserId: null,
    });
    expect(Object.keys(seen[0]!)).not.toContain('raw');
  });

  it('snoozes only into the future, sets priority, and resolves until the client writes again', async () => {
    const m = await send(customer(), 'help', ago(40));
    const id = m.conversationId;
    const noTime = await patch(id, { status: 'snoozed' });
    expect(noTime.statusCode).toBe(400);
    expect(paths(noTime.json())).toEqual(['body.snoozedUntil']);
    const past = await patch(id, { status: 'snoozed', snoozedUntil: ago(1).toISOString() });
    expect(paths(past.json())).toEqual(['body.snoozedUntil']);
    const stray = await patch(id, {
      status: 'open',
      snoozedUntil: new Date(Date.now() + 3600_000).toISOString(),
    });
    expect(paths(stray.json())).toEqual(['body.snoozedUntil']);
    const until = new Date(Date.now() + 3600_000).toISOString();
    const snoozed = await patch(id, { status: 'snoozed', snoozedUntil: until, priority: 'urgent' });
    expect(snoozed.json()).toMatchObject({ status: 'snoozed', snoozedUntil: until, priority: 'urgent' });
    expect((await patch(id, { status: 'open' })).json()).toMatchObject({
      status: 'open',
      snoozedUntil: null,
    });

    const resolved = (await patch(id, { status: 'resolved' })).json<Convo>();
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolvedAt).not.toBeNull();
    await send(m, 'one more thing', ago(39));
    const reopened = await get<Convo>(tenant.owner, `/api/v1/conversations/${id}`);
    expect(reopened).toMatchObject({ status: 'open', resolvedAt: null });
  });

  it('refuses to reopen a resolved conversation while another is active (409)', async () => {
    const m = await send(customer(), 'hi', ago(30));
    const oldId = uuidv7();
    await app.database.tenant(tenant.organizationId, (tx) =>
      conversationsRepo(tx).insert(tenant.organizationId, {
        id: oldId,
        contactId: m.contactId,
        numberId: m.numberId,
        status: 'resolved',
        lastMessageAt: ago(500),
        createdAt: ago(500),
        updatedAt: ago(500),
        resolvedAt: ago(400),
      }),
    );
    const res = await patch(oldId, { status: 'open' });
    expect(res.statusCode).toBe(409);
    expect(res.json<Problem>().code).toBe('conflict');
    expect((await patch(oldId, { priority: 'high' })).json()).toMatchObject({
      status: 'resolved',
      priority: 'high',
    });
  });

  it('assigns only active users of the organization', async () => {
    const id = first[4]!.conversationId;
    const stranger = await patch(id, { assigneeId: uuidv7() });
    expect(stranger.statusCode).toBe(400);
    expect(paths(stranger.json())).toEqual(['body.assigneeId']);
    const foreign = await createTenant(app);
    expect(paths((await patch(id, { assigneeId: foreign.ownerId })).json())).toEqual(['body.assigneeId']);
    const agent = await addUser(app, tenant, 'agent');
    await tenant.owner.request({ method: 'POST', url: `/api/v1/users/${agent.id}/deactivate` });
    expect(paths((await patch(id, { assigneeId: agent.id })).json())).toEqual(['body.assigneeId']);
    const helper = await addUser(app, tenant, 'agent');
    expect((await patch(id, { assigneeId: helper.id }, helper.caller)).json()).toMatchObject({
      assigneeId: helper.id,
    });
    expect((await patch(id, { assigneeId: null })).json()).toMatchObject({ assigneeId: null });
  });

  it('answers 400 naming every bad parameter, and 404 for an unknown conversation', async () => {
    const res = await tenant.owner.request({
      method: 'GET',
      url: '/api/v1/conversations?status=open,closed&assignee=someone&numberId=x&limit=0',
    });
    expect(res.statusCode).toBe(400);
    expect(paths(res.json()).sort()).toEqual([
      'query.assignee',
      'query.limit',
      'query.numberId',
      'query.status',
    ]);
    const cursor = await tenant.owner.request({ method: 'GET', url: '/api/v1/conversations?cursor=bm9wZQ' });
    expect(paths(cursor.json())).toEqual(['query.cursor']);
    const msgs = await tenant.owner.request({
      method: 'GET',
      url: `/api/v1/conversations/${first[0]!.conversationId}/messages?cursor=W10`,
    });
    expect(paths(msgs.json())).toEqual(['query.cursor']);
    const extra = await patch(first[0]!.conversationId, { status: 'closed', teamId: null });
    expect(extra.statusCode).toBe(400);
    expect(
      (await tenant.owner.request({ method: 'GET', url: `/api/v1/conversations/${uuidv7()}` })).statusCode,
    ).toBe(404);
    expect(
      (await tenant.owner.request({ method: 'GET', url: `/api/v1/conversations/${uuidv7()}/messages` }))
        .statusCode,
    ).toBe(404);
    expect((await patch(uuidv7(), { priority: 'low' })).statusCode).toBe(404);
  });

  it('works with API keys holding the scopes, and only with them', async () => {
    const key = async (scopes: string[]) => {
      const res = await tenant.owner.request({
        method: 'POST',
        url: '/api/v1/api-keys',
        payload: { name: 'inbox', scopes },
      });
      return withApiKey(app, res.json<{ key: string }>().key);
    };
    const reader = await key(['conversations.read']);
    expect((await get<Page<Convo>>(reader, '/api/v1/conversations?status=all')).items.length).toBeGreaterThan(
      5,
    );
    expect(await get(reader, '/api/v1/conversations/counts')).toMatchObject({ mine: null });
    const me = await reader.request({ method: 'GET', url: '/api/v1/conversations?assignee=me' });
    expect(me.statusCode).toBe(400);
    expect(paths(me.json())).toEqual(['query.assignee']);
    expect((await patch(first[4]!.conversationId, { priority: 'low' }, reader)).statusCode).toBe(403);
    const manager = await key(['conversations.manage']);
    expect((await patch(first[4]!.conversationId, { priority: 'low' }, manager)).statusCode).toBe(200);
    const outsider = await key(['users.read']);
    expect((await outsider.request({ method: 'GET', url: '/api/v1/conversations' })).statusCode).toBe(403);
  });
});
