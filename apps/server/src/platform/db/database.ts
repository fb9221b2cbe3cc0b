// The database port. Two engines speak one dialect: PGlite in-process (default) and PostgreSQL
// through `pg` (production). Everything above this file sees only `Database`.
import { sql, type ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type * as schema from './schema.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything repositories can run queries on: the database or a transaction. */
export type Executor = Db | Tx;

export type EngineKind = 'pglite' | 'postgres';

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface NotificationHandlers {
  onNotify(payload: string): void;
  /** The connection was lost and is back: notifications in between are lost. */
  onReconnect(): void;
}

export interface Database {
  readonly kind: EngineKind;
  readonly db: Db;
  /**
   * Runs `fn` in a transaction as the row-level-security role with `tenantId` as the current
   * tenant. Every tenant-owned read and write goes through here.
   */
  tenant<T>(tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in a transaction as the connection's own role, which RLS does not restrict. Only
   * for platform work that has no tenant yet: resolving a session, API key or single-use token
   * by its hash, login by email, and the operator console.
   */
  system<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * A single read outside any transaction, as the connection's own role: the hot-path lookups of
   * `system` (a session or API key by its hash) without BEGIN/COMMIT round trips.
   */
  read<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** Raw SQL for the job queue's adapter. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Applies pending migrations (safe to call from several instances at once). */
  migrate(): Promise<void>;
  ping(): Promise<void>;
  /**
   * LISTENs on `channel` on a dedicated connection that reconnects with backoff; resolves to a
   * function that stops. PostgreSQL only: PGlite's one in-process connection serves one process,
   * whose notices need no database.
   */
  listen?(channel: string, handlers: NotificationHandlers): Promise<() => Promise<void>>;
  poolStats(): PoolStats | undefined;
  close(): Promise<void>;
}

/** Switches the transaction to the RLS role and sets its tenant. Both revert at commit. */
export async function enterTenant(tx: Tx, tenantId: string): Promise<void> {
  await tx.execute(
    sql`select set_config('role', 'switchboard_app', true), set_config('app.tenant_id', ${tenantId}, true)`,
  );
}

/** The two kinds of transaction, the same on both engines. */
export function transactionsOf(db: Db): Pick<Database, 'tenant' | 'system' | 'read'> {
  return {
    read: (fn) => fn(db),
    tenant: (tenantId, fn) =>
      db.transaction(async (tx) => {
        await enterTenant(tx, tenantId);
        return fn(tx);
      }),
    system: (fn) => db.transaction(fn),
  };
}
