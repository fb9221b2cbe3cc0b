import { and, desc, eq, gte, lt, lte, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { auditEvents } from './audit.tables.ts';

export type AuditRow = typeof auditEvents.$inferSelect;
export type NewAuditRow = typeof auditEvents.$inferInsert;

export interface AuditFilter {
  action?: string | undefined;
  actorId?: string | undefined;
  targetId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Keyset cursor: entries strictly older than this (occurredAt, id). */
  before?: { occurredAt: Date; id: string } | undefined;
}

export const auditRepo = (tx: Executor) => ({
  async append(tenantId: string, row: Omit<NewAuditRow, 'tenantId'>): Promise<void> {
    await tx.insert(auditEvents).values({ ...row, tenantId });
  },
  async list(tenantId: string, filter: AuditFilter, limit: number): Promise<AuditRow[]> {
    const conditions: (SQL | undefined)[] = [eq(auditEvents.tenantId, tenantId)];
    if (filter.action) conditions.push(eq(auditEvents.action, filter.action));
    if (filter.actorId) conditions.push(eq(auditEvents.actorId, filter.actorId));
    if (filter.targetId) conditions.push(eq(auditEvents.targetId, filter.targetId));
    if (filter.from) conditions.push(gte(auditEvents.occurredAt, filter.from));
    if (filter.to) conditions.push(lte(auditEvents.occurredAt, filter.to));
    if (filter.before) {
      const b = filter.before;
      conditions.push(
        or(
          lt(auditEvents.occurredAt, b.occurredAt),
          and(eq(auditEvents.occurredAt, b.occurredAt), lt(auditEvents.id, b.id)),
        ),
      );
    }
    return tx
      .select()
      .from(auditEvents)
      .where(and(...conditions))
      .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
      .limit(limit);
  },
});
