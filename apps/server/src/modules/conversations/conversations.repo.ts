import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { insertedRow } from '../../platform/db/rows.ts';
import { conversations, messages, pendingStatuses } from './conversations.tables.ts';

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type NewMessageRow = typeof messages.$inferInsert;

export const conversationsRepo = (tx: Executor) => ({
  async findById(tenantId: string, id: string): Promise<ConversationRow | undefined> {
    const [row] = await tx
      .select()
      .from(conversations)
      .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id)));
    return row;
  },
  /** Locks the row until the transaction ends, so a change is decided on what it replaces. */
  async findForUpdate(tenantId: string, id: string): Promise<ConversationRow | undefined> {
    const [row] = await tx
      .select()
      .from(conversations)
      .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id)))
      .for('update');
    return row;
  },
  async findActive(
    tenantId: string,
    contactId: string,
    numberId: string,
  ): Promise<ConversationRow | undefined> {
    const [row] = await tx
      .select()
      .from(conversations)
      .where(
        and(
          eq(conversations.tenantId, tenantId),
          eq(conversations.contactId, contactId),
          eq(conversations.numberId, numberId),
          ne(conversations.status, 'resolved'),
        ),
      );
    return row;
  },
  async findLatestResolved(
    tenantId: string,
    contactId: string,
    numberId: string,
  ): Promise<ConversationRow | undefined> {
    const [row] = await tx
      .select()
      .from(conversations)
      .where(
        and(
          eq(conversations.tenantId, tenantId),
          eq(conversations.contactId, contactId),
          eq(conversations.numberId, numberId),
          eq(conversations.status, 'resolved'),
        ),
      )
      .orderBy(desc(conversations.lastMessageAt))
      .limit(1);
    return row;
  },
  async insert(
    tenantId: string,
    row: Omit<typeof conversations.$inferInsert, 'tenantId'>,
  ): Promise<ConversationRow> {
    return insertedRow(
      await tx
        .insert(conversations)
        .values({ ...row, tenantId })
        .returning(),
    );
  },
  async update(
    tenantId: string,
    id: string,
    patch: Partial<typeof conversations.$inferInsert>,
  ): Promise<void> {
    await tx
      .update(conversations)
      .set(patch)
      .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id)));
  },
  /** Moves the conversation's clocks forward only: late, out-of-order messages never rewind them. */
  async recordInboundActivity(tenantId: string, id: string, at: Date, now: Date): Promise<void> {
    const windowEnd = new Date(at.getTime() + 24 * 3600_000);
    await tx
      .update(conversations)
      .set({
        lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${at}::timestamptz)`,
        lastInboundAt: sql`greatest(coalesce(${conversations.lastInboundAt}, ${at}::timestamptz), ${at}::timestamptz)`,
        windowExpiresAt: sql`greatest(coalesce(${conversations.windowExpiresAt}, ${windowEnd}::timestamptz), ${windowEnd}::timestamptz)`,
        updatedAt: now,
      })
      .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id)));
  },
});

export const messagesRepo = (tx: Executor) => ({
  async findById(tenantId: string, id: string): Promise<MessageRow | undefined> {
    const [row] = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), eq(messages.id, id)));
    return row;
  },
  /** Locks the row until the transaction ends. */
  async findForUpdate(tenantId: string, id: string): Promise<MessageRow | undefined> {
    const [row] = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), eq(messages.id, id)))
      .for('update');
    return row;
  },
  async findByExternalId(tenantId: string, externalId: string): Promise<MessageRow | undefined> {
    const [row] = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), eq(messages.externalId, externalId)));
    return row;
  },
  /** Inserts unless a message with this external id exists; returns undefined for a duplicate. */
  async insertUnlessDuplicate(
    tenantId: string,
    row: Omit<NewMessageRow, 'tenantId'>,
  ): Promise<MessageRow | undefined> {
    const [inserted] = await tx
      .insert(messages)
      .values({ ...row, tenantId })
      .onConflictDoNothing({
        target: [messages.tenantId, messages.externalId],
        where: sql`external_id is not null`,
      })
      .returning();
    return inserted;
  },
  async update(tenantId: string, id: string, patch: Partial<NewMessageRow>): Promise<void> {
    await tx
      .update(messages)
      .set(patch)
      .where(and(eq(messages.tenantId, tenantId), eq(messages.id, id)));
  },
  async countInConversation(tenantId: string, conversationId: string): Promise<number> {
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), eq(messages.conversationId, conversationId)));
    return row?.n ?? 0;
  },
});

export type PendingStatusRow = typeof pendingStatuses.$inferSelect;

export const pendingStatusesRepo = (tx: Executor) => ({
  async insert(tenantId: string, row: Omit<PendingStatusRow, 'tenantId'>): Promise<void> {
    await tx.insert(pendingStatuses).values({ ...row, tenantId });
  },
  /** Removes and returns the statuses waiting for a message. */
  async take(tenantId: string, externalId: string): Promise<PendingStatusRow[]> {
    return tx
      .delete(pendingStatuses)
      .where(and(eq(pendingStatuses.tenantId, tenantId), eq(pendingStatuses.externalId, externalId)))
      .returning();
  },
});
