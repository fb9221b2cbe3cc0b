import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/auth/principal.ts';
import { AppError } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { auditRepo, type AuditFilter, type AuditRow } from './audit.repo.ts';

/** Keys whose values never reach the audit log, at any depth. */
const SECRET_KEY = /pass(word)?|secret|token|hash|key$|code|otp|totp|cookie|authorization/i;

export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && v != null ? '***' : maskSecrets(v)]),
    );
  }
  return value;
}

export interface AuditEntry {
  action: string;
  target?: { type: string; id: string };
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

export interface AuditPage {
  items: AuditRow[];
  nextCursor: string | null;
}

export function createAuditService(deps: { database: Database; clock: Clock }) {
  const { database, clock } = deps;

  /** Records an event inside the caller's transaction, so it commits with the change itself. */
  async function record(tx: Executor, tenantId: string, actor: Actor, entry: AuditEntry): Promise<void> {
    const now = clock.now();
    await auditRepo(tx).append(tenantId, {
      id: uuidv7(now.getTime()),
      occurredAt: now,
      actorType: actor.type,
      actorId: actor.id,
      actorLabel: actor.label,
      ip: actor.ip,
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      before: entry.before ? (maskSecrets(entry.before) as Record<string, unknown>) : null,
      after: entry.after ? (maskSecrets(entry.after) as Record<string, unknown>) : null,
    });
  }

  async function list(
    tenantId: string,
    filter: Omit<AuditFilter, 'before'>,
    cursor: string | undefined,
    limit: number,
  ): Promise<AuditPage> {
    const before = cursor === undefined ? undefined : decodeCursor(cursor);
    const rows = await database.tenant(tenantId, (tx) =>
      auditRepo(tx).list(tenantId, { ...filter, before }, limit + 1),
    );
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  return { record, list };
}

export type AuditService = ReturnType<typeof createAuditService>;

function encodeCursor(row: AuditRow): string {
  return Buffer.from(JSON.stringify([row.occurredAt.toISOString(), row.id])).toString('base64url');
}

// What encodeCursor writes. Checked fully, so a forged cursor never reaches the database as a
// non-UUID id or a time PostgreSQL cannot represent (either would be a 500).
const cursorSchema = z.tuple([z.iso.datetime(), z.uuid()]);

function decodeCursor(cursor: string): { occurredAt: Date; id: string } {
  try {
    const [at, id] = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    const occurredAt = new Date(at);
    if (Number.isNaN(occurredAt.getTime()) || occurredAt.getUTCFullYear() < 1) throw new Error('bad cursor');
    return { occurredAt, id };
  } catch {
    throw new AppError('validation_failed', 'The cursor is not valid.', {
      errors: [{ path: 'query.cursor', message: 'Not a cursor returned by this endpoint' }],
    });
  }
}
