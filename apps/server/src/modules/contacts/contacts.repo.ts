import { and, desc, eq, ilike, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { insertedRow } from '../../platform/db/rows.ts';
import { contacts } from './contacts.tables.ts';

export type ContactRow = typeof contacts.$inferSelect;

export interface ContactIdentity {
  waId: string | null;
  phoneE164: string | null;
  userId: string | null;
  username: string | null;
  profileName: string | null;
}

export interface ContactSearch {
  /** Case-insensitive substring of the name, profile name or WhatsApp id / phone digits. */
  q?: string | undefined;
  /** Keyset cursor: contacts strictly after this (createdAt, id) in newest-first order. */
  before?: { at: Date; id: string } | undefined;
}

export interface ContactDetails {
  name?: string | null;
  attributes?: ContactRow['attributes'];
  marketingOptOutAt?: Date | null;
  marketingOptOutSource?: string | null;
}

/** `%`, `_` and the escape character itself match literally. */
const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const contactsRepo = (tx: Executor) => ({
  async list(tenantId: string, search: ContactSearch, limit: number): Promise<ContactRow[]> {
    const where: (SQL | undefined)[] = [eq(contacts.tenantId, tenantId)];
    const q = search.q?.trim();
    if (q) {
      const text = likePattern(q);
      // Phone-like input (`+55 (11) 9...`) also matches the digits of the WhatsApp id and phone.
      const digits = /^[\d\s+().-]+$/.test(q) ? q.replace(/\D/g, '') : '';
      where.push(
        or(
          ilike(contacts.name, text),
          ilike(contacts.profileName, text),
          ilike(contacts.waId, text),
          digits ? ilike(contacts.waId, likePattern(digits)) : undefined,
          digits ? ilike(contacts.phoneE164, likePattern(digits)) : undefined,
        ),
      );
    }
    if (search.before) {
      const b = search.before;
      where.push(or(lt(contacts.createdAt, b.at), and(eq(contacts.createdAt, b.at), lt(contacts.id, b.id))));
    }
    return tx
      .select()
      .from(contacts)
      .where(and(...where))
      .orderBy(desc(contacts.createdAt), desc(contacts.id))
      .limit(limit);
  },
  async updateDetails(
    tenantId: string,
    id: string,
    details: ContactDetails,
    now: Date,
  ): Promise<ContactRow | undefined> {
    const [row] = await tx
      .update(contacts)
      .set({ ...details, updatedAt: now })
      .where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, id)))
      .returning();
    return row;
  },
  async findById(tenantId: string, id: string): Promise<ContactRow | undefined> {
    const [row] = await tx
      .select()
      .from(contacts)
      .where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, id)));
    return row;
  },
  /** Locks the row until the transaction ends (merging deletes contacts: see contact-merge.service.ts). */
  async findByIds(tenantId: string, ids: readonly string[]): Promise<ContactRow[]> {
    if (ids.length === 0) return [];
    return tx
      .select()
      .from(contacts)
      .where(and(eq(contacts.tenantId, tenantId), inArray(contacts.id, [...new Set(ids)])));
  },
  async findForUpdate(tenantId: string, id: string): Promise<ContactRow | undefined> {
    const [row] = await tx
      .select()
      .from(contacts)
      .where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, id)))
      .for('update');
    return row;
  },
  /** Removes an attribute from every contact that has it (its definition was deleted). */
  async removeAttribute(tenantId: string, key: string, now: Date): Promise<number> {
    const rows = await tx
      .update(contacts)
      .set({ attributes: sql`${contacts.attributes} - ${key}::text`, updatedAt: now })
      .where(and(eq(contacts.tenantId, tenantId), sql`${contacts.attributes} ? ${key}::text`))
      .returning({ id: contacts.id });
    return rows.length;
  },
  async findByWaId(tenantId: string, waId: string): Promise<ContactRow | undefined> {
    const [row] = await tx
      .select()
      .from(contacts)
      .where(and(eq(contacts.tenantId, tenantId), eq(contacts.waId, waId)));
    return row;
  },
  async findByUserId(tenantId: string, userId: string): Promise<ContactRow | undefined> {
    const [row] = await tx
      .select()
      .from(contacts)
      .where(and(eq(contacts.tenantId, tenantId), eq(contacts.userId, userId)));
    return row;
  },
  async insert(tenantId: string, id: string, who: ContactIdentity, now: Date): Promise<ContactRow> {
    return insertedRow(
      await tx
        .insert(contacts)
        .values({ id, tenantId, ...who, createdAt: now, updatedAt: now })
        .returning(),
    );
  },
  async update(
    tenantId: string,
    id: string,
    patch: Partial<ContactIdentity> & ContactDetails,
    now: Date,
  ): Promise<ContactRow> {
    return insertedRow(
      await tx
        .update(contacts)
        .set({ ...patch, updatedAt: now })
        .where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, id)))
        .returning(),
    );
  },
  /** Records (at, source) or clears (null) a client's opt-out of marketing messages. */
  async setMarketingOptOut(
    tenantId: string,
    id: string,
    optOut: { at: Date; source: string } | null,
    now: Date,
  ): Promise<void> {
    await tx
      .update(contacts)
      .set({
        marketingOptOutAt: optOut?.at ?? null,
        marketingOptOutSource: optOut?.source ?? null,
        updatedAt: now,
      })
      .where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, id)));
  },
  async changeWaId(
    tenantId: string,
    id: string,
    waId: string,
    phoneE164: string | null,
    now: Date,
  ): Promise<void> {
    await tx
      .update(contacts)
      .set({ waId, phoneE164, updatedAt: now })
      .where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, id)));
  },
});
