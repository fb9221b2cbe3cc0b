import { sql } from 'drizzle-orm';
import { attributeTypes } from '@switchboard/contracts';
import { index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, tenantPolicy, ts } from '../../platform/db/columns.ts';

/**
 * A client. Identity on WhatsApp is the `wa_id` (digits, E.164 without `+`) per organization; the
 * business-scoped `user_id` stands in when Meta sends no `wa_id`.
 */
export const contacts = pgTable(
  'contacts',
  {
    id: id(),
    tenantId: tenantId(),
    waId: text('wa_id'),
    /** E.164 with `+`, validated by libphonenumber-js; null when the id is not a phone number. */
    phoneE164: text('phone_e164'),
    userId: text('user_id'),
    username: text('username'),
    profileName: text('profile_name'),
    name: text('name'),
    attributes: jsonb('attributes')
      .$type<Record<string, string | number | boolean | null>>()
      .notNull()
      .default({}),
    /** When the client stopped marketing messages; null while they accept them. */
    marketingOptOutAt: ts('marketing_opt_out_at'),
    /** `user_preferences` (webhook), `131050` (a failed send) or `agent`. */
    marketingOptOutSource: text('marketing_opt_out_source'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('contacts_wa_id_key')
      .on(t.tenantId, t.waId)
      .where(sql`wa_id is not null`),
    uniqueIndex('contacts_user_id_key')
      .on(t.tenantId, t.userId)
      .where(sql`user_id is not null`),
    index('contacts_tenant_created_idx').on(t.tenantId, t.createdAt),
    tenantPolicy('contacts'),
  ],
);

/** A note an agent keeps about a client (internal, never sent). */
export const contactNotes = pgTable(
  'contact_notes',
  {
    id: id(),
    tenantId: tenantId(),
    contactId: uuid('contact_id').notNull(),
    authorUserId: uuid('author_user_id'),
    body: text('body').notNull(),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    index('contact_notes_contact_idx').on(t.tenantId, t.contactId, t.createdAt.desc()),
    tenantPolicy('contact_notes'),
  ],
);

/**
 * A custom attribute an organization defines for its contacts: values live in
 * `contacts.attributes` under `key`, and are checked against `type` (and `options`, for a list)
 * when written.
 */
export const contactAttributeDefinitions = pgTable(
  'contact_attribute_definitions',
  {
    id: id(),
    tenantId: tenantId(),
    key: text('key').notNull(),
    label: text('label').notNull(),
    description: text('description'),
    type: text('type', { enum: attributeTypes }).notNull(),
    /** The choices of a `list`; empty for other types. */
    options: text('options')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('contact_attribute_definitions_key').on(t.tenantId, t.key),
    tenantPolicy('contact_attribute_definitions'),
  ],
);
