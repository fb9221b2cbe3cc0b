// Contacts as the inbox shows and edits them. Identity (WhatsApp id, phone, profile name) comes
// from WhatsApp through inbound.service.ts; people edit only the name and custom attributes.
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { orNotFound } from '../../platform/errors.ts';
import { decodeCursor, pageOf } from '../conversations/cursor.ts';
import { contactsRepo, type ContactDetails, type ContactRow } from './contacts.repo.ts';

export function createContactsService(deps: { database: Database; clock: Clock }) {
  const { database, clock } = deps;

  async function listContacts(
    tenantId: string,
    query: { q?: string | undefined; cursor?: string | undefined; limit: number },
  ): Promise<{ items: ContactRow[]; nextCursor: string | null }> {
    const before = decodeCursor(query.cursor);
    const rows = await database.tenant(tenantId, (tx) =>
      contactsRepo(tx).list(tenantId, { q: query.q, before }, query.limit + 1),
    );
    return pageOf(rows, query.limit, (c) => ({ at: c.createdAt, id: c.id }));
  }

  async function getContact(tenantId: string, id: string): Promise<ContactRow> {
    return orNotFound(
      await database.tenant(tenantId, (tx) => contactsRepo(tx).findById(tenantId, id)),
      'Contact not found.',
    );
  }

  /** `attributes` replaces the whole set: send every key to keep. */
  async function updateContact(tenantId: string, id: string, details: ContactDetails): Promise<ContactRow> {
    return orNotFound(
      await database.tenant(tenantId, (tx) =>
        contactsRepo(tx).updateDetails(tenantId, id, details, clock.now()),
      ),
      'Contact not found.',
    );
  }

  return { listContacts, getContact, updateContact };
}

export type ContactsService = ReturnType<typeof createContactsService>;
