import { TIER_LIMITS, type Tier } from './config.ts';

// Meta's three send limits (contract doc §7): per-number throughput (130429), the per-customer pair
// rate (131056), and the portfolio messaging limit (unique customers reached outside the window in a
// moving 24 h).

const DAY = 24 * 3600_000;

/** Sliding one-second window of message timestamps per phone number. */
export class ThroughputLimiter {
  private readonly events = new Map<string, number[]>();
  private readonly heads = new Map<string, number>();

  /** Records one message if the number is under `mps` in the last second; returns false when over. */
  tryTake(phoneNumberId: string, mps: number, now: number, force = false): boolean {
    let list = this.events.get(phoneNumberId);
    if (!list) {
      list = [];
      this.events.set(phoneNumberId, list);
    }
    let head = this.heads.get(phoneNumberId) ?? 0;
    while (head < list.length && (list[head] ?? 0) <= now - 1000) head++;
    // Compact now and then instead of shifting on every call.
    if (head > 4096) {
      list.splice(0, head);
      head = 0;
    }
    this.heads.set(phoneNumberId, head);
    if (!force && list.length - head >= mps) return false;
    list.push(now);
    return true;
  }
}

/** Token bucket per (number, customer): `burst` messages at once, refilled one per `intervalMs`. */
export class PairLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly burst: number;
  private readonly intervalMs: number;

  constructor(burst: number, intervalMs: number) {
    this.burst = burst;
    this.intervalMs = intervalMs;
  }

  tryTake(phoneNumberId: string, waId: string, now: number): boolean {
    const key = `${phoneNumberId}:${waId}`;
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) / this.intervalMs);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

/** Unique customers a business portfolio opened conversations with outside the window, per moving 24 h. */
export class MessagingLimitTracker {
  private readonly reached = new Map<string, Map<string, number>>();

  /** Records a business-initiated send; returns false when a new customer would exceed the tier. */
  tryReach(wabaId: string, waId: string, tier: Tier, now: number): boolean {
    if (TIER_LIMITS[tier] === Infinity) return true;
    let m = this.reached.get(wabaId);
    if (!m) {
      m = new Map();
      this.reached.set(wabaId, m);
    }
    for (const [id, at] of m) if (at <= now - DAY) m.delete(id);
    if (m.has(waId)) {
      m.set(waId, now);
      return true;
    }
    if (m.size >= TIER_LIMITS[tier]) return false;
    m.set(waId, now);
    return true;
  }

  count(wabaId: string, now: number): number {
    const m = this.reached.get(wabaId);
    if (!m) return 0;
    let n = 0;
    for (const at of m.values()) if (at > now - DAY) n++;
    return n;
  }
}
