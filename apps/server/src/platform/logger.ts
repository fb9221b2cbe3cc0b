import type { FastifyBaseLogger } from 'fastify';
import { pino, type LoggerOptions } from 'pino';

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

export function loggerOptions(level: string): LoggerOptions {
  return { level, redact: { paths: redact, censor: '[redacted]' } };
}

/** For commands that run without the HTTP server (migrate, seed). */
export function createLogger(level: string): Logger {
  return pino(loggerOptions(level));
}
