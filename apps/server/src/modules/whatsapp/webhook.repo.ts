import { and, count, eq, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../platform/db/database.ts';
import { webhookReceipts, webhookUnknownNumbers } from './whatsapp.tables.ts';

export type ReceiptRow = typeof webhookReceipts.$inferSelect;
export type ClaimedReceipt = Pick<ReceiptRow, 'id' | 'attempts'>;

/**
 * Stores a verified POST, claimable at once: the acknowledgement path's INSERT, built once: on PostgreSQL a named prepared statement (parsed
 * and planned once per connection), on PGlite the same text every time. Commits on its own.
 */
export function receiptInserter(
  db: Db,
): (row: { id: string; receivedAt: Date; body: string }) => Promise<void> {
  const insert = db
    .insert(webhookReceipts)
    .values({
      id: sql.placeholder('id'),
      receivedAt: sql.placeholder('receivedAt'),
      body: sql.placeholder('body'),
    })
    .prepare('webhook_receipt_insert');
  return async (row) => {
    await insert.execute(row);
  };
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
