import { index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, ts } from '../db/columns.ts';

/**
 * Transactional outbox for email. A message is written in the same transaction as the change
 * that causes it (an invitation, a reset), so neither exists without the other. With SMTP
 * configured a job delivers it and clears the body; without, it stays `captured` so that
 * invitations and resets work on a fresh machine, and the operator can read it.
 * Platform-level (not tenant-owned): `organization_id` is informative only.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: id(),
    organizationId: uuid('organization_id'),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body'),
    status: text('status', { enum: ['captured', 'queued', 'sent', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: ts('sent_at'),
  },
  (t) => [index('mail_outbox_created_idx').on(t.createdAt)],
);
