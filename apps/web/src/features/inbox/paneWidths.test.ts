import { describe, expect, it } from 'vitest';
import {
  PANE_LIMITS,
  PANE_STORAGE_KEY,
  clampWidth,
  readPaneWidths,
  widthForKey,
  writePaneWidths,
} from './paneWidths';

const memory = () => {
  const values = new Map<string, string>();
  return {
    getItem: (k: string) => values.get(k) ?? null,
    setItem: (k: string, v: string) => void values.set(k, v),
  };
};

describe('pane widths', () => {
  it('keeps widths within limits and leaves the thread its room', () => {
    expect(clampWidth('list', 100, 300, 1600)).toBe(PANE_LIMITS.list.min);
    expect(clampWidth('list', 900, 300, 1600)).toBe(PANE_LIMITS.list.max);
    // 1000 px: 1000 - 300 (contact) - 360 (thread) = 340 at most.
    expect(clampWidth('list', 500, 300, 1000)).toBe(340);
    expect(clampWidth('contact', 400.4, 300, 1600)).toBe(400);
  });

  it('round-trips through storage and ignores what it cannot read', () => {
    const storage = memory();
    expect(readPaneWidths(storage)).toEqual({ list: 352, contact: 304 });
    writePaneWidths(storage, { list: 400, contact: 250 });
    expect(readPaneWidths(storage)).toEqual({ list: 400, contact: 250 });
    storage.setItem(PANE_STORAGE_KEY, '{"list":"wide","contact":9999}');
    expect(readPaneWidths(storage)).toEqual({ list: 352, contact: PANE_LIMITS.contact.max });
    storage.setItem(PANE_STORAGE_KEY, 'not json');
    expect(readPaneWidths(storage)).toEqual({ list: 352, contact: 304 });
    expect(readPaneWidths(undefined)).toEqual({ list: 352, contact: 304 });
  });

  it('moves by 16 px per arrow (64 with shift), the contact panel the other way', () => {
    expect(widthForKey('ArrowRight', false, 300, 'list', false)).toBe(316);
    expect(widthForKey('ArrowLeft', true, 300, 'list', false)).toBe(236);
    expect(widthForKey('ArrowLeft', false, 300, 'contact', true)).toBe(316);
    expect(widthForKey('Home', false, 300, 'list', false)).toBe(PANE_LIMITS.list.min);
    expect(widthForKey('End', false, 300, 'contact', true)).toBe(PANE_LIMITS.contact.max);
    expect(widthForKey('Enter', false, 300, 'list', false)).toBe(PANE_LIMITS.list.initial);
    expect(widthForKey('a', false, 300, 'list', false)).toBeUndefined();
  });
});
