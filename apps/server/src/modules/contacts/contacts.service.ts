// Contacts as the inbox shows and edits them. Identity (WhatsApp id, phone, profile name) comes
// from WhatsApp through inbound.service.ts; people edit only the name and custom attributes, which
// are checked against the organization's definitions (attribute-values.ts).
import type { Clock } from '../../platform/clock.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import { AppError, orNotFound } from '../../platform/errors.ts';
import { decodeCursor, pageOf } from '../conversations/cursor.ts';
import { labelsRepo, type LabelSummary } from '../labels/labels.repo.ts';
import { applyAttributes, type Attributes } from './attribute-values.ts';
import { contactAttributesRepo } from './contact-attributes.repo.ts';
import { contactsRepo, type ContactRow } from './contacts.repo.ts';

const NOT_FOUND = 'Contact not found.';

/** A contact with its labels, as the API shows it. */
export interface ContactWithLabels {
  contact: ContactRow;
  labels: LabelSummary[];
}

export interface ContactChange {
  name?: string | null;
  /** Partial: each key given is set, `null` removes it, keys not given are kept. */
  attributes?: Attributes;
  /** An agent records (true) or clears (false) the client's opt-out of marketing messages. */
  marketingOptOut?: boolean;
}

/** Reads the labels of contacts in one query. */
export async function withLabels(
  tx: Executor,
  tenantId: string,
  rows: ContactRow[],
): Promise<ContactWithLabels[]> {
  const labels = await labelsRepo(tx).labelsOfContacts(
    tenantId,
    rows.map((c) => c.id),
  );
  return rows.map((contact) => ({ contact, labels: labels.get(contact.id) ?? [] }));
}

async function oneWithLabels(tx: Executor, tenantId: string, row: ContactRow): Promise<ContactWithLabels> {
  const [first] = await withLabels(tx, tenantId, [row]);
  return first ?? { contact: row, labels: [] };
}

export function createContactsService(deps: { database: Database; clock: Clock }) {
  const { database, clock } = deps;

  async function listContacts(
    tenantId: string,
    query: { q?: string | undefined; cursor?: string | undefined; limit: number },
  ): Promise<{ items: ContactWithLabels[]; nextCursor: string | null }> {
    const before = decodeCursor(query.cursor);
    return database.tenant(tenantId, async (tx) => {
      const rows = await contactsRepo(tx).list(tenantId, { q: query.q, before }, query.limit + 1);
      const page = pageOf(rows, query.limit, (c) => ({ at: c.createdAt, id: c.id }));
      return { items: await withLabels(tx, tenantId, page.items), nextCursor: page.nextCursor };
    });
  }

  async function getContact(tenantId: string, id: string): Promise<ContactWithLabels> {
    return database.tenant(tenantId, async (tx) =>
      oneWithLabels(tx, tenantId, orNotFound(await contactsRepo(tx).findById(tenantId, id), NOT_FOUND)),
    );
  }

  /**
   * Renames the contact and changes attributes. Every attribute problem is reported at once, as
   * 422 with one issue per key; nothing is written unless all are valid.
   */
  async function updateContact(
    tenantId: string,
    id: string,
    change: ContactChange,
  ): Promise<ContactWithLabels> {
    return database.tenant(tenantId, async (tx) => {
      const repo = contactsRepo(tx);
      // Locked: concurrent partial attribute changes each apply to what the other left.
      const current = orNotFound(await repo.findForUpdate(tenantId, id), NOT_FOUND);
      let attributes: Attributes | undefined;
      if (change.attributes !== undefined) {
        const definitions = await contactAttributesRepo(tx).list(tenantId);
        const result = applyAttributes(definitions, current.attributes, change.attributes);
        if (result.issues.length > 0) {
          throw new AppError('unprocessable_content', 'Some attributes do not fit their definitions.', {
            errors: result.issues,
          });
        }
        attributes = result.attributes;
      }
      const now = clock.now();
      const optOut =
        change.marketingOptOut === undefined ||
        change.marketingOptOut === (current.marketingOptOutAt !== null)
          ? {}
          : change.marketingOptOut
            ? { marketingOptOutAt: now, marketingOptOutSource: 'agent' }
            : { marketingOptOutAt: null, marketingOptOutSource: null };
      const details = {
        ...(change.name === undefined ? {} : { name: change.name }),
        ...(attributes === undefined ? {} : { attributes }),
        ...optOut,
      };
      const row = orNotFound(await repo.updateDetails(tenantId, id, details, now), NOT_FOUND);
      return oneWithLabels(tx, tenantId, row);
    });
  }

  return { listContacts, getContact, updateContact };
}

export type ContactsService = ReturnType<typeof createContactsService>;
