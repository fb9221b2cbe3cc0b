import { and, asc, eq, gt, lte, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/database.ts';
import type { NewRealtimeEvent } from './realtime-events.ts';
import { realtimeEvents } from './realtime.tables.ts';

export type RealtimeEventRow = typeof realtimeEvents.$inferSelect;

/**
 * The tenant's realtime lock. Seqs are drawn at insert, not at commit, so seq 11 may commit
 * before seq 10, and a reader that saw 11 would move its cursor past 10 for good. Writers hold
 * this lock shared from their insert to their commit (`recordEvents`), so they never wait for each
 * other and their commits flush together. A reader takes it exclusively for an instant, which
 * waits for the writers in flight, and notes the last seq drawn so far (`settledSeq`): every event
 * of the tenant up to it has then committed or never will, and any later one takes a higher seq.
 * It reads up to that seq only.
 */
const tenantLock = (tenantId: string) => sql`hashtextextended(${`realtime:${tenantId}`}, 0)`;

/**
 * The seq up to which the tenant's events are settled (see `tenantLock`). Run it outside any
 * transaction (`Database.read`): the lock then lasts this one statement, and writers are held
 * back only while it waits for those in flight, never for a round trip of ours.
 */
export async function settledSeq(db: Executor, tenantId: string): Promise<number> {
  // The subqueries fence the order: the lock is held before the sequence is read.
  const result: unknown = await db.execute(sql`
    select coalesce(pg_sequence_last_value('realtime_events_seq_seq'::regclass), 0) as seq
    from (select pg_advisory_xact_lock(${tenantLock(tenantId)}) offset 0) as settled`);
  return Number((result as { rows: { seq: string | number }[] }).rows[0]?.seq ?? 0);
}

/** Reads of the tenant's events, up to a seq from `settledSeq` (taken before the transaction). */
export const realtimeRepo = (tx: Executor) => ({
  /** Events of the tenant after `after`, up to `upTo`, in order. */
  async listAfter(tenantId: string, after: number, upTo: number, limit: number): Promise<RealtimeEventRow[]> {
    return tx
      .select()
      .from(realtimeEvents)
      .where(
        and(
          eq(realtimeEvents.tenantId, tenantId),
          gt(realtimeEvents.seq, after),
          lte(realtimeEvents.seq, upTo),
        ),
      )
      .orderBy(asc(realtimeEvents.seq))
      .limit(limit);
  },
  /** The tenant's latest seq up to `upTo`, or 0. */
  async latestSeq(tenantId: string, upTo: number): Promise<number> {
    const [row] = await tx
      .select({ seq: sql<string | null>`max(${realtimeEvents.seq})` })
      .from(realtimeEvents)
      .where(and(eq(realtimeEvents.tenantId, tenantId), lte(realtimeEvents.seq, upTo)));
    return Number(row?.seq ?? 0);
  },
});

/** The tenant's settled events after `after` (at most `limit`), for tests and tools. */
export async function readSettledEvents(
  database: Database,
  tenantId: string,
  after = 0,
  limit = 1000,
): Promise<RealtimeEventRow[]> {
  const upTo = await database.read((db) => settledSeq(db, tenantId));
  return database.tenant(tenantId, (tx) => realtimeRepo(tx).listAfter(tenantId, after, upTo, limit));
}

/**
 * Records events in the caller's transaction and returns the highest seq (0 for none); publish
 * it on the RealtimeBus after commit.
 *
 * Call it LAST in the transaction, once for all its events. It holds the tenant's realtime lock
 * shared from here to commit (see `tenantLock`); taking it last keeps it short and means no other
 * lock is awaited while holding it (so it cannot deadlock with a reader waiting for it).
 */
export async function recordEvents(
  tx: Executor,
  tenantId: string,
  events: NewRealtimeEvent[],
  occurredAt: Date,
): Promise<number> {
  if (events.length === 0) return 0;
  const records = JSON.stringify(
    events.map((e) => ({
      tenant_id: tenantId,
      type: e.type,
      conversation_id: e.conversationId,
      recipient_user_id: e.recipientUserId ?? null,
      data: e.data,
      occurred_at: occurredAt,
    })),
  );
  const columns = sql.raw('tenant_id, type, conversation_id, recipient_user_id, data, occurred_at');
  // One round trip: the rows are joined with the lock, so no row (and no seq) exists before it is held.
  const result: unknown = await tx.execute(sql`
    with lock as (select pg_advisory_xact_lock_shared(${tenantLock(tenantId)}))
    insert into ${realtimeEvents} (${columns})
    select ${columns} from lock, json_populate_recordset(null::${realtimeEvents}, ${records}::json)
    returning seq`);
  // Both drivers answer with `rows`; a bigint comes back as text.
  return Math.max(...(result as { rows: { seq: string | number }[] }).rows.map((r) => Number(r.seq)));
}
