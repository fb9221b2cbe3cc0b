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
] as const;
export type DurableEventType = (typeof durableEventTypes)[number];
export type EphemeralEventType = 'typing';

/** An event to record: its type, the conversation it concerns (if any) and its view. */
export interface NewRealtimeEvent {
  type: DurableEventType;
  conversationId: string | null;
  data: Record<string, unknown>;
}

/** A frame sent to a socket. `seq` is the replay cursor; null for ephemeral events (typing). */
export interface RealtimeFrame {
  seq: number | null;
  type: DurableEventType | EphemeralEventType;
  conversationId: string | null;
  data: Record<string, unknown>;
  occurredAt: string;
}

/**
 * The one visibility rule: whether this principal may receive this event. Callers have already
 * matched the tenant. For now every user and key of an organization sees every conversation;
 * teams and confidential conversations narrow it here.
 */
export function mayReceive(
  principal: TenantPrincipal,
  event: Pick<RealtimeFrame, 'type' | 'conversationId'>,
): boolean {
  return principal.permissions.has('conversations.read') || event.conversationId === null;
}
