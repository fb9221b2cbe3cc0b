import { sql } from 'drizzle-orm';
import { pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, tenantPolicy, ts } from '../../platform/db/columns.ts';

/** A saved reply an agent inserts with `/shortCode`; `{{contact.name}}`-style variables are filled in. */
export const cannedResponses = pgTable(
  'canned_responses',
  {
    id: id(),
    tenantId: tenantId(),
    shortCode: text('short_code').notNull(),
    content: text('content').notNull(),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('canned_responses_short_code_key').on(t.tenantId, sql`lower(${t.shortCode})`),
    tenantPolicy('canned_responses'),
  ],
);
