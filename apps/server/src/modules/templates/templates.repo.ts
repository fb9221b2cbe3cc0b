import { and, asc, eq, gt, ilike, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { contacts } from '../contacts/contacts.tables.ts';
import { whatsappNumbers } from '../whatsapp/whatsapp.tables.ts';
import { messageTemplates } from './templates.tables.ts';

export type TemplateRow = typeof messageTemplates.$inferSelect;
export type NewTemplateRow = Omit<TemplateRow, 'tenantId'>;
export type TemplatePatch = Partial<
  Pick<
    TemplateRow,
    | 'numberId'
    | 'externalId'
    | 'category'
    | 'status'
    | 'statusReason'
    | 'parameterFormat'
    | 'components'
    | 'syncedAt'
    | 'updatedAt'
  >
>;

export interface TemplateFilter {
  status?: string | undefined;
  /** Part of the name, any case. */
  q?: string | undefined;
  /** Keyset: templates after this (name, language). */
  after?: { name: string; language: string } | undefined;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const t = messageTemplates;

/** Templates belong to a WhatsApp Business Account: every number of the account shares them. */
export const templatesRepo = (tx: Executor) => ({
  /** Serializes syncs and webhook updates of one account's templates until the transaction ends. */
  async lockAccount(tenantId: string, wabaId: string): Promise<void> {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext('message_templates'), hashtext(${`${tenantId}:${wabaId}`}))`,
    );
  },
  async list(
    tenantId: string,
    wabaId: string,
    filter: TemplateFilter,
    limit: number,
  ): Promise<TemplateRow[]> {
    const where: (SQL | undefined)[] = [eq(t.tenantId, tenantId), eq(t.wabaId, wabaId)];
    if (filter.status) where.push(eq(t.status, filter.status));
    if (filter.q) where.push(ilike(t.name, `%${escapeLike(filter.q)}%`));
    if (filter.after) {
      const { name, language } = filter.after;
      where.push(or(gt(t.name, name), and(eq(t.name, name), gt(t.language, language))));
    }
    return tx
      .select()
      .from(t)
      .where(and(...where))
      .orderBy(asc(t.name), asc(t.language))
      .limit(limit);
  },
  async listAccount(tenantId: string, wabaId: string): Promise<TemplateRow[]> {
    return tx
      .select()
      .from(t)
      .where(and(eq(t.tenantId, tenantId), eq(t.wabaId, wabaId)));
  },
  async findById(tenantId: string, wabaId: string, id: string): Promise<TemplateRow | undefined> {
    const [row] = await tx
      .select()
      .from(t)
      .where(and(eq(t.tenantId, tenantId), eq(t.wabaId, wabaId), eq(t.id, id)));
    return row;
  },
  async findByName(tenantId: string, wabaId: string, name: string): Promise<TemplateRow[]> {
    return tx
      .select()
      .from(t)
      .where(and(eq(t.tenantId, tenantId), eq(t.wabaId, wabaId), eq(t.name, name)))
      .orderBy(asc(t.language));
  },
  /** Inserts unless the account already has this name and language (then returns undefined). */
  async insertIfAbsent(tenantId: string, row: NewTemplateRow): Promise<TemplateRow | undefined> {
    const [inserted] = await tx
      .insert(t)
      .values({ ...row, tenantId })
      .onConflictDoNothing({ target: [t.tenantId, t.wabaId, t.name, t.language] })
      .returning();
    return inserted;
  },
  async insertMany(tenantId: string, rows: NewTemplateRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted = await tx
      .insert(t)
      .values(rows.map((r) => ({ ...r, tenantId })))
      .onConflictDoNothing({ target: [t.tenantId, t.wabaId, t.name, t.language] })
      .returning({ id: t.id });
    return inserted.length;
  },
  async update(tenantId: string, id: string, patch: TemplatePatch): Promise<TemplateRow | undefined> {
    const [row] = await tx
      .update(t)
      .set(patch)
      .where(and(eq(t.tenantId, tenantId), eq(t.id, id)))
      .returning();
    return row;
  },
  async delete(tenantId: string, id: string): Promise<TemplateRow | undefined> {
    const [row] = await tx
      .delete(t)
      .where(and(eq(t.tenantId, tenantId), eq(t.id, id)))
      .returning();
    return row;
  },
  /** Marks every template of the account as seen by a sync at `at`. */
  async markSynced(tenantId: string, wabaId: string, at: Date): Promise<void> {
    await tx
      .update(t)
      .set({ syncedAt: at })
      .where(and(eq(t.tenantId, tenantId), eq(t.wabaId, wabaId)));
  },
  /** Deletes the account's templates not in `keep` that nothing changed since `before`. */
  async deleteMissing(tenantId: string, wabaId: string, keep: string[], before: Date): Promise<number> {
    const gone = await tx
      .delete(t)
      .where(
        and(
          eq(t.tenantId, tenantId),
          eq(t.wabaId, wabaId),
          lte(t.updatedAt, before),
          keep.length === 0
            ? undefined
            : sql`${t.id} not in (${sql.join(
                keep.map((id) => sql`${id}::uuid`),
                sql`, `,
              )})`,
        ),
      )
      .returning({ id: t.id });
    return gone.length;
  },
  /** The templates a status webhook names: by Graph id, else by name and language. */
  async findForStatus(
    tenantId: string,
    wabaId: string,
    externalId: string | undefined,
    name: string | undefined,
    language: string | undefined,
  ): Promise<TemplateRow[]> {
    const byId = externalId ? eq(t.externalId, externalId) : undefined;
    const byName = name && language ? and(eq(t.name, name), eq(t.language, language)) : undefined;
    if (!byId && !byName) return [];
    return tx
      .select()
      .from(t)
      .where(and(eq(t.tenantId, tenantId), eq(t.wabaId, wabaId), or(byId, byName)));
  },
  /** The active numbers of an account in this organization, oldest first (the one to call Graph through). */
  async accountNumbers(tenantId: string, wabaId: string) {
    return tx
      .select()
      .from(whatsappNumbers)
      .where(
        and(
          eq(whatsappNumbers.tenantId, tenantId),
          eq(whatsappNumbers.wabaId, wabaId),
          eq(whatsappNumbers.status, 'active'),
        ),
      )
      .orderBy(asc(whatsappNumbers.createdAt), asc(whatsappNumbers.id));
  },
});

/**
 * A client's marketing preference (the `user_preferences` webhook) on the contact with this
 * WhatsApp id or business-scoped id. Kept with the time Meta gives, so a late `resume` never
 * clears a newer `stop`.
 */
export const marketingPreferencesRepo = (tx: Executor) => ({
  /** Records the opt-out unless one is already recorded (the first reason stands). */
  async stop(
    tenantId: string,
    who: { waId?: string; userId?: string },
    at: Date,
    now: Date,
  ): Promise<number> {
    const match = contactMatch(who);
    if (!match) return 0;
    const rows = await tx
      .update(contacts)
      .set({ marketingOptOutAt: at, marketingOptOutSource: 'user_preferences', updatedAt: now })
      .where(and(eq(contacts.tenantId, tenantId), match, isNull(contacts.marketingOptOutAt)))
      .returning({ id: contacts.id });
    return rows.length;
  },
  /** Clears an opt-out recorded at or before `at`. */
  async resume(
    tenantId: string,
    who: { waId?: string; userId?: string },
    at: Date,
    now: Date,
  ): Promise<number> {
    const match = contactMatch(who);
    if (!match) return 0;
    const rows = await tx
      .update(contacts)
      .set({ marketingOptOutAt: null, marketingOptOutSource: null, updatedAt: now })
      .where(and(eq(contacts.tenantId, tenantId), match, lte(contacts.marketingOptOutAt, at)))
      .returning({ id: contacts.id });
    return rows.length;
  },
});

function contactMatch(who: { waId?: string; userId?: string }): SQL | undefined {
  if (who.waId) return eq(contacts.waId, who.waId);
  if (who.userId) return eq(contacts.userId, who.userId);
  return undefined;
}

/** Platform-level: every organization's accounts to sync (scheduled job, system transaction). */
export const templateSyncLookup = (tx: Executor) => ({
  async accounts(): Promise<{ tenantId: string; wabaId: string }[]> {
    return tx
      .selectDistinct({ tenantId: whatsappNumbers.tenantId, wabaId: whatsappNumbers.wabaId })
      .from(whatsappNumbers)
      .where(eq(whatsappNumbers.status, 'active'));
  },
});
