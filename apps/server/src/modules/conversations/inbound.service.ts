// Records what WhatsApp clients send: one stored message per WhatsApp message id, in the right
// contact's conversation, with the conversation's clocks moved forward. Work for one contact is
// serialized by a transaction-scoped advisory lock, so concurrent webhooks for the same client
// can neither create two conversations nor interleave their updates.
//
// The webhook intake records a whole batch of a tenant's messages and statuses in one transaction
// (`recordBatch`): the locks of every sender first, then the items in order, with consecutive plain
// messages stored by a handful of set-wise statements whatever their number (inbound-run.ts), then
// the realtime events of the batch, and one notice after commit. Which conversation a message goes
// to, and what a new one sets off, is in inbound-conversation.ts.
import type { Clock } from '../../platform/clock.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import type { RealtimeBus } from '../../platform/realtime/realtime-bus.ts';
import type { NewRealtimeEvent } from '../../platform/realtime/realtime-events.ts';
import { recordEvents } from '../../platform/realtime/realtime.repo.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { contactsRepo, type ContactRow } from '../contacts/contacts.repo.ts';
import { identityOf, lockContact, resolveContact } from './inbound-contact.ts';
import type { NormalizedInbound } from '../whatsapp/normalize.ts';
import {
  applyEffects,
  applyStatus,
  applyStatuses,
  lockStatusTargets,
  type StatusOutcome,
  type StatusUpdate,
} from './inbound-effects.ts';
import { inboundConversations } from './inbound-conversation.ts';
import { inboundRuns } from './inbound-run.ts';
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

export type MessageItem = Extract<InboundItem, { kind: 'message' }>;

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

export function createInboundService(deps: {
  database: Database;
  clock: Clock;
  /** Told after commit that a tenant has new realtime events. */
  realtime: Pick<RealtimeBus, 'publish'>;
  /** Told after commit that automatic messages were queued (wakes the delivery worker). */
  onOutboundQueued?: () => void;
}) {
  const { database, clock, realtime } = deps;

  const conversations = inboundConversations(clock);
  const { conversationFor, queueAutoReplies } = conversations;
  const { recordRun } = inboundRuns(clock, conversations);

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
   * A tenant's items from webhooks, in order, in one transaction: the same outcome as recording
   * each on its own (`recordInbound`, `recordStatus`) one after another. It locks every sender
   * first (see lockContact), so it may hold many clients for its duration: callers keep batches
   * to a few hundred items. Throws when any item fails, having changed nothing.
   */
  async function recordBatch(tenantId: string, items: InboundItem[]): Promise<InboundItemResult[]> {
    const keys = items.flatMap((i) =>
      i.kind === 'message' ? senderKeys(i.sender, i.message.externalId) : [],
    );
    // Consecutive plain messages go together, and so do consecutive statuses; any other message on
    // its own, in order.
    const segments: (
      | { kind: 'run'; run: MessageItem[] }
      | { kind: 'statuses'; updates: StatusUpdate[] }
      | { kind: 'one'; item: MessageItem }
    )[] = [];
    for (const item of items) {
      const last = segments.at(-1);
      if (item.kind === 'status') {
        if (last?.kind === 'statuses') last.updates.push(item.update);
        else segments.push({ kind: 'statuses', updates: [item.update] });
      } else if (!isPlain(item)) segments.push({ kind: 'one', item });
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
        } else if (segment.kind === 'statuses') {
          const applied = await applyStatuses(tx, tenantId, segment.updates, clock.now());
          events.push(...applied.events);
          results.push(...applied.outcomes.map((outcome) => ({ kind: 'status' as const, outcome })));
        } else {
          const { numberId, sender, message } = segment.item;
          const result = await recordOne(tx, tenantId, numberId, sender, message, events);
          results.push({ kind: 'message', result });
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
