import { sql } from 'drizzle-orm';
import { jsonb, pgPolicy, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { appRole, createdAt, currentTenant, id, ts } from '../../platform/db/columns.ts';

export const organizationStatuses = ['active', 'suspended'] as const;

/** An organization is the tenant: its `id` is the `tenant_id` of everything it owns. */
export const organizations = pgTable(
  'organizations',
  {
    id: id(),
    name: text('name').notNull(),
    legalNumber: text('legal_number'),
    accountNumber: text('account_number').notNull(),
    ownerName: text('owner_name').notNull(),
    ownerEmail: text('owner_email').notNull(),
    ownerPhone: text('owner_phone'),
    plan: text('plan').notNull(),
    status: text('status', { enum: organizationStatuses }).notNull(),
    suspendedAt: ts('suspended_at'),
    suspendedReason: text('suspended_reason'),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('organizations_account_number_key').on(t.accountNumber),
    pgPolicy('organizations_tenant_isolation', {
      for: 'all',
      to: appRole,
      using: sql`id = ${currentTenant}`,
      withCheck: sql`id = ${currentTenant}`,
    }),
  ],
);
