// Prepares one migrated database per engine for the whole run:
// - PGlite: a migrated data directory dumped to a file; each test file clones it in ~0.5 s
//   instead of creating and migrating a new database (~3 s).
// - PostgreSQL: a fresh database on TEST_DATABASE_URL's server, dropped at the end. Test files
//   share it; each test makes its own tenant, so no truncation is needed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPglite } from '../src/platform/db/pglite.ts';
import { openPostgres } from '../src/platform/db/postgres.ts';
import { createPgBossQueue } from '../src/platform/jobs/pg-boss-queue.ts';
import { createLogger } from '../src/platform/logger.ts';
import type { Database } from '../src/platform/db/database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresUrl: string;
  }
}

/** Installs pg-boss's schema once, so test apps start their queues without migrating it. */
export async function prepareTestDatabase(database: Database): Promise<void> {
  await database.migrate();
  const queue = createPgBossQueue(database, createLogger('silent'));
  await queue.start({ work: false });
  await queue.stop();
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const engine = project.config.env['SWITCHBOARD_TEST_ENGINE'];
  if (engine === 'postgres') {
    const adminUrl = process.env['TEST_DATABASE_URL'];
    if (!adminUrl) throw new Error('TEST_DATABASE_URL is required for the postgres test project');
    const name = `switchboard_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const database = openPostgres({ url: url.toString(), poolMax: 2, statementTimeoutMs: 0 });
    await prepareTestDatabase(database);
    await database.close();
    project.provide('postgresUrl', url.toString());
    project.provide('pgliteTemplate', '');
    return async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const database = await openPglite();
  await prepareTestDatabase(database);
  const dump = await database.dumpDataDir();
  await database.close();
  const file = join(dir, 'template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  project.provide('postgresUrl', '');
  return () => {
    rmSync(dir, { recursive: true, force: true });
    return Promise.resolve();
  };
}
