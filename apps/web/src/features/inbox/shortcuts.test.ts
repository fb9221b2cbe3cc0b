import { describe, expect, it } from 'vitest';
import { neighbourConversation, shortcutFor, type KeyPress } from './shortcuts';

const press = (key: string, over: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  defaultPrevented: false,
  isComposing: false,
  typing: false,
  inComposer: false,
  inDialog: false,
  ...over,
});

describe('shortcutFor', () => {
  it('maps the single keys to their actions', () => {
    expect(['j', 'k', 'r', 'n', 'e', 'a', 's', 'p', 'l'].map((key) => shortcutFor(press(key)))).toEqual([
      'next',
      'previous',
      'reply',
      'note',
      'resolve',
      'assignMe',
      'snooze',
      'priority',
      'labels',
    ]);
  });

  it('ignores other keys, upper case (Shift) and inherited object names', () => {
    for (const key of ['x', 'J', 'E', 'Enter', 'ArrowDown', 'toString', 'constructor', '/', '?']) {
      expect(shortcutFor(press(key))).toBeUndefined();
    }
  });

  it('ignores keys typed in a field', () => {
    expect(shortcutFor(press('e', { typing: true }))).toBeUndefined();
    expect(shortcutFor(press('j', { typing: true, inComposer: true }))).toBeUndefined();
  });

  it('ignores keys with Ctrl, Alt or Meta held', () => {
    expect(shortcutFor(press('r', { ctrlKey: true }))).toBeUndefined();
    expect(shortcutFor(press('a', { metaKey: true }))).toBeUndefined();
    expect(shortcutFor(press('e', { altKey: true }))).toBeUndefined();
    expect(shortcutFor(press('Escape', { ctrlKey: true, typing: true, inComposer: true }))).toBeUndefined();
  });

  it('ignores keys inside a dialog, used by another handler, or during an IME composition', () => {
    expect(shortcutFor(press('e', { inDialog: true }))).toBeUndefined();
    expect(shortcutFor(press('j', { defaultPrevented: true }))).toBeUndefined();
    expect(shortcutFor(press('j', { isComposing: true }))).toBeUndefined();
  });

  it('Escape leaves the composer, and only the composer', () => {
    expect(shortcutFor(press('Escape', { typing: true, inComposer: true }))).toBe('leaveComposer');
    expect(shortcutFor(press('Escape', { typing: true }))).toBeUndefined();
    expect(shortcutFor(press('Escape'))).toBeUndefined();
    // A suggestion list open in the composer closes first (its handler prevents the default).
    expect(
      shortcutFor(press('Escape', { typing: true, inComposer: true, defaultPrevented: true })),
    ).toBeUndefined();
  });
});

describe('neighbourConversation', () => {
  const ids = ['a', 'b', 'c'];

  it('moves forward and back, staying at the ends', () => {
    expect(neighbourConversation(ids, 'a', true, 0)).toBe('b');
    expect(neighbourConversation(ids, 'b', false, 1)).toBe('a');
    expect(neighbourConversation(ids, 'c', true, 2)).toBe('c');
    expect(neighbourConversation(ids, 'a', false, 0)).toBe('a');
  });

  it('opens the first row when nothing is open', () => {
    expect(neighbourConversation(ids, undefined, true, undefined)).toBe('a');
    expect(neighbourConversation(ids, undefined, false, undefined)).toBe('a');
  });

  it('uses the old place of a conversation that left the list', () => {
    // 'x' was at index 1 and was resolved away: j opens what took its place, k the one before.
    expect(neighbourConversation(ids, 'x', true, 1)).toBe('b');
    expect(neighbourConversation(ids, 'x', false, 1)).toBe('a');
    expect(neighbourConversation(ids, 'x', true, 5)).toBe('c');
    expect(neighbourConversation(ids, 'x', false, 0)).toBe('a');
    expect(neighbourConversation(ids, 'x', true, undefined)).toBe('a');
  });

  it('has nothing to open in an empty list', () => {
    expect(neighbourConversation([], 'a', true, 0)).toBeUndefined();
  });
});
