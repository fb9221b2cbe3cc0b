import { describe, expect, it } from 'vitest';
import type { Message } from './api/types';
import { estimateRowHeight, threadRows } from './threadRows';

const message = (id: string, occurredAt: string): Message => ({
  id,
  direction: 'inbound',
  type: 'text',
  content: { body: id },
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

describe('threadRows', () => {
  it('puts a day heading before each day, keyed so prepending older days keeps the later keys', () => {
    const later = [message('b', '2026-03-02T12:00:00'), message('c', '2026-03-02T13:00:00')];
    const rows = threadRows(later);
    expect(rows.map((r) => r.kind)).toEqual(['day', 'message', 'message']);
    const withOlder = threadRows([message('a', '2026-03-01T12:00:00'), ...later]);
    expect(withOlder.map((r) => r.kind)).toEqual(['day', 'message', 'day', 'message', 'message']);
    expect(withOlder.slice(2).map((r) => r.key)).toEqual(rows.map((r) => r.key));
  });

  it('is empty for no messages', () => {
    expect(threadRows([])).toEqual([]);
  });

  it('estimates taller rows for longer text and narrower threads', () => {
    const short = { kind: 'message' as const, key: 'a', message: message('a', '2026-03-01T12:00:00') };
    const long = { ...short, message: { ...short.message, content: { body: 'word '.repeat(80) } } };
    expect(estimateRowHeight(short, 800)).toBe(86);
    expect(estimateRowHeight(long, 800)).toBeGreaterThan(estimateRowHeight(short, 800));
    expect(estimateRowHeight(long, 400)).toBeGreaterThan(estimateRowHeight(long, 800));
    expect(estimateRowHeight({ kind: 'day', key: 'd', firstAt: '' }, 800)).toBe(44);
  });
});
