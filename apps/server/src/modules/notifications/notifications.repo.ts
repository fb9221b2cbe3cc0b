import { and, asc, count, desc, eq, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { contacts } from '../contacts/contacts.tables.ts';
import { conversations, messages } from '../conversations/conversations.tables.ts';
import type { Keyset } from '../conversations/cursor.ts';
import { teamMembers } from '../teams/teams.tables.ts';
import { users } from '../users/users.tables.ts';
import { whatsappNumbers } from '../whatsapp/whatsapp.tables.ts';
import { notifications } from './notifications.tables.ts';

export type NotificationRow = typeof notifications.$inferSelect;
export type NewNotificationRow = Omit<typeof notifications.$inferInsert, 'tenantId'>;
/**
 * A notification with a line of the message it points at (a note's body), and the contact and
 * number of its conversation, for the list.
 */
export type NotificationListRow = NotificationRow & {
  preview: string | null;
  contactName: string | null;
  numberPurpose: string | null;
};

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
      contactName: sql<
        string | null
      >`coalesce(${contacts.name}, ${contacts.profileName}, ${contacts.phoneE164}, '+' || ${contacts.waId})`,
      numberPurpose: whatsappNumbers.purpose,
    })
    .from(notifications)
    .leftJoin(
      messages,
      and(eq(messages.tenantId, notifications.tenantId), eq(messages.id, notifications.messageId)),
    )
    .leftJoin(
      conversations,
      and(
        eq(conversations.tenantId, notifications.tenantId),
        eq(conversations.id, notifications.conversationId),
      ),
    )
    .leftJoin(
      contacts,
      and(eq(contacts.tenantId, conversations.tenantId), eq(contacts.id, conversations.contactId)),
    )
    .leftJoin(
      whatsappNumbers,
      and(
        eq(whatsappNumbers.tenantId, conversations.tenantId),
        eq(whatsappNumbers.id, conversations.numberId),
      ),
    );
}

/** Active users who may read conversations: owners, and others holding `conversations.read`. */
const canReadInbox = and(
  eq(users.status, 'active'),
  or(eq(users.role, 'owner'), sql`'conversations.read' = any(${users.permissions})`),
);

/** Every query is scoped to one user: a user only ever sees or changes their own notifications. */
export const notificationsRepo = (tx: Executor) => ({
  async insertMany(tenantId: string, rows: NewNotificationRow[]): Promise<NotificationRow[]> {
    if (rows.length === 0) return [];
    return tx
      .insert(notifications)
      .values(rows.map((r) => ({ ...r, tenantId })))
      .returning();
  },
  /**
   * Who hears of a new conversation: the active members of `teamId` who may read the inbox, or,
   * with no team, every active user who may; never `excludeUserId` (the round-robin assignee, who
   * gets an assignment instead). At most `limit`, the longest-standing users first. One query.
   */
  async newConversationRecipients(
    tenantId: string,
    input: { teamId: string | null; excludeUserId: string | null },
    limit: number,
  ): Promise<string[]> {
    const where: (SQL | undefined)[] = [eq(users.tenantId, tenantId), canReadInbox];
    if (input.excludeUserId !== null) where.push(ne(users.id, input.excludeUserId));
    const base = tx.select({ id: users.id }).from(users);
    const query =
      input.teamId === null
        ? base.where(and(...where))
        : base
            .innerJoin(
              teamMembers,
              and(eq(teamMembers.tenantId, users.tenantId), eq(teamMembers.userId, users.id)),
            )
            .where(and(...where, eq(teamMembers.teamId, input.teamId)));
    const rows = await query.orderBy(asc(users.createdAt), asc(users.id)).limit(limit);
    return rows.map((r) => r.id);
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
