// Private notes: stored in the thread with direction `note`, never changing the conversation, and
// mentions that notify only the mentioned users (their rows and their own sockets).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import {
  addUser,
  createTenant,
  createTestApp,
  engine,
  signIn,
  withApiKey,
  type Caller,
  type TestTenant,
} from '../../../test/harness.ts';
import { connectNumber, type TestNumber } from '../../../test/whatsapp-support.ts';
import { customer, inboundText, type StoredMessage } from '../../../test/inbox-support.ts';
import { connect, listen, type Frame, type RealtimeClient } from '../../../test/realtime-support.ts';

interface Problem {
  code: string;
  errors?: { path: string; message: string }[];
}
interface Note {
  id: string;
  conversationId: string;
  direction: string;
  type: string;
  content: { body: string; mentions: string[] };
  senderUserId: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`private notes (${engine})`, () => {
  let app: SwitchboardApp;
  let base: string;
  let tenant: TestTenant;
  let ownerCookie: string;
  let number: TestNumber;
  let message: StoredMessage;
  let bea: Awaited<ReturnType<typeof addUser>>;
  let cai: Awaited<ReturnType<typeof addUser>>;
  const sockets: RealtimeClient[] = [];

  beforeAll(async () => {
    app = await createTestApp();
    base = await listen(app);
    tenant = await createTenant(app);
    ownerCookie = (await signIn(app, tenant.ownerEmail)).cookie;
    number = await connectNumber(tenant);
    bea = await addUser(app, tenant, 'agent');
    cai = await addUser(app, tenant, 'agent');
    message = await inboundText(app, tenant.organizationId, number, customer(), 'Where is my order?');
  });
  afterAll(async () => {
    for (const s of sockets) s.socket.terminate();
    await app.close();
  });

  const open = async (cookie: string, cursor?: number) => {
    const client = await connect(base, { cookie, ...(cursor === undefined ? {} : { cursor }) });
    sockets.push(client);
    return client;
  };
  const post = (caller: Caller, payload: object, conversationId = message.conversationId) =>
    caller.request({ method: 'POST', url: `/api/v1/conversations/${conversationId}/notes`, payload });
  const conversation = async () =>
    (
      await tenant.owner.request({ method: 'GET', url: `/api/v1/conversations/${message.conversationId}` })
    ).json<{
      windowExpiresAt: string;
      lastMessageAt: string;
      unreadCount: number;
      status: string;
    }>();

  it('stores a note in the thread without changing the conversation', async () => {
    const before = await conversation();
    const res = await post(tenant.owner, { body: '  Customer is a VIP, be gentle  ' });
    expect(res.statusCode, res.body).toBe(201);
    const note = res.json<Note>();
    expect(note).toMatchObject({
      conversationId: message.conversationId,
      direction: 'note',
      type: 'text',
      content: { body: 'Customer is a VIP, be gentle', mentions: [] },
      senderUserId: tenant.ownerId,
    });

    const history = await tenant.owner.request({
      method: 'GET',
      url: `/api/v1/conversations/${message.conversationId}/messages`,
    });
    const listed = history
      .json<{ items: { id: string; direction: string; externalId: string | null; senderUserId: string }[] }>()
      .items.find((m) => m.id === note.id);
    // Never sent: no provider id, and nothing to deliver.
    expect(listed).toMatchObject({ direction: 'note', externalId: null, senderUserId: tenant.ownerId });

    const after = await conversation();
    expect(after.windowExpiresAt).toBe(before.windowExpiresAt);
    expect(after.lastMessageAt).toBe(before.lastMessageAt);
    expect(after.unreadCount).toBe(before.unreadCount);
    expect(after.status).toBe(before.status);
  });

  it('notifies each mentioned user but the author, on their own sockets only', async () => {
    const ownerSocket = await open(ownerCookie);
    const beaSocket = await open(bea.caller.cookie);
    const caiSocket = await open(cai.caller.cookie);

    const res = await post(tenant.owner, {
      body: '@Bea can you check the refund?',
      mentions: [bea.id, tenant.ownerId, bea.id],
    });
    expect(res.statusCode, res.body).toBe(201);
    const note = res.json<Note>();
    expect(note.content.mentions).toEqual([bea.id, tenant.ownerId]);

    const isNote = (f: Frame) => f.type === 'note.created' && f.data['id'] === note.id;
    for (const s of [ownerSocket, beaSocket, caiSocket]) {
      const frame = await s.waitFor(isNote);
      expect(frame.conversationId).toBe(message.conversationId);
      expect(frame.data).toMatchObject({ direction: 'note', content: { body: note.content.body } });
    }
    const notified = await beaSocket.waitFor((f) => f.type === 'notification.created');
    expect(notified.seq).toBeGreaterThan(0);
    expect(notified.conversationId).toBe(message.conversationId);
    expect(notified.data).toMatchObject({
      kind: 'mention',
      conversationId: message.conversationId,
      messageId: note.id,
      actorUserId: tenant.ownerId,
      preview: '@Bea can you check the refund?',
      readAt: null,
    });
    expect(JSON.stringify(notified)).not.toContain('recipientUserId');
    await sleep(200);
    expect(ownerSocket.frames.some((f) => f.type === 'notification.created')).toBe(false);
    expect(caiSocket.frames.some((f) => f.type === 'notification.created')).toBe(false);

    const list = async (caller: Caller) =>
      (await caller.request({ method: 'GET', url: '/api/v1/notifications' })).json<{
        items: { id: string; messageId: string }[];
      }>().items;
    expect((await list(bea.caller)).map((n) => n.messageId)).toContain(note.id);
    expect((await list(bea.caller)).map((n) => n.id)).toContain(notified.data['id']);
    expect((await list(tenant.owner)).some((n) => n.messageId === note.id)).toBe(false);
    expect((await list(cai.caller)).some((n) => n.messageId === note.id)).toBe(false);
  });

  it('replays a notification only to its recipient after a reconnect', async () => {
    const cursor = (await open(bea.caller.cookie)).readySeq;
    const res = await post(tenant.owner, { body: 'ping @Cai', mentions: [cai.id] });
    const note = res.json<Note>();
    // Both reconnect from before the note: only Cai's replay has the notification.
    const cai2 = await open(cai.caller.cookie, cursor);
    const bea2 = await open(bea.caller.cookie, cursor);
    expect(cai2.events().find((f) => f.type === 'notification.created')?.data['messageId']).toBe(note.id);
    expect(bea2.events().some((f) => f.type === 'note.created' && f.data['id'] === note.id)).toBe(true);
    expect(bea2.events().some((f) => f.type === 'notification.created')).toBe(false);
  });

  it('refuses mentions of unknown, deactivated or foreign users, naming each, and stores nothing', async () => {
    const gone = await addUser(app, tenant, 'agent');
    const deactivated = await tenant.owner.request({
      method: 'POST',
      url: `/api/v1/users/${gone.id}/deactivate`,
    });
    expect(deactivated.statusCode, deactivated.body).toBe(200);
    const other = await createTenant(app);
    const ghost = uuidv7();
    const res = await post(tenant.owner, {
      body: 'who is there?',
      mentions: [bea.id, ghost, gone.id, other.ownerId],
    });
    expect(res.statusCode).toBe(422);
    const body = res.json<Problem>();
    expect(body.code).toBe('unprocessable_content');
    expect(body.errors?.map((e) => e.path)).toEqual([
      'body.mentions.1',
      'body.mentions.2',
      'body.mentions.3',
    ]);
    expect(body.errors?.[0]?.message).toContain(ghost);

    const history = await tenant.owner.request({
      method: 'GET',
      url: `/api/v1/conversations/${message.conversationId}/messages`,
    });
    expect(history.body).not.toContain('who is there?');
  });

  it('validates the body and lists every problem', async () => {
    const res = await post(tenant.owner, { body: '   ', mentions: ['not-a-uuid'], extra: true });
    expect(res.statusCode).toBe(400);
    const paths = res.json<Problem>().errors?.map((e) => e.path) ?? [];
    expect(paths).toEqual(expect.arrayContaining(['body.body', 'body.mentions.0']));
    const long = await post(tenant.owner, { body: 'x'.repeat(10_001) });
    expect(long.statusCode).toBe(400);
    expect(long.json<Problem>().errors?.map((e) => e.path)).toEqual(['body.body']);
  });

  it('is for signed-in users: an API key gets 403', async () => {
    const key = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'notes', scopes: ['conversations.read', 'conversations.manage'] },
    });
    const res = await post(withApiKey(app, key.json<{ key: string }>().key), { body: 'from a key' });
    expect(res.statusCode).toBe(403);
  });

  it('answers 404 for a conversation that is not the organization’s', async () => {
    const other = await createTenant(app);
    expect((await post(other.owner, { body: 'sneaky' })).statusCode).toBe(404);
    expect((await post(tenant.owner, { body: 'nowhere' }, uuidv7())).statusCode).toBe(404);
  });
});
