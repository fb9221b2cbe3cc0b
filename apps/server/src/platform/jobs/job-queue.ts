// The job-queue port. Job definitions pair a zod payload with a handler; every payload carries
// `tenantId` (or is explicitly platform-level) and every handler must be idempotent, because
// delivery is at-least-once.
import type { z } from 'zod';

export type JobPriority = 'inbound' | 'default' | 'bulk';

export interface JobDefinition<S extends z.ZodType> {
  name: string;
  payload: S;
  /** Relative priority. Inbound work runs in its own queue and is never behind bulk work. */
  priority: JobPriority;
  retryLimit: number;
  handler: (payload: z.infer<S>) => Promise<void>;
}

export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}

export interface SendOptions {
  /** Jobs with the same key in the same queue are not enqueued twice while one is pending. */
  singletonKey?: string;
  startAfterSeconds?: number;
}

export interface QueueStats {
  name: string;
  queued: number;
}

export interface JobQueue {
  /** Registers a definition; `start` begins working every registered queue. */
  register<S extends z.ZodType>(definition: JobDefinition<S>): void;
  /**
   * `work`: fetch and run jobs here. `schedule`: store this process's schedules and fire due ones
   * (only the scheduler role does, ADR 0007).
   */
  start(options: { work: boolean; schedule?: boolean }): Promise<void>;
  send<S extends z.ZodType>(
    definition: JobDefinition<S>,
    payload: z.infer<S>,
    options?: SendOptions,
  ): Promise<void>;
  /**
   * Sends `payload` to the definition's queue on a cron schedule (UTC), once per tick across every
   * instance on the database. Call before `start`; the schedule is stored then (by a queue started
   * with `schedule`), and replaces the queue's previous one. Only such queues fire schedules.
   */
  schedule<S extends z.ZodType>(definition: JobDefinition<S>, cron: string, payload: z.infer<S>): void;
  stats(): Promise<QueueStats[]>;
  /** Stops fetching new jobs and waits for the running ones to finish. */
  stop(): Promise<void>;
}
