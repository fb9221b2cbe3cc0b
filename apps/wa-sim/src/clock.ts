// The simulator's single source of time. Every delay (status progression, webhook retries, template
// review, media URL expiry, the 24 h window) goes through it, so tests can jump forward in time and a
// manual clock makes whole runs reproducible.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Simulated time in epoch milliseconds. */
  now(): number;
  /** Runs `fn` once the simulated time has moved `delayMs` forward. */
  schedule(delayMs: number, fn: () => void): TimerHandle;
  /** Moves simulated time forward, running every timer that falls due, in due order. */
  advance(ms: number): void;
  readonly mode: 'real' | 'manual';
  /** Stops every pending timer; used on close so the process can exit. */
  dispose(): void;
}

interface PendingTimer {
  due: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

// A binary min-heap ordered by (due, seq): the simulator may hold tens of thousands of pending status
// timers under load, so an O(n) sorted insert would dominate.
class TimerHeap {
  private readonly items: PendingTimer[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): PendingTimer | undefined {
    return this.items[0];
  }

  push(t: PendingTimer): void {
    const a = this.items;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = a[p];
      if (!parent || !isBefore(t, parent)) break;
      a[i] = parent;
      i = p;
    }
    a[i] = t;
  }

  pop(): PendingTimer | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || !last) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const left = a[l];
      if (!left) break;
      const right = a[l + 1];
      const [c, child] = right && isBefore(right, left) ? [l + 1, right] : [l, left];
      if (!isBefore(child, last)) break;
      a[i] = child;
      i = c;
    }
    a[i] = last;
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}

function isBefore(a: PendingTimer, b: PendingTimer): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

export interface ClockOptions {
  mode: 'real' | 'manual';
  /** Start of simulated time (epoch ms); a manual clock needs it, a real clock ignores it. */
  startMs?: number;
  /** Wall-clock source, injectable for tests. */
  wallNow?: () => number;
}

/**
 * Creates the clock. A real clock follows the wall clock plus an offset that `advance` grows; a manual
 * clock only moves when `advance` is called. Both keep their timers in one heap and (real mode) arm a
 * single unref'd Node timer for the earliest one.
 */
export function createClock(options: ClockOptions): Clock {
  const wallNow = options.wallNow ?? Date.now;
  let offset = 0;
  let manualNow = options.startMs ?? wallNow();
  let seq = 0;
  const heap = new TimerHeap();
  let armed: NodeJS.Timeout | undefined;
  let armedFor = Infinity;
  let disposed = false;

  const now = (): number => (options.mode === 'manual' ? manualNow : wallNow() + offset);

  const runDue = (limit: number): void => {
    for (;;) {
      const top = heap.peek();
      if (!top || top.due > limit) break;
      heap.pop();
      if (top.cancelled) continue;
      if (options.mode === 'manual' && top.due > manualNow) manualNow = top.due;
      top.fn();
    }
  };

  const arm = (): void => {
    if (options.mode === 'manual' || disposed) return;
    const top = heap.peek();
    if (!top) return;
    if (armed && armedFor <= top.due) return;
    if (armed) clearTimeout(armed);
    armedFor = top.due;
    armed = setTimeout(
      () => {
        armed = undefined;
        armedFor = Infinity;
        runDue(now());
        arm();
      },
      Math.max(0, top.due - now()),
    );
    armed.unref();
  };

  return {
    mode: options.mode,
    now,
    schedule(delayMs, fn) {
      const timer: PendingTimer = { due: now() + Math.max(0, delayMs), seq: seq++, fn, cancelled: false };
      // Zero-delay work must not wait for a manual advance, otherwise nothing would ever be delivered.
      if (delayMs <= 0) {
        setImmediate(() => {
          if (!timer.cancelled && !disposed) fn();
        }).unref();
      } else {
        heap.push(timer);
        arm();
      }
      return {
        cancel() {
          timer.cancelled = true;
        },
      };
    },
    advance(ms) {
      if (ms < 0) throw new RangeError('the clock only moves forward');
      if (options.mode === 'manual') {
        const target = manualNow + ms;
        runDue(target);
        manualNow = target;
      } else {
        offset += ms;
        runDue(now());
        arm();
      }
    },
    dispose() {
      disposed = true;
      if (armed) clearTimeout(armed);
      armed = undefined;
      heap.clear();
    },
  };
}
