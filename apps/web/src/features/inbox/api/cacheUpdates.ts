// How realtime events and sends change the cached pages of TanStack Query, without a refetch:
// pure functions over the infinite-query data, so the ordering rules are unit-tested.
import type { InfiniteData } from '@tanstack/react-query';
import { compareMessages, previewOf } from '../messageModel';
import type { Conversation, Message, Page } from './types';

export type Pages<T> = InfiniteData<Page<T>>;

/** Most recent activity first, as the server lists them (ties by id, newest first). */
export function compareConversations(a: Conversation, b: Conversation): number {
  if (a.lastMessageAt !== b.lastMessageAt) return a.lastMessageAt > b.lastMessageAt ? -1 : 1;
  return a.id > b.id ? -1 : a.id < b.id ? 1 : 0;
}

/** Re-sorts the loaded rows and cuts them back into pages of the sizes they had. */
function resort(data: Pages<Conversation>, items: Conversation[]): Pages<Conversation> {
  items.sort(compareConversations);
  let offset = 0;
  const pages = data.pages.map((page) => {
    const slice = items.slice(offset, offset + page.items.length);
    offset += page.items.length;
    return { ...page, items: slice };
  });
  return { ...data, pages };
}

/** Merges changed fields into a loaded conversation and moves it to its place. Unchanged if absent. */
export function patchConversation(
  data: Pages<Conversation> | undefined,
  conversationId: string,
  patch: (current: Conversation) => Conversation,
): Pages<Conversation> | undefined {
  if (data === undefined) return undefined;
  const items = data.pages.flatMap((p) => p.items);
  const index = items.findIndex((c) => c.id === conversationId);
  const current = items[index];
  if (current === undefined) return data;
  items[index] = patch(current);
  return resort(data, items);
}

/** A conversation event's view (without contact, labels or counts) over the row it updates. */
export function mergeConversationFields(
  current: Conversation,
  fields: Record<string, unknown>,
): Conversation {
  const next = { ...current };
  const keys = [
    'status',
    'snoozedUntil',
    'priority',
    'assigneeId',
    'teamId',
    'lastMessageAt',
    'windowExpiresAt',
    'resolvedAt',
    'updatedAt',
  ] as const;
  for (const key of keys) {
    if (key in fields) (next as Record<string, unknown>)[key] = fields[key];
  }
  return next;
}

/** A new message in a conversation: its preview and time, and one more unread if inbound. */
export function withNewMessage(current: Conversation, message: Message, countUnread: boolean): Conversation {
  if (message.direction === 'note') return current;
  const newer = message.occurredAt >= (current.lastMessage?.occurredAt ?? '');
  return {
    ...current,
    lastMessageAt: message.occurredAt > current.lastMessageAt ? message.occurredAt : current.lastMessageAt,
    lastMessage: newer
      ? {
          id: message.id,
          direction: message.direction,
          type: message.type,
          preview: previewOf(message.type, message.content),
          occurredAt: message.occurredAt,
        }
      : current.lastMessage,
    unreadCount: current.unreadCount + (countUnread && message.direction === 'inbound' ? 1 : 0),
  };
}

/**
 * Adds or replaces a message in a thread's pages (newest first, as the API pages them). A
 * message already loaded is replaced in place (a status moved on); a new one joins the newest page.
 */
export function upsertMessage(
  data: Pages<Message> | undefined,
  message: Message,
): Pages<Message> | undefined {
  if (data === undefined) return undefined;
  const optimistic = optimisticTwin(data, message);
  if (optimistic !== undefined) data = removeMessage(data, optimistic) ?? data;
  const found = data.pages.some((page) => page.items.some((m) => m.id === message.id));
  const pages = data.pages.map((page) => ({
    ...page,
    items: page.items.map((m) => (m.id === message.id ? { ...m, ...message } : m)),
  }));
  const first = pages[0];
  if (!found && first !== undefined) {
    pages[0] = { ...first, items: [message, ...first.items].sort((a, b) => compareMessages(b, a)) };
  }
  return { ...data, pages };
}

export const OPTIMISTIC_PREFIX = 'optimistic-';

/**
 * The optimistic copy of a message this agent is sending, when the real one arrives (by realtime
 * or the send's answer, whichever is first): same direction, sender and content.
 */
function optimisticTwin(data: Pages<Message>, message: Message): string | undefined {
  if (message.direction !== 'outbound' || message.id.startsWith(OPTIMISTIC_PREFIX)) return undefined;
  // The stored content may carry more fields than the optimistic copy (previewUrl…): compare
  // what the agent wrote.
  const text = previewOf(message.type, message.content);
  for (const page of data.pages) {
    const twin = page.items.find(
      (m) =>
        m.id.startsWith(OPTIMISTIC_PREFIX) &&
        m.type === message.type &&
        m.senderUserId === message.senderUserId &&
        previewOf(m.type, m.content) === text,
    );
    if (twin !== undefined) return twin.id;
  }
  return undefined;
}

export function removeMessage(
  data: Pages<Message> | undefined,
  messageId: string,
): Pages<Message> | undefined {
  if (data === undefined) return undefined;
  return {
    ...data,
    pages: data.pages.map((p) => ({ ...p, items: p.items.filter((m) => m.id !== messageId) })),
  };
}

/** Every loaded message, oldest first, each once. */
export function threadMessages(data: Pages<Message> | undefined): Message[] {
  if (data === undefined) return [];
  const byId = new Map<string, Message>();
  for (const page of data.pages) for (const m of page.items) if (!byId.has(m.id)) byId.set(m.id, m);
  return [...byId.values()].sort(compareMessages);
}
