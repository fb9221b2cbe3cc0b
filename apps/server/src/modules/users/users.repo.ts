import { and, asc, count, eq, isNull, gt, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { insertedRow } from '../../platform/db/rows.ts';
import { invitations, users } from './users.tables.ts';

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;
export type InvitationRow = typeof invitations.$inferSelect;

export const usersRepo = (tx: Executor) => ({
  async insert(tenantId: string, row: Omit<NewUserRow, 'tenantId'>): Promise<UserRow> {
    return insertedRow(
      await tx
        .insert(users)
        .values({ ...row, tenantId })
        .returning(),
    );
  },
  async findById(tenantId: string, id: string): Promise<UserRow | undefined> {
    const [row] = await tx
      .select()
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
    return row;
  },
  async findByEmail(tenantId: string, email: string): Promise<UserRow | undefined> {
    const [row] = await tx
      .select()
      .from(users)
      .where(and(eq(users.tenantId, tenantId), sql`lower(${users.email}) = lower(${email})`));
    return row;
  },
  async list(tenantId: string): Promise<UserRow[]> {
    return tx.select().from(users).where(eq(users.tenantId, tenantId)).orderBy(asc(users.createdAt));
  },
  async countActive(tenantId: string): Promise<number> {
    const [row] = await tx
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.status, 'active')));
    return row?.n ?? 0;
  },
  async update(
    tenantId: string,
    id: string,
    patch: Partial<Omit<UserRow, 'id' | 'tenantId' | 'createdAt'>>,
  ): Promise<UserRow | undefined> {
    const [row] = await tx
      .update(users)
      .set(patch)
      .where(and(eq(users.tenantId, tenantId), eq(users.id, id)))
      .returning();
    return row;
  },
});

/** Platform-level lookups, before any tenant is known (system transactions only). */
export const userLookup = (tx: Executor) => ({
  async findByEmail(email: string): Promise<UserRow | undefined> {
    const [row] = await tx
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = lower(${email})`);
    return row;
  },
});

export const invitationsRepo = (tx: Executor) => ({
  async insert(
    tenantId: string,
    row: Omit<InvitationRow, 'tenantId' | 'acceptedAt' | 'revokedAt'>,
  ): Promise<InvitationRow> {
    return insertedRow(
      await tx
        .insert(invitations)
        .values({ ...row, tenantId })
        .returning(),
    );
  },
  async listPending(tenantId: string, now: Date): Promise<InvitationRow[]> {
    return tx
      .select()
      .from(invitations)
      .where(
        and(
          eq(invitations.tenantId, tenantId),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, now),
        ),
      )
      .orderBy(asc(invitations.createdAt));
  },
  async countPending(tenantId: string, now: Date): Promise<number> {
    const [row] = await tx
      .select({ n: count() })
      .from(invitations)
      .where(
        and(
          eq(invitations.tenantId, tenantId),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, now),
        ),
      );
    return row?.n ?? 0;
  },
  async revokePendingFor(tenantId: string, email: string, at: Date): Promise<void> {
    await tx
      .update(invitations)
      .set({ revokedAt: at })
      .where(
        and(
          eq(invitations.tenantId, tenantId),
          sql`lower(${invitations.email}) = lower(${email})`,
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      );
  },
  async revoke(tenantId: string, id: string, at: Date): Promise<InvitationRow | undefined> {
    const [row] = await tx
      .update(invitations)
      .set({ revokedAt: at })
      .where(
        and(
          eq(invitations.tenantId, tenantId),
          eq(invitations.id, id),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      )
      .returning();
    return row;
  },
  /**
   * Consumes an invitation: succeeds once, only while it is unexpired and unrevoked. The
   * conditional update is the single-use guarantee, even under concurrent accepts.
   */
  async consume(tenantId: string, id: string, now: Date): Promise<InvitationRow | undefined> {
    const [row] = await tx
      .update(invitations)
      .set({ acceptedAt: now })
      .where(
        and(
          eq(invitations.tenantId, tenantId),
          eq(invitations.id, id),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, now),
        ),
      )
      .returning();
    return row;
  },
});

export const invitationLookup = (tx: Executor) => ({
  async findByTokenHash(tokenHash: string): Promise<InvitationRow | undefined> {
    const [row] = await tx.select().from(invitations).where(eq(invitations.tokenHash, tokenHash));
    return row;
  },
});
