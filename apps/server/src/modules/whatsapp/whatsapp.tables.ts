import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, tenantPolicy, ts } from '../../platform/db/columns.ts';

export const numberStatuses = ['active', 'needs_attention'] as const;

export interface WeeklySchedule {
  /** IANA time zone, e.g. `Asia/Dhaka`. */
  timeZone: string;
  /** Open intervals per ISO weekday (1 = Monday ... 7 = Sunday), `HH:MM` local time. */
  intervals: { day: number; start: string; end: string }[];
}

/** A connected WhatsApp Business number. Secrets are AES-GCM sealed and never returned. */
export const whatsappNumbers = pgTable(
  'whatsapp_numbers',
  {
    id: id(),
    tenantId: tenantId(),
    phoneNumberId: text('phone_number_id').notNull(),
    wabaId: text('waba_id').notNull(),
    displayPhoneNumber: text('display_phone_number').notNull(),
    purpose: text('purpose').notNull(),
    accessTokenEnc: text('access_token_enc').notNull(),
    appSecretEnc: text('app_secret_enc').notNull(),
    /** SHA-256 of the webhook verify token: the GET handshake finds the number by it. */
    verifyTokenHash: text('verify_token_hash').notNull(),
    /** Graph API origin, `https://graph.facebook.com` unless pointed at the simulator. */
    graphBaseUrl: text('graph_base_url').notNull(),
    defaultTeamId: uuid('default_team_id'),
    greetingMessage: text('greeting_message'),
    awayMessage: text('away_message'),
    autoReplyMessage: text('auto_reply_message'),
    businessHours: jsonb('business_hours').$type<WeeklySchedule>(),
    status: text('status', { enum: numberStatuses }).notNull(),
    /** Why the number needs attention (e.g. Graph rejected its token), for admins. */
    statusReason: text('status_reason'),
    /** Messages per second the delivery engine may send: Meta's 80 by default, up to 1,000. */
    throughputMps: integer('throughput_mps').notNull().default(80),
    /** Mark inbound messages read on WhatsApp when an agent opens the conversation. */
    sendReadReceipts: boolean('send_read_receipts').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    // A number belongs to one organization on the whole platform.
    uniqueIndex('whatsapp_numbers_phone_number_id_key').on(t.phoneNumberId),
    index('whatsapp_numbers_tenant_idx').on(t.tenantId),
    index('whatsapp_numbers_waba_idx').on(t.wabaId),
    index('whatsapp_numbers_verify_token_idx').on(t.verifyTokenHash),
    tenantPolicy('whatsapp_numbers'),
  ],
);

/**
 * Every signed webhook POST, stored as received before it is acknowledged. The table is also the
 * intake's work queue (ADR 0005): unprocessed rows are claimed in batches by the intake worker.
 * Platform-level: one POST can carry several numbers of several organizations.
 */
export const webhookReceipts = pgTable(
  'webhook_receipts',
  {
    id: id(),
    receivedAt: ts('received_at').notNull(),
    body: text('body').notNull(),
    processedAt: ts('processed_at'),
    /** Claims so far (each claim is an attempt; a crash mid-batch counts too). */
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /**
     * When a worker may claim it (database time): now at insert; a lease's end while claimed; a
     * retry's backoff after a failure; `infinity` once it has failed too often.
     */
    availableAt: ts('available_at')
      .notNull()
      .default(sql`now()`),
  },
  (t) => [
    index('webhook_receipts_available_idx')
      .on(t.availableAt)
      .where(sql`processed_at is null`),
  ],
);

/** Phone number ids that posted to us but belong to nobody: counted, never retried. */
export const webhookUnknownNumbers = pgTable('webhook_unknown_numbers', {
  phoneNumberId: text('phone_number_id').primaryKey(),
  firstSeenAt: ts('first_seen_at').notNull(),
  lastSeenAt: ts('last_seen_at').notNull(),
  hits: integer('hits').notNull(),
});
