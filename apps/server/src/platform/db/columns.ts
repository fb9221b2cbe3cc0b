// Column and policy helpers shared by every module's tables.
import { sql } from 'drizzle-orm';
import { pgPolicy, pgRole, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The role tenant-scoped transactions run as (`SET LOCAL ROLE`). It owns nothing and cannot
 * bypass row-level security, so a query that forgets its tenant filter still sees only the rows
 * of the tenant set for the transaction. Created by the first migration.
 */
export const appRole = pgRole('switchboard_app').existing();

/** The current transaction's tenant, or NULL (matching nothing) outside a tenant transaction. */
export const currentTenant = sql`nullif(current_setting('app.tenant_id', true), '')::uuid`;

export const id = () => uuid('id').primaryKey();
export const tenantId = () => uuid('tenant_id').notNull();
export const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull();
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Row-level security for a table keyed by `tenant_id`. */
export const tenantPolicy = (table: string) =>
  pgPolicy(`${table}_tenant_isolation`, {
    as: 'permissive',
    for: 'all',
    to: appRole,
    using: sql`tenant_id = ${currentTenant}`,
    withCheck: sql`tenant_id = ${currentTenant}`,
  });
