import { describe, expect, it } from 'vitest';
import { noSelection, selectedInOrder, toggleAll, toggleRow } from './rowSelection';

const rows = ['a', 'b', 'c', 'd', 'e'];

describe('row selection', () => {
  it('toggles one row, and a shift-click selects the range from the last clicked row', () => {
    let s = toggleRow(noSelection, rows, 1, true, false);
    expect(selectedInOrder(s, rows)).toEqual(['b']);
    s = toggleRow(s, rows, 3, true, true);
    expect(selectedInOrder(s, rows)).toEqual(['b', 'c', 'd']);
    // The anchor stays where the range started: shift-clicking upwards from it works too.
    s = toggleRow(s, rows, 0, true, true);
    expect(selectedInOrder(s, rows)).toEqual(['a', 'b', 'c', 'd']);
    s = toggleRow(s, rows, 2, false, true);
    expect(selectedInOrder(s, rows)).toEqual(['a', 'd']);
  });

  it('treats a shift-click with no earlier click as a plain click', () => {
    expect(selectedInOrder(toggleRow(noSelection, rows, 4, true, true), rows)).toEqual(['e']);
  });

  it('selects all rows, or clears when all were selected', () => {
    const all = toggleAll(toggleRow(noSelection, rows, 0, true, false), rows);
    expect(selectedInOrder(all, rows)).toEqual(rows);
    expect(selectedInOrder(toggleAll(all, rows), rows)).toEqual([]);
  });

  it('keeps only rows still loaded, in list order', () => {
    const s = toggleAll(noSelection, ['x', ...rows]);
    expect(selectedInOrder(s, ['e', 'a'])).toEqual(['e', 'a']);
  });
});
