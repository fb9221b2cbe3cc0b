// The RealtimeBus tells every instance that a tenant has new events (after commit), and carries
// ephemeral events (typing) between instances. Notices are tiny: instances read the events
// themselves from `realtime_events`, so a lost notice delays delivery until the next one (or a
// reconnect's cursor replay) but loses nothing.
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
/** A tenant's events up to `seq` are committed; or an ephemeral event to pass on. */
export type RealtimeNotice = z.infer<typeof noticeSchema>;

export interface RealtimeBus {
  /** Announces a notice to every instance, this one included. Never throws. */
  publish(notice: RealtimeNotice): void;
  /** `onNotice` for every notice; `onResync` when notices may have been lost (reconnection). */
  subscribe(listener: RealtimeListener): () => void;
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
  let closed = false;
  const stop = await database.listen(REALTIME_CHANNEL, {
    onNotify(payload) {
      let notice: RealtimeNotice;
      try {
        notice = noticeSchema.parse(JSON.parse(payload));
      } catch {
        log.warn({ payload }, 'malformed realtime notification ignored');
        return;
      }
      for (const l of listeners) l.onNotice(notice);
    },
    onReconnect() {
      for (const l of listeners) l.onResync?.();
    },
  });
  return {
    publish(notice) {
      if (closed) return;
      database
        .executeSql(`select pg_notify('${REALTIME_CHANNEL}', $1)`, [JSON.stringify(notice)])
        .catch((err: unknown) => log.warn({ err }, 'realtime notification failed; clients catch up later'));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      listeners.clear();
      await stop();
    },
  };
}

/** The bus for the engine: in-process on PGlite, LISTEN/NOTIFY on PostgreSQL. */
export function createRealtimeBus(database: Database, log: Logger): Promise<RealtimeBus> {
  return database.kind === 'postgres'
    ? createPostgresBus(database, log)
    : Promise.resolve(createInProcessBus());
}
