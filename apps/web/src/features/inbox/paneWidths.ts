// The inbox's resizable panes: the list's and the contact panel's widths in pixels, kept within
// sensible bounds (the thread between them always keeps THREAD_MIN_PX) and stored per browser.

export interface PaneWidths {
  list: number;
  contact: number;
}
export type Pane = keyof PaneWidths;

export const PANE_LIMITS: Record<Pane, { min: number; max: number; initial: number }> = {
  list: { min: 240, max: 560, initial: 352 },
  contact: { min: 220, max: 480, initial: 304 },
};
/** The thread never gets narrower than this while both side panes show. */
export const THREAD_MIN_PX = 360;
export const PANE_STORAGE_KEY = 'switchboard.inbox.panes';

/** Keeps a width inside its pane's limits and leaves the thread its room in `total` pixels. */
export function clampWidth(pane: Pane, width: number, other: number, total: number): number {
  const { min, max } = PANE_LIMITS[pane];
  const room = total > 0 ? total - other - THREAD_MIN_PX : max;
  return Math.round(Math.max(min, Math.min(max, room, width)));
}

export function readPaneWidths(storage: Pick<Storage, 'getItem'> | undefined): PaneWidths {
  const initial = { list: PANE_LIMITS.list.initial, contact: PANE_LIMITS.contact.initial };
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(PANE_STORAGE_KEY) ?? 'null');
    if (typeof parsed !== 'object' || parsed === null) return initial;
    const read = (pane: Pane) => {
      const v = (parsed as Record<string, unknown>)[pane];
      const { min, max } = PANE_LIMITS[pane];
      return typeof v === 'number' && Number.isFinite(v) ? Math.max(min, Math.min(max, v)) : initial[pane];
    };
    return { list: read('list'), contact: read('contact') };
  } catch {
    return initial;
  }
}

export function writePaneWidths(storage: Pick<Storage, 'setItem'> | undefined, widths: PaneWidths): void {
  try {
    storage?.setItem(PANE_STORAGE_KEY, JSON.stringify(widths));
  } catch {
    // Storage full or disabled: the widths last for this page only.
  }
}

/** The width after a key on a separator, or undefined for keys it does not handle. */
export function widthForKey(
  key: string,
  shift: boolean,
  width: number,
  pane: Pane,
  /** The contact panel's separator sits on its left edge: ArrowLeft widens it. */
  growsLeft: boolean,
): number | undefined {
  const step = shift ? 64 : 16;
  switch (key) {
    case 'ArrowRight':
      return width + (growsLeft ? -step : step);
    case 'ArrowLeft':
      return width + (growsLeft ? step : -step);
    case 'Home':
      return PANE_LIMITS[pane].min;
    case 'End':
      return PANE_LIMITS[pane].max;
    case 'Enter':
      return PANE_LIMITS[pane].initial;
    default:
      return undefined;
  }
}
