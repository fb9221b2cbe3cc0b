// Notes agents keep about a client (internal, never sent). Anyone working the inbox may read and
// write them; only a note's author, or an owner or admin, may change or delete it.
import type { TenantPrincipal } from '../../platform/auth/principal.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { AppError, orNotFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { decodeCursor, pageOf } from '../conversations/cursor.ts';
import { contactNotesRepo, type ContactNoteRow, type ContactNoteView } from './contact-notes.repo.ts';
import { contactsRepo } from './contacts.repo.ts';

const CONTACT_NOT_FOUND = 'Contact not found.';
const NOTE_NOT_FOUND = 'Note not found.';

/**
 * The author may edit their note; so may owners and admins. An API key has no user behind it:
 * only a key with `organization.manage` (an administrator's key) may edit notes.
 */
export function mayEditNote(principal: TenantPrincipal, note: Pick<ContactNoteRow, 'authorUserId'>): boolean {
  if (principal.kind === 'api_key') return principal.permissions.has('organization.manage');
  return principal.userId === note.authorUserId || principal.role === 'owner' || principal.role === 'admin';
}

export function createContactNotesService(deps: { database: Database; clock: Clock }) {
  const { database, clock } = deps;

  async function listNotes(
    tenantId: string,
    contactId: string,
    query: { cursor?: string | undefined; limit: number },
  ): Promise<{ items: ContactNoteView[]; nextCursor: string | null }> {
    const before = decodeCursor(query.cursor);
    const rows = await database.tenant(tenantId, async (tx) => {
      orNotFound(await contactsRepo(tx).findById(tenantId, contactId), CONTACT_NOT_FOUND);
      return contactNotesRepo(tx).list(tenantId, contactId, before, query.limit + 1);
    });
    return pageOf(rows, query.limit, (n) => ({ at: n.createdAt, id: n.id }));
  }

  async function createNote(
    principal: TenantPrincipal,
    contactId: string,
    body: string,
  ): Promise<ContactNoteView> {
    const { tenantId } = principal;
    const now = clock.now();
    return database.tenant(tenantId, async (tx) => {
      // Locked: a merge moving this contact's notes cannot miss one written meanwhile.
      orNotFound(await contactsRepo(tx).findForUpdate(tenantId, contactId), CONTACT_NOT_FOUND);
      const repo = contactNotesRepo(tx);
      const note = await repo.insert(tenantId, {
        id: uuidv7(now.getTime()),
        contactId,
        authorUserId: principal.kind === 'user' ? principal.userId : null,
        body,
        createdAt: now,
        updatedAt: now,
      });
      return orNotFound(await repo.findView(tenantId, contactId, note.id), NOTE_NOT_FOUND);
    });
  }

  async function editable(
    principal: TenantPrincipal,
    contactId: string,
    noteId: string,
    fn: (
      repo: ReturnType<typeof contactNotesRepo>,
      note: ContactNoteRow,
    ) => Promise<ContactNoteView | undefined>,
  ): Promise<ContactNoteView | undefined> {
    const { tenantId } = principal;
    return database.tenant(tenantId, async (tx) => {
      const repo = contactNotesRepo(tx);
      const note = orNotFound(await repo.findForUpdate(tenantId, contactId, noteId), NOTE_NOT_FOUND);
      if (!mayEditNote(principal, note)) {
        throw new AppError('forbidden', 'Only the note’s author, an owner or an admin may change it.');
      }
      return fn(repo, note);
    });
  }

  async function updateNote(
    principal: TenantPrincipal,
    contactId: string,
    noteId: string,
    body: string,
  ): Promise<ContactNoteView> {
    const view = await editable(principal, contactId, noteId, async (repo, note) => {
      if (note.body !== body) await repo.update(principal.tenantId, note.id, body, clock.now());
      return repo.findView(principal.tenantId, contactId, note.id);
    });
    return orNotFound(view, NOTE_NOT_FOUND);
  }

  async function deleteNote(principal: TenantPrincipal, contactId: string, noteId: string): Promise<void> {
    await editable(principal, contactId, noteId, async (repo, note) => {
      await repo.delete(principal.tenantId, note.id);
      return undefined;
    });
  }

  return { listNotes, createNote, updateNote, deleteNote };
}

export type ContactNotesService = ReturnType<typeof createContactNotesService>;
