import type { SimCore } from './sim-core.ts';

// Load mode: N inbound messages per second from M customers for a duration, for benchmarks. It runs on
// real timers (not the simulated clock) because its purpose is to measure wall-clock throughput.

export interface LoadOptions {
  phoneNumberId: string;
  ratePerSecond: number;
  customers: number;
  durationMs: number;
  /** First customer number; customers are consecutive numbers from here. */
  firstCustomer?: number;
  text?: string;
}

export interface LoadStatus {
  id: number;
  sent: number;
  target: number;
  running: boolean;
  startedAt: number;
  finishedAt: number | undefined;
}

const TICK_MS = 10;

export class LoadRunner {
  private nextId = 1;
  private readonly runs = new Map<number, { status: LoadStatus; timer: NodeJS.Timeout }>();

  constructor(private readonly core: SimCore) {}

  start(o: LoadOptions): LoadStatus {
    if (!this.core.store.phones.has(o.phoneNumberId))
      throw new Error(`unknown phoneNumberId ${o.phoneNumberId}`);
    const startedAt = Date.now();
    const target = Math.floor((o.ratePerSecond * o.durationMs) / 1000);
    const status: LoadStatus = {
      id: this.nextId++,
      sent: 0,
      target,
      running: true,
      startedAt,
      finishedAt: undefined,
    };
    const first = o.firstCustomer ?? 5_511_900_000_000;
    const timer = setInterval(() => {
      // Catch up to where the schedule says we should be, so timer jitter does not lower the rate.
      const due = Math.min(target, Math.floor(((Date.now() - startedAt) * o.ratePerSecond) / 1000));
      while (status.sent < due) {
        const from = String(first + (status.sent % Math.max(1, o.customers)));
        this.core.inbound({
          phoneNumberId: o.phoneNumberId,
          from,
          type: 'text',
          text: { body: `${o.text ?? 'load message'} #${status.sent}` },
        });
        status.sent++;
      }
      if (status.sent >= target) this.finish(status.id);
    }, TICK_MS);
    timer.unref();
    this.runs.set(status.id, { status, timer });
    return status;
  }

  status(id: number): LoadStatus | undefined {
    return this.runs.get(id)?.status;
  }

  finish(id: number): void {
    const run = this.runs.get(id);
    if (!run?.status.running) return;
    clearInterval(run.timer);
    run.status.running = false;
    run.status.finishedAt = Date.now();
  }

  stopAll(): void {
    for (const id of this.runs.keys()) this.finish(id);
  }
}
