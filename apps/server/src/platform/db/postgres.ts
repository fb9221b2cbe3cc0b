import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema.ts';
import { transactionsOf, type Database, type Db } from './database.ts';
import { migratePostgresUrl } from './migrate.ts';
import { listenPostgres } from './pg-listener.ts';

export interface PostgresOptions {
  url: string;
  poolMax: number;
  statementTimeoutMs: number;
  applicationName?: string;
}

export function openPostgres(options: PostgresOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax,
    statement_timeout: options.statementTimeoutMs || undefined,
    application_name: options.applicationName ?? 'switchboard',
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = drizzle({ client: pool, schema }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    ...transactionsOf(db),
    async executeSql(text, values = []) {
      const result = await pool.query(text, values);
      return { rows: result.rows as unknown[] };
    },
    migrate: () => migratePostgresUrl(options.url),
    async ping() {
      await pool.query('select 1');
    },
    listen: (channel, handlers) =>
      listenPostgres({ url: options.url, channel, handlers, applicationName: 'switchboard-listen' }),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      if (pool.ended) return;
      await pool.end();
    },
  };
}
