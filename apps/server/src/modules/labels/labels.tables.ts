import { sql } from 'drizzle-orm';
import { index, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, tenantPolicy, ts } from '../../platform/db/columns.ts';

export const labels = pgTable(
  'labels',
  {
    id: id(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    description: text('description'),
    /** `#rrggbb`. */
    color: text('color').notNull(),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('labels_name_key').on(t.tenantId, sql`lower(${t.name})`), tenantPolicy('labels')],
);

export const conversationLabels = pgTable(
  'conversation_labels',
  {
    tenantId: tenantId(),
    conversationId: uuid('conversation_id').notNull(),
    labelId: uuid('label_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.labelId] }),
    index('conversation_labels_label_idx').on(t.tenantId, t.labelId),
    tenantPolicy('conversation_labels'),
  ],
);

export const contactLabels = pgTable(
  'contact_labels',
  {
    tenantId: tenantId(),
    contactId: uuid('contact_id').notNull(),
    labelId: uuid('label_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.contactId, t.labelId] }),
    index('contact_labels_label_idx').on(t.tenantId, t.labelId),
    tenantPolicy('contact_labels'),
  ],
);
