import { and, count, eq, inArray, isNotNull, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../platform/db/database.ts';
import { webhookReceipts, webhookUnknownNumbers } from './whatsapp.tables.ts';

export type ReceiptRow = typeof webhookReceipts.$inferSelect;
export type ClaimedReceipt = Pick<ReceiptRow, 'id' | 'attempts'>;

/** Rows per shared INSERT of the acknowledgement path. */
const RECEIPTS_PER_INSERT = 500;

export interface NewReceipt {
  id: string;
  receivedAt: Date;
  body: string;
}

/**
 * Stores verified POSTs, claimable at once; each call resolves once its row is committed, so the
 * 200 still follows a durable receipt. Concurrent calls share INSERTs (group commit): up to
 * `maxInFlight` INSERTs run at a time, and the rows that arrive meanwhile go together in the next
 * one. Alone, a POST costs exactly one INSERT and waits only for the end of the event loop's turn;
 * under load a fraction of one. When a shared INSERT fails its rows are tried one by one, so a bad
 * row fails only its own POST.
 */
export function receiptInserter(db: Db, maxInFlight: number): (row: NewReceipt) => Promise<void> {
  interface Waiting {
    row: NewReceipt;
    resolve: () => void;
    reject: (err: unknown) => void;
  }
  let queue: Waiting[] = [];
  let inFlight = 0;

  // One statement whatever the number of rows: the rows travel as one JSON parameter.
  const insert = async (rows: NewReceipt[]) => {
    await db.execute(sql`insert into ${webhookReceipts} (id, received_at, body)
      select r.id, r."receivedAt", r.body
      from json_to_recordset(${JSON.stringify(rows)}::json) as r(id uuid, "receivedAt" timestamptz, body text)`);
  };
  const flush = async (batch: Waiting[]) => {
    try {
      await insert(batch.map((w) => w.row));
      for (const w of batch) w.resolve();
    } catch (err) {
      if (batch.length === 1) return batch[0]?.reject(err);
      for (const w of batch) await insert([w.row]).then(w.resolve, w.reject);
    }
  };
  const pump = () => {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = queue.slice(0, RECEIPTS_PER_INSERT);
      queue = queue.slice(RECEIPTS_PER_INSERT);
      inFlight += 1;
      void flush(batch).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  };
  // The first row waits for the end of this turn of the event loop, so the POSTs read in the same
  // turn share its INSERT (PGlite answers within the turn, so nothing else would ever wait).
  let scheduled = false;
  return (row) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ row, resolve, reject });
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        pump();
      });
    });
}

/**
 * Platform-level: receipts precede any tenant. Every function is one statement, so the intake
 * runs them outside any transaction (`database.read`): each commits on its own.
 */
export const webhookRepo = (tx: Executor) => ({
  /**
   * Claims up to `limit` unprocessed receipts whose time has come, oldest first, for
   * `leaseSeconds`: other workers skip them until then (and skip rows being claimed right now),
   * so a receipt is normally worked by one worker; a worker that dies loses its lease and the
   * receipts come back. Each claim counts as an attempt.
   */
  async claim(limit: number, leaseSeconds: number, maxAttempts: number): Promise<ClaimedReceipt[]> {
    const due = tx
      .select({ id: webhookReceipts.id })
      .from(webhookReceipts)
      .where(
        and(
          isNull(webhookReceipts.processedAt),
          lte(webhookReceipts.availableAt, sql`now()`),
          lt(webhookReceipts.attempts, maxAttempts),
        ),
      )
      .orderBy(webhookReceipts.availableAt)
      .limit(limit)
      .for('update', { skipLocked: true });
    const rows = await tx
      .update(webhookReceipts)
      .set({
        attempts: sql`${webhookReceipts.attempts} + 1`,
        availableAt: sql`now() + make_interval(secs => ${leaseSeconds})`,
      })
      .where(inArray(webhookReceipts.id, due))
      .returning({ id: webhookReceipts.id, attempts: webhookReceipts.attempts });
    // Received order (ids are time-ordered UUIDv7): UPDATE ... RETURNING has no order of its own.
    return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  },
  async bodies(ids: readonly string[]): Promise<Pick<ReceiptRow, 'id' | 'body'>[]> {
    if (ids.length === 0) return [];
    return tx
      .select({ id: webhookReceipts.id, body: webhookReceipts.body })
      .from(webhookReceipts)
      .where(inArray(webhookReceipts.id, [...ids]));
  },
  async markProcessed(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await tx
      .update(webhookReceipts)
      .set({ processedAt: at, lastError: null })
      .where(inArray(webhookReceipts.id, [...ids]));
  },
  /**
   * Records why an attempt failed and when to try again (`retryAfterSeconds`), or, with null,
   * leaves the receipt for a person (never claimed again; visible with its last error).
   */
  async recordAttemptFailure(id: string, error: string, retryAfterSeconds: number | null): Promise<void> {
    await tx
      .update(webhookReceipts)
      .set({
        lastError: error.slice(0, 1000),
        availableAt:
          retryAfterSeconds === null
            ? sql`'infinity'::timestamptz`
            : sql`now() + make_interval(secs => ${retryAfterSeconds})`,
      })
      .where(eq(webhookReceipts.id, id));
  },
  /**
   * Makes every unprocessed receipt claimable now, leases included: a starting worker resumes what
   * a killed one held. Receipts out of attempts are parked at `infinity` instead.
   */
  async releaseAll(maxAttempts: number): Promise<void> {
    await tx
      .update(webhookReceipts)
      .set({
        availableAt: sql`case when ${webhookReceipts.attempts} >= ${maxAttempts} then 'infinity'::timestamptz else now() end`,
      })
      .where(
        and(
          isNull(webhookReceipts.processedAt),
          sql`${webhookReceipts.availableAt} <> 'infinity'::timestamptz`,
          sql`(${webhookReceipts.availableAt} > now() or ${webhookReceipts.attempts} >= ${maxAttempts})`,
        ),
      );
  },
  /**
   * Deletes up to `limit` processed receipts received before `beforeId` (ids are time-ordered
   * UUIDv7, so the primary key finds them); unprocessed and parked ones stay. Returns how many.
   */
  async deleteProcessedBefore(beforeId: string, limit: number): Promise<number> {
    const old = tx
      .select({ id: webhookReceipts.id })
      .from(webhookReceipts)
      .where(and(lt(webhookReceipts.id, beforeId), isNotNull(webhookReceipts.processedAt)))
      .orderBy(webhookReceipts.id)
      .limit(limit);
    const deleted = await tx
      .delete(webhookReceipts)
      .where(inArray(webhookReceipts.id, old))
      .returning({ id: webhookReceipts.id });
    return deleted.length;
  },
  /** Unprocessed receipts a worker may still take (the intake's backlog). */
  async backlog(maxAttempts: number): Promise<number> {
    const [row] = await tx
      .select({ n: count() })
      .from(webhookReceipts)
      .where(and(isNull(webhookReceipts.processedAt), lt(webhookReceipts.attempts, maxAttempts)));
    return row?.n ?? 0;
  },
  async countUnknownNumber(phoneNumberId: string, at: Date): Promise<void> {
    await tx
      .insert(webhookUnknownNumbers)
      .values({ phoneNumberId, firstSeenAt: at, lastSeenAt: at, hits: 1 })
      .onConflictDoUpdate({
        target: webhookUnknownNumbers.phoneNumberId,
        set: { lastSeenAt: at, hits: sql`${webhookUnknownNumbers.hits} + 1` },
      });
  },
});
