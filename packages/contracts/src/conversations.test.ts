import { describe, expect, it } from 'vitest';
import { BULK_CONVERSATIONS_MAX, bulkConversationsRequestSchema } from './conversations.ts';

const id = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('bulk conversation contracts', () => {
  it('takes each action with its fields', () => {
    for (const action of [
      { type: 'assign', assigneeId: id(1) },
      { type: 'assign', teamId: null },
      { type: 'status', status: 'resolved' },
      { type: 'addLabel', labelId: id(2) },
      { type: 'removeLabel', labelId: id(2) },
    ]) {
      expect(bulkConversationsRequestSchema.safeParse({ ids: [id(3)], action }).success, action.type).toBe(
        true,
      );
    }
  });

  it('lists every issue: empty assign, snooze, duplicates, bad ids', () => {
    const bad = bulkConversationsRequestSchema.safeParse({
      ids: [id(1), 'x', id(1)],
      action: { type: 'assign' },
    });
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'action.assigneeId',
      'ids.1',
      'ids.2',
    ]);
    expect(
      bulkConversationsRequestSchema.safeParse({
        ids: [id(1)],
        action: { type: 'status', status: 'snoozed' },
      }).success,
    ).toBe(false);
  });

  it(`refuses none and more than ${BULK_CONVERSATIONS_MAX}`, () => {
    const action = { type: 'status', status: 'open' };
    expect(bulkConversationsRequestSchema.safeParse({ ids: [], action }).success).toBe(false);
    const many = Array.from({ length: BULK_CONVERSATIONS_MAX + 1 }, (_, i) => id(i));
    expect(bulkConversationsRequestSchema.safeParse({ ids: many, action }).success).toBe(false);
    expect(bulkConversationsRequestSchema.safeParse({ ids: many.slice(1), action }).success).toBe(true);
  });
});
