import type { Config } from '../../config.ts';
import type { Database } from './database.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

/** Opens the engine the configuration names. The caller owns the data-directory lock. */
export async function openDatabase(
  database: Config['database'],
  /** PostgreSQL: how the pool's connections name themselves in `pg_stat_activity`. */
  options: { applicationName?: string } = {},
): Promise<Database> {
  switch (database.kind) {
    case 'pglite':
      return openPglite({ dataDir: `${database.dataDir}/pglite` });
    case 'postgres':
      return openPostgres({
        ...database,
        ...(options.applicationName ? { applicationName: options.applicationName } : {}),
      });
  }
}
