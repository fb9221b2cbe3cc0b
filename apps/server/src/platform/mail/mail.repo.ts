import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Executor } from '../db/database.ts';
import { uuidv7 } from '../security/tokens.ts';
import { mailOutbox } from './mail.tables.ts';

export type OutboxRow = typeof mailOutbox.$inferSelect;

/** Platform-level table: rows are keyed by their own id, not by tenant. */
export const mailRepo = (tx: Executor) => ({
  /**
   * Runs inside tenant transactions too, where the RLS role may only INSERT here (it must not
   * read other organizations' mail), hence no RETURNING.
   */
  async insert(row: Omit<OutboxRow, 'id' | 'attempts' | 'lastError' | 'sentAt'>): Promise<OutboxRow> {
    const full: OutboxRow = {
      ...row,
      id: uuidv7(row.createdAt.getTime()),
      attempts: 0,
      lastError: null,
      sentAt: null,
    };
    await tx.insert(mailOutbox).values(full);
    return full;
  },
  async findById(id: string): Promise<OutboxRow | undefined> {
    const [row] = await tx.select().from(mailOutbox).where(eq(mailOutbox.id, id));
    return row;
  },
  async markSent(id: string, at: Date): Promise<void> {
    // The body holds single-use links; once delivered it is not kept.
    await tx
      .update(mailOutbox)
      .set({ status: 'sent', sentAt: at, textBody: null, attempts: sql`${mailOutbox.attempts} + 1` })
      .where(eq(mailOutbox.id, id));
  },
  async countEvent(id: string, error: string, final: boolean): Promise<void> {
    await tx
      .update(mailOutbox)
      .set({
        lastError: error.slice(0, 500),
        attempts: sql`${mailOutbox.attempts} + 1`,
        ...(final ? { status: 'failed' as const } : {}),
      })
      .where(eq(mailOutbox.id, id));
  },
  /** Queued mail nobody may be delivering (e.g. the process died between commit and dispatch). */
  async listQueued(createdBefore: Date, limit: number): Promise<OutboxRow[]> {
    return tx
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.status, 'queued'), lt(mailOutbox.createdAt, createdBefore)))
      .orderBy(mailOutbox.createdAt)
      .limit(limit);
  },
  async list(limit: number, before?: Date): Promise<OutboxRow[]> {
    return tx
      .select()
      .from(mailOutbox)
      .where(before ? lt(mailOutbox.createdAt, before) : undefined)
      .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
      .limit(limit);
  },
});
