import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { outboundQueue, sendPacing } from './outbound.tables.ts';

export interface QueuedItem {
  messageId: string;
  tenantId: string;
  numberId: string;
  contactId: string;
  attempts: number;
}

/** A client's line waits from one of its messages on (`postponeLines`). */
export interface LineWait {
  numberId: string;
  contactId: string;
  fromSeq: number;
  /** Database time (ms); null: parked until the line's claimed messages are answered. */
  atMs: number | null;
}

/** A message of a client's line, in write order (`lineHeads`). */
export interface LineEntry extends QueuedItem {
  seq: number;
  /** Queued and available now. */
  due: boolean;
}

/**
 * The messages that may leave now: for each client's line, the run of due messages at its front
 * (anything earlier still on its way or waiting for a retry holds the line), in write order.
 */
export function frontRuns(entries: readonly LineEntry[]): LineEntry[] {
  const blocked = new Set<string>();
  const out: LineEntry[] = [];
  for (const e of [...entries].sort((a, b) => a.seq - b.seq)) {
    const line = `${e.numberId}:${e.contactId}`;
    if (blocked.has(line)) continue;
    if (e.due) out.push(e);
    else blocked.add(line);
  }
  return out;
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
  async remove(tenantId: string, messageIds: readonly string[]): Promise<void> {
    if (messageIds.length === 0) return;
    await tx
      .delete(outboundQueue)
      .where(and(eq(outboundQueue.tenantId, tenantId), inArray(outboundQueue.messageId, [...messageIds])));
  },
});

/**
 * The delivery worker's side of the queue, across tenants (run in `database.system`). Times are
 * the database's, so that every instance agrees on them.
 */
export const deliveryRepo = (tx: Executor) => ({
  /**
   * Serializes claims across instances until the transaction ends (a claim reads each client's
   * line and takes its front, which another claim must not split); returns the database's clock.
   */
  async lockClaims(): Promise<number> {
    const [row] = rowsOf<{ now: string }>(
      await tx.execute(sql`
        select (extract(epoch from now()) * 1000)::text as now
        from (select pg_advisory_xact_lock(hashtext('outbound_queue.claim'))) lock`),
    );
    return Number(row?.now);
  },
  /**
   * The fronts of the clients' lines that may move: among the first `scan` due messages in write
   * order, the (number, client) lines whose first message not yet answered is due, each with its
   * first `perClient` such messages in write order, whatever their state, so that the caller can
   * take the run of due ones at the front (`frontRuns`).
   */
  async lineHeads(scan: number, perClient: number): Promise<LineEntry[]> {
    return rowsOf<LineEntry>(
      await tx.execute(sql`
        with lines as (
          select distinct number_id, contact_id from (
            select number_id, contact_id from ${outboundQueue}
            where state = 'queued' and available_at <= now()
            order by seq limit ${scan}) due),
        free as (
          select l.* from lines l
          cross join lateral (
            select state, available_at from ${outboundQueue} f
            where f.number_id = l.number_id and f.contact_id = l.contact_id and f.state <> 'answered'
            order by f.seq limit 1) head
          where head.state = 'queued' and head.available_at <= now())
        select h.message_id as "messageId", h.tenant_id as "tenantId", h.number_id as "numberId",
               h.contact_id as "contactId", h.attempts, h.seq::float8 as seq,
               (h.state = 'queued' and h.available_at <= now()) as due
        from free l
        cross join lateral (
          select * from ${outboundQueue} q
          where q.number_id = l.number_id and q.contact_id = l.contact_id and q.state <> 'answered'
          order by q.seq limit ${perClient}) h
        order by h.seq`),
    );
  },
  /**
   * The queued messages of lines this process holds (a message of each is on its way), each line's
   * first `perClient` in write order. Only those parked behind the held messages are due: one
   * waiting for a retry or the pair rate, or queued since, holds the rest until the line is freed.
   */
  async heldLineFronts(
    lines: { numberId: string; contactId: string }[],
    perClient: number,
  ): Promise<LineEntry[]> {
    if (lines.length === 0) return [];
    return rowsOf<LineEntry>(
      await tx.execute(sql`
        select h.message_id as "messageId", h.tenant_id as "tenantId", h.number_id as "numberId",
               h.contact_id as "contactId", h.attempts, h.seq::float8 as seq,
               (h.available_at = 'infinity') as due
        from json_to_recordset(${JSON.stringify(lines.map((l) => ({ n: l.numberId, c: l.contactId })))}::json)
          as v(n uuid, c uuid)
        cross join lateral (
          select * from ${outboundQueue} q
          where q.number_id = v.n and q.contact_id = v.c and q.state = 'queued'
          order by q.seq limit ${perClient}) h
        order by h.seq`),
    );
  },
  /** Locks the given messages while still queued; returns those locked (under `lockClaims`). */
  async lockQueued(messageIds: string[]): Promise<Set<string>> {
    if (messageIds.length === 0) return new Set();
    const rows = rowsOf<{ id: string }>(
      await tx.execute(sql`
        select message_id as id from ${outboundQueue}
        where message_id in (select jsonb_array_elements_text(${JSON.stringify(messageIds)}::jsonb)::uuid)
          and state = 'queued'
        for update`),
    );
    return new Set(rows.map((r) => r.id));
  },
  /** Marks locked messages as on their way; their claim lapses at `lapsesAt` (database time). */
  async markSending(messageIds: string[], lapsesAt: number): Promise<void> {
    if (messageIds.length === 0) return;
    await tx.execute(sql`
      update ${outboundQueue}
      set state = 'sending', attempts = attempts + 1, available_at = to_timestamp(${lapsesAt} / 1000.0)
      where message_id in (select jsonb_array_elements_text(${JSON.stringify(messageIds)}::jsonb)::uuid)`);
  },
  /**
   * Makes clients' lines wait: their queued messages from `fromSeq` on are claimable only from
   * `atMs` (database time; or later if they already were), or, with `atMs` null, those due are
   * parked until `unparkLines` (they wait for the line's claimed messages to be answered).
   */
  async postponeLines(lines: LineWait[]): Promise<void> {
    if (lines.length === 0) return;
    await tx.execute(sql`
      update ${outboundQueue} q
      set available_at = coalesce(to_timestamp(v.at / 1000.0), 'infinity'::timestamptz)
      from json_to_recordset(${JSON.stringify(lines.map((l) => ({ n: l.numberId, c: l.contactId, s: l.fromSeq, at: l.atMs })))}::json)
        as v(n uuid, c uuid, s bigint, at double precision)
      where q.number_id = v.n and q.contact_id = v.c and q.seq >= v.s and q.state = 'queued'
        -- Only the rows whose time changes (a parked line's rows are not written again by every
        -- claim): due ones are parked; a time moves parked rows and earlier times to it.
        and case when v.at is null then q.available_at <= now()
                 else q.available_at = 'infinity' or q.available_at < to_timestamp(v.at / 1000.0) end`);
  },
  /**
   * Frees clients' lines: their claimed messages Meta answered no longer hold them (`answered`,
   * until their outcome is written), and their parked messages become claimable in `delayMs`.
   */
  async freeLines(
    lines: { numberId: string; contactId: string }[],
    answeredIds: string[],
    delayMs: number,
  ): Promise<void> {
    if (answeredIds.length > 0) {
      await tx.execute(sql`
        update ${outboundQueue} set state = 'answered'
        where message_id in (select jsonb_array_elements_text(${JSON.stringify(answeredIds)}::jsonb)::uuid)
          and state = 'sending'`);
    }
    if (lines.length === 0) return;
    await tx.execute(sql`
      update ${outboundQueue} q set available_at = now() + make_interval(secs => ${delayMs / 1000})
      from json_to_recordset(${JSON.stringify(lines.map((l) => ({ n: l.numberId, c: l.contactId })))}::json)
        as v(n uuid, c uuid)
      where q.number_id = v.n and q.contact_id = v.c and q.state = 'queued' and q.available_at = 'infinity'`);
  },
  /** Frees parked messages whose line has nothing on its way (nobody is left to free them). */
  async unparkOrphans(): Promise<void> {
    await tx.execute(sql`
      update ${outboundQueue} q set available_at = now()
      where q.state = 'queued' and q.available_at = 'infinity'
        and not exists (select 1 from ${outboundQueue} e
                        where e.number_id = q.number_id and e.contact_id = q.contact_id and e.state = 'sending')`);
  },
  /**
   * Puts claimed messages that never left back in line, claimable in `delayMs` (their client's
   * line stopped at an earlier message that was not accepted).
   */
  async release(messageIds: string[], delayMs: number): Promise<void> {
    if (messageIds.length === 0) return;
    await tx.execute(sql`
      update ${outboundQueue}
      set state = 'queued', attempts = attempts - 1, available_at = now() + make_interval(secs => ${delayMs / 1000})
      where message_id in (select jsonb_array_elements_text(${JSON.stringify(messageIds)}::jsonb)::uuid)
        and state = 'sending'`);
  },
  /** Puts a claimed message back in line after a retryable failure, `delayMs` from now. */
  async retryIn(messageId: string, delayMs: number, lastError: string): Promise<void> {
    await tx.execute(sql`
      update ${outboundQueue}
      set state = 'queued', available_at = now() + make_interval(secs => ${delayMs / 1000}),
          last_error = ${lastError.slice(0, 1000)}
      where message_id = ${messageId}`);
  },
  /**
   * Claims whose lease lapsed (the worker died with the request perhaps sent, or answered and its
   * outcome not written).
   */
  async takeLapsed(limit: number): Promise<QueuedItem[]> {
    return rowsOf<QueuedItem>(
      await tx.execute(sql`
        delete from ${outboundQueue}
        where message_id in (select message_id from ${outboundQueue}
                             where state in ('sending', 'answered') and available_at <= now()
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
 * than the moment of the reservation (`clock_timestamp()`, not the transaction's start: a claim's
 * slots must not have passed before it even took them), and returns the first slot (ms).
 * Concurrent reservations on a key serialize on its row.
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
      values (${key}, clock_timestamp() + make_interval(secs => ${(count * intervalMs) / 1000}))
      on conflict (key) do update
        set next_at = greatest(p.next_at, clock_timestamp()) + make_interval(secs => ${(count * intervalMs) / 1000})
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
