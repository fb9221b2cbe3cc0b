import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { insertedRow } from '../../platform/db/rows.ts';
import { operatorSessions, operators } from './operators.tables.ts';

export type OperatorRow = typeof operators.$inferSelect;
export type OperatorSessionRow = typeof operatorSessions.$inferSelect;

/** Platform-level tables, used in system transactions only. */
export const operatorsRepo = (tx: Executor) => ({
  async insert(row: OperatorRow): Promise<OperatorRow> {
    return insertedRow(await tx.insert(operators).values(row).returning());
  },
  async findByEmail(email: string): Promise<OperatorRow | undefined> {
    const [row] = await tx
      .select()
      .from(operators)
      .where(sql`lower(${operators.email}) = lower(${email})`);
    return row;
  },
  async insertSession(row: Omit<OperatorSessionRow, 'revokedAt'>): Promise<void> {
    await tx.insert(operatorSessions).values(row);
  },
  async sessionByTokenHash(
    tokenHash: string,
  ): Promise<{ session: OperatorSessionRow; operator: OperatorRow } | undefined> {
    const [row] = await tx
      .select({ session: operatorSessions, operator: operators })
      .from(operatorSessions)
      .innerJoin(operators, eq(operators.id, operatorSessions.operatorId))
      .where(eq(operatorSessions.tokenHash, tokenHash));
    return row;
  },
  async revokeSession(id: string, at: Date): Promise<void> {
    await tx.update(operatorSessions).set({ revokedAt: at }).where(eq(operatorSessions.id, id));
  },
});
