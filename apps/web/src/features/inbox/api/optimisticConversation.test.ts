import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Pages } from './cacheUpdates';
import { inboxKeys } from './inboxKeys';
import {
  applyConversationPatch,
  applyOptimisticUpdate,
  belongsToList,
  listWithConversation,
  rollbackOptimisticUpdate,
} from './optimisticConversation';
import type { Conversation } from './types';

const ME = 'user-me';
const now = new Date('2026-12-04T12:00:00.000Z');

const conversation = (id: string, lastMessageAt: string, over: Partial<Conversation> = {}): Conversation => ({
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
  unreadCount: 2,
  labels: [],
  contact: { id: `k-${id}`, name: null, profileName: id, waId: null, phoneE164: null },
  number: null,
  lastMessage: null,
  ...over,
});

const pages = (...items: Conversation[][]): Pages<Conversation> => ({
  pages: items.map((page, i) => ({ items: page, nextCursor: i < items.length - 1 ? `c${i}` : null })),
  pageParams: items.map((_, i) => (i === 0 ? undefined : `c${i - 1}`)),
});

const ids = (data: Pages<Conversation> | undefined) => data?.pages.map((p) => p.items.map((c) => c.id));

describe('applyConversationPatch', () => {
  const open = conversation('a', '2026-12-04T10:00:00.000Z');

  it('resolves with resolvedAt now, and reopens clearing it', () => {
    const resolved = applyConversationPatch(open, { status: 'resolved' }, now);
    expect(resolved).toMatchObject({ status: 'resolved', resolvedAt: now.toISOString(), snoozedUntil: null });
    expect(resolved.updatedAt).toBe(now.toISOString());
    expect(applyConversationPatch(resolved, { status: 'open' }, now)).toMatchObject({
      status: 'open',
      resolvedAt: null,
    });
  });

  it('keeps the first resolvedAt when resolved again', () => {
    const resolved = { ...open, status: 'resolved' as const, resolvedAt: '2026-12-01T00:00:00.000Z' };
    expect(applyConversationPatch(resolved, { status: 'resolved' }, now).resolvedAt).toBe(
      '2026-12-01T00:00:00.000Z',
    );
  });

  it('snoozes until a time, and clears it when the status moves on', () => {
    const until = '2026-12-05T09:00:00.000Z';
    const snoozed = applyConversationPatch(open, { status: 'snoozed', snoozedUntil: until }, now);
    expect(snoozed).toMatchObject({ status: 'snoozed', snoozedUntil: until });
    expect(applyConversationPatch(snoozed, { status: 'pending' }, now)).toMatchObject({
      status: 'pending',
      snoozedUntil: null,
    });
  });

  it('changes assignee, team and priority without touching the status', () => {
    const next = applyConversationPatch(open, { assigneeId: ME, teamId: 't1', priority: 'high' }, now);
    expect(next).toMatchObject({ status: 'open', assigneeId: ME, teamId: 't1', priority: 'high' });
    expect(applyConversationPatch(next, { assigneeId: null }, now).assigneeId).toBeNull();
  });
});

describe('belongsToList', () => {
  const c = conversation('a', '2026-12-04T10:00:00.000Z', { assigneeId: ME, priority: 'high' });

  it('checks status, priority, team and the tab’s assignee', () => {
    expect(belongsToList(c, { status: 'open', assignee: 'me' }, ME)).toBe(true);
    expect(belongsToList(c, { status: 'all' }, ME)).toBe(true);
    expect(belongsToList(c, { status: 'resolved' }, ME)).toBe(false);
    expect(belongsToList(c, { status: 'pending,open' }, ME)).toBe(true);
    expect(belongsToList(c, { status: 'open', priority: 'low' }, ME)).toBe(false);
    expect(belongsToList(c, { status: 'open', teamId: 't1' }, ME)).toBe(false);
    expect(belongsToList(c, { status: 'open', assignee: 'unassigned' }, ME)).toBe(false);
    expect(belongsToList(c, { status: 'open', assignee: 'me' }, 'someone-else')).toBe(false);
  });
});

describe('listWithConversation', () => {
  const a = conversation('a', '2026-12-04T10:00:00.000Z');
  const b = conversation('b', '2026-12-04T09:00:00.000Z');
  const c = conversation('c', '2026-12-04T08:00:00.000Z');
  const data = pages([a, b], [c]);

  it('replaces the row in place, keeping its unread count', () => {
    const next = listWithConversation(
      data,
      { ...b, priority: 'urgent', unreadCount: 0 },
      { status: 'open' },
      ME,
    );
    expect(ids(next)).toEqual([['a', 'b'], ['c']]);
    expect(next?.pages[0]?.items[1]).toMatchObject({ priority: 'urgent', unreadCount: 2 });
  });

  it('drops a row that left the list’s filters', () => {
    const next = listWithConversation(data, { ...b, status: 'resolved' }, { status: 'open' }, ME);
    expect(ids(next)).toEqual([['a'], ['c']]);
  });

  it('leaves a list without the conversation alone', () => {
    const other = conversation('x', '2026-12-04T07:00:00.000Z', { status: 'resolved' });
    expect(listWithConversation(data, other, { status: 'open' }, ME)).toBe(data);
    expect(listWithConversation(undefined, b, { status: 'open' }, ME)).toBeUndefined();
  });
});

describe('applyOptimisticUpdate and rollbackOptimisticUpdate', () => {
  const a = conversation('a', '2026-12-04T10:00:00.000Z');
  const b = conversation('b', '2026-12-04T09:00:00.000Z');
  const openMine = inboxKeys.list({ status: 'open', assignee: 'me' });
  const openAll = inboxKeys.list({ status: 'open' });
  const resolvedAll = inboxKeys.list({ status: 'resolved' });
  const everything = inboxKeys.list({ status: 'all' });

  function seeded() {
    const client = new QueryClient();
    client.setQueryData(inboxKeys.conversation('b'), b);
    client.setQueryData(openMine, pages([]));
    client.setQueryData(openAll, pages([a, b]));
    client.setQueryData(resolvedAll, pages([]));
    client.setQueryData(everything, pages([a, b]));
    return client;
  }

  it('writes the change into the conversation and every list at once', () => {
    const client = seeded();
    applyOptimisticUpdate(client, 'b', { status: 'resolved' }, ME, now);
    expect(client.getQueryData<Conversation>(inboxKeys.conversation('b'))?.status).toBe('resolved');
    // Gone from the Open list, still in All (resolved there); not added where it newly belongs.
    expect(ids(client.getQueryData(openAll))).toEqual([['a']]);
    expect(client.getQueryData<Pages<Conversation>>(everything)?.pages[0]?.items[1]?.status).toBe('resolved');
    expect(ids(client.getQueryData(resolvedAll))).toEqual([[]]);
  });

  it('puts everything back as it was on rollback', () => {
    const client = seeded();
    const before = {
      conversation: client.getQueryData(inboxKeys.conversation('b')),
      openAll: client.getQueryData(openAll),
      everything: client.getQueryData(everything),
    };
    const snapshot = applyOptimisticUpdate(client, 'b', { status: 'resolved', assigneeId: ME }, ME, now);
    rollbackOptimisticUpdate(client, snapshot);
    expect(client.getQueryData(inboxKeys.conversation('b'))).toEqual(before.conversation);
    expect(client.getQueryData(openAll)).toEqual(before.openAll);
    expect(client.getQueryData(everything)).toEqual(before.everything);
  });

  it('patches list rows of a conversation whose own query is not cached', () => {
    const client = seeded();
    const snapshot = applyOptimisticUpdate(client, 'a', { priority: 'urgent' }, ME, now);
    expect(client.getQueryData(inboxKeys.conversation('a'))).toBeUndefined();
    expect(client.getQueryData<Pages<Conversation>>(openAll)?.pages[0]?.items[0]?.priority).toBe('urgent');
    rollbackOptimisticUpdate(client, snapshot);
    expect(client.getQueryData<Pages<Conversation>>(openAll)?.pages[0]?.items[0]?.priority).toBe('none');
    expect(client.getQueryData(inboxKeys.conversation('a'))).toBeUndefined();
  });
});
