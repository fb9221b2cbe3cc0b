import { describe, expect, it } from 'vitest';
import { matchPeople, mentionAt, mentionedIds, replaceToken, shortcutAt, windowState } from './composerText';

describe('windowState', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  it('is open until windowExpiresAt, with the time left', () => {
    expect(windowState('2026-01-01T13:30:00Z', now)).toEqual({ open: true, remainingMs: 90 * 60_000 });
    expect(windowState('2026-01-01T12:00:00Z', now)).toEqual({ open: false, remainingMs: 0 });
    expect(windowState(null, now).open).toBe(false);
  });
});

describe('mentions', () => {
  it('finds the mention being typed at the caret', () => {
    expect(mentionAt('Hi @an', 6)).toEqual({ start: 3, query: 'an' });
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionAt('mail a@b', 8)).toBeUndefined();
    expect(mentionAt('Hi @an and', 10)).toBeUndefined();
  });

  it('inserts the picked name and keeps the ids still named in the body', () => {
    const token = mentionAt('Ask @jo please', 7)!;
    const { text, caret } = replaceToken('Ask @jo please', token, 7, '@Jorge Pérez ');
    expect(text).toBe('Ask @Jorge Pérez  please');
    expect(caret).toBe(17);
    const picked = [
      { id: 'u1', name: 'Jorge Pérez' },
      { id: 'u2', name: 'Ana Souza' },
    ];
    expect(mentionedIds(text, picked)).toEqual(['u1']);
  });

  it('matches people by any word, ignoring case and accents', () => {
    const people = [
      { id: '1', name: 'Ana Souza' },
      { id: '2', name: 'Jorge Pérez' },
    ];
    expect(matchPeople(people, 'per').map((p) => p.id)).toEqual(['2']);
    expect(matchPeople(people, '').map((p) => p.id)).toEqual(['1', '2']);
  });
});

describe('shortcutAt', () => {
  it('looks up a canned response only when the text is a lone /shortcut', () => {
    expect(shortcutAt('/Refund', 7)).toEqual({ start: 0, query: 'refund' });
    expect(shortcutAt('/', 1)).toEqual({ start: 0, query: '' });
    expect(shortcutAt('see /refund', 11)).toBeUndefined();
    expect(shortcutAt('/refund now', 11)).toBeUndefined();
  });
});
