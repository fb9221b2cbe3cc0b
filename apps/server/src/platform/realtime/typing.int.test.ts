// Typing over real sockets: validated frames, relayed (never stored) to the organization's other
// users, never back to the typist, never to another organization; bad frames get error frames.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import {
  addUser,
  createTenant,
  createTestApp,
  engine,
  signIn,
  type TestTenant,
} from '../../../test/harness.ts';
import { connectNumber } from '../../../test/whatsapp-support.ts';
import { customer, inboundText } from '../../../test/inbox-support.ts';
import { connect, listen, type Frame, type RealtimeClient } from '../../../test/realtime-support.ts';

type ErrorFrame = Frame & { code: string; message: string; errors?: { path: string }[] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`typing over the realtime socket (${engine})`, () => {
  let app: SwitchboardApp;
  let base: string;
  type Org = TestTenant & { cookie: string; conversationId: string };
  let a: Org;
  let b: Org;
  let bea: Awaited<ReturnType<typeof addUser>>;
  const sockets: RealtimeClient[] = [];

  const open = async (cookie: string, url = base) => {
    const client = await connect(url, { cookie });
    sockets.push(client);
    return client;
  };
  const typing = (socket: RealtimeClient, frame: unknown) => socket.socket.send(JSON.stringify(frame));
  const typingOf = (conversationId: string, isTyping: boolean) => (f: Frame) =>
    f.type === 'typing' && f.conversationId === conversationId && f.data['isTyping'] === isTyping;
  const errors = (socket: RealtimeClient) => socket.frames.filter((f) => f.type === 'error') as ErrorFrame[];
  const nextError = async (socket: RealtimeClient, count: number) => {
    await socket.waitFor(() => errors(socket).length >= count);
    return errors(socket)[count - 1]!;
  };

  beforeAll(async () => {
    app = await createTestApp();
    base = await listen(app);
    const org = async (): Promise<Org> => {
      const t = await createTenant(app);
      const number = await connectNumber(t);
      const m = await inboundText(app, t.organizationId, number, customer(), 'hello');
      return { ...t, cookie: (await signIn(app, t.ownerEmail)).cookie, conversationId: m.conversationId };
    };
    a = await org();
    b = await org();
    bea = await addUser(app, a, 'agent');
  });
  afterAll(async () => {
    for (const s of sockets) s.socket.terminate();
    await app.close();
  });

  it('relays typing to colleagues only: not to the typist’s sockets, not to another organization', async () => {
    const typist = await open(a.cookie);
    const typistOtherTab = await open(a.cookie);
    const colleague = await open(bea.caller.cookie);
    const outsider = await open(b.cookie);

    typing(typist, { type: 'typing', conversationId: a.conversationId, isTyping: true });
    const started = await colleague.waitFor(typingOf(a.conversationId, true));
    expect(started).toMatchObject({ seq: null, data: { userId: a.ownerId, isTyping: true } });
    typing(typist, { type: 'typing', conversationId: a.conversationId, isTyping: false });
    await colleague.waitFor(typingOf(a.conversationId, false));

    // The colleague types back: the owner's sockets get it, Bea's own does not.
    typing(colleague, { type: 'typing', conversationId: a.conversationId });
    for (const s of [typist, typistOtherTab]) {
      const f = await s.waitFor(typingOf(a.conversationId, true));
      expect(f.data['userId']).toBe(bea.id);
    }
    await sleep(200);
    expect(typist.frames.some((f) => f.type === 'typing' && f.data['userId'] === a.ownerId)).toBe(false);
    expect(typistOtherTab.frames.some((f) => f.type === 'typing' && f.data['userId'] === a.ownerId)).toBe(
      false,
    );
    expect(colleague.frames.some((f) => f.type === 'typing' && f.data['userId'] === bea.id)).toBe(false);
    expect(outsider.frames.some((f) => f.type === 'typing')).toBe(false);
    expect(errors(typist)).toEqual([]);
  });

  it('passes the same state on at most once a second, but a change at once', async () => {
    const typist = await open(a.cookie);
    const colleague = await open(bea.caller.cookie);
    for (let i = 0; i < 5; i++)
      typing(typist, { type: 'typing', conversationId: a.conversationId, isTyping: true });
    typing(typist, { type: 'typing', conversationId: a.conversationId, isTyping: false });
    await colleague.waitFor(typingOf(a.conversationId, false));
    const seen = colleague.frames.filter((f) => f.type === 'typing').map((f) => f.data['isTyping']);
    expect(seen).toEqual([true, false]);
  });

  it('refuses another organization’s conversation with an error frame, relaying nothing', async () => {
    const typist = await open(a.cookie);
    const colleague = await open(bea.caller.cookie);
    const victim = await open(b.cookie);
    typing(typist, { type: 'typing', conversationId: b.conversationId, isTyping: true });
    const error = await nextError(typist, 1);
    expect(error).toMatchObject({ seq: null, code: 'not_found', errors: [{ path: 'conversationId' }] });
    await sleep(200);
    expect(colleague.frames.some((f) => f.type === 'typing')).toBe(false);
    expect(victim.frames.some((f) => f.type === 'typing')).toBe(false);
  });

  it('answers malformed frames with error frames and keeps the socket working', async () => {
    const typist = await open(a.cookie);
    const colleague = await open(bea.caller.cookie);
    typist.socket.send('not json at all');
    expect(await nextError(typist, 1)).toMatchObject({ code: 'invalid_frame' });
    typing(typist, { type: 'typing' });
    expect((await nextError(typist, 2)).errors?.map((e) => e.path)).toEqual(['conversationId']);
    typing(typist, { type: 'typing', conversationId: 'nope', isTyping: 'yes' });
    expect((await nextError(typist, 3)).errors?.map((e) => e.path).sort()).toEqual([
      'conversationId',
      'isTyping',
    ]);
    typing(typist, { type: 'dance', conversationId: a.conversationId });
    expect((await nextError(typist, 4)).errors?.map((e) => e.path)).toEqual(['type']);
    typing(typist, [1, 2, 3]);
    expect(await nextError(typist, 5)).toMatchObject({ code: 'invalid_frame' });
    typist.socket.send(Buffer.from([0xff, 0xfe, 0x00]));
    expect(await nextError(typist, 6)).toMatchObject({ code: 'invalid_frame' });

    expect(typist.socket.readyState).toBe(typist.socket.OPEN);
    typing(typist, { type: 'typing', conversationId: a.conversationId, isTyping: true });
    await colleague.waitFor(typingOf(a.conversationId, true));
  });

  it('announces the stop when a typing socket closes', async () => {
    const typist = await open(a.cookie);
    const colleague = await open(bea.caller.cookie);
    typing(typist, { type: 'typing', conversationId: a.conversationId, isTyping: true });
    await colleague.waitFor(typingOf(a.conversationId, true));
    await typist.close();
    const stopped = await colleague.waitFor(typingOf(a.conversationId, false));
    expect(stopped.data['userId']).toBe(a.ownerId);
  });

  it.runIf(engine === 'postgres')('relays typing across instances through the bus', async () => {
    const second = await createTestApp({ worker: false });
    try {
      const secondBase = await listen(second);
      const colleague = await open(bea.caller.cookie, secondBase);
      const outsider = await open(b.cookie, secondBase);
      const typist = await open(a.cookie);
      typing(typist, { type: 'typing', conversationId: a.conversationId, isTyping: true });
      const f = await colleague.waitFor(typingOf(a.conversationId, true));
      expect(f.data['userId']).toBe(a.ownerId);
      await sleep(200);
      expect(outsider.frames.some((x) => x.type === 'typing')).toBe(false);
    } finally {
      await second.close();
    }
  });
});
