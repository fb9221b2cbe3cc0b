/** Time source. Inject it: SLA, token expiry and the 24-hour window must be testable at any time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can move. */
export class ManualClock implements Clock {
  #t: number;
  constructor(start: Date | string = '2026-01-01T00:00:00Z') {
    this.#t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#t);
  }
  advance(ms: number): void {
    this.#t += ms;
  }
  set(at: Date | string): void {
    this.#t = new Date(at).getTime();
  }
}

/**
 * The system clock moved forward by an offset that only grows, for `switchboard start --test-clock`
 * (end-to-end tests that need the 24-hour window to close). Never rewinds: stored times, such as
 * a conversation's window, only ever move forward.
 */
export class ShiftedClock implements Clock {
  #offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('a test clock only moves forward');
    this.#offsetMs += ms;
  }
}
