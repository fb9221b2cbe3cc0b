// A user's notifications: their own only, newest first by cursor, read one by one or all at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import {
  addUser,
  createTenant,
  createTestApp,
  engine,
  withApiKey,
  type Caller,
  type TestTenant,
} from '../../../test/harness.ts';
import { connectNumber } from '../../../test/whatsapp-support.ts';
import { customer, inboundText } from '../../../test/inbox-support.ts';

interface Notification {
  id: string;
  kind: string;
  conversationId: string;
  messageId: string;
  actorUserId: string;
  preview: string | null;
  createdAt: string;
  readAt: string | null;
}
interface Page {
  items: Notification[];
  nextCursor: string | null;
  unreadCount: number;
}

describe(`notifications (${engine})`, () => {
  let app: SwitchboardApp;
  let tenant: TestTenant;
  let conversationId: string;
  let ana: Awaited<ReturnType<typeof addUser>>;
  let bo: Awaited<ReturnType<typeof addUser>>;

  beforeAll(async () => {
    app = await createTestApp();
    tenant = await createTenant(app);
    const number = await connectNumber(tenant);
    conversationId = (await inboundText(app, tenant.organizationId, number, customer(), 'hello'))
      .conversationId;
    ana = await addUser(app, tenant, 'agent');
    bo = await addUser(app, tenant, 'agent');
  });
  afterAll(async () => app.close());

  const mention = async (body: string, ...userIds: string[]) => {
    const res = await tenant.owner.request({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/notes`,
      payload: { body, mentions: userIds },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const list = async (caller: Caller, query = '') => {
    const res = await caller.request({ method: 'GET', url: `/api/v1/notifications${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Page>();
  };
  const read = (caller: Caller, id: string) =>
    caller.request({ method: 'POST', url: `/api/v1/notifications/${id}/read` });

  it('pages through a user’s notifications, newest first, with the unread count', async () => {
    const notes: string[] = [];
    for (let i = 0; i < 5; i++) notes.push(await mention(`note ${i} for Ana`, ana.id));
    await mention('for Bo only', bo.id);

    const seen: Notification[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await list(ana.caller, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.unreadCount).toBe(5);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    // Newest first; notes written in the same millisecond are ordered by id, as one full page shows.
    const full = await list(ana.caller, '?limit=100');
    expect(seen.map((n) => n.id)).toEqual(full.items.map((n) => n.id));
    expect(new Set(seen.map((n) => n.messageId))).toEqual(new Set(notes));
    const times = seen.map((n) => n.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(seen.find((n) => n.messageId === notes[4])).toMatchObject({
      kind: 'mention',
      conversationId,
      actorUserId: tenant.ownerId,
      preview: 'note 4 for Ana',
      readAt: null,
    });
    const bos = await list(bo.caller);
    expect(bos.items.map((n) => n.preview)).toEqual(['for Bo only']);
  });

  it('marks one read, idempotently, and filters unread ones', async () => {
    const [newest, second] = (await list(ana.caller)).items;
    const res = await read(ana.caller, newest!.id);
    expect(res.statusCode, res.body).toBe(200);
    const marked = res.json<Notification>();
    expect(marked.id).toBe(newest!.id);
    expect(marked.readAt).not.toBeNull();
    const again = await read(ana.caller, newest!.id);
    expect(again.json<Notification>().readAt).toBe(marked.readAt);

    const unread = await list(ana.caller, '?unread=true');
    expect(unread.unreadCount).toBe(4);
    expect(unread.items.map((n) => n.id)).not.toContain(newest!.id);
    expect(unread.items[0]?.id).toBe(second!.id);
    expect((await list(ana.caller)).items[0]?.readAt).toBe(marked.readAt);
  });

  it('never shows or changes another user’s notification (404)', async () => {
    const bos = (await list(bo.caller)).items[0]!;
    const res = await read(ana.caller, bos.id);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(bos.messageId);
    expect((await list(bo.caller)).items[0]?.readAt).toBeNull();
    const outsider = await createTenant(app);
    expect((await read(outsider.owner, bos.id)).statusCode).toBe(404);
  });

  it('marks all of the caller’s notifications read, and only theirs', async () => {
    const res = await ana.caller.request({ method: 'POST', url: '/api/v1/notifications/read-all' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ marked: 4 });
    const after = await list(ana.caller);
    expect(after.unreadCount).toBe(0);
    expect(after.items.every((n) => n.readAt !== null)).toBe(true);
    expect((await list(ana.caller, '?unread=true')).items).toEqual([]);
    expect((await list(bo.caller)).unreadCount).toBe(1);
    const again = await ana.caller.request({ method: 'POST', url: '/api/v1/notifications/read-all' });
    expect(again.json()).toEqual({ marked: 0 });
  });

  it('refuses API keys, forged cursors and bad filters', async () => {
    const key = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'n', scopes: ['conversations.read'] },
    });
    const byKey = withApiKey(app, key.json<{ key: string }>().key);
    expect((await byKey.request({ method: 'GET', url: '/api/v1/notifications' })).statusCode).toBe(403);
    const forged = await ana.caller.request({ method: 'GET', url: '/api/v1/notifications?cursor=nope' });
    expect(forged.statusCode).toBe(400);
    expect(forged.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('query.cursor');
    const bad = await ana.caller.request({ method: 'GET', url: '/api/v1/notifications?unread=yes' });
    expect(bad.statusCode).toBe(400);
  });
});
