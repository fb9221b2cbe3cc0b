// The RealtimeBus tells every instance that a tenant has new events (after commit), and carries
// ephemeral events (typing) between instances. Notices are tiny: instances read the events
// themselves from `realtime_events`, so a lost notice delays delivery until the next one (or a
// reconnect's cursor replay) but loses nothing. The same channel wakes the workers of other
// processes when an API-only instance stores work for them (ADR 0007): a lost wake-up only delays
// the work until the worker's next poll.
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';

const ephemeralSchema = z.object({
  type: z.literal('typing'),
  conversationId: z.string(),
  data: z.record(z.string(), z.unknown()),
  occurredAt: z.string(),
  /** The connection that sent it, which does not get it back. */
  origin: z.string(),
});

const noticeSchema = z.union([
  z.object({ tenantId: z.string(), seq: z.number().int().nonnegative() }),
  z.object({ tenantId: z.string(), ephemeral: ephemeralSchema }),
]);

export type EphemeralEvent = z.infer<typeof ephemeralSchema>;

/** Work kinds a wake-up can name: webhook receipts to record, outbound messages to send. */
export const WORK_KINDS = ['intake', 'delivery'] as const;
export type WorkKind = (typeof WORK_KINDS)[number];
const wakeSchema = z.object({ wake: z.enum(WORK_KINDS) });
/** A tenant's events up to `seq` are committed; or an ephemeral event to pass on. */
export type RealtimeNotice = z.infer<typeof noticeSchema>;

export interface RealtimeBus {
  /** Announces a notice to every instance, this one included. Never throws. */
  publish(notice: RealtimeNotice): void;
  /** `onNotice` for every notice; `onResync` when notices may have been lost (reconnection). */
  subscribe(listener: RealtimeListener): () => void;
  /**
   * Tells every instance's workers, this one's included, that work of `kind` was stored. Wake-ups
   * of one kind are coalesced (at most one notification in flight). Never throws.
   */
  wake(kind: WorkKind): void;
  /** `onWake` for every wake-up, and for every kind after a reconnection (some may be lost). */
  onWake(onWake: (kind: WorkKind) => void): () => void;
  close(): Promise<void>;
}

export interface RealtimeListener {
  onNotice(notice: RealtimeNotice): void;
  onResync?(): void;
}

/** One process (PGlite, tests): an event emitter. */
export function createInProcessBus(): RealtimeBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let closed = false;
  return {
    publish(notice) {
      if (closed) return;
      // Delivered on a later tick, like a notification, never inside the publisher's call.
      queueMicrotask(() => emitter.emit('notice', notice));
    },
    subscribe(listener) {
      const fn = (n: RealtimeNotice) => listener.onNotice(n);
      emitter.on('notice', fn);
      return () => emitter.off('notice', fn);
    },
    wake(kind) {
      if (closed) return;
      queueMicrotask(() => emitter.emit('wake', kind));
    },
    onWake(onWake) {
      emitter.on('wake', onWake);
      return () => emitter.off('wake', onWake);
    },
    close() {
      closed = true;
      emitter.removeAllListeners();
      return Promise.resolve();
    },
  };
}

export const REALTIME_CHANNEL = 'switchboard_realtime';

/**
 * Several instances on PostgreSQL: `pg_notify` on the pool, `LISTEN` on a dedicated connection
 * that the database port reconnects with backoff (a reconnection asks listeners to resync).
 */
export async function createPostgresBus(database: Database, log: Logger): Promise<RealtimeBus> {
  if (!database.listen) throw new Error('the PostgreSQL bus needs a database that can LISTEN');
  const listeners = new Set<RealtimeListener>();
  const wakeListeners = new Set<(kind: WorkKind) => void>();
  let closed = false;
  const stop = await database.listen(REALTIME_CHANNEL, {
    onNotify(payload) {
      let message: unknown;
      try {
        message = JSON.parse(payload);
      } catch {
        message = undefined;
      }
      const wake = wakeSchema.safeParse(message);
      if (wake.success) {
        for (const l of wakeListeners) l(wake.data.wake);
        return;
      }
      const notice = noticeSchema.safeParse(message);
      if (!notice.success) {
        log.warn({ payload }, 'malformed realtime notification ignored');
        return;
      }
      for (const l of listeners) l.onNotice(notice.data);
    },
    onReconnect() {
      for (const l of listeners) l.onResync?.();
      for (const kind of WORK_KINDS) for (const l of wakeListeners) l(kind);
    },
  });
  const notify = (payload: string) =>
    database.executeSql(`select pg_notify('${REALTIME_CHANNEL}', $1)`, [payload]);
  // Wake-ups of one kind: work stored while a notification was on its way may have been claimed
  // before it, so another follows.
  const wakeOnce = coalesced<WorkKind, true>(
    (kind) =>
      notify(JSON.stringify({ wake: kind })).catch((err: unknown) =>
        log.warn({ err, kind }, 'wake-up notification failed; workers poll'),
      ),
    () => true,
  );
  // A tenant's event notices: listeners read up to the highest seq they are told of, so the seqs
  // committed while one notice is on its way go out as one notice of the highest (at 1,000 sends
  // a second, one round trip for many events instead of one each).
  const announce = coalesced<string, number>(
    (tenantId, seq) =>
      notify(JSON.stringify({ tenantId, seq })).catch((err: unknown) =>
        log.warn({ err }, 'realtime notification failed; clients catch up later'),
      ),
    Math.max,
  );
  // Ephemeral notices go out one after another: two notifications sent on different pool
  // connections can commit in either order, and a typing `false` must never overtake its `true`.
  let ephemeralChain: Promise<unknown> = Promise.resolve();
  return {
    publish(notice) {
      if (closed) return;
      if ('seq' in notice) return announce(notice.tenantId, notice.seq);
      ephemeralChain = ephemeralChain.then(() =>
        notify(JSON.stringify(notice)).catch((err: unknown) =>
          log.warn({ err }, 'realtime notification failed; clients catch up later'),
        ),
      );
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    wake(kind) {
      if (!closed) wakeOnce(kind, true);
    },
    onWake(onWake) {
      wakeListeners.add(onWake);
      return () => wakeListeners.delete(onWake);
    },
    async close() {
      closed = true;
      listeners.clear();
      wakeListeners.clear();
      await stop();
    },
  };
}

/**
 * Sends `value` for `key` unless a send of that key is in flight; values that come meanwhile are
 * merged and sent once it is done. Nothing is dropped, only coalesced. `send` must not reject.
 */
function coalesced<K, V>(send: (key: K, value: V) => Promise<unknown>, merge: (a: V, b: V) => V) {
  const inFlight = new Map<K, { next: V | undefined }>();
  const push = (key: K, value: V): void => {
    const current = inFlight.get(key);
    if (current) {
      current.next = current.next === undefined ? value : merge(current.next, value);
      return;
    }
    const state: { next: V | undefined } = { next: undefined };
    inFlight.set(key, state);
    void send(key, value).finally(() => {
      inFlight.delete(key);
      if (state.next !== undefined) push(key, state.next);
    });
  };
  return push;
}

/** The bus for the engine: in-process on PGlite, LISTEN/NOTIFY on PostgreSQL. */
export function createRealtimeBus(database: Database, log: Logger): Promise<RealtimeBus> {
  return database.kind === 'postgres'
    ? createPostgresBus(database, log)
    : Promise.resolve(createInProcessBus());
}
