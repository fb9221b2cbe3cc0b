// Delivers realtime events to this instance's sockets. Per tenant with sockets here, it keeps a
// cursor (the last seq it delivered) and, on each bus notice, reads the newer events from
// `realtime_events` and hands each to the sockets that may see it. All reads and deliveries of a
// tenant run one after another (a promise chain), so replay and live delivery never interleave;
// each socket's own cursor drops anything it already has.
import type { WebSocket } from '@fastify/websocket';
import type { RawData } from 'ws';
import { z } from 'zod';
import type { TenantPrincipal } from '../auth/principal.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { uuidv7 } from '../security/tokens.ts';
import type { RealtimeBus, RealtimeNotice } from './realtime-bus.ts';
import { mayReceive, type DurableEventType, type RealtimeFrame } from './realtime-events.ts';
import { realtimeRepo, type RealtimeEventRow } from './realtime.repo.ts';

export interface GatewayOptions {
  database: Database;
  bus: RealtimeBus;
  clock: Clock;
  log: Logger;
  /** Ping period; a socket that has not answered the previous ping is dropped. */
  heartbeatMs?: number;
  /** How often a socket's session or API key is checked again (revoked ones are closed). */
  revalidateMs?: number;
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
  typingAt: Map<string, number>;
}

interface TenantState {
  connections: Set<Connection>;
  /** The last seq read for this tenant; -1 until known. */
  cursor: number;
  chain: Promise<void>;
  pumpQueued: boolean;
}

const PAGE = 500;
const clientMessageSchema = z.object({ type: z.literal('typing'), conversationId: z.uuid() });

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

  const read = <T>(tenantId: string, fn: (repo: ReturnType<typeof realtimeRepo>) => Promise<T>) =>
    database.tenant(tenantId, (tx) => fn(realtimeRepo(tx)));

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

  function deliver(state: TenantState, rows: RealtimeEventRow[], only?: Connection): void {
    for (const row of rows) {
      const frame = frameOf(row);
      const text = JSON.stringify(frame);
      for (const conn of only ? [only] : state.connections) {
        if (row.seq <= conn.cursor) continue;
        conn.cursor = row.seq;
        if (mayReceive(conn.principal, { ...frame, recipientUserId: row.recipientUserId })) send(conn, text);
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
        const rows = await read(tenantId, (r) => r.listAfter(tenantId, state.cursor, PAGE));
        deliver(state, rows);
        state.cursor = rows.at(-1)?.seq ?? state.cursor;
        if (rows.length < PAGE) return;
      }
    });
  }

  /** First the events after the client's cursor (or none without one), then live events. */
  async function join(tenantId: string, state: TenantState, conn: Connection, cursor?: number) {
    await run(tenantId, state, async () => {
      if (state.cursor < 0) state.cursor = await read(tenantId, (r) => r.latestSeq(tenantId));
      if (cursor === undefined) {
        conn.cursor = state.cursor;
      } else {
        const rows = await read(tenantId, (r) => r.listAfter(tenantId, cursor, replayLimit + 1));
        if (rows.length > replayLimit) {
          const latest = await read(tenantId, (r) => r.latestSeq(tenantId));
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

  function onTyping(conn: Connection, conversationId: string): void {
    const now = clock.now().getTime();
    if (now - (conn.typingAt.get(conversationId) ?? 0) < 1000) return;
    conn.typingAt.set(conversationId, now);
    const p = conn.principal;
    bus.publish({
      tenantId: p.tenantId,
      ephemeral: {
        type: 'typing',
        conversationId,
        data: p.kind === 'user' ? { userId: p.userId } : { apiKeyId: p.apiKeyId },
        occurredAt: new Date(now).toISOString(),
        origin: conn.id,
      },
    });
  }

  function onNotice(notice: RealtimeNotice): void {
    const state = tenants.get(notice.tenantId);
    if (!state || closed) return;
    if ('seq' in notice) return schedulePump(notice.tenantId, state, notice.seq);
    const { origin, ...event } = notice.ephemeral;
    const text = JSON.stringify({ seq: null, ...event } satisfies RealtimeFrame);
    for (const conn of state.connections) {
      if (conn.id !== origin && mayReceive(conn.principal, event)) send(conn, text);
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
        typingAt: new Map(),
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
        let parsed;
        try {
          parsed = clientMessageSchema.safeParse(JSON.parse(rawText(data)));
        } catch {
          return;
        }
        if (parsed.success) onTyping(conn, parsed.data.conversationId);
      });
      socket.on('close', () => {
        open -= 1;
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

/** The text of a frame, whatever buffer shape `ws` delivers it in. */
export function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
