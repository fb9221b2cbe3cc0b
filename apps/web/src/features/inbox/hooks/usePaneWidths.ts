import { useCallback, useRef, useState, type RefObject } from 'react';
import { clampWidth, readPaneWidths, writePaneWidths, type Pane, type PaneWidths } from '../paneWidths';

const storage = () => (typeof window === 'undefined' ? undefined : window.localStorage);
/** Below this width the contact panel is hidden (styles), so the list may take its room. */
const CONTACT_HIDDEN = '(max-width: 1100px)';

/** The panes' widths, clamped to the container's width as they change and stored when committed. */
export function usePaneWidths(container: RefObject<HTMLElement | null>) {
  const [widths, setWidths] = useState<PaneWidths>(() => readPaneWidths(storage()));
  const latest = useRef(widths);
  latest.current = widths;

  const resize = useCallback(
    (pane: Pane, width: number) => {
      setWidths((current) => {
        const contactShown = !window.matchMedia(CONTACT_HIDDEN).matches;
        const other = pane === 'list' ? (contactShown ? current.contact : 0) : current.list;
        const next = {
          ...current,
          [pane]: clampWidth(pane, width, other, container.current?.clientWidth ?? 0),
        };
        latest.current = next;
        return next;
      });
    },
    [container],
  );
  const commit = useCallback(() => writePaneWidths(storage(), latest.current), []);
  return { widths, resize, commit };
}
