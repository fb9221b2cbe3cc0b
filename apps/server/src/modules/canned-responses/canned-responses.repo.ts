import { and, asc, eq, gt, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { insertedRow } from '../../platform/db/rows.ts';
import { cannedResponses } from './canned-responses.tables.ts';

export type CannedResponseRow = typeof cannedResponses.$inferSelect;
export type NewCannedResponseRow = Omit<typeof cannedResponses.$inferInsert, 'tenantId'>;

export interface CannedSearch {
  /** Matches the start of the short code, or any part of the content, ignoring case. */
  q?: string | undefined;
  /** Keyset cursor: short codes strictly after this one (they are unique and stored lower-cased). */
  after?: string | undefined;
}

/** `%`, `_` and the escape character itself match literally. */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const cannedResponsesRepo = (tx: Executor) => ({
  async insert(tenantId: string, row: NewCannedResponseRow): Promise<CannedResponseRow> {
    return insertedRow(
      await tx
        .insert(cannedResponses)
        .values({ ...row, tenantId })
        .returning(),
    );
  },
  async findById(tenantId: string, id: string): Promise<CannedResponseRow | undefined> {
    const [row] = await tx
      .select()
      .from(cannedResponses)
      .where(and(eq(cannedResponses.tenantId, tenantId), eq(cannedResponses.id, id)));
    return row;
  },
  /** In short-code order. */
  async list(tenantId: string, search: CannedSearch, limit: number): Promise<CannedResponseRow[]> {
    const where: (SQL | undefined)[] = [eq(cannedResponses.tenantId, tenantId)];
    const q = search.q?.trim();
    if (q) {
      const term = escapeLike(q);
      where.push(
        or(ilike(cannedResponses.shortCode, `${term}%`), ilike(cannedResponses.content, `%${term}%`)),
      );
    }
    if (search.after !== undefined) where.push(gt(sql`lower(${cannedResponses.shortCode})`, search.after));
    return tx
      .select()
      .from(cannedResponses)
      .where(and(...where))
      .orderBy(asc(sql`lower(${cannedResponses.shortCode})`))
      .limit(limit);
  },
  async update(
    tenantId: string,
    id: string,
    patch: Partial<Pick<CannedResponseRow, 'shortCode' | 'content' | 'updatedAt'>>,
  ): Promise<CannedResponseRow | undefined> {
    const [row] = await tx
      .update(cannedResponses)
      .set(patch)
      .where(and(eq(cannedResponses.tenantId, tenantId), eq(cannedResponses.id, id)))
      .returning();
    return row;
  },
  async delete(tenantId: string, id: string): Promise<CannedResponseRow | undefined> {
    const [row] = await tx
      .delete(cannedResponses)
      .where(and(eq(cannedResponses.tenantId, tenantId), eq(cannedResponses.id, id)))
      .returning();
    return row;
  },
});
