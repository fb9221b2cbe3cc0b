import type { Clock } from '../clock.ts';
import type { Faults } from '../config.ts';
import { createRandom, type Random } from '../random.ts';
import { buildEnvelope, isStatusUpdate, type Update } from './envelope.ts';
import { createHttpClient, type HttpClient } from './http-post.ts';
import { serializeEscaped, signBody } from './sign.ts';

// Delivers updates to the callback URL with Meta's semantics: the GET handshake first, signed POSTs,
// batching, at-least-once delivery with retries on anything other than HTTP 200, and switchable faults
// (duplicates, out-of-order statuses, slow or failing attempts) drawn from a seeded random source.

export interface WebhookSettings {
  url: string | undefined;
  appSecret: string;
  verifyToken: string;
  skipVerification: boolean;
  batchSize: number;
  batchWindowMs: number;
  concurrency: number;
  retryDelaysMs: number[];
  maxAgeMs: number;
  timeoutMs: number;
}

export interface AttemptRecord {
  at: number;
  /** HTTP status, or 0 when the request failed (network error, timeout or injected failure). */
  status: number;
  error?: string;
}

export interface DeliveryRecord {
  id: number;
  body: string;
  signature: string;
  updates: number;
  state: 'pending' | 'delivered' | 'dropped';
  duplicate: boolean;
  attempts: AttemptRecord[];
  firstAttemptAt: number | undefined;
}

export type VerificationState = 'none' | 'verifying' | 'verified' | 'failed';

export interface DispatcherStats {
  verification: VerificationState;
  delivered: number;
  pending: number;
  dropped: number;
  failedAttempts: number;
  duplicatesSent: number;
}

const LOG_LIMIT = 5000;

export class WebhookDispatcher {
  private settings: WebhookSettings;
  private faults: Faults;
  private faultRandom: Random;
  private readonly clock: Clock;
  private readonly http: HttpClient;
  private batch: Update[] = [];
  private batchTimerArmed = false;
  private readonly ready: DeliveryRecord[] = [];
  private inFlight = 0;
  /** Attempts (counted in `inFlight`) still waiting out the `slowMs` fault on the clock. */
  private parked = 0;
  private nextId = 1;
  private verification: VerificationState = 'none';
  private handshakeAttempt = 0;
  private readonly log: DeliveryRecord[] = [];
  private readonly counters = { delivered: 0, dropped: 0, failedAttempts: 0, duplicatesSent: 0, pending: 0 };
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(settings: WebhookSettings, faults: Faults, fallbackSeed: number, clock: Clock) {
    this.settings = settings;
    this.faults = faults;
    this.faultRandom = createRandom(faults.seed ?? fallbackSeed);
    this.clock = clock;
    this.http = createHttpClient(settings.concurrency);
  }

  get verificationState(): VerificationState {
    return this.verification;
  }

  /** Changes the callback (URL, secret, token) and runs the verification handshake again. */
  configure(patch: Partial<WebhookSettings>): Promise<VerificationState> {
    this.settings = { ...this.settings, ...patch };
    this.handshakeAttempt = 0;
    return this.verify();
  }

  setFaults(faults: Faults, fallbackSeed: number): void {
    this.faults = faults;
    this.faultRandom = createRandom(faults.seed ?? fallbackSeed);
  }

  getFaults(): Faults {
    return this.faults;
  }

  /** Sends Meta's GET handshake; until it succeeds, updates are held (and the handshake retried). */
  async verify(): Promise<VerificationState> {
    const { url, verifyToken, skipVerification } = this.settings;
    if (!url) {
      this.verification = 'none';
      return this.verification;
    }
    if (skipVerification) {
      this.verification = 'verified';
      this.pump();
      return this.verification;
    }
    this.verification = 'verifying';
    const challenge = String(1_000_000_000 + this.faultRandom.int(1_000_000_000));
    const target = new URL(url);
    target.searchParams.set('hub.mode', 'subscribe');
    target.searchParams.set('hub.challenge', challenge);
    target.searchParams.set('hub.verify_token', verifyToken);
    let ok = false;
    try {
      const res = await this.http.request('GET', target.toString(), undefined, {}, this.settings.timeoutMs);
      ok = res.status === 200 && res.body === challenge;
    } catch {
      ok = false;
    }
    if (this.closed) return this.verification;
    this.verification = ok ? 'verified' : 'failed';
    if (ok) this.pump();
    else {
      // Meta would simply refuse the URL. The simulator keeps retrying so that it can be started before
      // the receiver is listening (the demo starts both at once).
      const delay = this.retryDelay(this.handshakeAttempt++);
      this.clock.schedule(delay, () => {
        if (this.verification === 'failed') void this.verify();
      });
    }
    return this.verification;
  }

  /** Queues one update for delivery, applying the out-of-order fault to statuses. */
  enqueue(update: Update): void {
    if (this.closed) return;
    this.counters.pending++;
    if (
      isStatusUpdate(update) &&
      this.faults.outOfOrderRate > 0 &&
      this.faultRandom.next() < this.faults.outOfOrderRate
    ) {
      // Holding a status back lets the next status of the same message overtake it.
      this.clock.schedule(50 + this.faultRandom.int(200), () => this.addToBatch(update));
      return;
    }
    this.addToBatch(update);
  }

  private addToBatch(update: Update): void {
    this.batch.push(update);
    if (this.batch.length >= this.settings.batchSize) {
      this.flushBatch();
      return;
    }
    if (!this.batchTimerArmed) {
      this.batchTimerArmed = true;
      this.clock.schedule(this.settings.batchWindowMs, () => {
        this.batchTimerArmed = false;
        this.flushBatch();
      });
    }
  }

  private flushBatch(): void {
    while (this.batch.length > 0) {
      const updates = this.batch.splice(0, this.settings.batchSize);
      const body = serializeEscaped(buildEnvelope(updates));
      this.counters.pending -= updates.length - 1;
      this.push(this.newDelivery(body, updates.length, false));
    }
  }

  private newDelivery(body: string, updates: number, duplicate: boolean): DeliveryRecord {
    const record: DeliveryRecord = {
      id: this.nextId++,
      body,
      signature: signBody(body, this.settings.appSecret),
      updates,
      state: 'pending',
      duplicate,
      attempts: [],
      firstAttemptAt: undefined,
    };
    this.log.push(record);
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
    return record;
  }

  private push(record: DeliveryRecord): void {
    this.ready.push(record);
    this.pump();
  }

  private pump(): void {
    if (this.verification !== 'verified' || this.closed) return;
    while (this.inFlight < this.settings.concurrency && this.ready.length > 0) {
      const record = this.ready.shift();
      if (!record) break;
      this.inFlight++;
      if (this.faults.slowMs > 0) {
        this.parked++;
        this.clock.schedule(this.faults.slowMs, () => {
          this.parked--;
          void this.attempt(record);
        });
      } else void this.attempt(record);
    }
  }

  private async attempt(record: DeliveryRecord): Promise<void> {
    const at = this.clock.now();
    record.firstAttemptAt ??= at;
    const attempt: AttemptRecord = { at, status: 0 };
    record.attempts.push(attempt);
    const url = this.settings.url;
    if (!url) attempt.error = 'no callback URL';
    else if (this.faults.failRate > 0 && this.faultRandom.next() < this.faults.failRate) {
      attempt.error = 'injected failure';
    } else {
      try {
        const headers = { 'content-type': 'application/json', 'x-hub-signature-256': record.signature };
        const res = await this.http.request('POST', url, record.body, headers, this.settings.timeoutMs);
        attempt.status = res.status;
      } catch (err) {
        attempt.error = err instanceof Error ? err.message : String(err);
      }
    }
    this.inFlight--;
    if (this.closed) return;
    if (attempt.status === 200) this.onDelivered(record);
    else this.onFailedAttempt(record);
    this.pump();
    this.checkIdle();
  }

  private onDelivered(record: DeliveryRecord): void {
    record.state = 'delivered';
    this.counters.delivered++;
    if (!record.duplicate) this.counters.pending--;
    if (
      !record.duplicate &&
      this.faults.duplicateRate > 0 &&
      this.faultRandom.next() < this.faults.duplicateRate
    ) {
      // Same bytes, same signature: what a receiver sees when Meta redelivers an acknowledged POST.
      this.counters.duplicatesSent++;
      const copy = this.newDelivery(record.body, record.updates, true);
      this.clock.schedule(this.faultRandom.int(100), () => this.push(copy));
    }
  }

  private onFailedAttempt(record: DeliveryRecord): void {
    this.counters.failedAttempts++;
    const age = this.clock.now() - (record.firstAttemptAt ?? this.clock.now());
    if (age >= this.settings.maxAgeMs) {
      record.state = 'dropped';
      this.counters.dropped++;
      if (!record.duplicate) this.counters.pending--;
      return;
    }
    const delay = this.retryDelay(record.attempts.length - 1);
    this.clock.schedule(delay, () => this.push(record));
  }

  private retryDelay(attemptIndex: number): number {
    const d = this.settings.retryDelaysMs;
    return d[Math.min(attemptIndex, d.length - 1)] ?? 1000;
  }

  stats(): DispatcherStats {
    return { verification: this.verification, ...this.counters };
  }

  deliveries(limit = 100): DeliveryRecord[] {
    return this.log.slice(-limit);
  }

  /** Resolves once every queued update has been delivered or dropped. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * True while delivery can progress without the clock moving: a POST in flight, a queued delivery
   * with a free slot, or a batch about to be flushed. Work parked on the clock (retries, held,
   * duplicated or slowed deliveries, a batch window, and whatever queues behind them) does not count:
   * on a manual clock a test advances time once this is false, so every attempt gets a reproducible
   * timestamp.
   */
  busy(): boolean {
    if (this.inFlight > this.parked) return true;
    const canStart = this.verification === 'verified' && this.inFlight < this.settings.concurrency;
    if (this.ready.length > 0 && canStart) return true;
    return this.batch.length > 0 && this.settings.batchWindowMs === 0;
  }

  private isIdle(): boolean {
    return this.counters.pending === 0 && this.inFlight === 0 && this.ready.length === 0;
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  close(): void {
    this.closed = true;
    this.http.close();
    this.checkIdle();
    for (const w of this.idleWaiters) w();
    this.idleWaiters = [];
  }
}
