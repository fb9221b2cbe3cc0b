import { desc, eq, ilike, or } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { insertedRow } from '../../platform/db/rows.ts';
import { organizations } from './organizations.tables.ts';

export type OrganizationRow = typeof organizations.$inferSelect;
export type NewOrganizationRow = typeof organizations.$inferInsert;

/** The organization's id is its tenant id. */
export const organizationsRepo = (tx: Executor) => ({
  async insert(row: NewOrganizationRow): Promise<OrganizationRow> {
    return insertedRow(await tx.insert(organizations).values(row).returning());
  },
  async findById(tenantId: string): Promise<OrganizationRow | undefined> {
    const [row] = await tx.select().from(organizations).where(eq(organizations.id, tenantId));
    return row;
  },
  async update(
    tenantId: string,
    patch: Partial<Omit<OrganizationRow, 'id' | 'createdAt' | 'accountNumber'>>,
  ): Promise<OrganizationRow | undefined> {
    const [row] = await tx.update(organizations).set(patch).where(eq(organizations.id, tenantId)).returning();
    return row;
  },
  /** Platform-wide listing for the operator console (system transactions only). */
  async listAll(search: string | undefined, limit: number, offset: number): Promise<OrganizationRow[]> {
    const term = search ? `%${search.replace(/[%_\\]/g, '\\$&')}%` : undefined;
    return tx
      .select()
      .from(organizations)
      .where(
        term
          ? or(
              ilike(organizations.name, term),
              ilike(organizations.accountNumber, term),
              ilike(organizations.ownerEmail, term),
            )
          : undefined,
      )
      .orderBy(desc(organizations.createdAt))
      .limit(limit)
      .offset(offset);
  },
});
