import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { LabelSummary } from '@switchboard/contracts';
import type { Executor } from '../../platform/db/database.ts';
import { insertedRow } from '../../platform/db/rows.ts';
import { contactLabels, conversationLabels, labels } from './labels.tables.ts';

export type LabelRow = typeof labels.$inferSelect;
export type { LabelSummary };

/** The unique index on (tenant, lower(name)): a duplicate name violates it. */
export const LABEL_NAME_KEY = 'labels_name_key';

const summary = { id: labels.id, name: labels.name, color: labels.color };

/** Groups summaries by owner id, every requested id present (an empty list for none). */
function byOwner(ids: string[], rows: (LabelSummary & { owner: string })[]): Map<string, LabelSummary[]> {
  const map = new Map<string, LabelSummary[]>(ids.map((id) => [id, []]));
  for (const { owner, ...label } of rows) map.get(owner)?.push(label);
  return map;
}

export const labelsRepo = (tx: Executor) => ({
  /** Alphabetical, ignoring case. */
  async list(tenantId: string): Promise<LabelRow[]> {
    return tx
      .select()
      .from(labels)
      .where(eq(labels.tenantId, tenantId))
      .orderBy(asc(sql`lower(${labels.name})`), asc(labels.id));
  },
  async findById(tenantId: string, id: string): Promise<LabelRow | undefined> {
    const [row] = await tx
      .select()
      .from(labels)
      .where(and(eq(labels.tenantId, tenantId), eq(labels.id, id)));
    return row;
  },
  async insert(tenantId: string, row: Omit<LabelRow, 'tenantId'>): Promise<LabelRow> {
    return insertedRow(
      await tx
        .insert(labels)
        .values({ ...row, tenantId })
        .returning(),
    );
  },
  async update(
    tenantId: string,
    id: string,
    patch: Partial<Pick<LabelRow, 'name' | 'description' | 'color' | 'updatedAt'>>,
  ): Promise<LabelRow | undefined> {
    const [row] = await tx
      .update(labels)
      .set(patch)
      .where(and(eq(labels.tenantId, tenantId), eq(labels.id, id)))
      .returning();
    return row;
  },
  /** Deletes the label and every attachment of it; returns the deleted label. */
  async delete(tenantId: string, id: string): Promise<LabelRow | undefined> {
    await tx
      .delete(conversationLabels)
      .where(and(eq(conversationLabels.tenantId, tenantId), eq(conversationLabels.labelId, id)));
    await tx
      .delete(contactLabels)
      .where(and(eq(contactLabels.tenantId, tenantId), eq(contactLabels.labelId, id)));
    const [row] = await tx
      .delete(labels)
      .where(and(eq(labels.tenantId, tenantId), eq(labels.id, id)))
      .returning();
    return row;
  },

  /** Attaches a label to a conversation; false when it already was (nothing changed). */
  async attachToConversation(
    tenantId: string,
    conversationId: string,
    labelId: string,
    now: Date,
  ): Promise<boolean> {
    const rows = await tx
      .insert(conversationLabels)
      .values({ tenantId, conversationId, labelId, createdAt: now })
      .onConflictDoNothing()
      .returning({ labelId: conversationLabels.labelId });
    return rows.length > 0;
  },
  /** False when the label was not attached. */
  async detachFromConversation(tenantId: string, conversationId: string, labelId: string): Promise<boolean> {
    const rows = await tx
      .delete(conversationLabels)
      .where(
        and(
          eq(conversationLabels.tenantId, tenantId),
          eq(conversationLabels.conversationId, conversationId),
          eq(conversationLabels.labelId, labelId),
        ),
      )
      .returning({ labelId: conversationLabels.labelId });
    return rows.length > 0;
  },
  async attachToContact(tenantId: string, contactId: string, labelId: string, now: Date): Promise<boolean> {
    const rows = await tx
      .insert(contactLabels)
      .values({ tenantId, contactId, labelId, createdAt: now })
      .onConflictDoNothing()
      .returning({ labelId: contactLabels.labelId });
    return rows.length > 0;
  },
  async detachFromContact(tenantId: string, contactId: string, labelId: string): Promise<boolean> {
    const rows = await tx
      .delete(contactLabels)
      .where(
        and(
          eq(contactLabels.tenantId, tenantId),
          eq(contactLabels.contactId, contactId),
          eq(contactLabels.labelId, labelId),
        ),
      )
      .returning({ labelId: contactLabels.labelId });
    return rows.length > 0;
  },

  /**
   * The labels of each conversation, alphabetical, in one query: for the inbox list and the
   * conversation view. Every id asked for is in the map.
   */
  async labelsOf(tenantId: string, conversationIds: string[]): Promise<Map<string, LabelSummary[]>> {
    if (conversationIds.length === 0) return new Map();
    const rows = await tx
      .select({ owner: conversationLabels.conversationId, ...summary })
      .from(conversationLabels)
      .innerJoin(
        labels,
        and(eq(labels.tenantId, conversationLabels.tenantId), eq(labels.id, conversationLabels.labelId)),
      )
      .where(
        and(
          eq(conversationLabels.tenantId, tenantId),
          inArray(conversationLabels.conversationId, [...new Set(conversationIds)]),
        ),
      )
      .orderBy(asc(sql`lower(${labels.name})`), asc(labels.id));
    return byOwner(conversationIds, rows);
  },
  /** The labels of each contact, alphabetical, in one query. Every id asked for is in the map. */
  async labelsOfContacts(tenantId: string, contactIds: string[]): Promise<Map<string, LabelSummary[]>> {
    if (contactIds.length === 0) return new Map();
    const rows = await tx
      .select({ owner: contactLabels.contactId, ...summary })
      .from(contactLabels)
      .innerJoin(
        labels,
        and(eq(labels.tenantId, contactLabels.tenantId), eq(labels.id, contactLabels.labelId)),
      )
      .where(
        and(eq(contactLabels.tenantId, tenantId), inArray(contactLabels.contactId, [...new Set(contactIds)])),
      )
      .orderBy(asc(sql`lower(${labels.name})`), asc(labels.id));
    return byOwner(contactIds, rows);
  },
});
