// Opens what a process needs from the configuration: the data-directory lock (embedded engine),
// the database with migrations applied, and the secret key.
import { loadConfig, roleName, type Config } from './config.ts';
import type { Database } from './platform/db/database.ts';
import { acquireDataDirLock, type DataDirLock } from './platform/db/data-dir-lock.ts';
import { openDatabase } from './platform/db/open-database.ts';
import { readOrCreateSecretKey } from './platform/security/secret-key-file.ts';

export interface Runtime {
  config: Config;
  database: Database;
  secretKey: string;
  /** Closes the database (if still open) and releases the lock. */
  release(): Promise<void>;
}

export async function openRuntime(
  overrides: Record<string, string | undefined> = {},
  defaults: Record<string, string | undefined> = {},
): Promise<Runtime> {
  const config = loadConfig(overrides, defaults);
  let lock: DataDirLock | undefined;
  if (config.database.kind === 'pglite') lock = acquireDataDirLock(config.dataDir);
  try {
    // `pg_stat_activity` tells which process (and role) holds a connection.
    const database = await openDatabase(config.database, {
      applicationName: `switchboard ${roleName(config.roles)} ${process.pid}`,
    });
    await database.migrate();
    const secretKey = config.secretKey ?? readOrCreateSecretKey(config.dataDir);
    return {
      config,
      database,
      secretKey,
      async release() {
        await database.close();
        lock?.release();
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}
