// Delivers realtime events to this instance's sockets. Per tenant with sockets here, it keeps a
// cursor (the last seq it delivered) and, on each bus notice, reads the newer events from
// `realtime_events` and hands each to the sockets that may see it. All reads and deliveries of a
// tenant run one after another (a promise chain), so replay and live delivery never interleave;
// each socket's own cursor drops anything it already has.
import type { Socket } from 'node:net';
import type { WebSocket } from '@fastify/websocket';
import type { RawData } from 'ws';
import { typingFrameSchema } from '@switchboard/contracts';
import type { TenantPrincipal } from '../auth/principal.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import type { FieldIssue } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { uuidv7 } from '../security/tokens.ts';
import type { RealtimeBus, RealtimeNotice } from './realtime-bus.ts';
import { mayReceive, type DurableEventType, type RealtimeFrame } from './realtime-events.ts';
import { realtimeRepo, settledSeq, type RealtimeEventRow } from './realtime.repo.ts';

export interface GatewayOptions {
  database: Database;
  bus: RealtimeBus;
  clock: Clock;
  log: Logger;
  /** Ping period; a socket that has not answered the previous ping is dropped. */
  heartbeatMs?: number;
  /** How often a socket's session or API key is checked again (revoked ones are closed). */
  revalidateMs?: number;
  /**
   * Whether the tenant has this conversation: a typing frame for any other id is refused. Checked
   * once per conversation and socket.
   */
  conversationExists: (tenantId: string, conversationId: string) => Promise<boolean>;
  /** Most events replayed on reconnect; beyond it the client is told to reload (`resync`). */
  replayLimit?: number;
  /** A socket buffering more than this is too slow: it is closed and reconnects with its cursor. */
  maxBufferedBytes?: number;
}

interface Connection {
  id: string;
  socket: WebSocket;
  principal: TenantPrincipal;
  cursor: number;
  alive: boolean;
  checkedAt: number;
  stillValid: () => Promise<boolean>;
  typing: TypingState;
}

/** Per socket: what it last said about each conversation, and its frames waiting to be checked. */
interface TypingState {
  last: Map<string, { isTyping: boolean; at: number }>;
  /** Conversations of the tenant this socket has typed in (checked against the database once). */
  known: Set<string>;
  /** Frames are handled one after another, so `isTyping: false` never overtakes its `true`. */
  chain: Promise<void>;
  queued: number;
}

interface TenantState {
  connections: Set<Connection>;
  /** The last seq read for this tenant; -1 until known. */
  cursor: number;
  chain: Promise<void>;
  pumpQueued: boolean;
}

const PAGE = 500;
/** The same typing state repeated within this window is not passed on again. */
const TYPING_REPEAT_MS = 1000;
/** How long clients show a typing state without news (they should also send it again meanwhile). */
const TYPING_EXPIRY_MS = 6000;
/** Frames waiting for their conversation check, per socket, before more are refused. */
const MAX_QUEUED_FRAMES = 16;
const MAX_KNOWN_CONVERSATIONS = 256;

/** `error` frames answer client frames the gateway cannot act on. */
export type ClientErrorCode = 'invalid_frame' | 'not_found' | 'rate_limited' | 'internal';

export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_TOO_SLOW = 4008;
export const CLOSE_UNAUTHENTICATED = 4001;

export function createRealtimeGateway(options: GatewayOptions) {
  const { database, bus, clock, log } = options;
  const replayLimit = options.replayLimit ?? 1000;
  const maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const revalidateMs = options.revalidateMs ?? 60_000;
  const tenants = new Map<string, TenantState>();
  let open = 0;
  let closed = false;

  /** Reads up to the tenant's settled seq (realtime.repo.ts), taken first. */
  const read = async <T>(
    tenantId: string,
    fn: (repo: ReturnType<typeof realtimeRepo>, upTo: number) => Promise<T>,
  ) => {
    const upTo = await database.read((db) => settledSeq(db, tenantId));
    return database.tenant(tenantId, (tx) => fn(realtimeRepo(tx), upTo));
  };

  function run(tenantId: string, state: TenantState, fn: () => Promise<void>): Promise<void> {
    state.chain = state.chain.then(fn).catch((err: unknown) => {
      log.error({ err, tenantId }, 'realtime delivery failed');
    });
    return state.chain;
  }

  function send(conn: Connection, text: string): void {
    if (conn.socket.readyState !== 1) return;
    if (conn.socket.bufferedAmount > maxBuffered) {
      conn.socket.close(CLOSE_TOO_SLOW, 'too slow: reconnect with your cursor');
      return;
    }
    conn.socket.send(text);
  }

  const frameOf = (row: RealtimeEventRow): RealtimeFrame => ({
    seq: row.seq,
    type: row.type as DurableEventType,
    conversationId: row.conversationId,
    data: row.data,
    occurredAt: row.occurredAt.toISOString(),
  });

  /**
   * Hands rows to the tenant's sockets (or to one socket, its replay). Fan-out cost is per socket
   * and frame, so everything that can be is done once per row, not per socket: the JSON is
   * serialized and encoded once, into a complete WebSocket frame (header and payload) that every
   * socket's write shares, and the batch's frames are joined into one buffer. A socket that may
   * receive the whole batch (the usual case) then costs one write of that shared buffer, one
   * syscall however many events the pump read: a `ws.send` per socket and frame, each its own
   * write, was most of the server's time at 500 sockets. Under load pumps coalesce more events, so
   * batches grow with the rate. A socket that may receive only some of the batch gets those frames
   * in one corked write.
   */
  function deliver(state: TenantState, rows: RealtimeEventRow[], only?: Connection): void {
    if (rows.length === 0) return;
    const frames = rows.map((row) => {
      const frame = frameOf(row);
      return {
        seq: row.seq,
        event: {
          type: frame.type,
          conversationId: frame.conversationId,
          recipientUserId: row.recipientUserId,
        },
        wire: textFrame(JSON.stringify(frame)),
      };
    });
    let batch: Buffer | undefined;
    const selected: Buffer[] = [];
    for (const conn of only ? [only] : state.connections) {
      const socket = conn.socket;
      if (socket.readyState !== 1) continue;
      if (socket.bufferedAmount > maxBuffered) {
        socket.close(CLOSE_TOO_SLOW, 'too slow: reconnect with your cursor');
        continue;
      }
      selected.length = 0;
      for (const f of frames) {
        if (f.seq <= conn.cursor) continue;
        conn.cursor = f.seq;
        if (mayReceive(conn.principal, f.event)) selected.push(f.wire);
      }
      if (selected.length === 0) continue;
      const tcp = rawSocketOf(socket);
      if (!tcp) {
        // Not a plain socket we can write frames to: ws frames each (same bytes on the wire).
        for (const wire of selected) socket.send(payloadOf(wire), { binary: false });
      } else if (selected.length === frames.length) {
        batch ??= frames.length === 1 ? (selected[0] ?? Buffer.alloc(0)) : Buffer.concat(selected);
        tcp.write(batch);
      } else {
        tcp.cork();
        for (const wire of selected) tcp.write(wire);
        tcp.uncork();
      }
    }
  }

  /** Reads and delivers the tenant's events after its cursor; queued at most once at a time. */
  function schedulePump(tenantId: string, state: TenantState, seq?: number): void {
    if ((seq !== undefined && seq <= state.cursor) || state.pumpQueued) return;
    state.pumpQueued = true;
    void run(tenantId, state, async () => {
      state.pumpQueued = false;
      for (;;) {
        const rows = await read(tenantId, (r, upTo) => r.listAfter(tenantId, state.cursor, upTo, PAGE));
        deliver(state, rows);
        state.cursor = rows.at(-1)?.seq ?? state.cursor;
        if (rows.length < PAGE) return;
      }
    });
  }

  /** First the events after the client's cursor (or none without one), then live events. */
  async function join(tenantId: string, state: TenantState, conn: Connection, cursor?: number) {
    await run(tenantId, state, async () => {
      if (state.cursor < 0) state.cursor = await read(tenantId, (r, upTo) => r.latestSeq(tenantId, upTo));
      if (cursor === undefined) {
        conn.cursor = state.cursor;
      } else {
        const rows = await read(tenantId, (r, upTo) => r.listAfter(tenantId, cursor, upTo, replayLimit + 1));
        if (rows.length > replayLimit) {
          const latest = await read(tenantId, (r, upTo) => r.latestSeq(tenantId, upTo));
          send(conn, JSON.stringify({ type: 'resync', seq: latest }));
          conn.cursor = latest;
        } else {
          conn.cursor = cursor;
          deliver(state, rows, conn);
        }
      }
      // Live from here: the client's cursor if it has none yet.
      send(conn, JSON.stringify({ type: 'ready', seq: conn.cursor }));
      if (conn.socket.readyState === 1) state.connections.add(conn);
    });
    forgetIfIdle(tenantId, state);
  }

  function forgetIfIdle(tenantId: string, state: TenantState): void {
    if (state.connections.size === 0 && tenants.get(tenantId) === state) tenants.delete(tenantId);
  }

  /** Replies to a frame the gateway cannot act on; the socket stays open. */
  function sendError(conn: Connection, code: ClientErrorCode, message: string, errors?: FieldIssue[]) {
    send(conn, JSON.stringify({ type: 'error', seq: null, code, message, ...(errors ? { errors } : {}) }));
  }

  /** Passes a typing state on to the tenant's other sockets (on every instance, through the bus). */
  async function onTyping(conn: Connection, conversationId: string, isTyping: boolean): Promise<void> {
    const p = conn.principal;
    if (!conn.typing.known.has(conversationId)) {
      // Only a conversation of the socket's own organization: an id from elsewhere is unknown here.
      if (!(await options.conversationExists(p.tenantId, conversationId))) {
        sendError(conn, 'not_found', 'No such conversation.', [
          { path: 'conversationId', message: 'Not a conversation of your organization' },
        ]);
        return;
      }
      if (conn.typing.known.size >= MAX_KNOWN_CONVERSATIONS) conn.typing.known.clear();
      conn.typing.known.add(conversationId);
    }
    // Closed meanwhile: its stop has been announced, and a late start would linger.
    if (conn.socket.readyState !== 1) return;
    const now = clock.now().getTime();
    const last = conn.typing.last.get(conversationId);
    if (last?.isTyping === isTyping && now - last.at < TYPING_REPEAT_MS) return;
    if (conn.typing.last.size >= MAX_KNOWN_CONVERSATIONS) conn.typing.last.clear();
    conn.typing.last.set(conversationId, { isTyping, at: now });
    publishTyping(conn, conversationId, isTyping, now);
  }

  function publishTyping(conn: Connection, conversationId: string, isTyping: boolean, now: number): void {
    const p = conn.principal;
    bus.publish({
      tenantId: p.tenantId,
      ephemeral: {
        type: 'typing',
        conversationId,
        data: p.kind === 'user' ? { userId: p.userId, isTyping } : { apiKeyId: p.apiKeyId, isTyping },
        occurredAt: new Date(now).toISOString(),
        origin: conn.id,
      },
    });
  }

  /** A socket that closes while typing stops typing, so colleagues need not wait for expiry. */
  function stopTyping(conn: Connection): void {
    const now = clock.now().getTime();
    for (const [conversationId, last] of conn.typing.last) {
      if (last.isTyping && now - last.at < TYPING_EXPIRY_MS) publishTyping(conn, conversationId, false, now);
    }
    conn.typing.last.clear();
  }

  /** A frame from the client: validated, then handled in order; never throws. */
  function onClientFrame(conn: Connection, data: RawData): void {
    let json: unknown;
    try {
      json = JSON.parse(rawText(data));
    } catch {
      return sendError(conn, 'invalid_frame', 'Frames must be JSON.');
    }
    const parsed = typingFrameSchema.safeParse(json);
    if (!parsed.success) {
      return sendError(
        conn,
        'invalid_frame',
        'Send { "type": "typing", "conversationId", "isTyping" }.',
        parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'frame', message: i.message })),
      );
    }
    const state = conn.typing;
    if (state.queued >= MAX_QUEUED_FRAMES)
      return sendError(conn, 'rate_limited', 'Too many frames; slow down.');
    state.queued += 1;
    const { conversationId, isTyping } = parsed.data;
    state.chain = state.chain
      .then(() => onTyping(conn, conversationId, isTyping))
      .catch((err: unknown) => {
        log.warn({ err, tenantId: conn.principal.tenantId }, 'typing frame failed');
        sendError(conn, 'internal', 'The frame could not be handled; try again.');
      })
      .finally(() => (state.queued -= 1));
  }

  function onNotice(notice: RealtimeNotice): void {
    const state = tenants.get(notice.tenantId);
    if (!state || closed) return;
    if ('seq' in notice) return schedulePump(notice.tenantId, state, notice.seq);
    const { origin, ...event } = notice.ephemeral;
    const text = JSON.stringify({ seq: null, ...event } satisfies RealtimeFrame);
    const typist = event.data['userId'];
    for (const conn of state.connections) {
      // Not back to the sender: neither the socket it came from nor the same user's other tabs.
      if (conn.id === origin || (conn.principal.kind === 'user' && conn.principal.userId === typist))
        continue;
      if (mayReceive(conn.principal, event)) send(conn, text);
    }
  }

  const unsubscribe = bus.subscribe({
    onNotice,
    // Notices may have been lost: every tenant with sockets here reads what it missed.
    onResync: () => tenants.forEach((state, tenantId) => schedulePump(tenantId, state)),
  });

  const heartbeat = setInterval(() => {
    const now = clock.now().getTime();
    for (const state of tenants.values()) {
      for (const conn of state.connections) {
        if (!conn.alive) {
          conn.socket.terminate();
          continue;
        }
        conn.alive = false;
        conn.socket.ping();
        if (now - conn.checkedAt >= revalidateMs) {
          conn.checkedAt = now;
          conn.stillValid().then(
            (ok) => ok || conn.socket.close(CLOSE_UNAUTHENTICATED, 'session or API key no longer valid'),
            () => undefined,
          );
        }
      }
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  return {
    /** Takes over an upgraded socket of an authenticated principal. */
    accept(
      socket: WebSocket,
      principal: TenantPrincipal,
      opts: { cursor?: number | undefined; stillValid: () => Promise<boolean> },
    ): void {
      if (closed) return socket.close(CLOSE_GOING_AWAY, 'shutting down');
      const tenantId = principal.tenantId;
      const conn: Connection = {
        id: uuidv7(),
        socket,
        principal,
        cursor: Number.MAX_SAFE_INTEGER, // nothing live until the replay has run
        alive: true,
        checkedAt: clock.now().getTime(),
        stillValid: opts.stillValid,
        typing: { last: new Map(), known: new Set(), chain: Promise.resolve(), queued: 0 },
      };
      let state = tenants.get(tenantId);
      if (!state) {
        state = { connections: new Set(), cursor: -1, chain: Promise.resolve(), pumpQueued: false };
        tenants.set(tenantId, state);
      }
      const joined = state;
      open += 1;
      socket.on('pong', () => (conn.alive = true));
      socket.on('message', (data) => {
        conn.alive = true;
        onClientFrame(conn, data);
      });
      socket.on('close', () => {
        open -= 1;
        if (!closed) stopTyping(conn);
        joined.connections.delete(conn);
        forgetIfIdle(tenantId, joined);
      });
      void join(tenantId, joined, conn, opts.cursor);
    },
    openSockets: () => open,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      await Promise.all([...tenants.values()].map((s) => s.chain));
    },
  };
}

export type RealtimeGateway = ReturnType<typeof createRealtimeGateway>;

/**
 * A complete unmasked, unfragmented WebSocket text frame (RFC 6455 §5.2) of `text`: what
 * `ws.send(text)` writes on a server socket without compression, built once to be written to many.
 */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const wire = Buffer.allocUnsafe(header + length);
  wire[0] = 0x81; // FIN, opcode 1 (text)
  if (header === 2) {
    wire[1] = length;
  } else if (header === 4) {
    wire[1] = 126;
    wire.writeUInt16BE(length, 2);
  } else {
    wire[1] = 127;
    wire.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    wire.writeUInt32BE(length >>> 0, 6);
  }
  wire.write(text, header, 'utf8');
  return wire;
}

/** The payload of a frame built by `textFrame`. */
function payloadOf(wire: Buffer): Buffer {
  const header = wire[1] === 126 ? 4 : wire[1] === 127 ? 10 : 2;
  return wire.subarray(header);
}

/**
 * The TCP socket under a WebSocket, to write prebuilt frames to, when that is the same as
 * `ws.send`: no extension negotiated (permessage-deflate would compress frames) and nothing
 * queued in ws's sender (it queues only while compressing or reading a Blob, neither of which
 * this gateway does). `ws` keeps the socket in `_socket` (not typed); writes to it go through the
 * same stream as ws's own frames, in order, and count in `bufferedAmount`. Without it, frames
 * go through `ws.send`.
 */
function rawSocketOf(socket: WebSocket): Pick<Socket, 'cork' | 'uncork' | 'write'> | undefined {
  if (socket.extensions !== '') return undefined;
  const ws = socket as unknown as {
    _socket?: Socket | null;
    _sender?: { _state?: number; _queue?: unknown[] };
  };
  // Sender state 0 is DEFAULT: not compressing, not reading a Blob, nothing queued.
  if (ws._sender?._state !== 0 || (ws._sender._queue?.length ?? 0) > 0) return undefined;
  const tcp = ws._socket;
  return tcp && typeof tcp.write === 'function' && typeof tcp.cork === 'function' ? tcp : undefined;
}

/** The text of a frame, whatever buffer shape `ws` delivers it in. */
export function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
