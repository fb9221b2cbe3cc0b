import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, tenantPolicy, ts } from '../../platform/db/columns.ts';

export const notificationKinds = ['mention', 'assignment', 'new_conversation'] as const;

/** An in-app notification for one user: a mention in a note, an assignment, a new conversation. */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    tenantId: tenantId(),
    userId: uuid('user_id').notNull(),
    kind: text('kind', { enum: notificationKinds }).notNull(),
    conversationId: uuid('conversation_id'),
    messageId: uuid('message_id'),
    /** Who caused it; null for the system (an inbound message, round robin). */
    actorUserId: uuid('actor_user_id'),
    createdAt: createdAt(),
    readAt: ts('read_at'),
  },
  (t) => [
    index('notifications_user_idx').on(t.tenantId, t.userId, t.createdAt.desc(), t.id.desc()),
    tenantPolicy('notifications'),
  ],
);
