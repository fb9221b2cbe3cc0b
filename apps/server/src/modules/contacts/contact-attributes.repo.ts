import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { insertedRow } from '../../platform/db/rows.ts';
import { contactAttributeDefinitions as definitions } from './contacts.tables.ts';

export type AttributeDefinitionRow = typeof definitions.$inferSelect;
export type AttributeDefinitionPatch = Partial<
  Pick<AttributeDefinitionRow, 'label' | 'description' | 'options' | 'updatedAt'>
>;

/** The unique index on (tenant, key). */
export const ATTRIBUTE_KEY_INDEX = 'contact_attribute_definitions_key';

export const contactAttributesRepo = (tx: Executor) => ({
  /** In the order they were defined (the order forms show them in). */
  async list(tenantId: string): Promise<AttributeDefinitionRow[]> {
    return tx
      .select()
      .from(definitions)
      .where(eq(definitions.tenantId, tenantId))
      .orderBy(asc(definitions.createdAt), asc(definitions.id));
  },
  async count(tenantId: string): Promise<number> {
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(definitions)
      .where(eq(definitions.tenantId, tenantId));
    return row?.n ?? 0;
  },
  async findById(tenantId: string, id: string): Promise<AttributeDefinitionRow | undefined> {
    const [row] = await tx
      .select()
      .from(definitions)
      .where(and(eq(definitions.tenantId, tenantId), eq(definitions.id, id)));
    return row;
  },
  async insert(
    tenantId: string,
    row: Omit<AttributeDefinitionRow, 'tenantId'>,
  ): Promise<AttributeDefinitionRow> {
    return insertedRow(
      await tx
        .insert(definitions)
        .values({ ...row, tenantId })
        .returning(),
    );
  },
  async update(
    tenantId: string,
    id: string,
    patch: AttributeDefinitionPatch,
  ): Promise<AttributeDefinitionRow | undefined> {
    const [row] = await tx
      .update(definitions)
      .set(patch)
      .where(and(eq(definitions.tenantId, tenantId), eq(definitions.id, id)))
      .returning();
    return row;
  },
  async delete(tenantId: string, id: string): Promise<AttributeDefinitionRow | undefined> {
    const [row] = await tx
      .delete(definitions)
      .where(and(eq(definitions.tenantId, tenantId), eq(definitions.id, id)))
      .returning();
    return row;
  },
  /** Serializes changes to the tenant's definitions (the count limit holds under concurrency). */
  async lock(tenantId: string): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`attributes:${tenantId}`}, 0))`);
  },
});
