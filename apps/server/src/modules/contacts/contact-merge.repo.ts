// The SQL of merging one contact into another: it moves rows of several modules' tables from the
// source contact (and its conversations) to the target, inside the merge's transaction.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { conversationReads, conversations, messages } from '../conversations/conversations.tables.ts';
import type { ConversationRow } from '../conversations/conversations.repo.ts';
import { contactLabels, conversationLabels } from '../labels/labels.tables.ts';
import { notifications } from '../notifications/notifications.tables.ts';
import { contactNotes, contacts } from './contacts.tables.ts';
import type { ContactRow } from './contacts.repo.ts';

export const contactMergeRepo = (tx: Executor) => ({
  /** Locks the contacts in id order, so two merges of the same pair cannot deadlock. */
  async lockContacts(tenantId: string, ids: string[]): Promise<ContactRow[]> {
    return tx
      .select()
      .from(contacts)
      .where(and(eq(contacts.tenantId, tenantId), inArray(contacts.id, ids)))
      .orderBy(asc(contacts.id))
      .for('update');
  },
  /** Locks every conversation of the contacts, in id order. */
  async lockConversations(tenantId: string, contactIds: string[]): Promise<ConversationRow[]> {
    return tx
      .select()
      .from(conversations)
      .where(and(eq(conversations.tenantId, tenantId), inArray(conversations.contactId, contactIds)))
      .orderBy(asc(conversations.id))
      .for('update');
  },
  /**
   * Moves everything of conversation `fromId` into `intoId` (of contact `contactId`) and deletes
   * `fromId`: its messages, labels (deduplicated) and notifications. Read marks of the emptied
   * conversation are dropped. Returns how many messages moved.
   */
  async foldConversation(
    tenantId: string,
    fromId: string,
    intoId: string,
    contactId: string,
  ): Promise<number> {
    const moved = await tx
      .update(messages)
      .set({ conversationId: intoId, contactId })
      .where(and(eq(messages.tenantId, tenantId), eq(messages.conversationId, fromId)))
      .returning({ id: messages.id });
    await tx.execute(sql`
      insert into ${conversationLabels} (tenant_id, conversation_id, label_id, created_at)
      select tenant_id, ${intoId}::uuid, label_id, created_at from ${conversationLabels}
      where tenant_id = ${tenantId}::uuid and conversation_id = ${fromId}::uuid
      on conflict do nothing`);
    await tx
      .delete(conversationLabels)
      .where(and(eq(conversationLabels.tenantId, tenantId), eq(conversationLabels.conversationId, fromId)));
    await tx
      .delete(conversationReads)
      .where(and(eq(conversationReads.tenantId, tenantId), eq(conversationReads.conversationId, fromId)));
    await tx
      .update(notifications)
      .set({ conversationId: intoId })
      .where(and(eq(notifications.tenantId, tenantId), eq(notifications.conversationId, fromId)));
    await tx
      .delete(conversations)
      .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, fromId)));
    return moved.length;
  },
  /** Gives the source's remaining conversations and messages to the target. */
  async moveConversations(
    tenantId: string,
    fromContact: string,
    toContact: string,
    now: Date,
  ): Promise<number> {
    const moved = await tx
      .update(messages)
      .set({ contactId: toContact })
      .where(and(eq(messages.tenantId, tenantId), eq(messages.contactId, fromContact)))
      .returning({ id: messages.id });
    await tx
      .update(conversations)
      .set({ contactId: toContact, updatedAt: now })
      .where(and(eq(conversations.tenantId, tenantId), eq(conversations.contactId, fromContact)));
    return moved.length;
  },
  /** The source's labels onto the target (each once), and its notes. */
  async moveLabelsAndNotes(tenantId: string, fromContact: string, toContact: string): Promise<number> {
    await tx.execute(sql`
      insert into ${contactLabels} (tenant_id, contact_id, label_id, created_at)
      select tenant_id, ${toContact}::uuid, label_id, created_at from ${contactLabels}
      where tenant_id = ${tenantId}::uuid and contact_id = ${fromContact}::uuid
      on conflict do nothing`);
    await tx
      .delete(contactLabels)
      .where(and(eq(contactLabels.tenantId, tenantId), eq(contactLabels.contactId, fromContact)));
    const notes = await tx
      .update(contactNotes)
      .set({ contactId: toContact })
      .where(and(eq(contactNotes.tenantId, tenantId), eq(contactNotes.contactId, fromContact)))
      .returning({ id: contactNotes.id });
    return notes.length;
  },
  async deleteContact(tenantId: string, id: string): Promise<void> {
    await tx.delete(contacts).where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, id)));
  },
});
