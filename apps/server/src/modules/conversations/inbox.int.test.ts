// Per-agent read marks, the inbox filters (team, label, priority, unread) and the counts per tab.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { conversationLabels, labels } from '../labels/labels.tables.ts';
import { teams } from '../teams/teams.tables.ts';
import { conversations } from './conversations.tables.ts';
import { inboxRepo } from './inbox.repo.ts';
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
  unreadCount: number;
  teamId: string | null;
  priority: string;
  labels: { id: string; name: string; color: string }[];
}
interface Page {
  items: Convo[];
  nextCursor: string | null;
}
interface Counts {
  mine: number | null;
  unassigned: number;
  all: number;
  unread: number;
}

const get = async <T>(caller: Caller, url: string) => {
  const res = await caller.request({ method: 'GET', url });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return res.json<T>();
};
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe(`inbox read marks, filters and counts (${engine})`, () => {
  let app: SwitchboardApp;
  let tenant: TestTenant;
  let number: TestNumber;
  let other: TestNumber;
  let agent: { id: string; caller: Caller };
  let key: Caller;
  /** One conversation per client; the last on the other number. */
  const convos: StoredMessage[] = [];
  const waIds: string[] = [];

  const read = (caller: Caller, id: string) =>
    caller.request({ method: 'POST', url: `/api/v1/conversations/${id}/read` });
  const unreadOf = async (caller: Caller, m: StoredMessage) =>
    (await get<Convo>(caller, `/api/v1/conversations/${m.conversationId}`)).unreadCount;
  const ids = (p: Page) => p.items.map((c) => c.id).sort();
  const idsOf = (...ms: StoredMessage[]) => ms.map((m) => m.conversationId).sort();

  beforeAll(async () => {
    app = await createTestApp();
    tenant = await createTenant(app);
    number = await connectNumber(tenant, 'Sales');
    other = await connectNumber(tenant, 'Support');
    agent = await addUser(app, tenant, 'agent');
    const created = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'reader', scopes: ['conversations.read'] },
    });
    key = withApiKey(app, created.json<{ key: string }>().key);
    for (let i = 0; i < 4; i++) {
      waIds.push(customer());
      convos.push(
        await inboundText(app, tenant.organizationId, i === 3 ? other : number, waIds[i]!, `hi ${i}`, {
          at: ago(100 - i),
        }),
      );
    }
  });
  afterAll(async () => app.close());

  it('keeps unread counts per agent: reading is one agent’s own, new inbound is unread again', async () => {
    const m = convos[0]!;
    await inboundText(app, tenant.organizationId, number, waIds[0]!, 'second', { at: ago(90) });
    expect(await unreadOf(tenant.owner, m)).toBe(2);
    expect(await unreadOf(agent.caller, m)).toBe(2);

    expect((await read(tenant.owner, m.conversationId)).statusCode).toBe(204);
    expect(await unreadOf(tenant.owner, m)).toBe(0);
    expect(await unreadOf(agent.caller, m)).toBe(2);
    expect(await get<Counts>(tenant.owner, '/api/v1/conversations/counts')).toMatchObject({ unread: 3 });
    expect(await get<Counts>(agent.caller, '/api/v1/conversations/counts')).toMatchObject({ unread: 4 });

    // Delivered late, with a WhatsApp timestamp older than the mark: still new to the reader.
    await inboundText(app, tenant.organizationId, number, waIds[0]!, 'third', { at: ago(80) });
    expect(await unreadOf(tenant.owner, m)).toBe(1);
    expect(await unreadOf(agent.caller, m)).toBe(3);
    expect((await read(tenant.owner, m.conversationId)).statusCode).toBe(204);
    expect((await read(tenant.owner, m.conversationId)).statusCode).toBe(204);
    expect(await unreadOf(tenant.owner, m)).toBe(0);

    // A mark never moves back, whatever time a late request carries.
    await app.database.tenant(tenant.organizationId, (tx) =>
      inboxRepo(tx).markRead(tenant.organizationId, m.conversationId, tenant.ownerId, ago(60)),
    );
    expect(await unreadOf(tenant.owner, m)).toBe(0);
    expect(await unreadOf(agent.caller, m)).toBe(3);
  });

  it('counts for an API key the inbound messages after the last reply, and refuses it /read', async () => {
    const m = convos[1]!;
    expect(await unreadOf(key, m)).toBe(1);
    await storeOutbound(app, tenant.organizationId, m, ago(85));
    expect(await unreadOf(key, m)).toBe(0);
    expect(await unreadOf(agent.caller, m)).toBe(1); // a reply is not a read mark
    expect((await read(key, m.conversationId)).statusCode).toBe(403);
    expect((await read(tenant.owner, uuidv7())).statusCode).toBe(404);
    const bad = await read(tenant.owner, 'nope');
    expect(bad.statusCode).toBe(400);
  });

  it('filters by team, label, priority and unread, and shows each conversation’s labels', async () => {
    const [a, b, c, d] = convos as [StoredMessage, StoredMessage, StoredMessage, StoredMessage];
    const teamId = uuidv7();
    const vip = uuidv7();
    const bug = uuidv7();
    const now = new Date();
    await app.database.tenant(tenant.organizationId, async (t) => {
      const tenantId = tenant.organizationId;
      await t.insert(teams).values({ id: teamId, tenantId, name: 'Tier 2', createdAt: now, updatedAt: now });
      await t.insert(labels).values([
        { id: vip, tenantId, name: 'vip', color: '#aa0000', createdAt: now, updatedAt: now },
        { id: bug, tenantId, name: 'Bug', color: '#00aa00', createdAt: now, updatedAt: now },
      ]);
      await t.insert(conversationLabels).values([
        { tenantId, conversationId: a.conversationId, labelId: vip, createdAt: now },
        { tenantId, conversationId: a.conversationId, labelId: bug, createdAt: now },
        { tenantId, conversationId: c.conversationId, labelId: vip, createdAt: now },
      ]);
      for (const m of [b, c]) {
        await t
          .update(conversations)
          .set({ teamId })
          .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, m.conversationId)));
      }
    });
    const patch = (m: StoredMessage, payload: object) =>
      tenant.owner.request({ method: 'PATCH', url: `/api/v1/conversations/${m.conversationId}`, payload });
    expect((await patch(c, { priority: 'urgent' })).statusCode).toBe(200);
    expect((await patch(d, { priority: 'high', assigneeId: tenant.ownerId })).statusCode).toBe(200);

    const list = (query: string, caller: Caller = tenant.owner) =>
      get<Page>(caller, `/api/v1/conversations?${query}`).then(ids);
    expect(await list(`teamId=${teamId}`)).toEqual(idsOf(b, c));
    expect(await list(`labelId=${vip}`)).toEqual(idsOf(a, c));
    expect(await list(`labelId=${vip}&teamId=${teamId}`)).toEqual(idsOf(c));
    expect(await list(`labelId=${uuidv7()}`)).toEqual([]);
    expect(await list('priority=urgent')).toEqual(idsOf(c));
    expect(await list('priority=high,urgent')).toEqual(idsOf(c, d));
    // The owner has read a; the agent nothing; the key counts b as answered.
    expect(await list('unread=true')).toEqual(idsOf(b, c, d));
    expect(await list('unread=false')).toEqual(idsOf(a));
    expect(await list('unread=true', agent.caller)).toEqual(idsOf(a, b, c, d));
    expect(await list('unread=true', key)).toEqual(idsOf(a, c, d));
    expect(await list(`unread=true&numberId=${number.id}&assignee=unassigned`)).toEqual(idsOf(b, c));

    const page = await get<Page>(tenant.owner, `/api/v1/conversations?labelId=${vip}`);
    const labelled = page.items.find((x) => x.id === a.conversationId)!;
    expect(labelled.labels).toEqual([
      { id: bug, name: 'Bug', color: '#00aa00' },
      { id: vip, name: 'vip', color: '#aa0000' },
    ]);
    expect(page.items.find((x) => x.id === c.conversationId)).toMatchObject({ teamId, priority: 'urgent' });
    expect((await get<Convo>(tenant.owner, `/api/v1/conversations/${d.conversationId}`)).labels).toEqual([]);
    const patched = await patch(a, { priority: 'low' });
    expect(patched.json<Convo>()).toMatchObject({
      unreadCount: 0,
      labels: [{ name: 'Bug' }, { name: 'vip' }],
    });

    const counts = (query: string, caller: Caller = tenant.owner) =>
      get<Counts>(caller, `/api/v1/conversations/counts?${query}`);
    expect(await counts('')).toEqual({ mine: 1, unassigned: 3, all: 4, unread: 3 });
    expect(await counts('', agent.caller)).toEqual({ mine: 0, unassigned: 3, all: 4, unread: 4 });
    expect(await counts('', key)).toEqual({ mine: null, unassigned: 3, all: 4, unread: 3 });
    expect(await counts(`teamId=${teamId}`)).toEqual({ mine: 0, unassigned: 2, all: 2, unread: 2 });
    expect(await counts(`labelId=${vip}`)).toEqual({ mine: 0, unassigned: 2, all: 2, unread: 1 });
    expect(await counts(`numberId=${other.id}`)).toEqual({ mine: 1, unassigned: 0, all: 1, unread: 1 });
    expect(await counts('priority=high,urgent')).toEqual({ mine: 1, unassigned: 1, all: 2, unread: 2 });

    expect((await patch(b, { status: 'resolved' })).statusCode).toBe(200);
    expect(await counts(`teamId=${teamId}`)).toMatchObject({ all: 1 });
    expect(await counts(`teamId=${teamId}&status=resolved`)).toMatchObject({ all: 1, unread: 1 });
    expect(await counts(`teamId=${teamId}&status=all`)).toMatchObject({ all: 2 });
  });

  it('answers 400 naming every bad filter', async () => {
    const res = await tenant.owner.request({
      method: 'GET',
      url: '/api/v1/conversations?teamId=x&labelId=y&priority=high,asap&unread=yes',
    });
    expect(res.statusCode).toBe(400);
    const paths = res
      .json<{ errors: { path: string }[] }>()
      .errors.map((e) => e.path)
      .sort();
    expect(paths).toEqual(['query.labelId', 'query.priority', 'query.teamId', 'query.unread']);
    const counts = await tenant.owner.request({
      method: 'GET',
      url: '/api/v1/conversations/counts?teamId=x&unread=true',
    });
    expect(counts.statusCode).toBe(400);
  });
});
