import { PGlite, type Results, type Transaction } from '@electric-sql/pglite';
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

/** The types drizzle reads as text and converts itself (its PGlite session's per-query parsers). */
const DRIZZLE_TEXT_TYPES = [1114, 1184, 1186, 1082, 1231, 1115, 1185, 1187, 1182];

type QueryOptions = Parameters<PGlite['query']>[2];

/**
 * The client drizzle is given. Drizzle passes its parsers with every query, and PGlite merges
 * them into its ~300 type parsers each time (~100 µs a statement, as much as a short INSERT
 * itself). Instead the client's own parsers already read those types as text (`openPglite`), and
 * this wrapper drops drizzle's per-query copy: the same results, without the merge.
 */
function clientForDrizzle(client: PGlite): PGlite {
  const lean = (options: QueryOptions): QueryOptions => {
    if (!options?.parsers) return options;
    const { parsers: _drizzles, ...rest } = options;
    return rest;
  };
  // Everything of the transaction but its `query` (drizzle uses only that) comes from the original.
  const leanTx = (tx: Transaction): Transaction =>
    Object.assign(Object.create(tx) as Transaction, {
      query: ((text, params, options) => tx.query(text, params, lean(options))) as Transaction['query'],
    });
  return {
    query: (text: string, params?: unknown[], options?: QueryOptions) =>
      client.query(text, params, lean(options)),
    transaction: <T>(fn: (tx: Transaction) => Promise<T>) => client.transaction((tx) => fn(leanTx(tx))),
  } as unknown as PGlite;
}

export async function openPglite(options: PgliteOptions = {}): Promise<PgliteDatabase> {
  const client = new PGlite({
    // The extensions the migrations create (search: 0005_search.sql).
    extensions: { btree_gin, pg_trgm, unaccent },
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.loadDataDir === undefined ? {} : { loadDataDir: options.loadDataDir }),
  });
  await client.waitReady;
  // Drizzle's types read as text by default (see clientForDrizzle); raw SQL results get PGlite's
  // own parsing of them (dates as Date objects) afterwards, for the few columns concerned.
  const ownParsers: Record<number, (value: string, typeId?: number) => unknown> = {};
  for (const oid of DRIZZLE_TEXT_TYPES) {
    const parser = client.parsers[oid];
    if (parser) ownParsers[oid] = parser;
    client.parsers[oid] = (value: string) => value;
  }
  /** Raw SQL results as PGlite would parse them by default (dates as Date objects). */
  const parsedAsRaw = (result: Results | undefined): unknown[] => {
    if (!result) return [];
    const fields = result.fields.filter((f) => ownParsers[f.dataTypeID]);
    if (fields.length === 0) return result.rows;
    for (const row of result.rows as Record<string, unknown>[]) {
      for (const { name, dataTypeID } of fields) {
        const value = row[name];
        const parse = ownParsers[dataTypeID];
        if (typeof value === 'string' && parse) row[name] = parse(value, dataTypeID);
      }
    }
    return result.rows;
  };
  const db = drizzle({ client: clientForDrizzle(client), schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    ...transactionsOf(db),
    async executeSql(text, values = []) {
      // pg-boss sends some multi-statement scripts without parameters; only `exec` runs those.
      if (values.length === 0 && text.includes(';')) {
        const results = await client.exec(text);
        return { rows: parsedAsRaw(results.at(-1)) };
      }
      return { rows: parsedAsRaw(await client.query(text, values)) };
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
