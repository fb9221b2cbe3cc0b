// What in the realtime stream deserves the user's attention while they look elsewhere: a mention,
// a conversation assigned to them, a new conversation, and (for the sound) a customer's message in
// a conversation assigned to them. Pure: the caller decides how to alert.
import type { RealtimeEvent } from '../../lib/realtime/frames';

export type AttentionKind = 'mention' | 'assignment' | 'new_conversation';

export type Attention =
  | {
      kind: AttentionKind;
      conversationId: string | null;
      actorUserId: string | null;
      preview: string | null;
    }
  | { kind: 'message'; conversationId: string };

/** Events older than this are a replay after a reconnection, not news. */
export const STALE_AFTER_MS = 2 * 60_000;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const notificationKinds: readonly string[] = ['mention', 'assignment', 'new_conversation'];

/**
 * A new conversation is announced by its `new_conversation` notification, which the server sends
 * to the number's team (or everyone on the inbox) only, not by every `conversation.created`.
 *
 * Follows who each conversation is assigned to (every conversation event carries it, and the
 * server sends one before the first message of a conversation in each batch), and turns events
 * into attentions for `userId`.
 */
export function createAttentionTracker(userId: string) {
  const assignees = new Map<string, string | null>();

  function read(event: RealtimeEvent, now: Date): Attention[] {
    const { type, conversationId, data } = event;
    if (
      conversationId !== null &&
      (type === 'conversation.created' || type === 'conversation.updated' || type === 'conversation.assigned')
    ) {
      assignees.set(conversationId, str(data['assigneeId']));
    }
    const at = Date.parse(event.occurredAt);
    if (!Number.isNaN(at) && now.getTime() - at > STALE_AFTER_MS) return [];

    if (type === 'notification.created') {
      const kind = str(data['kind']);
      if (kind === null || !notificationKinds.includes(kind) || data['readAt'] != null) return [];
      return [
        {
          kind: kind as AttentionKind,
          conversationId: str(data['conversationId']) ?? conversationId,
          actorUserId: str(data['actorUserId']),
          preview: str(data['preview']),
        },
      ];
    }
    if (
      type === 'message.created' &&
      conversationId !== null &&
      data['direction'] === 'inbound' &&
      assignees.get(conversationId) === userId
    ) {
      return [{ kind: 'message', conversationId }];
    }
    return [];
  }

  return { read };
}

/** A desktop notification only helps when the user is not looking at the app. */
export function isAway(visibility: DocumentVisibilityState, focused: boolean): boolean {
  return visibility !== 'visible' || !focused;
}

const COUNTED = /^\(\d[^)]*\) /;

/**
 * The tab's title with the unread count in front: "(3) Settings · Switchboard". A page that
 * already counts something in its title (the inbox counts unread conversations) keeps its own.
 */
export function titleWithCount(title: string, count: number, formattedCount: string): string {
  if (count <= 0 || COUNTED.test(title)) return title;
  return `(${formattedCount}) ${title}`;
}
