// A worker for a table that is its own queue: loops that claim and work a batch until a claim
// comes back empty, woken at once by `wake()` (work this instance just stored) and otherwise every
// `pollMs` (work other instances stored, retries coming due, lost leases). Busy claims bring in
// more loops, up to `maxLoops`.
import { setImmediate } from 'node:timers/promises';
import type { Logger } from '../logger.ts';

export interface ClaimLoop {
  /** Work is waiting: run a loop now if none is running. */
  wake(): void;
  /** Stops polling and waits for the batches in hand. */
  stop(): Promise<void>;
}

export function startClaimLoop(options: {
  /** Claims and works one batch; returns how many items it claimed (0: nothing to do). */
  runBatch: () => Promise<number>;
  maxLoops: number;
  /** A claim at least this large starts another loop (while fewer than maxLoops run). */
  busyClaim: number;
  pollMs: number;
  /** Runs before each poll's wake. */
  onPoll?: () => void;
  log: Logger;
  name: string;
}): ClaimLoop {
  const { runBatch, maxLoops, busyClaim, pollMs, onPoll, log, name } = options;
  const running = new Set<Promise<void>>();
  let stopped = false;
  /** Set by every wake: a loop that found nothing only stops if nobody woke it meanwhile. */
  let wanted = false;
  // Read through functions: the loop's view of them changes across its awaits.
  const isStopped = () => stopped;
  const wasWoken = () => wanted;

  const spawn = () => {
    const loop = (async () => {
      try {
        while (!isStopped()) {
          // Lets the event loop run first: PGlite answers from microtasks, so a loop that never
          // yielded would keep pending requests (the work of the next batch) from being read.
          await setImmediate();
          if (isStopped()) return;
          wanted = false;
          const claimed = await runBatch();
          if (claimed >= busyClaim && running.size < maxLoops && !isStopped()) spawn();
          if (claimed === 0 && !wasWoken()) return;
        }
      } catch (err) {
        log.error({ err }, `${name} failed; it resumes at the next poll`);
      }
    })();
    running.add(loop);
    void loop.finally(() => running.delete(loop));
  };
  const wake = () => {
    if (stopped) return;
    wanted = true;
    if (running.size === 0) spawn();
  };
  const timer = setInterval(() => {
    onPoll?.();
    wake();
  }, pollMs);
  timer.unref();
  wake();
  return {
    wake,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all([...running]);
    },
  };
}
