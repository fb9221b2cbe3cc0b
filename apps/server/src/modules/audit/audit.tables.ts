import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { id, tenantId, tenantPolicy, ts } from '../../platform/db/columns.ts';

export const actorTypes = ['user', 'api_key', 'operator', 'system'] as const;

/**
 * Append-only: the application role is granted SELECT and INSERT only (see the grants
 * migration), so no code path can rewrite history.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: id(),
    tenantId: tenantId(),
    occurredAt: ts('occurred_at').notNull(),
    actorType: text('actor_type', { enum: actorTypes }).notNull(),
    actorId: text('actor_id'),
    actorLabel: text('actor_label'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    ip: text('ip'),
    before: jsonb('before').$type<Record<string, unknown>>(),
    after: jsonb('after').$type<Record<string, unknown>>(),
  },
  (t) => [
    index('audit_events_tenant_time_idx').on(t.tenantId, t.occurredAt.desc(), t.id.desc()),
    tenantPolicy('audit_events'),
  ],
);
