// What realtime clients receive. Durable events are rows of `realtime_events`, recorded in the
// transaction of the change they describe; `typing` is ephemeral and never stored.
import type { TenantPrincipal } from '../auth/principal.ts';

export const durableEventTypes = [
  'message.created',
  'message.updated',
  'conversation.created',
  'conversation.updated',
  'conversation.assigned',
  'note.created',
  'notification.created',
] as const;
export type DurableEventType = (typeof durableEventTypes)[number];
export type EphemeralEventType = 'typing';

/** An event to record: its type, the conversation it concerns (if any) and its view. */
export interface NewRealtimeEvent {
  type: DurableEventType;
  conversationId: string | null;
  data: Record<string, unknown>;
  /** Set for an event meant for one user only (a notification). */
  recipientUserId?: string | null;
}

/** A frame sent to a socket. `seq` is the replay cursor; null for ephemeral events (typing). */
export interface RealtimeFrame {
  seq: number | null;
  /** Not sent: the gateway uses it to pick the one socket owner it is for. */
  recipientUserId?: string | null;
  type: DurableEventType | EphemeralEventType;
  conversationId: string | null;
  data: Record<string, unknown>;
  occurredAt: string;
}

/**
 * The one visibility rule: whether this principal may receive this event. Callers have already
 * matched the tenant. An event with a recipient goes to that user only. Otherwise every user and
 * key of an organization with `conversations.read` sees every conversation; teams and
 * confidential conversations narrow it here.
 */
export function mayReceive(
  principal: TenantPrincipal,
  event: Pick<RealtimeFrame, 'type' | 'conversationId' | 'recipientUserId'>,
): boolean {
  if (event.recipientUserId) return principal.kind === 'user' && principal.userId === event.recipientUserId;
  return principal.permissions.has('conversations.read') || event.conversationId === null;
}
