// Pacing inside one process (ADR 0006). Claims reserve a number's send slots in the shared
// `send_pacing` row; the slots go into this process's pool, and each message takes the earliest
// usable one when it is ready to leave (when the client's previous message was answered), so a
// client's messages never wait for a slot planned before they could go. A slot that passed unused
// is dropped; a message that finds none reserves a fresh one. The send gate is the last check.
import { setImmediate, setTimeout as sleep } from 'node:timers/promises';

/**
 * A send more than LATE_MS behind its slot (a busy process) takes a later slot instead of going
 * late, so that every send leaves within LATE_MS of a slot of its own. Meta counts requests as
 * they arrive, up to TRANSIT_JITTER_MS apart from when they left. Slots are spread so that any
 * second at Meta holds at most the number's rate: (1000 + LATE_MS + TRANSIT_JITTER_MS) / interval
 * <= mps, which caps a number at 1/1.04 = 96% of its rate.
 */
export const LATE_MS = 15;
const TRANSIT_JITTER_MS = 25;
const SLOT_MARGIN = 1 + (LATE_MS + TRANSIT_JITTER_MS) / 1000;
export const slotInterval = (mps: number) => (1000 / mps) * SLOT_MARGIN;

/**
 * The offset from this process's clock to the database's. A claim reads the database's `now()`
 * (its transaction's start), which is at or after the local time taken before it began: each
 * reading is the offset plus a delay (a busy pool, the network), never minus one. The smallest
 * reading of the last `windowMs` is the best estimate; a loaded moment's late reading would
 * otherwise make slots look passed and waste them. The window is long (clocks drift by far less
 * in it) so that the estimate does not move as readings age out: a jump forward would waste the
 * slots messages are sleeping for, and one back would send them early.
 */
export function createClockOffset(windowMs = 30_000) {
  let readings: { at: number; offset: number }[] = [];
  let best = 0;
  return {
    measured(dbNow: number, localBefore: number): void {
      readings = readings.filter((r) => localBefore - r.at < windowMs);
      readings.push({ at: localBefore, offset: dbNow - localBefore });
      best = Math.min(...readings.map((r) => r.offset));
    },
    value: () => best,
  };
}

export function createSlotPool(deps: {
  /** Database time (ms), as the process last measured it. */
  dbTime: () => number;
  /** Reserves `count` fresh slots of the number in the shared row; returns their times. */
  reserve: (numberId: string, count: number) => Promise<number[]>;
}) {
  const { dbTime, reserve } = deps;
  const pools = new Map<string, number[]>();
  /** One fresh reservation at a time per number, for every message that found no slot. */
  const refills = new Map<string, { wanted: number; done: Promise<void> }>();
  /** Slots that passed unused, and slots a message woke too late for (diagnosis). */
  const wasted = { passed: 0, late: 0 };

  const add = (numberId: string, slots: readonly number[]) => {
    const pool = pools.get(numberId) ?? [];
    pools.set(numberId, pool.length === 0 ? [...slots] : [...pool, ...slots].sort((a, b) => a - b));
  };
  /** The earliest slot still usable, spent; slots that passed unused are dropped. */
  const next = (numberId: string): number | undefined => {
    const pool = pools.get(numberId);
    if (!pool) return undefined;
    while ((pool[0] ?? Infinity) < dbTime() - LATE_MS) {
      pool.shift();
      wasted.passed += 1;
    }
    const slot = pool.shift();
    if (pool.length === 0) pools.delete(numberId);
    return slot;
  };
  const refill = (numberId: string): Promise<void> => {
    const pending = refills.get(numberId);
    if (pending) {
      pending.wanted += 1;
      return pending.done;
    }
    const request = { wanted: 1, done: Promise.resolve() };
    request.done = (async () => {
      // Gathers the messages that run out in the same turn of the event loop into one request.
      await setImmediate();
      try {
        add(numberId, await reserve(numberId, request.wanted));
      } finally {
        refills.delete(numberId);
      }
    })();
    refills.set(numberId, request);
    return request.done;
  };
  /** Sleeps until the slot, by the database's clock (as estimated when the sleep ends). */
  const until = async (slot: number) => {
    for (let wait = slot - dbTime(); wait > 0; wait = slot - dbTime()) await sleep(wait);
  };

  return {
    add,
    wasted,
    /**
     * Waits for the earliest usable slot of the number and spends it. A message woken too late
     * for its slot (a busy process) takes the next one; one that finds none reserves fresh slots,
     * and after one fresh slot it goes even if late: a loaded process that kept taking them would
     * slow the number down for everyone, and the send gate still spreads what it sends.
     */
    async take(numberId: string): Promise<void> {
      for (;;) {
        let slot = next(numberId);
        const fresh = slot === undefined;
        if (slot === undefined) {
          await refill(numberId);
          slot = next(numberId);
          if (slot === undefined) continue;
        }
        await until(slot);
        if (fresh || dbTime() - slot <= LATE_MS) return;
        wasted.late += 1;
      }
    },
  };
}

export type SlotPool = ReturnType<typeof createSlotPool>;

/**
 * The last check before a request leaves: at most `mps` sends of a number in any window of
 * WINDOW_MS in this process, as wide as `mps` slots (so it never holds back sends that keep to
 * their slots). Shared slots space sends across instances, but a process that falls behind (a
 * busy event loop) would fire its late sends together; this keeps them spread.
 */
const WINDOW_MS = 1000 * SLOT_MARGIN;
export function createSendGate() {
  const recent = new Map<string, number[]>();
  return {
    async pass(numberId: string, mps: number): Promise<void> {
      let times = recent.get(numberId);
      if (!times) recent.set(numberId, (times = []));
      for (;;) {
        const now = performance.now();
        while ((times[0] ?? Infinity) <= now - WINDOW_MS) times.shift();
        if (times.length < mps) {
          times.push(now);
          return;
        }
        await sleep((times[0] ?? now) + WINDOW_MS - now + 1);
      }
    },
  };
}
