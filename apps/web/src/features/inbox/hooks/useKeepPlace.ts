import { useCallback, useEffect, useLayoutEffect, useRef, type RefObject } from 'react';

interface Anchor {
  id: string;
  /** The anchor's top, relative to the scroller's top, in pixels. */
  top: number;
}

/** The first element matching `selector` whose bottom is inside the scroller: what the reader sees first. */
function topElement(scroller: HTMLElement, selector: string): Anchor | null {
  const box = scroller.getBoundingClientRect();
  for (const el of scroller.querySelectorAll<HTMLElement>(selector)) {
    const rect = el.getBoundingClientRect();
    if (rect.bottom > box.top + 1) return { id: el.id, top: rect.top - box.top };
  }
  return null;
}

const MAX_FRAMES = 30;
const STABLE_FRAMES = 3;

/**
 * Keeps the reader's place when older items are prepended: the element at the top of the view
 * before the prepend (tracked on every scroll) is put back at the same height afterwards, frame
 * by frame while rows are measured. The virtualizer anchors too, from estimated heights; this
 * corrects what the estimates miss. `scrollToKey` brings an anchor the view lost back into the DOM. Answers `capture`.
 */
export function useKeepPlace(
  scroller: RefObject<HTMLElement | null>,
  selector: string,
  firstKey: string | undefined,
  lastKey: string | undefined,
  scrollToKey: (id: string) => void,
): () => void {
  const anchor = useRef<Anchor | null>(null);
  const correcting = useRef(false);
  const previous = useRef({ firstKey, lastKey });

  const capture = () => {
    const el = scroller.current;
    if (el !== null && !correcting.current) anchor.current = topElement(el, selector);
  };
  const captureRef = useRef(capture);
  captureRef.current = capture;
  const scrollToKeyRef = useRef(scrollToKey);
  scrollToKeyRef.current = scrollToKey;
  const raf = useRef(0);
  useEffect(() => () => cancelAnimationFrame(raf.current), []);

  useEffect(() => {
    const el = scroller.current;
    if (el === null) return undefined;
    const onScroll = () => captureRef.current();
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [scroller, firstKey === undefined]);

  useLayoutEffect(() => {
    const before = previous.current;
    previous.current = { firstKey, lastKey };
    const el = scroller.current;
    const target = anchor.current;
    const prepended =
      before.firstKey !== undefined && firstKey !== before.firstKey && lastKey === before.lastKey;
    if (!prepended || el === null || target === null) return;
    // A correction runs over several frames (rows are measured after they render); re-renders
    // meanwhile do not stop it, a later prepend starts a new one.
    cancelAnimationFrame(raf.current);
    correcting.current = true;
    let frames = 0;
    let stable = 0;
    const step = () => {
      const node = document.getElementById(target.id);
      if (node === null) {
        scrollToKeyRef.current(target.id);
        stable = 0;
      } else {
        const delta = node.getBoundingClientRect().top - el.getBoundingClientRect().top - target.top;
        if (Math.abs(delta) >= 1) {
          el.scrollTop += delta;
          stable = 0;
        } else stable++;
      }
      frames++;
      if (stable < STABLE_FRAMES && frames < MAX_FRAMES) raf.current = requestAnimationFrame(step);
      else correcting.current = false;
    };
    step();
  }, [firstKey, lastKey, scroller]);

  // Stable, for effects' dependencies: records the anchor now (before asking for older items).
  return useCallback(() => captureRef.current(), []);
}
