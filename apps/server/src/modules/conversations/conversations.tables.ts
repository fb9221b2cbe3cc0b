import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, tenantPolicy, ts } from '../../platform/db/columns.ts';

export const conversationStatuses = ['open', 'pending', 'snoozed', 'resolved'] as const;
export const priorities = ['none', 'low', 'medium', 'high', 'urgent'] as const;

export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    tenantId: tenantId(),
    contactId: uuid('contact_id').notNull(),
    numberId: uuid('number_id').notNull(),
    status: text('status', { enum: conversationStatuses }).notNull(),
    snoozedUntil: ts('snoozed_until'),
    assigneeId: uuid('assignee_id'),
    teamId: uuid('team_id'),
    priority: text('priority', { enum: priorities }).notNull().default('none'),
    lastMessageAt: ts('last_message_at').notNull(),
    lastInboundAt: ts('last_inbound_at'),
    /**
     * When the newest inbound message was stored (our clock, its `created_at`): a reader with a
     * mark at or after it has read everything. Kept by the intake; null before the first.
     */
    lastInboundStoredAt: ts('last_inbound_stored_at'),
    /** End of WhatsApp's 24-hour customer-service window: last inbound message + 24 h. */
    windowExpiresAt: ts('window_expires_at'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull(),
    resolvedAt: ts('resolved_at'),
  },
  (t) => [
    // One conversation per contact and number at a time: concurrent first messages cannot make two.
    uniqueIndex('conversations_one_active_key')
      .on(t.tenantId, t.contactId, t.numberId)
      .where(sql`status <> 'resolved'`),
    index('conversations_inbox_idx').on(t.tenantId, t.status, t.lastMessageAt.desc(), t.id.desc()),
    // Every status at once (`status=all`), newest first, and an agent's own tab and count
    // (docs/queries/inbox.md).
    index('conversations_recent_idx').on(t.tenantId, t.lastMessageAt.desc(), t.id.desc()),
    index('conversations_assignee_idx').on(
      t.tenantId,
      t.assigneeId,
      t.status,
      t.lastMessageAt.desc(),
      t.id.desc(),
    ),
    tenantPolicy('conversations'),
  ],
);

/** `note`: a private note by an agent, in the thread but never sent to the client. */
export const messageDirections = ['inbound', 'outbound', 'note'] as const;
export const messageStatuses = [
  'received',
  'queued',
  'sent',
  'delivered',
  'read',
  'failed',
  'unknown',
] as const;

export const messages = pgTable(
  'messages',
  {
    id: id(),
    tenantId: tenantId(),
    conversationId: uuid('conversation_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    numberId: uuid('number_id').notNull(),
    direction: text('direction', { enum: messageDirections }).notNull(),
    type: text('type').notNull(),
    /** Normalized content, by type (see whatsapp/normalize.ts). */
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
    /** The provider's message object as received, kept for audit and for types we learn later. */
    raw: jsonb('raw').$type<Record<string, unknown>>(),
    /** The provider's id (a WhatsApp `wamid`). One stored message per id, whatever retries arrive. */
    externalId: text('external_id'),
    status: text('status', { enum: messageStatuses }).notNull(),
    errorCode: text('error_code'),
    errorTitle: text('error_title'),
    replyToExternalId: text('reply_to_external_id'),
    forwarded: boolean('forwarded').notNull().default(false),
    frequentlyForwarded: boolean('frequently_forwarded').notNull().default(false),
    referral: jsonb('referral').$type<Record<string, unknown>>(),
    /** Emoji reactions by the contact, keyed by reactor: the latest wins, removal deletes. */
    reactions: jsonb('reactions').$type<Record<string, string>>().notNull().default({}),
    senderUserId: uuid('sender_user_id'),
    /** When the provider says it happened (its timestamp), not when we stored it. */
    occurredAt: ts('occurred_at').notNull(),
    statusAt: ts('status_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('messages_external_id_key')
      .on(t.tenantId, t.externalId)
      .where(sql`external_id is not null`),
    index('messages_conversation_idx').on(t.tenantId, t.conversationId, t.occurredAt.desc(), t.id.desc()),
    // A tenant's messages newest first: message search walks it for common terms (drizzle/0012).
    index('messages_recent_idx').on(t.tenantId, t.occurredAt.desc(), t.id.desc()),
    // Unread: a conversation's inbound messages after a read mark, answered from the index alone.
    index('messages_inbound_idx')
      .on(t.tenantId, t.conversationId, t.createdAt)
      .where(sql`direction = 'inbound'`),
    tenantPolicy('messages'),
  ],
);

/** Statuses that arrived before their message (Meta does not order webhooks); applied when it appears. */
export const pendingStatuses = pgTable(
  'pending_statuses',
  {
    id: id(),
    tenantId: tenantId(),
    externalId: text('external_id').notNull(),
    status: text('status').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    occurredAt: ts('occurred_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('pending_statuses_external_idx').on(t.tenantId, t.externalId),
    tenantPolicy('pending_statuses'),
  ],
);

/** Per-agent read marks: a conversation is unread for an agent while inbound messages follow the mark. */
export const conversationReads = pgTable(
  'conversation_reads',
  {
    tenantId: tenantId(),
    conversationId: uuid('conversation_id').notNull(),
    userId: uuid('user_id').notNull(),
    lastReadAt: ts('last_read_at').notNull(),
    /**
     * The mark covers the conversation's newest inbound message. This and the copies of the
     * conversation's dimensions below are kept by triggers (migration 0013, ADR 0009), so an
     * agent's unread count is the tallies' conversations with inbound messages minus the caught-up
     * marks of the filter, without reading every conversation.
     */
    caughtUp: boolean('caught_up').notNull().default(false),
    status: text('status', { enum: conversationStatuses }),
    teamId: uuid('team_id'),
    numberId: uuid('number_id'),
    priority: text('priority', { enum: priorities }),
    /** The labels the conversation carries (migration 0014): a label's unread count needs no join. */
    labelIds: uuid('label_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.userId] }),
    index('conversation_reads_user_idx').on(t.tenantId, t.userId),
    index('conversation_reads_caught_up_idx')
      .on(t.tenantId, t.userId, t.status)
      .where(sql`caught_up`),
    tenantPolicy('conversation_reads'),
  ],
);

/**
 * Conversations per tab, kept by triggers on `conversations` and `conversation_labels` (migration
 * 0013, ADR 0009): how many conversations have each combination of the dimensions the counts filter
 * by. Rows with `label_id` null count conversations; rows with a label count those carrying it.
 * `slot` spreads concurrent writers over several rows (the writer's backend), so new conversations
 * do not queue on one counter; a count sums the slots.
 */
export const conversationTallies = pgTable(
  'conversation_tallies',
  {
    tenantId: tenantId(),
    labelId: uuid('label_id'),
    status: text('status', { enum: conversationStatuses }).notNull(),
    assigneeId: uuid('assignee_id'),
    teamId: uuid('team_id'),
    numberId: uuid('number_id').notNull(),
    priority: text('priority', { enum: priorities }).notNull(),
    /** The conversation has an inbound message (`last_inbound_stored_at` is set). */
    hasInbound: boolean('has_inbound').notNull(),
    slot: smallint('slot').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [
    unique('conversation_tallies_key')
      .on(
        t.tenantId,
        t.labelId,
        t.status,
        t.assigneeId,
        t.teamId,
        t.numberId,
        t.priority,
        t.hasInbound,
        t.slot,
      )
      .nullsNotDistinct(),
    tenantPolicy('conversation_tallies'),
  ],
);
