import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { insertedRow } from '../../platform/db/rows.ts';
import { organizations } from '../organizations/organizations.tables.ts';
import { apiKeys } from './api-keys.tables.ts';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export const apiKeysRepo = (tx: Executor) => ({
  async insert(
    tenantId: string,
    row: Omit<ApiKeyRow, 'tenantId' | 'lastUsedAt' | 'revokedAt'>,
  ): Promise<ApiKeyRow> {
    return insertedRow(
      await tx
        .insert(apiKeys)
        .values({ ...row, tenantId })
        .returning(),
    );
  },
  async list(tenantId: string): Promise<ApiKeyRow[]> {
    return tx.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(desc(apiKeys.createdAt));
  },
  async revoke(tenantId: string, id: string, at: Date): Promise<ApiKeyRow | undefined> {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: at })
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning();
    return row;
  },
});

/** Resolving a presented key happens before a tenant is known (system transactions). */
export const apiKeyLookup = (tx: Executor) => ({
  async byHash(keyHash: string): Promise<{ key: ApiKeyRow; organizationStatus: string } | undefined> {
    const [row] = await tx
      .select({ key: apiKeys, organizationStatus: organizations.status })
      .from(apiKeys)
      .innerJoin(organizations, eq(organizations.id, apiKeys.tenantId))
      .where(eq(apiKeys.keyHash, keyHash));
    return row;
  },
  async touch(id: string, at: Date): Promise<void> {
    await tx.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
  },
});
