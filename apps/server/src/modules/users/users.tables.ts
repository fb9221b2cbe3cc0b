import { sql } from 'drizzle-orm';
import { bigint, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { roles } from '../../platform/auth/permissions.ts';
import { createdAt, id, tenantId, tenantPolicy, ts } from '../../platform/db/columns.ts';

export const userStatuses = ['active', 'deactivated'] as const;
/** Set by the agent; round robin gives conversations only to `online` agents. */
export const availabilities = ['online', 'busy', 'offline'] as const;

export const users = pgTable(
  'users',
  {
    id: id(),
    tenantId: tenantId(),
    email: text('email').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: roles }).notNull(),
    permissions: text('permissions').array().notNull(),
    status: text('status', { enum: userStatuses }).notNull(),
    locale: text('locale').notNull().default('en'),
    availability: text('availability', { enum: availabilities }).notNull().default('online'),
    /** AES-GCM ciphertext (see platform/security/crypto.ts); never returned by the API. */
    totpSecretEnc: text('totp_secret_enc'),
    totpPendingSecretEnc: text('totp_pending_secret_enc'),
    totpEnabledAt: ts('totp_enabled_at'),
    /** Last accepted TOTP time step: a code is accepted at most once. */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    recoveryCodeHashes: text('recovery_code_hashes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    lastLoginAt: ts('last_login_at'),
    passwordChangedAt: ts('password_changed_at').notNull(),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    // Emails are unique platform-wide (login is by email alone), case-insensitively.
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
    index('users_tenant_idx').on(t.tenantId, t.createdAt),
    tenantPolicy('users'),
  ],
);

export const invitations = pgTable(
  'invitations',
  {
    id: id(),
    tenantId: tenantId(),
    email: text('email').notNull(),
    role: text('role', { enum: roles }).notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by'),
    expiresAt: ts('expires_at').notNull(),
    acceptedAt: ts('accepted_at'),
    revokedAt: ts('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('invitations_token_hash_key').on(t.tokenHash),
    index('invitations_tenant_idx').on(t.tenantId, t.createdAt),
    tenantPolicy('invitations'),
  ],
);
