// The thread as one flat list of rows for the virtualizer: a day heading before each day's
// messages, then the messages, oldest first. Keys are stable across pages, so rows keep their
// measured heights when older pages are prepended.
import type { Message } from './api/types';
import { groupByDay } from './messageModel';

export type ThreadRow =
  { kind: 'day'; key: string; firstAt: string } | { kind: 'message'; key: string; message: Message };

export function threadRows(messages: readonly Message[]): ThreadRow[] {
  return groupByDay(messages).flatMap((group): ThreadRow[] => [
    { kind: 'day', key: `day-${group.day}`, firstAt: group.firstAt },
    ...group.messages.map((message): ThreadRow => ({ kind: 'message', key: message.id, message })),
  ]);
}

/** Messages that are not text show media or a card: about this tall. */
const MEDIA_PX = 260;

/**
 * A row's height before it is measured, from its text and the thread's width. Close estimates
 * keep the scroll steady when older pages arrive (their rows are placed by estimate until seen).
 */
export function estimateRowHeight(row: ThreadRow | undefined, threadWidth: number): number {
  if (row === undefined || row.kind === 'day') return 44;
  const m = row.message;
  const kicker = m.direction === 'note' || (m.direction === 'outbound' && m.senderUserId !== null) ? 22 : 0;
  if (m.type !== 'text' && m.type !== 'system') return MEDIA_PX + kicker;
  // A bubble is at most 36rem or 80% of the thread, less its padding; about 8 px per character.
  const bubble = Math.min(576, 0.8 * Math.max(200, threadWidth - 32)) - 24;
  const perLine = Math.max(16, Math.floor(bubble / 8));
  const text = typeof m.content['body'] === 'string' ? m.content['body'] : '';
  const lines = text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(line.length / perLine)), 0);
  return 62 + 24 * lines + kicker;
}
