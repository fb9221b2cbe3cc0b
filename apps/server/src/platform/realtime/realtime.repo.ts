import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Executor } from '../db/database.ts';
import type { NewRealtimeEvent } from './realtime-events.ts';
import { realtimeEvents } from './realtime.tables.ts';

export type RealtimeEventRow = typeof realtimeEvents.$inferSelect;

export const realtimeRepo = (tx: Executor) => ({
  /** Events of the tenant after `seq`, in order. */
  async listAfter(tenantId: string, seq: number, limit: number): Promise<RealtimeEventRow[]> {
    return tx
      .select()
      .from(realtimeEvents)
      .where(and(eq(realtimeEvents.tenantId, tenantId), gt(realtimeEvents.seq, seq)))
      .orderBy(asc(realtimeEvents.seq))
      .limit(limit);
  },
  /** The tenant's latest seq, or 0. */
  async latestSeq(tenantId: string): Promise<number> {
    const [row] = await tx
      .select({ seq: sql<string | null>`max(${realtimeEvents.seq})` })
      .from(realtimeEvents)
      .where(eq(realtimeEvents.tenantId, tenantId));
    return Number(row?.seq ?? 0);
  },
});

/**
 * Records events in the caller's transaction and returns the highest seq (0 for none); publish
 * it on the RealtimeBus after commit.
 *
 * Call it LAST in the transaction, once for all its events. The seq comes from a global identity,
 * whose values are taken in insertion order, not commit order: two transactions of one tenant
 * could otherwise commit seq 11 before seq 10, and a client that saw 11 would skip 10 on
 * reconnect. A transaction-scoped advisory lock per tenant, held from here to commit, makes seq
 * order commit order within the tenant. Taking it last keeps it short and means no other lock is
 * awaited while holding it (so it cannot deadlock).
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
    with lock as (select pg_advisory_xact_lock(hashtextextended(${`realtime:${tenantId}`}, 0)))
    insert into ${realtimeEvents} (${columns})
    select ${columns} from lock, json_populate_recordset(null::${realtimeEvents}, ${records}::json)
    returning seq`);
  // Both drivers answer with `rows`; a bigint comes back as text.
  return Math.max(...(result as { rows: { seq: string | number }[] }).rows.map((r) => Number(r.seq)));
}
