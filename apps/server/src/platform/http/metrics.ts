import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/database.ts';
import type { JobQueue } from '../jobs/job-queue.ts';

/**
 * Prometheus metrics on a registry of this app's own (several apps may share a test process):
 * HTTP latency, Node's defaults (event-loop lag among them), the database pool, queue depths and
 * the webhook intake's backlog.
 */
export function registerMetrics(
  app: FastifyInstance,
  deps: {
    database: Database;
    queue: JobQueue;
    realtime?: { openSockets(): number };
    /** The webhook intake's own queue (its receipts table, ADR 0005). */
    intake?: { backlog(): Promise<number> };
  },
): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state (PostgreSQL engine only)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = deps.database.poolStats();
      if (!stats) return;
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });
  new Gauge({
    name: 'job_queue_depth',
    help: 'Jobs waiting per queue',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      for (const q of await deps.queue.stats()) this.set({ queue: q.name }, q.queued);
    },
  });
  new Gauge({
    name: 'webhook_intake_backlog',
    help: 'Webhook receipts stored and not processed yet (retries waiting included)',
    registers: [registry],
    async collect() {
      if (deps.intake) this.set(await deps.intake.backlog());
    },
  });
  new Gauge({
    name: 'realtime_open_sockets',
    help: 'Realtime WebSocket connections open on this instance',
    registers: [registry],
    collect() {
      if (deps.realtime) this.set(deps.realtime.openSockets());
    },
  });
  return registry;
}
