import { describe, expect, it } from 'vitest';
import type { RealtimeEvent } from '../../lib/realtime/frames';
import { createAttentionTracker, isAway, STALE_AFTER_MS, titleWithCount } from './attention';

const me = 'user-me';
const now = new Date('2026-03-01T12:00:00Z');
const event = (
  type: RealtimeEvent['type'],
  conversationId: string | null,
  data: Record<string, unknown>,
  occurredAt = now.toISOString(),
): RealtimeEvent => ({
  seq: 1,
  type,
  conversationId,
  data,
  occurredAt,
});

describe('what deserves attention', () => {
  it('turns a mention or an assignment notification into an alert with its actor and preview', () => {
    const tracker = createAttentionTracker(me);
    expect(
      tracker.read(
        event('notification.created', 'c1', {
          kind: 'mention',
          conversationId: 'c1',
          actorUserId: 'u2',
          preview: 'look',
          readAt: null,
        }),
        now,
      ),
    ).toEqual([{ kind: 'mention', conversationId: 'c1', actorUserId: 'u2', preview: 'look' }]);
    expect(
      tracker.read(
        event('notification.created', 'c1', {
          kind: 'assignment',
          conversationId: 'c1',
          actorUserId: null,
          readAt: null,
        }),
        now,
      ),
    ).toEqual([{ kind: 'assignment', conversationId: 'c1', actorUserId: null, preview: null }]);
  });

  it('ignores notifications already read and kinds it does not know', () => {
    const tracker = createAttentionTracker(me);
    expect(
      tracker.read(event('notification.created', 'c1', { kind: 'mention', readAt: now.toISOString() }), now),
    ).toEqual([]);
    expect(
      tracker.read(event('notification.created', 'c1', { kind: 'birthday', readAt: null }), now),
    ).toEqual([]);
  });

  it('announces a new conversation by its notification, not by every conversation.created', () => {
    const tracker = createAttentionTracker(me);
    expect(tracker.read(event('conversation.created', 'c1', { assigneeId: null }), now)).toEqual([]);
    const told = event('notification.created', 'c1', {
      kind: 'new_conversation',
      conversationId: 'c1',
      actorUserId: null,
      preview: null,
      readAt: null,
    });
    expect(tracker.read(told, now)).toEqual([
      { kind: 'new_conversation', conversationId: 'c1', actorUserId: null, preview: null },
    ]);
  });

  it('chimes for a customer’s message only while the conversation is assigned to me', () => {
    const tracker = createAttentionTracker(me);
    const inbound = event('message.created', 'c1', { direction: 'inbound' });
    expect(tracker.read(inbound, now)).toEqual([]);
    tracker.read(event('conversation.assigned', 'c1', { assigneeId: me }), now);
    expect(tracker.read(inbound, now)).toEqual([{ kind: 'message', conversationId: 'c1' }]);
    expect(tracker.read(event('message.created', 'c1', { direction: 'outbound' }), now)).toEqual([]);
    expect(tracker.read(event('message.created', 'c1', { direction: 'note' }), now)).toEqual([]);
    tracker.read(event('conversation.updated', 'c1', { assigneeId: 'someone-else' }), now);
    expect(tracker.read(inbound, now)).toEqual([]);
  });

  it('stays quiet about events replayed after a reconnection, but still follows assignments', () => {
    const tracker = createAttentionTracker(me);
    const old = new Date(now.getTime() - STALE_AFTER_MS - 1000).toISOString();
    expect(tracker.read(event('conversation.created', 'c1', { assigneeId: me }, old), now)).toEqual([]);
    expect(tracker.read(event('message.created', 'c1', { direction: 'inbound' }), now)).toEqual([
      { kind: 'message', conversationId: 'c1' },
    ]);
  });
});

describe('when to notify and the title', () => {
  it('notifies only when the tab is hidden or the window has no focus', () => {
    expect(isAway('visible', true)).toBe(false);
    expect(isAway('visible', false)).toBe(true);
    expect(isAway('hidden', true)).toBe(true);
  });

  it('puts the count in front of the title, never twice and not at zero', () => {
    expect(titleWithCount('Settings · Switchboard', 3, '3')).toBe('(3) Settings · Switchboard');
    expect(titleWithCount('Switchboard', 1200, '1,200')).toBe('(1,200) Switchboard');
    expect(titleWithCount('Switchboard', 0, '0')).toBe('Switchboard');
    expect(titleWithCount('(2) Inbox · Switchboard', 3, '3')).toBe('(2) Inbox · Switchboard');
  });
});
