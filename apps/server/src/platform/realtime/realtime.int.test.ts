// The realtime WebSocket over real sockets: authentication before the upgrade, delivery of what
// inbound webhooks record, tenant isolation, cursor replay, typing, and (PostgreSQL) delivery
// across instances. Also the isolation proof for GET /api/v1/realtime (see the isolation sweep).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { uuidv7 } from '../security/tokens.ts';
import { messages } from '../../modules/conversations/conversations.tables.ts';
import {
  addUser,
  createTenant,
  createTestApp,
  engine,
  signIn,
  type TestTenant,
} from '../../../test/harness.ts';
import { connectNumber, postWebhook, type TestNumber } from '../../../test/whatsapp-support.ts';
import {
  connect,
  customer,
  envelope,
  listen,
  text,
  wamid,
  type Frame,
  type RealtimeClient,
} from '../../../test/realtime-support.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`realtime WebSocket (${engine})`, () => {
  let app: SwitchboardApp;
  let base: string;
  type Org = TestTenant & { number: TestNumber; cookie: string };
  let a: Org;
  let b: Org;
  /** Another user of A: typing is not passed to the typist's own sockets. */
  let colleagueCookie: string;
  const sockets: RealtimeClient[] = [];

  const open = async (...args: Parameters<typeof connect>) => {
    const client = await connect(...args);
    sockets.push(client);
    return client;
  };
  const send = async (t: { number: TestNumber }, value: Parameters<typeof envelope>[1]) => {
    const res = await postWebhook(app, envelope(t.number, value), t.number.appSecret);
    expect(res.statusCode).toBe(200);
  };
  const isMessage =
    (externalId: string, type = 'message.created') =>
    (f: Frame) =>
      f.type === type && f.data['externalId'] === externalId;

  beforeAll(async () => {
    app = await createTestApp();
    base = await listen(app);
    const org = async (): Promise<Org> => {
      const t = await createTenant(app);
      const { cookie } = await signIn(app, t.ownerEmail);
      return { ...t, number: await connectNumber(t), cookie };
    };
    a = await org();
    b = await org();
    colleagueCookie = (await addUser(app, a, 'agent')).caller.cookie;
  });
  afterAll(async () => {
    for (const s of sockets) s.socket.terminate();
    await app.close();
  });

  it('refuses a caller without credentials with 401 before the upgrade', async () => {
    await expect(connect(base)).rejects.toThrow('HTTP 401');
    await expect(connect(base, { apiKey: 'sb_nonsense' })).rejects.toThrow('HTTP 401');
  });

  it('refuses a cookie-authenticated upgrade from a foreign origin', async () => {
    await expect(connect(base, { cookie: a.cookie, origin: 'https://evil.example' })).rejects.toThrow(
      'HTTP 403',
    );
  });

  it('answers a plain GET (no upgrade) with a problem', async () => {
    const res = await a.owner.request({ method: 'GET', url: '/api/v1/realtime' });
    expect(res.statusCode).toBe(400);
  });

  it('streams conversation.created and message.created to a session socket', async () => {
    const socket = await open(base, { cookie: a.cookie });
    const id = wamid();
    await send(a, { from: customer(), messages: [text(id, 'Olá!')] });
    const message = await socket.waitFor(isMessage(id));
    expect(message.data).toMatchObject({
      direction: 'inbound',
      type: 'text',
      content: { body: 'Olá!' },
      status: 'received',
      externalId: id,
    });
    const created = socket.events().find((f) => f.type === 'conversation.created');
    expect(created?.conversationId).toBe(message.conversationId);
    expect(created?.data).toMatchObject({ id: message.conversationId, status: 'open' });
    expect(created!.seq!).toBeLessThan(message.seq!);
    expect(created!.seq!).toBeGreaterThan(socket.readySeq);
  });

  it('announces conversation changes and assignments made through the API', async () => {
    const socket = await open(base, { cookie: a.cookie });
    const id = wamid();
    await send(a, { from: customer(), messages: [text(id, 'Preciso de ajuda')] });
    const { conversationId } = await socket.waitFor(isMessage(id));
    const res = await a.owner.request({
      method: 'PATCH',
      url: `/api/v1/conversations/${conversationId!}`,
      payload: { assigneeId: a.ownerId, priority: 'high' },
    });
    expect(res.statusCode).toBe(200);
    const updated = await socket.waitFor(
      (f) => f.type === 'conversation.updated' && f.conversationId === conversationId,
    );
    expect(updated.data).toMatchObject({ assigneeId: a.ownerId, priority: 'high' });
    const assigned = await socket.waitFor(
      (f) => f.type === 'conversation.assigned' && f.conversationId === conversationId,
    );
    expect(assigned.data).toMatchObject({ assigneeId: a.ownerId });
  });

  it('authenticates API keys, and requires conversations.read', async () => {
    const create = (scopes: string[]) =>
      a.owner.request({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'rt', scopes } });
    const key = (await create(['conversations.read'])).json<{ key: string }>().key;
    const weak = (await create(['users.read'])).json<{ key: string }>().key;
    await expect(connect(base, { apiKey: weak })).rejects.toThrow('HTTP 403');
    const socket = await open(base, { apiKey: key });
    const id = wamid();
    await send(a, { from: customer(), messages: [text(id, 'via key')] });
    await socket.waitFor(isMessage(id));
  });

  it("never sends one organization's events to another", async () => {
    const sa = await open(base, { cookie: a.cookie });
    const sb = await open(base, { cookie: b.cookie });
    const idB = wamid();
    const idA = wamid();
    await send(b, { from: customer(), messages: [text(idB, 'secret of B')] });
    await sb.waitFor(isMessage(idB));
    await send(a, { from: customer(), messages: [text(idA, 'for A')] });
    await sa.waitFor(isMessage(idA));
    await sleep(200);
    const raw = JSON.stringify(sa.frames);
    expect(raw).not.toContain(idB);
    expect(raw).not.toContain('secret of B');
    expect(JSON.stringify(sb.frames)).not.toContain(idA);
    const bConversations = new Set(sb.events().map((f) => f.conversationId));
    expect(sa.events().some((f) => bConversations.has(f.conversationId))).toBe(false);
  });

  it('replays exactly the missed events, in order, after a reconnect with the cursor', async () => {
    const from = customer();
    const first = wamid();
    const socket = await open(base, { cookie: a.cookie });
    await send(a, { from, messages: [text(first, 'one')] });
    const cursor = (await socket.waitFor(isMessage(first))).seq!;
    await socket.close();

    // A socket that stays connected shows when the missed events are committed. It is opened
    // before they are sent: intake may record them before a later socket would join.
    const watcher = await open(base, { cookie: a.cookie });
    const missed = [wamid(), wamid(), wamid()];
    await send(a, { from, messages: missed.map((id, i) => text(id, `missed ${i}`)) });
    await watcher.waitFor(isMessage(missed[2]!));

    const again = await open(base, { cookie: a.cookie, cursor });
    const replayed = again.events().filter((f) => f.type === 'message.created');
    expect(replayed.map((f) => f.data['externalId'])).toEqual(missed);
    const seqs = again.events().map((f) => f.seq!);
    expect(seqs.every((s) => s > cursor)).toBe(true);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(again.readySeq).toBe(seqs.at(-1));

    const live = wamid();
    await send(a, { from, messages: [text(live, 'live')] });
    await again.waitFor(isMessage(live));
    const all = again.events().map((f) => f.seq);
    expect(new Set(all).size).toBe(all.length);
  });

  it('sends message.updated for statuses and reactions', async () => {
    const socket = await open(base, { cookie: a.cookie });
    const from = customer();
    const inbound = wamid();
    await send(a, { from, messages: [text(inbound, 'hi')] });
    const created = await socket.waitFor(isMessage(inbound));

    // An outbound message (sending is not built yet): stored directly, then its statuses arrive.
    const outbound = wamid();
    await app.database.tenant(a.organizationId, (tx) =>
      tx.insert(messages).values({
        id: uuidv7(),
        tenantId: a.organizationId,
        conversationId: created.conversationId!,
        contactId: created.data['contactId'] as string,
        numberId: a.number.id,
        direction: 'outbound',
        type: 'text',
        content: { body: 'Hello from support' },
        externalId: outbound,
        status: 'sent',
        occurredAt: new Date(),
        createdAt: new Date(),
      }),
    );
    await send(a, { statuses: [{ id: outbound, status: 'delivered' }] });
    await socket.waitFor(
      (f) => isMessage(outbound, 'message.updated')(f) && f.data['status'] === 'delivered',
    );
    await send(a, { statuses: [{ id: outbound, status: 'read' }] });
    await socket.waitFor((f) => isMessage(outbound, 'message.updated')(f) && f.data['status'] === 'read');

    await send(a, {
      from,
      messages: [{ id: wamid(), type: 'reaction', reaction: { message_id: inbound, emoji: '👍' } }],
    });
    const reacted = await socket.waitFor(isMessage(inbound, 'message.updated'));
    expect(reacted.data['reactions']).toEqual({ [from]: '👍' });
  });

  it('passes typing to the other sockets of the organization only', async () => {
    const typist = await open(base, { cookie: a.cookie });
    const colleague = await open(base, { cookie: colleagueCookie });
    const outsider = await open(base, { cookie: b.cookie });
    const id = wamid();
    await send(a, { from: customer(), messages: [text(id, 'typing soon')] });
    const { conversationId } = await typist.waitFor(isMessage(id));
    typist.socket.send(JSON.stringify({ type: 'typing', conversationId }));
    const frame = await colleague.waitFor((f) => f.type === 'typing');
    expect(frame).toMatchObject({ seq: null, conversationId, data: { userId: a.ownerId, isTyping: true } });
    await sleep(200);
    expect(typist.frames.some((f) => f.type === 'typing')).toBe(false);
    expect(outsider.frames.some((f) => f.type === 'typing')).toBe(false);
  });

  it('closes sockets with 1001 when the app shuts down', async () => {
    const other = await createTestApp();
    const otherBase = await listen(other);
    const t = await createTenant(other);
    const { cookie } = await signIn(other, t.ownerEmail);
    const socket = await connect(otherBase, { cookie });
    await other.close();
    expect(await socket.closed).toBe(1001);
  });

  it.runIf(engine === 'postgres')('delivers across instances through LISTEN/NOTIFY', async () => {
    const second = await createTestApp({ worker: false });
    try {
      const secondBase = await listen(second);
      const socket = await connect(secondBase, { cookie: a.cookie });
      const id = wamid();
      await send(a, { from: customer(), messages: [text(id, 'across')] });
      await socket.waitFor(isMessage(id));
      socket.socket.terminate();
    } finally {
      await second.close();
    }
  });
});
