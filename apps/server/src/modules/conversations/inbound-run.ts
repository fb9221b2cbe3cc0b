// Consecutive plain messages of a webhook batch (`recordBatch` in inbound.service.ts), recorded
// with the outcome recording each on its own would give, in a handful of set-wise statements
// whatever their number. Run inside the batch's transaction.
import type { Clock } from '../../platform/clock.ts';
import type { Executor } from '../../platform/db/database.ts';
import type { NewRealtimeEvent } from '../../platform/realtime/realtime-events.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import type { ContactIdentity, ContactRow } from '../contacts/contacts.repo.ts';
import { contactDirectory, identityOf, insertContacts, resolveContact } from './inbound-contact.ts';
import type { InboundConversations } from './inbound-conversation.ts';
import type { InboundResult, MessageItem } from './inbound.service.ts';
import {
  afterInbound,
  conversationCreated,
  conversationUpdated,
  messageCreated,
} from './conversation-events.ts';
import { conversationsRepo, messagesRepo, type MessageRow } from './conversations.repo.ts';

export function inboundRuns(clock: Clock, conversations: InboundConversations) {
  const { conversationFor, queueAutoReplies } = conversations;

  /**
   * Consecutive plain messages inside the caller's transaction (which holds their senders' locks),
   * with the outcome `recordOne` would give each in turn, in a fixed number of statements in the
   * usual case (known contacts writing in open conversations): their duplicates, their contacts,
   * their open conversations, every message in one INSERT, every conversation's clocks in one
   * UPDATE. New contacts and conversations, reopenings and profile changes still take their own
   * statements, made by the same functions as `recordOne`'s.
   */
  async function recordRun(
    tx: Executor,
    tenantId: string,
    run: MessageItem[],
    events: NewRealtimeEvent[],
  ): Promise<InboundResult[]> {
    const now = clock.now();
    const messages = messagesRepo(tx);
    const results: InboundResult[] = run.map(() => ({ duplicate: true }));

    // Duplicates: stored before, or earlier in this run.
    const known = await messages.existingExternalIds(
      tenantId,
      run.map((i) => i.message.externalId).filter(Boolean),
    );
    const fresh: { index: number; item: MessageItem }[] = [];
    for (const [index, item] of run.entries()) {
      const externalId = item.message.externalId;
      if (externalId && known.has(externalId)) continue;
      if (externalId) known.add(externalId);
      fresh.push({ index, item });
    }
    if (fresh.length === 0) return results;

    // Contacts, in order, as recordOne resolves them, against one read of all of them.
    const present = (id: string | null): id is string => Boolean(id);
    const directory = await contactDirectory(
      tx,
      tenantId,
      fresh.map((f) => f.item.sender.waId).filter(present),
      fresh.map((f) => f.item.sender.userId).filter(present),
    );
    const created = new Set<string>();
    const remember = (row: ContactRow, before?: ContactRow) => {
      directory.remember(row, before);
      if (!before) created.add(row.id);
    };
    // Unknown senders in one INSERT, each as its first message here would have made it, when no
    // sender of the run has a business-scoped id (identities that may merge take the usual path).
    if (fresh.every((f) => !f.item.sender.userId)) {
      const unknown = new Map<string, ContactIdentity>();
      for (const { item } of fresh) {
        const waId = item.sender.waId;
        if (waId && !unknown.has(waId) && !(await directory.findByWaId(tenantId, waId))) {
          unknown.set(waId, identityOf(item.sender));
        }
      }
      for (const row of await insertContacts(tx, tenantId, [...unknown.values()], now)) remember(row);
    }
    const sent: { index: number; item: MessageItem; contact: ContactRow }[] = [];
    for (const f of fresh) {
      const contact = await resolveContact(tx, tenantId, identityOf(f.item.sender), now, directory, remember);
      sent.push({ ...f, contact });
    }

    // Conversations: an open one is used as it is; anything else goes through conversationFor,
    // once per contact and number (later messages find the conversation open, as in recordOne).
    type Route = Awaited<ReturnType<typeof conversationFor>> & { announced: boolean };
    const routes = new Map<string, Route>();
    const pair = (contactId: string, numberId: string) => `${contactId}:${numberId}`;
    // (A contact created here has none.)
    const existing = sent.filter((s) => !created.has(s.contact.id));
    const open = await conversationsRepo(tx).findOpenFor(
      tenantId,
      existing.map((s) => s.contact.id),
      existing.map((s) => s.item.numberId),
    );
    for (const c of open) {
      routes.set(pair(c.contactId, c.numberId), { conversation: c, change: null, announced: true });
    }
    const placed: { index: number; contact: ContactRow; route: Route; row: MessageRow }[] = [];
    for (const { index, item, contact } of sent) {
      const key = pair(contact.id, item.numberId);
      let route = routes.get(key);
      if (!route) {
        const found = await conversationFor(
          tx,
          tenantId,
          contact,
          item.numberId,
          item.message.occurredAt,
          created.has(contact.id),
        );
        route = { ...found, announced: false };
        routes.set(key, route);
      }
      const m = item.message;
      const row: MessageRow = {
        id: uuidv7(now.getTime()),
        tenantId,
        conversationId: route.conversation.id,
        contactId: contact.id,
        numberId: item.numberId,
        direction: 'inbound',
        type: m.type,
        content: m.content,
        raw: m.raw,
        externalId: m.externalId || null,
        status: 'received',
        errorCode: null,
        errorTitle: null,
        replyToExternalId: m.replyToExternalId,
        forwarded: m.forwarded,
        frequentlyForwarded: m.frequentlyForwarded,
        referral: m.referral,
        reactions: {},
        senderUserId: null,
        occurredAt: m.occurredAt,
        statusAt: null,
        createdAt: now,
      };
      placed.push({ index, contact, route, row });
    }

    // Every message in one statement; one that lost a race to its wamid is a duplicate.
    const inserted = await messages.insertManyUnlessDuplicate(
      tenantId,
      placed.map((p) => p.row),
    );
    const stored = placed.filter((p) => inserted.has(p.row.id));

    // Each conversation's clocks move to its latest new message.
    const latest = new Map<string, Date>();
    for (const { row } of stored) {
      const at = latest.get(row.conversationId);
      if (!at || row.occurredAt > at) latest.set(row.conversationId, row.occurredAt);
    }
    await conversationsRepo(tx).recordInboundActivityMany(
      tenantId,
      [...latest].map(([id, at]) => ({ id, at })),
      now,
    );

    // Events in message order, a conversation's change with its first stored message, and the
    // automatic messages of a conversation it opened after that message.
    for (const { index, contact, route, row } of stored) {
      let autoReplies: MessageRow[] = [];
      if (!route.announced) {
        route.announced = true;
        const current = afterInbound(route.conversation, row.occurredAt, now);
        if (route.change === 'created') events.push(conversationCreated(current));
        if (route.change === 'created' && current.assigneeId) {
          events.push(
            { ...conversationUpdated(current), type: 'conversation.assigned' },
            ...(route.assignment ?? []),
          );
        }
        if (route.change === 'created') events.push(...(route.announcement ?? []));
        if (route.change === 'updated') events.push(conversationUpdated(current));
        events.push(messageCreated(row));
        if (route.opened)
          autoReplies = await queueAutoReplies(tx, tenantId, current, created.has(contact.id), events);
      } else {
        events.push(messageCreated(row));
      }
      results[index] = {
        duplicate: false,
        message: row,
        conversation: route.conversation,
        contact,
        autoReplies,
      };
    }
    return results;
  }

  return { recordRun };
}
