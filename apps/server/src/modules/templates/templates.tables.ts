import { index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, tenantPolicy, ts } from '../../platform/db/columns.ts';

/**
 * A message template of a WhatsApp Business Account, as Graph last described it (sync, our own
 * create/edit, or a `message_template_status_update` webhook). Templates belong to the WABA, so
 * every number of that account shares them; `numberId` is the number they were read through.
 */
export const messageTemplates = pgTable(
  'message_templates',
  {
    id: id(),
    tenantId: tenantId(),
    numberId: uuid('number_id').notNull(),
    wabaId: text('waba_id').notNull(),
    /** Graph's template id (a string of digits; ids exceed 2^53). */
    externalId: text('external_id'),
    name: text('name').notNull(),
    language: text('language').notNull(),
    /** MARKETING, UTILITY or AUTHENTICATION, as Graph says. */
    category: text('category').notNull(),
    /** APPROVED, PENDING, REJECTED, PAUSED, DISABLED, ...: only APPROVED can be sent. */
    status: text('status').notNull(),
    parameterFormat: text('parameter_format', { enum: ['positional', 'named'] }).notNull(),
    /** Graph's components (HEADER, BODY, FOOTER, BUTTONS) with their examples. */
    components: jsonb('components').$type<Record<string, unknown>[]>().notNull(),
    /** Why Graph rejected, paused or disabled it, when it says. */
    statusReason: text('status_reason'),
    syncedAt: ts('synced_at'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('message_templates_name_key').on(t.tenantId, t.wabaId, t.name, t.language),
    index('message_templates_external_idx').on(t.tenantId, t.externalId),
    tenantPolicy('message_templates'),
  ],
);
