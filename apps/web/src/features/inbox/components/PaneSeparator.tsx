import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { PANE_LIMITS, widthForKey, type Pane } from '../paneWidths';

export interface PaneSeparatorProps {
  pane: Pane;
  label: string;
  width: number;
  /** The contact panel's separator is on its left edge: dragging left widens it. */
  growsLeft: boolean;
  onResize: (width: number) => void;
  /** Told when a drag or key ends, to store the width. */
  onCommit: () => void;
}

/**
 * A focusable vertical separator between two panes (WAI-ARIA window splitter): drag it with a
 * pointer, or focus it and use the arrow keys (Shift for larger steps), Home, End, and Enter to
 * restore the initial width.
 */
export function PaneSeparator({ pane, label, width, growsLeft, onResize, onCommit }: PaneSeparatorProps) {
  const drag = useRef<{ x: number; width: number } | undefined>(undefined);
  const { min, max } = PANE_LIMITS[pane];

  function onPointerDown(event: PointerEvent<HTMLDivElement>) {
    if (event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    event.currentTarget.focus();
    drag.current = { x: event.clientX, width };
  }
  function onPointerMove(event: PointerEvent<HTMLDivElement>) {
    const start = drag.current;
    if (start === undefined) return;
    const dx = event.clientX - start.x;
    onResize(start.width + (growsLeft ? -dx : dx));
  }
  function onPointerUp(event: PointerEvent<HTMLDivElement>) {
    if (drag.current === undefined) return;
    drag.current = undefined;
    event.currentTarget.releasePointerCapture(event.pointerId);
    onCommit();
  }
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const next = widthForKey(event.key, event.shiftKey, width, pane, growsLeft);
    if (next === undefined) return;
    event.preventDefault();
    onResize(next);
    onCommit();
  }

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={width}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      className={`pane-separator pane-separator-${pane}`}
      data-testid={`separator-${pane}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
