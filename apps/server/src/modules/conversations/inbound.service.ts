// Records what WhatsApp clients send: one stored message per WhatsApp message id, in the right
// contact's conversation, with the conversation's clocks moved forward. Work for one contact is
// serialized by a transaction-scoped advisory lock, so concurrent webhooks for the same client
// can neither create two conversations nor interleave their updates.
import type { Clock } from '../../platform/clock.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import type { RealtimeBus } from '../../platform/realtime/realtime-bus.ts';
import type { NewRealtimeEvent } from '../../platform/realtime/realtime-events.ts';
import { recordEvents } from '../../platform/realtime/realtime.repo.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { contactsRepo, type ContactIdentity, type ContactRow } from '../contacts/contacts.repo.ts';
import { lockContact, resolveContact, toE164 } from './inbound-contact.ts';
import type { NormalizedInbound } from '../whatsapp/normalize.ts';
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
  pendingStatusesRepo,
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
}

export type StatusOutcome = 'applied' | 'ignored' | 'pending';

export interface StatusUpdate {
  externalId: string;
  status: string;
  occurredAt: Date;
  errorCode?: string | undefined;
  errorTitle?: string | undefined;
  payload: Record<string, unknown>;
}

/** sent < delivered < read; `failed` is terminal. Anything else (e.g. `played`) moves nothing. */
const RANK: Record<string, number> = { queued: 0, unknown: 0, sent: 1, delivered: 2, read: 3 };

export { toE164 };

export function createInboundService(deps: {
  database: Database;
  clock: Clock;
  /** Told after commit that a tenant has new realtime events. */
  realtime: Pick<RealtimeBus, 'publish'>;
}) {
  const { database, clock, realtime } = deps;

  /** Announces committed events (seq 0: none). */
  function published<T>({ result, seq }: { result: T; seq: number }, tenantId: string): T {
    if (seq > 0) realtime.publish({ tenantId, seq });
    return result;
  }

  /**
   * Finds the conversation a new inbound message belongs to: the active one, else the latest,
   * reopened. `change` says whether the conversation is new, or changed status.
   */
  async function conversationFor(
    tx: Executor,
    tenantId: string,
    contact: ContactRow,
    numberId: string,
    at: Date,
  ): Promise<{ conversation: ConversationRow; change: 'created' | 'updated' | null }> {
    const repo = conversationsRepo(tx);
    const now = clock.now();
    const active = await repo.findActive(tenantId, contact.id, numberId);
    if (active) {
      // An inbound message wakes a pending or snoozed conversation.
      if (active.status === 'open') return { conversation: active, change: null };
      await repo.update(tenantId, active.id, { status: 'open', snoozedUntil: null, updatedAt: now });
      return { conversation: { ...active, status: 'open', snoozedUntil: null }, change: 'updated' };
    }
    const resolved = await repo.findLatestResolved(tenantId, contact.id, numberId);
    if (resolved) {
      await repo.update(tenantId, resolved.id, { status: 'open', resolvedAt: null, updatedAt: now });
      return { conversation: { ...resolved, status: 'open', resolvedAt: null }, change: 'updated' };
    }
    const created = await repo.insert(tenantId, {
      id: uuidv7(now.getTime()),
      contactId: contact.id,
      numberId,
      status: 'open',
      lastMessageAt: at,
      createdAt: now,
      updatedAt: now,
    });
    return { conversation: created, change: 'created' };
  }

  /**
   * Side effects of message types that act on other messages or on the contact. Returns the
   * message it changed, if any.
   */
  async function applyEffects(
    tx: Executor,
    tenantId: string,
    contact: ContactRow,
    message: NormalizedInbound,
  ): Promise<MessageRow | undefined> {
    const messages = messagesRepo(tx);
    const target = async () => {
      const id = message.content['targetExternalId'];
      return typeof id === 'string' && id ? messages.findByExternalId(tenantId, id) : undefined;
    };
    switch (message.type) {
      case 'reaction': {
        const t = await target();
        if (!t) return;
        const reactor = contact.waId ?? contact.userId ?? contact.id;
        const emoji = message.content['emoji'];
        const others = Object.entries(t.reactions).filter(([who]) => who !== reactor);
        const reactions = Object.fromEntries(
          typeof emoji === 'string' ? [...others, [reactor, emoji]] : others,
        );
        await messages.update(tenantId, t.id, { reactions });
        return { ...t, reactions };
      }
      case 'revoke': {
        const t = await target();
        if (!t) return;
        const content = { ...t.content, revoked: true };
        await messages.update(tenantId, t.id, { content });
        return { ...t, content };
      }
      case 'edit': {
        const t = await target();
        const edited = message.content['message'] as { content?: Record<string, unknown> } | undefined;
        if (!t || !edited?.content) return;
        const content = { ...t.content, ...edited.content, edited: true };
        await messages.update(tenantId, t.id, { content });
        return { ...t, content };
      }
      case 'system': {
        const newWaId = message.content['newWaId'];
        if (
          message.content['systemType'] === 'user_changed_number' &&
          typeof newWaId === 'string' &&
          newWaId
        ) {
          const taken = await contactsRepo(tx).findByWaId(tenantId, newWaId);
          if (!taken)
            await contactsRepo(tx).changeWaId(tenantId, contact.id, newWaId, toE164(newWaId), clock.now());
        }
        return;
      }
      default:
        return;
    }
  }

  async function recordInbound(
    tenantId: string,
    numberId: string,
    sender: InboundSender,
    message: NormalizedInbound,
  ): Promise<InboundResult> {
    const keys = [sender.waId, sender.userId].filter((k): k is string => Boolean(k));
    if (keys.length === 0) throw new Error(`inbound message ${message.externalId} has no sender id`);
    const outcome = await database.tenant(tenantId, async (tx) => {
      const none = { result: { duplicate: true }, seq: 0 };
      await lockContact(tx, tenantId, keys);
      const messages = messagesRepo(tx);
      if (message.externalId && (await messages.findByExternalId(tenantId, message.externalId))) return none;

      const now = clock.now();
      const identity: ContactIdentity = {
        waId: sender.waId,
        phoneE164: toE164(sender.waId),
        userId: sender.userId,
        username: sender.username,
        profileName: sender.profileName,
      };
      const contact = await resolveContact(tx, tenantId, identity, now);
      const { conversation, change } = await conversationFor(
        tx,
        tenantId,
        contact,
        numberId,
        message.occurredAt,
      );
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
      const changed = await applyEffects(tx, tenantId, contact, message);
      await conversationsRepo(tx).recordInboundActivity(tenantId, conversation.id, message.occurredAt, now);

      const events: NewRealtimeEvent[] = [];
      const current = afterInbound(conversation, message.occurredAt, now);
      if (change === 'created') events.push(conversationCreated(current));
      if (change === 'updated') events.push(conversationUpdated(current));
      events.push(messageCreated(stored));
      if (changed) events.push(messageUpdated(changed));
      const seq = await recordEvents(tx, tenantId, events, now);
      return { result: { duplicate: false, message: stored, conversation, contact }, seq };
    });
    return published(outcome, tenantId);
  }

  /**
   * Applies a status monotonically; keeps it for later when the message is not stored yet. Returns
   * the realtime events of the change for the caller to record last in its transaction.
   */
  async function applyStatus(
    tx: Executor,
    tenantId: string,
    update: StatusUpdate,
  ): Promise<{ outcome: StatusOutcome; events: NewRealtimeEvent[] }> {
    const messages = messagesRepo(tx);
    const message = await messages.findByExternalId(tenantId, update.externalId);
    if (!message) {
      await pendingStatusesRepo(tx).insert(tenantId, {
        id: uuidv7(),
        externalId: update.externalId,
        status: update.status,
        payload: update.payload,
        occurredAt: update.occurredAt,
        createdAt: clock.now(),
      });
      return { outcome: 'pending', events: [] };
    }
    const ignored = { outcome: 'ignored' as const, events: [] };
    if (message.status === 'failed') return ignored;
    let patch: Partial<MessageRow>;
    if (update.status === 'failed') {
      patch = {
        status: 'failed',
        errorCode: update.errorCode ?? null,
        errorTitle: update.errorTitle ?? null,
        statusAt: update.occurredAt,
      };
    } else {
      const next = RANK[update.status];
      if (next === undefined || next <= (RANK[message.status] ?? 0)) return ignored;
      patch = { status: update.status as MessageRow['status'], statusAt: update.occurredAt };
    }
    await messages.update(tenantId, message.id, patch);
    return { outcome: 'applied', events: [messageUpdated({ ...message, ...patch })] };
  }

  async function recordStatus(tenantId: string, update: StatusUpdate): Promise<StatusOutcome> {
    const outcome = await database.tenant(tenantId, async (tx) => {
      const { outcome, events } = await applyStatus(tx, tenantId, update);
      return { result: outcome, seq: await recordEvents(tx, tenantId, events, clock.now()) };
    });
    return published(outcome, tenantId);
  }

  return { recordInbound, recordStatus, applyStatus };
}

export type InboundService = ReturnType<typeof createInboundService>;
