import { useEffect, useRef } from 'react';
import { titleWithCount } from '../attention';

/**
 * Keeps `(count)` in front of whatever title the current page sets, including titles set after
 * this hook ran (pages render their own <title>), and takes it away when the count drops to 0.
 */
export function useTitleCount(count: number, formattedCount: string) {
  const base = useRef<string>(undefined);
  const ours = useRef('');

  useEffect(() => {
    const apply = () => {
      if (base.current === undefined || document.title !== ours.current) base.current = document.title;
      const next = titleWithCount(base.current, count, formattedCount);
      ours.current = next;
      if (document.title !== next) document.title = next;
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => observer.disconnect();
  }, [count, formattedCount]);

  useEffect(
    () => () => {
      if (base.current !== undefined && document.title === ours.current) document.title = base.current;
    },
    [],
  );
}
