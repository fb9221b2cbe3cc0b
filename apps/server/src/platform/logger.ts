import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyBaseLogger } from 'fastify';
import { pino, symbols, type LoggerOptions } from 'pino';

/** The logger every component receives: the HTTP server's, so lines share one configuration. */
export type Logger = FastifyBaseLogger;

/** Paths redacted from every log line: credentials must never reach the logs. */
const redact = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
];

/** The label Fastify binds the request id to on its request loggers (its default). */
const REQUEST_ID_LABEL = 'reqId';
const requestScope = new AsyncLocalStorage<string>();

/**
 * Runs `fn` (and everything it sets off asynchronously) in the scope of a request, so that lines
 * written through the shared logger, by services that never see the request, carry its id too.
 */
export function runInRequestScope<T>(requestId: string, fn: () => T): T {
  return requestScope.run(requestId, fn);
}

const chindingsOf = (logger: unknown): string =>
  ((logger as Record<symbol, unknown>)[symbols.chindingsSym] as string | undefined) ?? '';

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redact, censor: '[redacted]' },
    mixin(_line, _level, logger) {
      const requestId = requestScope.getStore();
      // Request loggers (request.log) are bound to the id already: once per line is enough.
      if (requestId === undefined || chindingsOf(logger).includes(`"${REQUEST_ID_LABEL}":`)) return {};
      return { [REQUEST_ID_LABEL]: requestId };
    },
  };
}

/** For commands that run without the HTTP server (migrate, seed). */
export function createLogger(level: string): Logger {
  return pino(loggerOptions(level));
}
