import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { insertedRow } from '../../platform/db/rows.ts';
import { organizations } from '../organizations/organizations.tables.ts';
import { users } from '../users/users.tables.ts';
import { authThrottle, passwordResetTokens, sessions } from './auth.tables.ts';

export type SessionRow = typeof sessions.$inferSelect;
export type ResetTokenRow = typeof passwordResetTokens.$inferSelect;

export const sessionsRepo = (tx: Executor) => ({
  async insert(tenantId: string, row: Omit<SessionRow, 'tenantId' | 'revokedAt'>): Promise<SessionRow> {
    return insertedRow(
      await tx
        .insert(sessions)
        .values({ ...row, tenantId })
        .returning(),
    );
  },
  async listActive(tenantId: string, userId: string, now: Date): Promise<SessionRow[]> {
    return tx
      .select()
      .from(sessions)
      .where(
        and(
          eq(sessions.tenantId, tenantId),
          eq(sessions.userId, userId),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, now),
        ),
      )
      .orderBy(desc(sessions.lastSeenAt));
  },
  async revoke(tenantId: string, userId: string, sessionId: string, at: Date): Promise<boolean> {
    const rows = await tx
      .update(sessions)
      .set({ revokedAt: at })
      .where(
        and(
          eq(sessions.tenantId, tenantId),
          eq(sessions.userId, userId),
          eq(sessions.id, sessionId),
          isNull(sessions.revokedAt),
        ),
      )
      .returning({ id: sessions.id });
    return rows.length > 0;
  },
  /** Revokes every live session of a user except, optionally, one. */
  async revokeAllForUser(tenantId: string, userId: string, at: Date, except?: string): Promise<number> {
    const rows = await tx
      .update(sessions)
      .set({ revokedAt: at })
      .where(
        and(
          eq(sessions.tenantId, tenantId),
          eq(sessions.userId, userId),
          isNull(sessions.revokedAt),
          except ? ne(sessions.id, except) : undefined,
        ),
      )
      .returning({ id: sessions.id });
    return rows.length;
  },
});

export const resetTokensRepo = (tx: Executor) => ({
  async insert(tenantId: string, row: Omit<ResetTokenRow, 'tenantId' | 'usedAt'>): Promise<void> {
    await tx.insert(passwordResetTokens).values({ ...row, tenantId });
  },
  /** Single use: only the first consumer of an unexpired token gets the row. */
  async consume(tenantId: string, id: string, now: Date): Promise<ResetTokenRow | undefined> {
    const [row] = await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(passwordResetTokens.tenantId, tenantId),
          eq(passwordResetTokens.id, id),
          isNull(passwordResetTokens.usedAt),
          gt(passwordResetTokens.expiresAt, now),
        ),
      )
      .returning();
    return row;
  },
  /** A new password makes every other outstanding reset link useless. */
  async invalidateForUser(tenantId: string, userId: string, now: Date): Promise<void> {
    await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(passwordResetTokens.tenantId, tenantId),
          eq(passwordResetTokens.userId, userId),
          isNull(passwordResetTokens.usedAt),
        ),
      );
  },
});

export interface ResolvedSession {
  session: SessionRow;
  user: typeof users.$inferSelect;
  organizationStatus: string;
}

/** Platform-level lookups by secret hash, before a tenant is known (system transactions). */
export const authLookup = (tx: Executor) => ({
  async sessionByTokenHash(tokenHash: string): Promise<ResolvedSession | undefined> {
    const [row] = await tx
      .select({ session: sessions, user: users, organizationStatus: organizations.status })
      .from(sessions)
      .innerJoin(users, and(eq(users.id, sessions.userId), eq(users.tenantId, sessions.tenantId)))
      .innerJoin(organizations, eq(organizations.id, sessions.tenantId))
      .where(eq(sessions.tokenHash, tokenHash));
    return row;
  },
  async touchSession(sessionId: string, at: Date, expiresAt: Date): Promise<void> {
    await tx.update(sessions).set({ lastSeenAt: at, expiresAt }).where(eq(sessions.id, sessionId));
  },
  async resetTokenByHash(tokenHash: string): Promise<ResetTokenRow | undefined> {
    const [row] = await tx
      .select()
      .from(passwordResetTokens)
      .where(eq(passwordResetTokens.tokenHash, tokenHash));
    return row;
  },
});

export interface ThrottleState {
  failures: number;
  lockedUntil: Date | null;
}

/** Event counters (failed sign-ins, reset emails) shared by all instances. */
export const throttleRepo = (tx: Executor) => ({
  async get(key: string): Promise<ThrottleState | undefined> {
    const [row] = await tx
      .select({ failures: authThrottle.failures, lockedUntil: authThrottle.lockedUntil })
      .from(authThrottle)
      .where(eq(authThrottle.key, key));
    return row;
  },
  /**
   * Counts one event (a failed sign-in, a reset email) in a fixed window; at `limit` events the
   * key is locked for `lockMs`.
   * One atomic upsert, so concurrent failures on several instances are all counted.
   */
  async countEvent(
    key: string,
    now: Date,
    windowMs: number,
    limit: number,
    lockMs: number,
  ): Promise<ThrottleState> {
    const windowStart = new Date(now.getTime() - windowMs);
    const lockUntil = new Date(now.getTime() + lockMs);
    const rows = await tx
      .insert(authThrottle)
      .values({ key, failures: 1, windowStartedAt: now, lockedUntil: limit <= 1 ? lockUntil : null })
      .onConflictDoUpdate({
        target: authThrottle.key,
        set: {
          failures: sql`case when ${authThrottle.windowStartedAt} < ${windowStart}::timestamptz then 1 else ${authThrottle.failures} + 1 end`,
          windowStartedAt: sql`case when ${authThrottle.windowStartedAt} < ${windowStart}::timestamptz then ${now}::timestamptz else ${authThrottle.windowStartedAt} end`,
          lockedUntil: sql`case when (case when ${authThrottle.windowStartedAt} < ${windowStart}::timestamptz then 1 else ${authThrottle.failures} + 1 end) >= ${limit} then ${lockUntil}::timestamptz else ${authThrottle.lockedUntil} end`,
        },
      })
      .returning({ failures: authThrottle.failures, lockedUntil: authThrottle.lockedUntil });
    return insertedRow(rows);
  },
  async clear(key: string): Promise<void> {
    await tx.delete(authThrottle).where(eq(authThrottle.key, key));
  },
});
