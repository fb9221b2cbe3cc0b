import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { webhookReceipts, webhookUnknownNumbers } from './whatsapp.tables.ts';

export type ReceiptRow = typeof webhookReceipts.$inferSelect;

/** Platform-level: receipts precede any tenant (system transactions only). */
export const webhookRepo = (tx: Executor) => ({
  async insertReceipt(row: { id: string; receivedAt: Date; body: string }): Promise<void> {
    await tx.insert(webhookReceipts).values(row);
  },
  async findReceipt(id: string): Promise<ReceiptRow | undefined> {
    const [row] = await tx.select().from(webhookReceipts).where(eq(webhookReceipts.id, id));
    return row;
  },
  async markProcessed(id: string, at: Date): Promise<void> {
    await tx
      .update(webhookReceipts)
      .set({ processedAt: at, lastError: null })
      .where(eq(webhookReceipts.id, id));
  },
  async recordAttemptFailure(id: string, error: string): Promise<void> {
    await tx
      .update(webhookReceipts)
      .set({ attempts: sql`${webhookReceipts.attempts} + 1`, lastError: error.slice(0, 1000) })
      .where(eq(webhookReceipts.id, id));
  },
  /**
   * Receipts nobody finished, oldest first from after `afterId` (ids are time-ordered UUIDv7):
   * the process may have died between storing and queueing, or while working the job. Receipts
   * that have failed `maxAttempts` times are left for a person to look at.
   */
  async listUnprocessed(
    receivedBefore: Date,
    maxAttempts: number,
    afterId: string | null,
    limit: number,
  ): Promise<ReceiptRow[]> {
    return tx
      .select()
      .from(webhookReceipts)
      .where(
        and(
          isNull(webhookReceipts.processedAt),
          lt(webhookReceipts.receivedAt, receivedBefore),
          lt(webhookReceipts.attempts, maxAttempts),
          afterId === null ? undefined : gt(webhookReceipts.id, afterId),
        ),
      )
      .orderBy(webhookReceipts.id)
      .limit(limit);
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
