import { and, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { insertedRow } from '../../platform/db/rows.ts';
import { users } from '../users/users.tables.ts';
import type { Keyset } from '../conversations/cursor.ts';
import { contactNotes } from './contacts.tables.ts';

export type ContactNoteRow = typeof contactNotes.$inferSelect;
/** A note with its author's name (null for a note written through an API key). */
export type ContactNoteView = ContactNoteRow & { authorName: string | null };

export const contactNotesRepo = (tx: Executor) => {
  const withAuthor = () =>
    tx
      .select({
        note: contactNotes,
        authorName: sql<string | null>`nullif(trim(${users.firstName} || ' ' || ${users.lastName}), '')`,
      })
      .from(contactNotes)
      .leftJoin(
        users,
        and(eq(users.tenantId, contactNotes.tenantId), eq(users.id, contactNotes.authorUserId)),
      );
  const flat = (rows: { note: ContactNoteRow; authorName: string | null }[]): ContactNoteView[] =>
    rows.map((r) => ({ ...r.note, authorName: r.authorName }));
  const ofContact = (tenantId: string, contactId: string) =>
    and(eq(contactNotes.tenantId, tenantId), eq(contactNotes.contactId, contactId));

  return {
    /** Newest first. */
    async list(
      tenantId: string,
      contactId: string,
      before: Keyset | undefined,
      limit: number,
    ): Promise<ContactNoteView[]> {
      const where: (SQL | undefined)[] = [ofContact(tenantId, contactId)];
      if (before) {
        where.push(
          or(
            lt(contactNotes.createdAt, before.at),
            and(eq(contactNotes.createdAt, before.at), lt(contactNotes.id, before.id)),
          ),
        );
      }
      return flat(
        await withAuthor()
          .where(and(...where))
          .orderBy(desc(contactNotes.createdAt), desc(contactNotes.id))
          .limit(limit),
      );
    },
    async findView(tenantId: string, contactId: string, id: string): Promise<ContactNoteView | undefined> {
      const [row] = flat(
        await withAuthor().where(and(ofContact(tenantId, contactId), eq(contactNotes.id, id))),
      );
      return row;
    },
    /** Locks the note until the transaction ends. */
    async findForUpdate(
      tenantId: string,
      contactId: string,
      id: string,
    ): Promise<ContactNoteRow | undefined> {
      const [row] = await tx
        .select()
        .from(contactNotes)
        .where(and(ofContact(tenantId, contactId), eq(contactNotes.id, id)))
        .for('update');
      return row;
    },
    async insert(tenantId: string, row: Omit<ContactNoteRow, 'tenantId'>): Promise<ContactNoteRow> {
      return insertedRow(
        await tx
          .insert(contactNotes)
          .values({ ...row, tenantId })
          .returning(),
      );
    },
    async update(tenantId: string, id: string, body: string, now: Date): Promise<void> {
      await tx
        .update(contactNotes)
        .set({ body, updatedAt: now })
        .where(and(eq(contactNotes.tenantId, tenantId), eq(contactNotes.id, id)));
    },
    async delete(tenantId: string, id: string): Promise<void> {
      await tx.delete(contactNotes).where(and(eq(contactNotes.tenantId, tenantId), eq(contactNotes.id, id)));
    },
  };
};
