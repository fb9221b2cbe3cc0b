// In-app notifications for one user: a mention in a note (and, for other modules, an assignment or
// a new conversation, see notifyNewConversation). Created inside the transaction of the change that causes them, with a
// `notification.created` realtime event addressed to the recipient only; read by their owner only.
import type { Clock } from '../../platform/clock.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { orNotFound } from '../../platform/errors.ts';
import type { NewRealtimeEvent } from '../../platform/realtime/realtime-events.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { decodeCursor, pageOf } from '../conversations/cursor.ts';
import type { notificationKinds } from './notifications.tables.ts';
import { notificationsRepo, type NotificationListRow, type NotificationRow } from './notifications.repo.ts';

export type NotificationKind = (typeof notificationKinds)[number];
type UserPrincipal = Extract<Principal, { kind: 'user' }>;

export interface NotificationDraft {
  userId: string;
  kind: NotificationKind;
  conversationId: string | null;
  messageId: string | null;
  actorUserId: string | null;
}

/** The contact and number of a notification's conversation, as the list and the bell show them. */
export interface NotificationContext {
  contactName: string | null;
  numberPurpose: string | null;
}

const noContext: NotificationContext = { contactName: null, numberPurpose: null };

/** A notification as clients see it, over HTTP and in `notification.created` events. */
export function notificationView(
  n: NotificationRow,
  preview: string | null,
  context: NotificationContext = noContext,
) {
  return {
    id: n.id,
    kind: n.kind,
    conversationId: n.conversationId,
    messageId: n.messageId,
    actorUserId: n.actorUserId,
    preview,
    contactName: context.contactName,
    numberPurpose: context.numberPurpose,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt?.toISOString() ?? null,
  };
}
export type NotificationView = ReturnType<typeof notificationView>;

/**
 * Inserts notifications in the caller's transaction and returns their realtime events, each for
 * its recipient only. The caller records the events LAST in the transaction (`recordEvents`) and
 * publishes after commit, like every other event.
 */
export async function recordNotifications(
  tx: Executor,
  tenantId: string,
  drafts: NotificationDraft[],
  now: Date,
  preview: string | null = null,
  context: NotificationContext = noContext,
): Promise<{ rows: NotificationRow[]; events: NewRealtimeEvent[] }> {
  const rows = await notificationsRepo(tx).insertMany(
    tenantId,
    drafts.map((d) => ({ ...d, id: uuidv7(now.getTime()), createdAt: now, readAt: null })),
  );
  const events = rows.map((n): NewRealtimeEvent => ({
    type: 'notification.created',
    conversationId: n.conversationId,
    recipientUserId: n.userId,
    data: notificationView(n, preview, context),
  }));
  return { rows, events };
}

/**
 * Most users told of one new conversation. An organization bigger than this without a default
 * team on the number should give it one: past it, the longest-standing users are told.
 */
export const NEW_CONVERSATION_RECIPIENT_CAP = 200;

/**
 * Tells of a conversation an inbound message just created, inside the inbound transaction: the
 * members of the number's default team (`teamId`), or every active user with the inbox permission
 * when there is none; never deactivated users, nor the round-robin assignee (told by an
 * `assignment`). One query for the recipients, one multi-row INSERT for their notifications;
 * the events (one per recipient, to them only) are for the caller to record last.
 */
export async function notifyNewConversation(
  tx: Executor,
  tenantId: string,
  input: {
    conversationId: string;
    teamId: string | null;
    assigneeId: string | null;
    context: NotificationContext;
  },
  now: Date,
): Promise<NewRealtimeEvent[]> {
  const recipients = await notificationsRepo(tx).newConversationRecipients(
    tenantId,
    { teamId: input.teamId, excludeUserId: input.assigneeId },
    NEW_CONVERSATION_RECIPIENT_CAP,
  );
  const { events } = await recordNotifications(
    tx,
    tenantId,
    recipients.map((userId) => ({
      userId,
      kind: 'new_conversation' as const,
      conversationId: input.conversationId,
      messageId: null,
      actorUserId: null,
    })),
    now,
    null,
    input.context,
  );
  return events;
}

export interface NotificationQuery {
  unreadOnly: boolean;
  cursor?: string | undefined;
  limit: number;
}

export function createNotificationsService(deps: { database: Database; clock: Clock }) {
  const { database, clock } = deps;

  async function listNotifications(
    principal: UserPrincipal,
    query: NotificationQuery,
  ): Promise<{ items: NotificationListRow[]; nextCursor: string | null; unreadCount: number }> {
    const { tenantId, userId } = principal;
    const before = decodeCursor(query.cursor);
    const { rows, unreadCount } = await database.tenant(tenantId, async (tx) => {
      const repo = notificationsRepo(tx);
      return {
        rows: await repo.listForUser(
          tenantId,
          userId,
          { unreadOnly: query.unreadOnly, before },
          query.limit + 1,
        ),
        unreadCount: await repo.countUnread(tenantId, userId),
      };
    });
    return { ...pageOf(rows, query.limit, (n) => ({ at: n.createdAt, id: n.id })), unreadCount };
  }

  /** Another user's notification is as absent as one that does not exist. */
  async function markRead(principal: UserPrincipal, id: string): Promise<NotificationListRow> {
    const { tenantId, userId } = principal;
    const row = await database.tenant(tenantId, async (tx) => {
      const repo = notificationsRepo(tx);
      return (await repo.markRead(tenantId, userId, id, clock.now()))
        ? repo.findForUser(tenantId, userId, id)
        : undefined;
    });
    return orNotFound(row, 'Notification not found.');
  }

  async function markAllRead(principal: UserPrincipal): Promise<number> {
    const { tenantId, userId } = principal;
    return database.tenant(tenantId, (tx) =>
      notificationsRepo(tx).markAllRead(tenantId, userId, clock.now()),
    );
  }

  return { listNotifications, markRead, markAllRead };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
