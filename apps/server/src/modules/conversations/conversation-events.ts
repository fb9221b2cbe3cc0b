// Realtime events of conversations and messages: what a client sees of each. Recorded with
// `recordEvents` in the transaction of the change, published after commit.
import type { NewRealtimeEvent } from '../../platform/realtime/realtime-events.ts';
import type { ConversationRow, MessageRow } from './conversations.repo.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A message as realtime clients see it (the same fields as the message history). */
export function messageView(m: MessageRow) {
  return {
    id: m.id,
    conversationId: m.conversationId,
    contactId: m.contactId,
    numberId: m.numberId,
    direction: m.direction,
    type: m.type,
    content: m.content,
    externalId: m.externalId,
    status: m.status,
    errorCode: m.errorCode,
    errorTitle: m.errorTitle,
    replyToExternalId: m.replyToExternalId,
    forwarded: m.forwarded,
    reactions: m.reactions,
    senderUserId: m.senderUserId,
    occurredAt: m.occurredAt.toISOString(),
    statusAt: iso(m.statusAt),
  };
}

export function conversationView(c: ConversationRow) {
  return {
    id: c.id,
    contactId: c.contactId,
    numberId: c.numberId,
    status: c.status,
    snoozedUntil: iso(c.snoozedUntil),
    assigneeId: c.assigneeId,
    teamId: c.teamId,
    priority: c.priority,
    lastMessageAt: c.lastMessageAt.toISOString(),
    windowExpiresAt: iso(c.windowExpiresAt),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    resolvedAt: iso(c.resolvedAt),
  };
}

const later = (a: Date | null, b: Date) => (a && a > b ? a : b);

/**
 * The conversation after an inbound message at `at`, as `recordInboundActivity` leaves it (its
 * clocks only move forward), without reading it back.
 */
export function afterInbound(c: ConversationRow, at: Date, now: Date): ConversationRow {
  return {
    ...c,
    lastMessageAt: later(c.lastMessageAt, at),
    lastInboundAt: later(c.lastInboundAt, at),
    lastInboundStoredAt: later(c.lastInboundStoredAt, now),
    windowExpiresAt: later(c.windowExpiresAt, new Date(at.getTime() + 24 * 3600_000)),
    updatedAt: now,
  };
}

export const conversationCreated = (c: ConversationRow): NewRealtimeEvent => ({
  type: 'conversation.created',
  conversationId: c.id,
  data: conversationView(c),
});

export const conversationUpdated = (c: ConversationRow): NewRealtimeEvent => ({
  type: 'conversation.updated',
  conversationId: c.id,
  data: conversationView(c),
});

export const messageCreated = (m: MessageRow): NewRealtimeEvent => ({
  type: 'message.created',
  conversationId: m.conversationId,
  data: messageView(m),
});

export const messageUpdated = (m: MessageRow): NewRealtimeEvent => ({
  type: 'message.updated',
  conversationId: m.conversationId,
  data: messageView(m),
});
