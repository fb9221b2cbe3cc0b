import PgBoss from 'pg-boss';
import type { z } from 'zod';
import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { JobDefinition, JobQueue, QueueStats } from './job-queue.ts';

/**
 * pg-boss 10 over our own connection (`executeSql`), so it runs on both engines and needs no
 * second pool. Each definition gets its own queue, so a flood of bulk jobs never delays inbound
 * work: each queue has its own workers.
 */
export function createPgBossQueue(database: Database, log: Logger): JobQueue {
  // Built at start: whether it keeps time for schedules depends on the instance working jobs.
  let boss!: PgBoss;
  const definitions = new Map<string, JobDefinition<z.ZodType>>();
  const schedules = new Map<string, { cron: string; payload: unknown }>();
  let started = false;

  return {
    register(definition) {
      definitions.set(definition.name, definition);
    },
    schedule(definition, cron, payload) {
      schedules.set(definition.name, { cron, payload: definition.payload.parse(payload) });
    },
    async start({ work, schedule = false }) {
      boss = new PgBoss({
        db: { executeSql: (text, values) => database.executeSql(text, values) },
        schema: 'pgboss',
        supervise: true,
        // pg-boss's timekeeper fires each due schedule once across instances (one instance takes
        // the minute's cron lock, and the job it sends is a singleton for that minute). Only
        // scheduling processes keep time; the jobs it sends are worked by any worker.
        schedule: schedule && schedules.size > 0,
      });
      boss.on('error', (err) => log.error({ err }, 'job queue error'));
      await boss.start();
      started = true;
      for (const def of definitions.values()) {
        await createQueue(boss, def, log);
        if (!work) continue;
        await boss.work(
          def.name,
          { batchSize: def.priority === 'bulk' ? 10 : 50, pollingIntervalSeconds: 0.5 },
          // A batch fails and is retried as a whole; handlers are idempotent, so that is safe.
          async (jobs) => {
            for (const job of jobs) {
              const payload = def.payload.parse(job.data);
              await def.handler(payload);
            }
          },
        );
      }
      // Stored only by scheduling processes, so an API or worker process started with another
      // build's schedules never replaces the scheduler's.
      if (schedule)
        for (const [name, { cron, payload }] of schedules) {
          await boss.schedule(name, cron, payload as object, { tz: 'UTC' });
        }
    },
    async send(definition, payload, options = {}) {
      if (!started) throw new Error(`Job queue not started; cannot send ${definition.name}`);
      const data = definition.payload.parse(payload) as object;
      await boss.send(definition.name, data, {
        ...(options.singletonKey === undefined ? {} : { singletonKey: options.singletonKey }),
        ...(options.startAfterSeconds === undefined ? {} : { startAfter: options.startAfterSeconds }),
      });
    },
    async stats(): Promise<QueueStats[]> {
      if (!started) return [];
      const out: QueueStats[] = [];
      for (const name of definitions.keys()) out.push({ name, queued: await boss.getQueueSize(name) });
      return out;
    },
    async stop() {
      if (!started) return;
      started = false;
      await boss.stop({ graceful: true, wait: true, timeout: 20_000 });
    },
  };
}

/**
 * Creates a definition's queue if missing. pg-boss makes a new queue's table a partition of its job
 * table (ALTER TABLE ... ATTACH PARTITION), and processes starting together on a new database can
 * deadlock there; PostgreSQL aborts one, and creating a queue is idempotent: it tries again.
 */
async function createQueue(boss: PgBoss, def: JobDefinition<z.ZodType>, log: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await boss.createQueue(def.name, {
        name: def.name,
        retryLimit: def.retryLimit,
        retryBackoff: true,
        retryDelay: 2,
      });
      return;
    } catch (err) {
      if ((err as { code?: unknown }).code !== '40P01' || attempt >= 10) throw err;
      log.info({ queue: def.name, attempt }, 'creating a job queue deadlocked with another process; again');
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 100 * attempt));
    }
  }
}
