import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { drizzle } from 'drizzle-orm/pglite';
import * as schema from './schema.ts';
import { transactionsOf, type Database, type Db } from './database.ts';
import { migratePgliteClient } from './migrate.ts';

export interface PgliteOptions {
  /** Directory for the data files; `undefined` keeps everything in memory. */
  dataDir?: string | undefined;
  /** A data directory tarball to start from (tests clone a migrated template this way). */
  loadDataDir?: Blob | File | undefined;
}

/**
 * PGlite runs PostgreSQL in this process on one connection: queries are serialized, so keep
 * them short. It takes no lock on its directory (see data-dir-lock.ts) and does not fsync.
 */
export interface PgliteDatabase extends Database {
  /** A tarball of the data directory (tests clone a migrated template from it). */
  dumpDataDir(): Promise<Blob>;
}

export async function openPglite(options: PgliteOptions = {}): Promise<PgliteDatabase> {
  const client = new PGlite({
    // The extensions the migrations create (search: 0005_search.sql).
    extensions: { btree_gin, pg_trgm, unaccent },
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.loadDataDir === undefined ? {} : { loadDataDir: options.loadDataDir }),
  });
  await client.waitReady;
  const db = drizzle({ client, schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    ...transactionsOf(db),
    async executeSql(text, values = []) {
      // pg-boss sends some multi-statement scripts without parameters; only `exec` runs those.
      if (values.length === 0 && text.includes(';')) {
        const results = await client.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      }
      const result = await client.query(text, values);
      return { rows: result.rows };
    },
    migrate: () => migratePgliteClient(client),
    async ping() {
      await client.query('select 1');
    },
    poolStats: () => undefined,
    dumpDataDir: () => client.dumpDataDir('none'),
    async close() {
      if (!client.closed) await client.close();
    },
  };
}
