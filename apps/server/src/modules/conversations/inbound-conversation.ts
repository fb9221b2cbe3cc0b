// The conversation an inbound message goes to: its contact's active one, else the latest, reopened,
// else a new one, which goes to the number's default team (round robin picks its agent) and is
// announced in notifications; and the number's automatic messages for a conversation the message
// opened. Run inside the inbound service's transaction (inbound.service.ts, inbound-run.ts).
import type { Clock } from '../../platform/clock.ts';
import type { Executor } from '../../platform/db/database.ts';
import type { NewRealtimeEvent } from '../../platform/realtime/realtime-events.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import type { ContactRow } from '../contacts/contacts.repo.ts';
import { notifyAssignee, routeNewConversation } from '../teams/round-robin.ts';
import { notifyNewConversation } from '../notifications/notifications.service.ts';
import { autoRepliesFor } from '../outbound/auto-replies.ts';
import { queueMessage } from '../outbound/queue-message.ts';
import { numbersRepo } from '../whatsapp/numbers.repo.ts';
import { conversationsRepo, type ConversationRow, type MessageRow } from './conversations.repo.ts';

/** As the notification list names a contact: their name, else profile name, else phone. */
function displayName(contact: ContactRow): string | null {
  return (
    contact.name ??
    contact.profileName ??
    contact.phoneE164 ??
    (contact.waId === null ? null : `+${contact.waId}`)
  );
}

export function inboundConversations(clock: Clock) {
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

  return { conversationFor, queueAutoReplies };
}

export type InboundConversations = ReturnType<typeof inboundConversations>;
