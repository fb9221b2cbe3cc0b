import { and, count, desc, eq, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { messages } from '../conversations/conversations.tables.ts';
import type { Keyset } from '../conversations/cursor.ts';
import { notifications } from './notifications.tables.ts';

export type NotificationRow = typeof notifications.$inferSelect;
export type NewNotificationRow = Omit<typeof notifications.$inferInsert, 'tenantId'>;
/** A notification with a line of the message it points at (a note's body), for the list. */
export type NotificationListRow = NotificationRow & { preview: string | null };

const PREVIEW_LENGTH = 120;

/** Notifications joined to the message they point at, for its first line. */
function withPreview(tx: Executor) {
  return tx
    .select({
      id: notifications.id,
      tenantId: notifications.tenantId,
      userId: notifications.userId,
      kind: notifications.kind,
      conversationId: notifications.conversationId,
      messageId: notifications.messageId,
      actorUserId: notifications.actorUserId,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
      preview: sql<string | null>`left(${messages.content} ->> 'body', ${PREVIEW_LENGTH})`,
    })
    .from(notifications)
    .leftJoin(
      messages,
      and(eq(messages.tenantId, notifications.tenantId), eq(messages.id, notifications.messageId)),
    );
}

/** Every query is scoped to one user: a user only ever sees or changes their own notifications. */
export const notificationsRepo = (tx: Executor) => ({
  async insertMany(tenantId: string, rows: NewNotificationRow[]): Promise<NotificationRow[]> {
    if (rows.length === 0) return [];
    return tx
      .insert(notifications)
      .values(rows.map((r) => ({ ...r, tenantId })))
      .returning();
  },
  /** Newest first, strictly after the cursor. */
  async listForUser(
    tenantId: string,
    userId: string,
    filter: { unreadOnly: boolean; before?: Keyset | undefined },
    limit: number,
  ): Promise<NotificationListRow[]> {
    const where: (SQL | undefined)[] = [
      eq(notifications.tenantId, tenantId),
      eq(notifications.userId, userId),
    ];
    if (filter.unreadOnly) where.push(isNull(notifications.readAt));
    const b = filter.before;
    if (b) {
      where.push(
        or(
          lt(notifications.createdAt, b.at),
          and(eq(notifications.createdAt, b.at), lt(notifications.id, b.id)),
        ),
      );
    }
    return withPreview(tx)
      .where(and(...where))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(limit);
  },
  async findForUser(tenantId: string, userId: string, id: string): Promise<NotificationListRow | undefined> {
    const [row] = await withPreview(tx).where(
      and(eq(notifications.tenantId, tenantId), eq(notifications.userId, userId), eq(notifications.id, id)),
    );
    return row;
  },
  async countUnread(tenantId: string, userId: string): Promise<number> {
    const [row] = await tx
      .select({ n: count() })
      .from(notifications)
      .where(
        and(
          eq(notifications.tenantId, tenantId),
          eq(notifications.userId, userId),
          isNull(notifications.readAt),
        ),
      );
    return row?.n ?? 0;
  },
  /** Marks one read (the first read time is kept); undefined when the user has no such notification. */
  async markRead(
    tenantId: string,
    userId: string,
    id: string,
    now: Date,
  ): Promise<NotificationRow | undefined> {
    const [row] = await tx
      .update(notifications)
      .set({ readAt: sql`coalesce(${notifications.readAt}, ${now}::timestamptz)` })
      .where(
        and(eq(notifications.tenantId, tenantId), eq(notifications.userId, userId), eq(notifications.id, id)),
      )
      .returning();
    return row;
  },
  /** Marks every unread one read; returns how many changed. */
  async markAllRead(tenantId: string, userId: string, now: Date): Promise<number> {
    const rows = await tx
      .update(notifications)
      .set({ readAt: now })
      .where(
        and(
          eq(notifications.tenantId, tenantId),
          eq(notifications.userId, userId),
          isNull(notifications.readAt),
        ),
      )
      .returning({ id: notifications.id });
    return rows.length;
  },
});
