// The pg-boss queue's schedules: stored at start by a scheduling queue (replacing the queue's
// previous schedule), and kept by time only there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { createLogger } from '../logger.ts';
import { openTestDatabase, engine } from '../../../test/harness.ts';
import { defineJob } from './job-queue.ts';
import { createPgBossQueue } from './pg-boss-queue.ts';

describe(`job schedules (${engine})`, () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => database.close());

  it('stores a schedule at start, and a later start replaces it', async () => {
    const job = defineJob({
      name: `test.scheduled-${Date.now()}`,
      payload: z.object({ n: z.number() }),
      priority: 'bulk',
      retryLimit: 0,
      handler: async () => {},
    });
    const log = createLogger('silent');
    for (const [cron, n] of [
      ['17 * * * *', 1],
      ['*/5 * * * *', 2],
    ] as const) {
      const queue = createPgBossQueue(database, log);
      queue.register(job);
      queue.schedule(job, cron, { n });
      await queue.start({ work: true, schedule: true });
      await queue.stop();
    }
    // A queue that works jobs but does not schedule (the worker role) leaves the schedule alone.
    const worker = createPgBossQueue(database, log);
    worker.register(job);
    worker.schedule(job, '0 0 * * *', { n: 3 });
    await worker.start({ work: true });
    await worker.stop();
    const { rows } = await database.executeSql(
      'select name, cron, timezone, data from pgboss.schedule where name = $1',
      [job.name],
    );
    expect(rows).toEqual([{ name: job.name, cron: '*/5 * * * *', timezone: 'UTC', data: { n: 2 } }]);
  });

  it('refuses a payload its job would refuse', () => {
    const job = defineJob({
      name: 'test.bad-payload',
      payload: z.object({ n: z.number() }),
      priority: 'bulk',
      retryLimit: 0,
      handler: async () => {},
    });
    const queue = createPgBossQueue(database, createLogger('silent'));
    expect(() => queue.schedule(job, '* * * * *', { n: 'x' } as never)).toThrow();
  });
});
