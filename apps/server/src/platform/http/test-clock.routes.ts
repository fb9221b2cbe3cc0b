// POST /_test/clock/advance moves the server's clock forward. It exists only in a process started
// with `switchboard start --demo --test-clock` (end-to-end tests), and answers only loopback
// callers: elsewhere the path is an ordinary 404.
import { z } from 'zod';
import type { ShiftedClock } from '../clock.ts';
import { AppError } from '../errors.ts';
import type { ZodApp } from './server.ts';

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const maxAdvanceMs = 366 * 24 * 3600_000;

export function registerTestClockRoutes(app: ZodApp, clock: ShiftedClock): void {
  app.post(
    '/_test/clock/advance',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        body: z.object({ ms: z.number().int().min(0).max(maxAdvanceMs) }),
        response: { 200: z.object({ now: z.string() }) },
      },
    },
    (request) => {
      if (!loopback.has(request.socket.remoteAddress ?? '')) throw new AppError('not_found');
      clock.advance(request.body.ms);
      return { now: clock.now().toISOString() };
    },
  );
}
