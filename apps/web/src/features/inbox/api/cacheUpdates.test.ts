import { describe, expect, it } from 'vitest';
import type { Conversation, Message } from './types';
import {
  mergeConversationFields,
  patchConversation,
  removeMessage,
  threadMessages,
  upsertMessage,
  withNewMessage,
  type Pages,
} from './cacheUpdates';

const conversation = (id: string, lastMessageAt: string): Conversation => ({
  id,
  status: 'open',
  snoozedUntil: null,
  priority: 'none',
  assigneeId: null,
  teamId: null,
  lastMessageAt,
  windowExpiresAt: null,
  resolvedAt: null,
  createdAt: lastMessageAt,
  updatedAt: lastMessageAt,
  unreadCount: 0,
  labels: [],
  contact: { id: `k-${id}`, name: null, profileName: id, waId: null, phoneE164: null },
  number: null,
  lastMessage: null,
});

const message = (id: string, occurredAt: string, direction: Message['direction'] = 'inbound'): Message => ({
  id,
  direction,
  type: 'text',
  content: { body: `body ${id}` },
  externalId: null,
  status: 'received',
  errorCode: null,
  errorTitle: null,
  replyToExternalId: null,
  forwarded: false,
  reactions: {},
  senderUserId: null,
  occurredAt,
  statusAt: null,
});

function pages<T>(...chunks: T[][]): Pages<T> {
  return {
    pages: chunks.map((items, i) => ({ items, nextCursor: i < chunks.length - 1 ? `c${i}` : null })),
    pageParams: chunks.map((_, i) => (i === 0 ? undefined : `c${i - 1}`)),
  };
}

describe('conversation list updates', () => {
  const list = pages(
    [conversation('a', '2026-01-03T00:00:00Z'), conversation('b', '2026-01-02T00:00:00Z')],
    [conversation('c', '2026-01-01T00:00:00Z')],
  );

  it('moves a conversation with a new message to the top, keeping the page sizes', () => {
    const next = patchConversation(list, 'c', (c) =>
      withNewMessage(c, message('m1', '2026-01-04T00:00:00Z'), true),
    )!;
    expect(next.pages.map((p) => p.items.map((c) => c.id))).toEqual([['c', 'a'], ['b']]);
    const moved = next.pages[0]!.items[0]!;
    expect(moved.unreadCount).toBe(1);
    expect(moved.lastMessage).toMatchObject({ id: 'm1', preview: 'body m1' });
    expect(next.pages[1]!.nextCursor).toBeNull();
  });

  it('does not count outbound messages or notes as unread, nor preview notes', () => {
    const c = conversation('a', '2026-01-03T00:00:00Z');
    expect(withNewMessage(c, message('m', '2026-01-04T00:00:00Z', 'outbound'), true).unreadCount).toBe(0);
    expect(withNewMessage(c, message('n', '2026-01-04T00:00:00Z', 'note'), true)).toBe(c);
    expect(withNewMessage(c, message('m', '2026-01-04T00:00:00Z'), false).unreadCount).toBe(0);
  });

  it('merges the fields of a conversation event and leaves the rest', () => {
    const c = conversation('a', '2026-01-03T00:00:00Z');
    const merged = mergeConversationFields(c, { status: 'resolved', assigneeId: 'u1', contactId: 'x' });
    expect(merged).toMatchObject({ status: 'resolved', assigneeId: 'u1', contact: c.contact });
  });

  it('leaves the list alone for a conversation it has not loaded', () => {
    expect(patchConversation(list, 'zzz', (c) => ({ ...c, status: 'resolved' }))).toBe(list);
    expect(patchConversation(undefined, 'a', (c) => c)).toBeUndefined();
  });
});

describe('thread updates', () => {
  const thread = pages(
    [message('m3', '2026-01-03T00:00:00Z'), message('m2', '2026-01-02T00:00:00Z')],
    [message('m1', '2026-01-01T00:00:00Z')],
  );

  it('adds a new message to the newest page and lists everything oldest first', () => {
    const next = upsertMessage(thread, message('m4', '2026-01-04T00:00:00Z'));
    expect(threadMessages(next).map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4']);
  });

  it('replaces a message it has (a status update) instead of adding it twice', () => {
    const next = upsertMessage(thread, { ...message('m1', '2026-01-01T00:00:00Z'), status: 'read' });
    const all = threadMessages(next);
    expect(all).toHaveLength(3);
    expect(all[0]!.status).toBe('read');
  });

  it('replaces the optimistic copy of a message being sent when the real one arrives first', () => {
    const sending = { ...message('optimistic-1', '2026-01-04T00:00:00Z', 'outbound'), senderUserId: 'u1' };
    const withOptimistic = upsertMessage(thread, sending);
    const real = {
      ...sending,
      id: 'm9',
      status: 'queued' as const,
      content: { ...sending.content, previewUrl: false },
      occurredAt: '2026-01-04T00:00:01Z',
    };
    const ids = threadMessages(upsertMessage(withOptimistic, real)).map((m) => m.id);
    expect(ids).toEqual(['m1', 'm2', 'm3', 'm9']);
    const other = { ...real, id: 'm10', content: { body: 'something else' } };
    expect(threadMessages(upsertMessage(withOptimistic, other)).map((m) => m.id)).toContain('optimistic-1');
  });

  it('removes an optimistic message', () => {
    expect(threadMessages(removeMessage(thread, 'm2')).map((m) => m.id)).toEqual(['m1', 'm3']);
  });
});
