// Which conversations of the list are selected for a bulk action. A click toggles one row; a
// shift-click sets every row from the last clicked one to this one to the clicked box's state.

export interface RowSelection {
  readonly ids: ReadonlySet<string>;
  /** The index of the last row clicked without shift: where a shift-click's range starts. */
  readonly anchor: number | undefined;
}

export const noSelection: RowSelection = { ids: new Set(), anchor: undefined };

export function toggleRow(
  selection: RowSelection,
  rowIds: readonly string[],
  index: number,
  checked: boolean,
  shift: boolean,
): RowSelection {
  const ids = new Set(selection.ids);
  const from = shift && selection.anchor !== undefined ? Math.min(selection.anchor, index) : index;
  const to = shift && selection.anchor !== undefined ? Math.max(selection.anchor, index) : index;
  for (let i = from; i <= to; i++) {
    const id = rowIds[i];
    if (id === undefined) continue;
    if (checked) ids.add(id);
    else ids.delete(id);
  }
  return { ids, anchor: shift && selection.anchor !== undefined ? selection.anchor : index };
}

/** Every row selected, or none when they all were. */
export function toggleAll(selection: RowSelection, rowIds: readonly string[]): RowSelection {
  const all = rowIds.length > 0 && rowIds.every((id) => selection.ids.has(id));
  return { ids: all ? new Set() : new Set(rowIds), anchor: undefined };
}

/** The selected ids, in the list's order, limited to rows still loaded. */
export function selectedInOrder(selection: RowSelection, rowIds: readonly string[]): string[] {
  return rowIds.filter((id) => selection.ids.has(id));
}
