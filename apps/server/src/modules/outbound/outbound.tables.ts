import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, tenantPolicy, ts } from '../../platform/db/columns.ts';

export const outboundStates = ['queued', 'sending', 'answered'] as const;

/**
 * The delivery engine's work queue (ADR 0006): one row per outbound message not yet handed to
 * Meta, deleted once the message is sent, failed or unknown. Rows are inserted in the transaction
 * that stores their message (under RLS); the delivery worker claims rows of every tenant outside
 * any tenant, then works each message in its tenant's transaction.
 */
export const outboundQueue = pgTable(
  'outbound_queue',
  {
    messageId: uuid('message_id').primaryKey(),
    tenantId: tenantId(),
    numberId: uuid('number_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    /** Write order: messages to one client leave in this order, one at a time. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    /**
     * `sending`: claimed; the request may be on its way to Meta (a crash makes it `unknown`).
     * `answered`: Meta answered and the outcome is being written; it no longer holds its client's
     * line (a crash before the outcome is written makes it `unknown` too).
     */
    state: text('state', { enum: outboundStates }).notNull(),
    /** Database time at which it may be claimed (queued) or its claim lapses (sending). */
    availableAt: ts('available_at')
      .notNull()
      .default(sql`now()`),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
  },
  (t) => [
    index('outbound_queue_available_idx').on(t.state, t.availableAt),
    index('outbound_queue_pair_idx').on(t.numberId, t.contactId, t.seq),
    /** The claim reads waiting messages in write order. */
    index('outbound_queue_queued_seq_idx')
      .on(t.seq)
      .where(sql`state = 'queued'`),
    tenantPolicy('outbound_queue'),
  ],
);

/**
 * Send pacing shared by every instance, as a theoretical arrival time (GCRA) per key: a number's
 * throughput (`number:<id>`, one slot every 1/mps s) and a number-client pair's rate
 * (`pair:<number>:<contact>`, Meta's 1 per 6 s with a burst).
 */
export const sendPacing = pgTable('send_pacing', {
  key: text('key').primaryKey(),
  /** The next free slot; a reservation moves it forward. */
  nextAt: ts('next_at').notNull(),
});

/**
 * A file an agent uploaded to send (image, audio, video, document, sticker). The bytes live in the
 * blob store; Graph gets the file once per number (`POST /{phone-number-id}/media`) when a message
 * using it is sent, and its media id is kept here for 29 days (Meta keeps uploads 30).
 */
export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    tenantId: tenantId(),
    blobKey: text('blob_key').notNull(),
    filename: text('filename').notNull(),
    mimeType: text('mime_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    uploadedBy: uuid('uploaded_by'),
    /** Graph's media id per number: `{ [numberId]: { id, uploadedAt } }`. */
    graphMedia: jsonb('graph_media')
      .$type<Record<string, { id: string; uploadedAt: string }>>()
      .notNull()
      .default({}),
    createdAt: createdAt(),
  },
  (t) => [index('attachments_tenant_created_idx').on(t.tenantId, t.createdAt), tenantPolicy('attachments')],
);
