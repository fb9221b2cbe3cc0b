import { describe, expect, it, vi } from 'vitest';
import { parseFrame } from './frames';
import { createRealtimeClient, realtimeUrl, reconnectDelay, type SocketLike } from './realtimeClient';

class FakeSocket implements SocketLike {
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  closed = false;
  sent: string[] = [];
  constructor(readonly url: string) {}
  close() {
    this.closed = true;
  }
  send(text: string) {
    this.sent.push(text);
  }
  receive(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code = 1006) {
    this.onclose?.({ code });
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const handlers = {
    onEvent: vi.fn(),
    onResync: vi.fn(),
    onUnauthenticated: vi.fn(),
    onStateChange: vi.fn(),
  };
  const client = createRealtimeClient(
    {
      url: (cursor) => realtimeUrl({ protocol: 'http:', host: 'app.test' }, cursor),
      createSocket: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
      setTimer: (fn, ms) => timers.push({ fn, ms }),
      clearTimer: () => undefined,
    },
    handlers,
  );
  return { client, sockets, timers, handlers };
}

const event = (seq: number) => ({
  seq,
  type: 'message.created',
  conversationId: 'c1',
  data: {},
  occurredAt: '',
});

describe('realtime client', () => {
  it('connects without a cursor, then reconnects after a drop with the last seq it got', () => {
    const { client, sockets, timers, handlers } = setup();
    client.start();
    expect(sockets[0]!.url).toBe('ws://app.test/api/v1/realtime');
    sockets[0]!.receive({ type: 'ready', seq: 10 });
    expect(client.state).toBe('open');
    sockets[0]!.receive(event(11));
    sockets[0]!.receive(event(12));
    expect(handlers.onEvent).toHaveBeenCalledTimes(2);
    sockets[0]!.drop();
    expect(client.state).toBe('reconnecting');
    expect(timers[0]!.ms).toBe(reconnectDelay(0));
    timers[0]!.fn();
    expect(sockets[1]!.url).toBe('ws://app.test/api/v1/realtime?cursor=12');
  });

  it('ignores events it already has (a replay overlapping live delivery)', () => {
    const { client, sockets, handlers } = setup();
    client.start();
    sockets[0]!.receive({ type: 'ready', seq: 5 });
    sockets[0]!.receive(event(5));
    sockets[0]!.receive(event(6));
    sockets[0]!.receive(event(6));
    expect(handlers.onEvent).toHaveBeenCalledTimes(1);
  });

  it('backs off more after each failed attempt, and resets once connected', () => {
    const { client, sockets, timers } = setup();
    client.start();
    sockets[0]!.drop();
    timers[0]!.fn();
    sockets[1]!.drop();
    timers[1]!.fn();
    expect(timers.map((t) => t.ms)).toEqual([reconnectDelay(0), reconnectDelay(1)]);
    sockets[2]!.receive({ type: 'ready', seq: 1 });
    sockets[2]!.drop();
    expect(timers[2]!.ms).toBe(reconnectDelay(0));
  });

  it('asks for a refetch on resync and stops on a revoked session', () => {
    const { client, sockets, timers, handlers } = setup();
    client.start();
    sockets[0]!.receive({ type: 'resync', seq: 900 });
    expect(handlers.onResync).toHaveBeenCalledOnce();
    expect(client.cursor).toBe(900);
    sockets[0]!.drop(4001);
    expect(handlers.onUnauthenticated).toHaveBeenCalledOnce();
    expect(timers).toHaveLength(0);
  });

  it('sends client frames only while connected', () => {
    const { client, sockets } = setup();
    client.start();
    expect(client.send({ type: 'typing', conversationId: 'c1', isTyping: true })).toBe(false);
    sockets[0]!.receive({ type: 'ready', seq: 1 });
    expect(client.send({ type: 'typing', conversationId: 'c1', isTyping: true })).toBe(true);
    expect(sockets[0]!.sent).toEqual(['{"type":"typing","conversationId":"c1","isTyping":true}']);
  });

  it('does not reconnect once stopped', () => {
    const { client, sockets, timers } = setup();
    client.start();
    client.stop();
    expect(sockets[0]!.closed).toBe(true);
    sockets[0]!.drop();
    expect(timers).toHaveLength(0);
  });
});

describe('parseFrame', () => {
  it('reads events, ready, resync and errors, and ignores anything else', () => {
    expect(parseFrame('{"type":"ready","seq":3}')).toEqual({ kind: 'ready', seq: 3 });
    expect(parseFrame('{"type":"error","seq":null,"code":"invalid_frame"}')).toEqual({
      kind: 'error',
      code: 'invalid_frame',
    });
    expect(parseFrame('not json')).toEqual({ kind: 'ignored' });
    expect(parseFrame('{"type":"party"}')).toEqual({ kind: 'ignored' });
    const typing = parseFrame('{"type":"typing","seq":null,"conversationId":"c","data":{"isTyping":true}}');
    expect(typing).toMatchObject({
      kind: 'event',
      event: { seq: null, type: 'typing', conversationId: 'c' },
    });
  });
});
