import { useCallback, useEffect, useState } from 'react';

/** Disables a form for the server-given Retry-After delay, then re-enables it. */
export function useCooldown(): { coolingDown: boolean; startCooldown: (seconds: number) => void } {
  const [seconds, setSeconds] = useState(0);

  useEffect(() => {
    if (seconds <= 0) return undefined;
    const timer = window.setTimeout(() => setSeconds(0), seconds * 1000);
    return () => window.clearTimeout(timer);
  }, [seconds]);

  const startCooldown = useCallback((next: number) => setSeconds(Math.max(0, next)), []);
  return { coolingDown: seconds > 0, startCooldown };
}
