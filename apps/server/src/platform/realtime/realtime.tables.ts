import { bigint, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { tenantId, tenantPolicy, ts } from '../db/columns.ts';

/**
 * Durable realtime events: written in the transaction of the change they describe, delivered to
 * sockets after commit, and replayed to a reconnecting client from its cursor (`seq`). One global
 * sequence orders everything; readers stop at a settled bound, so a cursor never passes an event
 * that may still commit (see realtime.repo.ts).
 */
export const realtimeEvents = pgTable(
  'realtime_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: tenantId(),
    type: text('type').notNull(),
    conversationId: uuid('conversation_id'),
    /** Set for an event meant for one user only (a notification); null: for everyone who may see it. */
    recipientUserId: uuid('recipient_user_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    occurredAt: ts('occurred_at').notNull(),
  },
  (t) => [index('realtime_events_tenant_seq_idx').on(t.tenantId, t.seq), tenantPolicy('realtime_events')],
);
