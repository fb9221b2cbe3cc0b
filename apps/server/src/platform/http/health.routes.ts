import { z } from 'zod';
import type { Registry } from 'prom-client';
import type { Database } from '../db/database.ts';
import { migrationsApplied } from '../db/migrate.ts';
import { AppError } from '../errors.ts';
import type { ZodApp } from './server.ts';

export function registerHealthRoutes(app: ZodApp, deps: { database: Database; metrics: Registry }): void {
  let migrated = false;

  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Liveness',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Readiness: the database answers and every migration is applied',
        response: { 200: z.object({ status: z.literal('ready') }) },
      },
    },
    async () => {
      try {
        await deps.database.ping();
      } catch (err) {
        throw new AppError('not_ready', 'The database is not reachable.', { cause: err });
      }
      // Migrations never un-apply, so once seen complete there is no need to ask again.
      migrated ||= await migrationsApplied(deps.database);
      if (!migrated) throw new AppError('not_ready', 'Database migrations are not applied yet.');
      return { status: 'ready' as const };
    },
  );

  app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    const body = await deps.metrics.metrics();
    return reply.type(deps.metrics.contentType).send(body);
  });
}
