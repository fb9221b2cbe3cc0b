import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RealtimeEvent } from '../../lib/realtime/frames';
import { inboxKeys } from './api/inboxKeys';
import type { Conversation } from './api/types';
import { createInboxRealtimeSync } from './realtimeSync';

const conversation: Conversation = {
  id: 'c1',
  status: 'resolved',
  snoozedUntil: null,
  priority: 'none',
  assigneeId: null,
  teamId: null,
  lastMessageAt: '2026-12-04T10:00:00.000Z',
  windowExpiresAt: null,
  resolvedAt: '2026-12-04T12:00:00.000Z',
  createdAt: '2026-12-04T10:00:00.000Z',
  updatedAt: '2026-12-04T12:00:00.000Z',
  unreadCount: 0,
  labels: [],
  contact: { id: 'k1', name: null, profileName: 'Ana', waId: null, phoneE164: null },
  number: null,
  lastMessage: null,
};

const updated = (status: string): RealtimeEvent => ({
  seq: 1,
  type: 'conversation.updated',
  conversationId: 'c1',
  data: { status },
  occurredAt: '2026-12-04T12:00:00.000Z',
});

/** A conversation update in flight until `settle` is called. */
function pendingUpdate(client: QueryClient) {
  let settle = () => {};
  const mutation = client.getMutationCache().build(client, {
    mutationKey: inboxKeys.update('c1'),
    mutationFn: () =>
      new Promise<void>((resolve) => {
        settle = resolve;
      }),
  });
  const done = mutation.execute(undefined);
  return { settle: () => (settle(), done) };
}

describe('inbox realtime sync and optimistic updates', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('applies conversation events when nothing is in flight', () => {
    const client = new QueryClient();
    client.setQueryData(inboxKeys.conversation('c1'), conversation);
    createInboxRealtimeSync(client).apply(updated('open'));
    expect(client.getQueryData<Conversation>(inboxKeys.conversation('c1'))?.status).toBe('open');
  });

  it('holds an event back while a change to that conversation is in flight, then refetches it', async () => {
    vi.useFakeTimers();
    const client = new QueryClient();
    client.setQueryData(inboxKeys.conversation('c1'), conversation);
    const invalidate = vi.spyOn(client, 'invalidateQueries');
    const change = pendingUpdate(client);
    const sync = createInboxRealtimeSync(client);

    // An event from before the optimistic resolve arrives late: the cache keeps 'resolved'.
    sync.apply(updated('open'));
    expect(client.getQueryData<Conversation>(inboxKeys.conversation('c1'))?.status).toBe('resolved');
    // The debounced refetch waits while the change is in flight.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(invalidate).not.toHaveBeenCalled();

    await change.settle();
    await vi.advanceTimersByTimeAsync(1_000);
    const keys = invalidate.mock.calls.map(([filters]) => filters?.queryKey);
    expect(keys).toContainEqual(inboxKeys.lists);
    expect(keys).toContainEqual(inboxKeys.conversation('c1'));
    sync.dispose();
  });
});
