// Records what WhatsApp clients send: one stored message per WhatsApp message id, in the right
// contact's conversation, with the conversation's clocks moved forward. Work for one contact is
// serialized by a transaction-scoped advisory lock, so concurrent webhooks for the same client
// can neither create two conversations nor interleave their updates.
//
// The webhook intake records a whole batch of a tenant's messages and statuses in one transaction
// (`recordBatch`): the locks of every sender first, then the items in order, with consecutive plain
// messages stored by a handful of set-wise statements whatever their number, then the realtime
// events of the batch, and one notice after commit.
import type { Clock } from '../../platform/clock.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import type { RealtimeBus } from '../../platform/realtime/realtime-bus.ts';
import type { NewRealtimeEvent } from '../../platform/realtime/realtime-events.ts';
import { recordEvents } from '../../platform/realtime/realtime.repo.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { contactsRepo, type ContactIdentity, type ContactRow } from '../contacts/contacts.repo.ts';
import { contactDirectory, insertContacts, lockContact, resolveContact, toE164 } from './inbound-contact.ts';
import type { NormalizedInbound } from '../whatsapp/normalize.ts';
import {
  applyEffects,
  applyStatus,
  lockStatusTargets,
  type StatusOutcome,
  type StatusUpdate,
} from './inbound-effects.ts';
import { notifyAssignee, routeNewConversation } from '../teams/round-robin.ts';
import { notifyNewConversation } from '../notifications/notifications.service.ts';
import { autoRepliesFor } from '../outbound/auto-replies.ts';
import { queueMessage } from '../outbound/queue-message.ts';
import { numbersRepo } from '../whatsapp/numbers.repo.ts';
import {
  afterInbound,
  conversationCreated,
  conversationUpdated,
  messageCreated,
  messageUpdated,
} from './conversation-events.ts';
import {
  conversationsRepo,
  messagesRepo,
  type ConversationRow,
  type MessageRow,
} from './conversations.repo.ts';

export interface InboundSender {
  waId: string | null;
  userId: string | null;
  username: string | null;
  profileName: string | null;
}

export interface InboundResult {
  duplicate: boolean;
  message?: MessageRow;
  conversation?: ConversationRow;
  contact?: ContactRow;
  /** The number's automatic messages (greeting, away, auto-reply) the message queued. */
  autoReplies?: MessageRow[];
}

/** One thing a webhook told a tenant, for `recordBatch`. */
export type InboundItem =
  | { kind: 'message'; numberId: string; sender: InboundSender; message: NormalizedInbound }
  | { kind: 'status'; update: StatusUpdate };

export type InboundItemResult =
  { kind: 'message'; result: InboundResult } | { kind: 'status'; outcome: StatusOutcome };

type MessageItem = Extract<InboundItem, { kind: 'message' }>;

/**
 * Message types that act on other rows (their target message, the contact): recorded one at a
 * time, in order. Every other type only adds itself and moves its conversation's clocks.
 */
const EFFECT_TYPES = new Set(['reaction', 'revoke', 'edit', 'system']);
const isPlain = (item: InboundItem): item is MessageItem =>
  item.kind === 'message' && !EFFECT_TYPES.has(item.message.type);

/** The ids that lock a sender: WhatsApp id and business-scoped user id. */
function senderKeys(sender: InboundSender, externalId: string): string[] {
  const keys = [sender.waId, sender.userId].filter((k): k is string => Boolean(k));
  if (keys.length === 0) throw new Error(`inbound message ${externalId} has no sender id`);
  return keys;
}

/** The sender as a contact identity; its E.164 form is worked out only if a write needs it. */
/** As the notification list names a contact: their name, else profile name, else phone. */
function displayName(contact: ContactRow): string | null {
  return (
    contact.name ??
    contact.profileName ??
    contact.phoneE164 ??
    (contact.waId === null ? null : `+${contact.waId}`)
  );
}

function identityOf(sender: InboundSender): ContactIdentity {
  let phoneE164: string | null | undefined;
  return {
    waId: sender.waId,
    get phoneE164() {
      phoneE164 ??= toE164(sender.waId);
      return phoneE164;
    },
    userId: sender.userId,
    username: sender.username,
    profileName: sender.profileName,
  };
}

export function createInboundService(deps: {
  database: Database;
  clock: Clock;
  /** Told after commit that a tenant has new realtime events. */
  realtime: Pick<RealtimeBus, 'publish'>;
  /** Told after commit that automatic messages were queued (wakes the delivery worker). */
  onOutboundQueued?: () => void;
}) {
  const { database, clock, realtime } = deps;

  /** Announces committed events (seq 0: none) and queued automatic messages. */
  function published<T>({ result, seq }: { result: T; seq: number }, tenantId: string): T {
    if (seq > 0) realtime.publish({ tenantId, seq });
    const results = (Array.isArray(result) ? result : [result]) as unknown[];
    const queued = results.some((r) => {
      const recorded = (r as { result?: InboundResult }).result ?? (r as InboundResult);
      return (recorded.autoReplies?.length ?? 0) > 0;
    });
    if (queued) deps.onOutboundQueued?.();
    return result;
  }

  /**
   * Queues the number's automatic messages for a conversation an inbound message just opened
   * (new, or reopened after resolution), after that message.
   */
  async function queueAutoReplies(
    tx: Executor,
    tenantId: string,
    conversation: ConversationRow,
    contactIsNew: boolean,
    events: NewRealtimeEvent[],
  ): Promise<MessageRow[]> {
    const number = await numbersRepo(tx).findById(tenantId, conversation.numberId);
    if (!number) return [];
    const now = clock.now();
    const queued: MessageRow[] = [];
    for (const reply of autoRepliesFor(number, { contactIsNew }, now)) {
      const draft = {
        conversation,
        type: 'text',
        content: { body: reply.body, auto: reply.kind },
        senderUserId: null,
      };
      queued.push(await queueMessage(tx, tenantId, draft, now, events));
    }
    return queued;
  }

  /**
   * Finds the conversation a new inbound message belongs to: the active one, else the latest,
   * reopened. `change` says whether the conversation is new, or changed status. A contact created
   * in this transaction (`contactIsNew`) has no conversation to look for.
   */
  async function conversationFor(
    tx: Executor,
    tenantId: string,
    contact: ContactRow,
    numberId: string,
    at: Date,
    contactIsNew = false,
  ): Promise<{
    conversation: ConversationRow;
    change: 'created' | 'updated' | null;
    /** New, or reopened after resolution: the number's automatic messages are owed. */
    opened?: boolean;
    /** Events of a round-robin assignment, for recordInbound to record with the rest. */
    assignment?: NewRealtimeEvent[];
    /** Events of the new-conversation notifications, likewise. */
    announcement?: NewRealtimeEvent[];
  }> {
    const repo = conversationsRepo(tx);
    const now = clock.now();
    const active = contactIsNew ? undefined : await repo.findActive(tenantId, contact.id, numberId);
    if (active) {
      // An inbound message wakes a pending or snoozed conversation.
      if (active.status === 'open') return { conversation: active, change: null };
      await repo.update(tenantId, active.id, { status: 'open', snoozedUntil: null, updatedAt: now });
      return { conversation: { ...active, status: 'open', snoozedUntil: null }, change: 'updated' };
    }
    const resolved = contactIsNew ? undefined : await repo.findLatestResolved(tenantId, contact.id, numberId);
    if (resolved) {
      await repo.update(tenantId, resolved.id, { status: 'open', resolvedAt: null, updatedAt: now });
      return {
        conversation: { ...resolved, status: 'open', resolvedAt: null },
        change: 'updated',
        opened: true,
      };
    }
    // A new conversation goes to the number's default team, and round robin picks its agent.
    const { teamId, assigneeId, numberPurpose } = await routeNewConversation(tx, tenantId, numberId, now);
    const created = await repo.insert(tenantId, {
      id: uuidv7(now.getTime()),
      contactId: contact.id,
      numberId,
      status: 'open',
      teamId,
      assigneeId,
      lastMessageAt: at,
      createdAt: now,
      updatedAt: now,
    });
    const assignment = assigneeId
      ? await notifyAssignee(tx, tenantId, { conversationId: created.id, assigneeId, actorUserId: null }, now)
      : [];
    // The team (or, without one, everyone on the inbox) hears of it; the assignee through `assignment`.
    const announcement = await notifyNewConversation(
      tx,
      tenantId,
      {
        conversationId: created.id,
        teamId,
        assigneeId,
        context: { contactName: displayName(contact), numberPurpose },
      },
      now,
    );
    return { conversation: created, change: 'created', opened: true, assignment, announcement };
  }

  /**
   * One inbound message inside the caller's transaction, whose contact locks it holds. Appends
   * the realtime events to `events` for the caller to record last.
   */
  async function recordOne(
    tx: Executor,
    tenantId: string,
    numberId: string,
    sender: InboundSender,
    message: NormalizedInbound,
    events: NewRealtimeEvent[],
  ): Promise<InboundResult> {
    const none = { duplicate: true };
    const messages = messagesRepo(tx);
    if (message.externalId && (await messages.findByExternalId(tenantId, message.externalId))) return none;

    const now = clock.now();
    let contactIsNew = false;
    const contact = await resolveContact(
      tx,
      tenantId,
      identityOf(sender),
      now,
      contactsRepo(tx),
      (_row, before) => {
        contactIsNew = before === undefined;
      },
    );
    const {
      conversation,
      change,
      opened,
      assignment = [],
      announcement = [],
    } = await conversationFor(tx, tenantId, contact, numberId, message.occurredAt, contactIsNew);
    const stored = await messages.insertUnlessDuplicate(tenantId, {
      id: uuidv7(now.getTime()),
      conversationId: conversation.id,
      contactId: contact.id,
      numberId,
      direction: 'inbound',
      type: message.type,
      content: message.content,
      raw: message.raw,
      externalId: message.externalId || null,
      status: 'received',
      replyToExternalId: message.replyToExternalId,
      forwarded: message.forwarded,
      frequentlyForwarded: message.frequentlyForwarded,
      referral: message.referral,
      occurredAt: message.occurredAt,
      createdAt: now,
    });
    if (!stored) return none;
    const changed = await applyEffects(tx, tenantId, contact, message, now);
    await conversationsRepo(tx).recordInboundActivity(tenantId, conversation.id, message.occurredAt, now);

    const current = afterInbound(conversation, message.occurredAt, now);
    if (change === 'created') events.push(conversationCreated(current));
    if (change === 'created' && current.assigneeId)
      events.push({ ...conversationUpdated(current), type: 'conversation.assigned' }, ...assignment);
    if (change === 'created') events.push(...announcement);
    if (change === 'updated') events.push(conversationUpdated(current));
    events.push(messageCreated(stored));
    if (changed) events.push(messageUpdated(changed));
    const autoReplies = opened ? await queueAutoReplies(tx, tenantId, current, contactIsNew, events) : [];
    return { duplicate: false, message: stored, conversation, contact, autoReplies };
  }

  async function recordInbound(
    tenantId: string,
    numberId: string,
    sender: InboundSender,
    message: NormalizedInbound,
  ): Promise<InboundResult> {
    const keys = senderKeys(sender, message.externalId);
    const outcome = await database.tenant(tenantId, async (tx) => {
      await lockContact(tx, tenantId, keys);
      const events: NewRealtimeEvent[] = [];
      const result = await recordOne(tx, tenantId, numberId, sender, message, events);
      return { result, seq: await recordEvents(tx, tenantId, events, clock.now()) };
    });
    return published(outcome, tenantId);
  }

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

  /**
   * A tenant's items from webhooks, in order, in one transaction: the same outcome as recording
   * each on its own (`recordInbound`, `recordStatus`) one after another. It locks every sender
   * first (see lockContact), so it may hold many clients for its duration: callers keep batches
   * to a few hundred items. Throws when any item fails, having changed nothing.
   */
  async function recordBatch(tenantId: string, items: InboundItem[]): Promise<InboundItemResult[]> {
    const keys = items.flatMap((i) =>
      i.kind === 'message' ? senderKeys(i.sender, i.message.externalId) : [],
    );
    // Consecutive plain messages go together; anything else on its own, in order.
    const segments: ({ kind: 'run'; run: MessageItem[] } | { kind: 'one'; item: InboundItem })[] = [];
    for (const item of items) {
      const last = segments.at(-1);
      if (!isPlain(item)) segments.push({ kind: 'one', item });
      else if (last?.kind === 'run') last.run.push(item);
      else segments.push({ kind: 'run', run: [item] });
    }
    const outcome = await database.tenant(tenantId, async (tx) => {
      await lockContact(tx, tenantId, keys);
      await lockStatusTargets(
        tx,
        tenantId,
        items.flatMap((i) => (i.kind === 'status' ? [i.update] : [])),
      );
      const events: NewRealtimeEvent[] = [];
      const results: InboundItemResult[] = [];
      for (const segment of segments) {
        if (segment.kind === 'run') {
          const recorded = await recordRun(tx, tenantId, segment.run, events);
          results.push(...recorded.map((result) => ({ kind: 'message' as const, result })));
        } else if (segment.item.kind === 'message') {
          const { numberId, sender, message } = segment.item;
          const result = await recordOne(tx, tenantId, numberId, sender, message, events);
          results.push({ kind: 'message', result });
        } else {
          const applied = await applyStatus(tx, tenantId, segment.item.update, clock.now());
          events.push(...applied.events);
          results.push({ kind: 'status', outcome: applied.outcome });
        }
      }
      return { result: results, seq: await recordEvents(tx, tenantId, events, clock.now()) };
    });
    return published(outcome, tenantId);
  }

  async function recordStatus(tenantId: string, update: StatusUpdate): Promise<StatusOutcome> {
    const outcome = await database.tenant(tenantId, async (tx) => {
      const { outcome, events } = await applyStatus(tx, tenantId, update, clock.now());
      return { result: outcome, seq: await recordEvents(tx, tenantId, events, clock.now()) };
    });
    return published(outcome, tenantId);
  }

  return { recordInbound, recordBatch, recordStatus };
}

export type InboundService = ReturnType<typeof createInboundService>;
