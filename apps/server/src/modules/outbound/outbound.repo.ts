import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { outboundQueue, sendPacing } from './outbound.tables.ts';

export interface QueuedItem {
  messageId: string;
  tenantId: string;
  numberId: string;
  contactId: string;
  attempts: number;
}

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/** Queue rows inside a tenant's transaction (RLS applies): written with their message. */
export const outboundQueueRepo = (tx: Executor) => ({
  async insert(
    tenantId: string,
    row: { messageId: string; numberId: string; contactId: string; createdAt: Date },
  ): Promise<void> {
    await tx.insert(outboundQueue).values({ ...row, tenantId, state: 'queued' });
  },
  async isQueued(tenantId: string, messageId: string): Promise<boolean> {
    const [row] = await tx
      .select({ id: outboundQueue.messageId })
      .from(outboundQueue)
      .where(and(eq(outboundQueue.tenantId, tenantId), eq(outboundQueue.messageId, messageId)));
    return row !== undefined;
  },
  async remove(tenantId: string, messageId: string): Promise<void> {
    await tx
      .delete(outboundQueue)
      .where(and(eq(outboundQueue.tenantId, tenantId), eq(outboundQueue.messageId, messageId)));
  },
});

/**
 * The delivery worker's side of the queue, across tenants (run in `database.system`). Times are
 * the database's, so that every instance agrees on them.
 */
export const deliveryRepo = (tx: Executor) => ({
  /** The database's clock, in ms since the epoch. */
  async now(): Promise<number> {
    const [row] = rowsOf<{ now: string }>(
      await tx.execute(sql`select (extract(epoch from now()) * 1000)::text as now`),
    );
    return Number(row?.now);
  },
  /**
   * Locks up to `limit` queued messages that may leave now: due, and first in line for their
   * client on their number (earlier ones, queued or on their way, go first). In write order.
   */
  async lockDue(limit: number): Promise<QueuedItem[]> {
    return rowsOf<QueuedItem>(
      await tx.execute(sql`
        select q.message_id as "messageId", q.tenant_id as "tenantId", q.number_id as "numberId",
               q.contact_id as "contactId", q.attempts
        from ${outboundQueue} q
        where q.state = 'queued' and q.available_at <= now()
          and not exists (select 1 from ${outboundQueue} e
                          where e.number_id = q.number_id and e.contact_id = q.contact_id and e.seq < q.seq)
        order by q.seq
        limit ${limit}
        for update of q skip locked`),
    );
  },
  /** Marks locked messages as on their way; their claim lapses `leaseMs` after their slot. */
  async markSending(items: { messageId: string; slotAt: number }[], leaseMs: number): Promise<void> {
    if (items.length === 0) return;
    await tx.execute(sql`
      update ${outboundQueue} q
      set state = 'sending', attempts = q.attempts + 1,
          available_at = to_timestamp((v.slot_at + ${leaseMs}) / 1000.0)
      from json_to_recordset(${JSON.stringify(items.map((i) => ({ id: i.messageId, slot_at: i.slotAt })))}::json)
        as v(id uuid, slot_at double precision)
      where q.message_id = v.id`);
  },
  /** Makes a locked queued message claimable only from `atMs` (database time). */
  async postpone(messageId: string, atMs: number): Promise<void> {
    await tx.execute(sql`
      update ${outboundQueue} set available_at = to_timestamp(${atMs} / 1000.0)
      where message_id = ${messageId}`);
  },
  /** Puts a claimed message back in line after a retryable failure, `delayMs` from now. */
  async retryIn(messageId: string, delayMs: number, lastError: string): Promise<void> {
    await tx.execute(sql`
      update ${outboundQueue}
      set state = 'queued', available_at = now() + make_interval(secs => ${delayMs / 1000}),
          last_error = ${lastError.slice(0, 1000)}
      where message_id = ${messageId}`);
  },
  /** Claims whose lease lapsed (the worker died with the request perhaps sent). */
  async takeLapsed(limit: number): Promise<QueuedItem[]> {
    return rowsOf<QueuedItem>(
      await tx.execute(sql`
        delete from ${outboundQueue}
        where message_id in (select message_id from ${outboundQueue}
                             where state = 'sending' and available_at <= now()
                             limit ${limit} for update skip locked)
        returning message_id as "messageId", tenant_id as "tenantId", number_id as "numberId",
                  contact_id as "contactId", attempts`),
    );
  },
  async queued(): Promise<number> {
    const [row] = rowsOf<{ n: number }>(
      await tx.execute(sql`select count(*)::int as n from ${outboundQueue}`),
    );
    return row?.n ?? 0;
  },
});

/**
 * Reserves `count` consecutive send slots `intervalMs` apart on a pacing key, starting no earlier
 * than now, and returns the first slot (ms). Concurrent reservations on a key serialize on its row.
 */
export async function reserveSlots(
  tx: Executor,
  key: string,
  count: number,
  intervalMs: number,
): Promise<number> {
  const [row] = rowsOf<{ first: string }>(
    await tx.execute(sql`
      insert into ${sendPacing} as p (key, next_at)
      values (${key}, now() + make_interval(secs => ${(count * intervalMs) / 1000}))
      on conflict (key) do update
        set next_at = greatest(p.next_at, now()) + make_interval(secs => ${(count * intervalMs) / 1000})
      returning (extract(epoch from p.next_at) * 1000 - ${count * intervalMs})::text as first`),
  );
  return Number(row?.first);
}

/** Theoretical arrival times of pacing keys (ms), for keys that have one. */
export async function pacingOf(tx: Executor, keys: string[]): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const rows = rowsOf<{ key: string; at: string }>(
    await tx.execute(sql`
      select key, (extract(epoch from next_at) * 1000)::text as at from ${sendPacing}
      where key in (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))
      for update`),
  );
  return new Map(rows.map((r) => [r.key, Number(r.at)]));
}

export async function setPacing(tx: Executor, entries: { key: string; at: number }[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.execute(sql`
    insert into ${sendPacing} (key, next_at)
    select v.key, to_timestamp(v.at / 1000.0)
    from json_to_recordset(${JSON.stringify(entries)}::json) as v(key text, at double precision)
    on conflict (key) do update set next_at = excluded.next_at`);
}
