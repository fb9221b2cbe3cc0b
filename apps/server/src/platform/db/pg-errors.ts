interface PgErrorLike {
  code?: unknown;
  constraint?: unknown;
  cause?: unknown;
}

function pgError(err: unknown): PgErrorLike | undefined {
  // Drizzle wraps driver errors; the SQLSTATE is on the innermost one.
  let e = err as PgErrorLike | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e;
    e = e.cause as PgErrorLike | undefined;
  }
  return undefined;
}

/** True for a unique violation (SQLSTATE 23505), optionally on one named constraint or index. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = pgError(err);
  if (e?.code !== '23505') return false;
  return constraint === undefined || e.constraint === constraint;
}

/**
 * A message fit to store or show: the driver's own message for query errors, never the query's
 * bound parameters (drizzle puts them in its message, and they can hold personal data or secrets).
 */
export function describeError(err: unknown): string {
  const e = pgError(err) as (PgErrorLike & { message?: unknown }) | undefined;
  if (e && typeof e.message === 'string') return `${String(e.code)}: ${e.message}`;
  return err instanceof Error ? (err.message.split('\nparams:')[0] ?? err.message) : String(err);
}
