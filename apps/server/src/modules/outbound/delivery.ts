// The delivery engine (ADR 0006): claims queued messages, paces them per number and per client
// with slots every instance shares, sends each at its slot and records what Meta answered.
//
// A claim marks its messages `sending` before any request leaves. A worker that dies with them
// in hand leaves claims that lapse; the messages then become `unknown` (the request may have
// reached Meta) and are never resent automatically. Retries happen only when Meta answered with
// a retryable error or the request cannot have left.
//
// This file claims the messages and runs the engine (polling, sweeps, stop, the pacing shared by
// instances); sending each client's claimed line and settling its outcomes is delivery-lines.ts.
import type { Clock } from '../../platform/clock.ts';
import { createBatcher } from '../../platform/batcher.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import { groupBy } from '../../platform/group-by.ts';
import { startClaimLoop } from '../../platform/jobs/claim-loop.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RealtimeBus } from '../../platform/realtime/realtime-bus.ts';
import type { GraphCaller } from '../whatsapp/graph-http.ts';
import { numbersRepo } from '../whatsapp/numbers.repo.ts';
import {
  deliveryRepo,
  frontRuns,
  pacingOf,
  reserveSlots,
  setPacing,
  type LineEntry,
  type LineWait,
} from './outbound.repo.ts';
import type { Attachments } from './attachments.ts';
import { createClockOffset, createSlotPool, slotInterval } from './send-pacing.ts';
import { createLineSender, type Claimed, type ClaimedLine, type LineKey } from './delivery-lines.ts';

export interface DeliveryOptions {
  /** Due messages a claim looks at, at most (their clients' lines are read whole). */
  batch: number;
  /** How far ahead of now a claim reserves number slots. */
  horizonMs: number;
  /** A claim lapses this long after its slot (longer than a request's timeout). */
  leaseMs: number;
  /** Attempts before a retryable failure becomes final. */
  maxAttempts: number;
  pollMs: number;
  /** Messages claimed and not yet settled, at most, in this process. */
  maxInFlight: number;
  /** How long a send waits for Graph's answer before its fate is unknown. */
  requestTimeoutMs: number;
  /** Meta's pair rate: one message per `pairIntervalMs` to a client, with bursts of `pairBurst`. */
  pairIntervalMs: number;
  pairBurst: number;
  /** A client's messages one claim takes, at most (the rest of its line waits for them). */
  lineDepth: number;
}

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  batch: 2000,
  horizonMs: 1000,
  leaseMs: 60_000,
  maxAttempts: 8,
  pollMs: 200,
  maxInFlight: 2000,
  requestTimeoutMs: 30_000,
  // Contract §7: 1 message per 6 s to the same user, bursts of up to 45.
  pairIntervalMs: 6000,
  pairBurst: 45,
  lineDepth: 4,
};

/**
 * Every this many polls, parked messages whose line has nothing on its way are freed (the process
 * that should have freed them failed to).
 */
const PARKED_SWEEP_POLLS = 25;

/**
 * A client's messages are spread 5% wider than Meta's pair rate, as a number's slots are spread
 * wider than its rate (SLOT_MARGIN, send-pacing.ts).
 */
const PAIR_MARGIN = 1.05;

const numberKey = (numberId: string) => `number:${numberId}`;
const pairKey = (item: { numberId: string; contactId: string }) => `pair:${item.numberId}:${item.contactId}`;

/** Messages claimed, the number slots reserved for them, and the lines with more parked behind. */
interface Assigned {
  claimed: Claimed[];
  slots: Map<string, number[]>;
  deeper: Set<string>;
}
const nothingAssigned = (): Assigned => ({ claimed: [], slots: new Map(), deeper: new Set() });

export function createDelivery(deps: {
  database: Database;
  clock: Clock;
  realtime: Pick<RealtimeBus, 'publish'>;
  graph: GraphCaller;
  attachments: Pick<Attachments, 'graphMediaId'>;
  log: Logger;
  options?: Partial<DeliveryOptions>;
}) {
  const { database, clock, realtime, graph, log } = deps;
  const options = { ...DEFAULT_DELIVERY_OPTIONS, ...deps.options };
  /** Clients' lines being worked, and settlements being written (stop waits for both). */
  const working = new Set<Promise<void>>();
  /** Messages claimed by this process and not yet settled or released. */
  let inHand = 0;
  /** The throughput of the numbers this process sends for, as last read. */
  const rates = new Map<string, number>();
  let stopping = false;
  const track = (work: Promise<void>) => {
    working.add(work);
    void work.finally(() => working.delete(work));
  };

  const clockOffset = createClockOffset();
  const slotPool = createSlotPool({
    dbTime: () => Date.now() + clockOffset.value(),
    reserve: async (numberId, count) => {
      const interval = slotInterval(rates.get(numberId) ?? 80);
      const first = await database.system((tx) => reserveSlots(tx, numberKey(numberId), count, interval));
      return Array.from({ length: count }, (_, i) => first + i * interval);
    },
  });

  const { counters, gauges, prepare, settle, workLine } = createLineSender({
    database,
    clock,
    realtime,
    graph,
    attachments: deps.attachments,
    log,
    options,
    slotPool,
    rates,
    track,
    onReleased: (count) => {
      inHand -= count;
    },
    wake: () => loop?.wake(),
    claimMore: (line) => topUps.add(line),
  });

  /**
   * Claims messages at the front of clients' lines (`fronts` reads them, at most `room`) and gives
   * each a slot (`assign`), then reads what they need to leave. Answers the claimed lines by client,
   * each in write order, and whether more of it is parked behind them.
   */
  async function claim(
    fronts: (repo: ReturnType<typeof deliveryRepo>, room: number) => Promise<LineEntry[]>,
  ): Promise<Map<string, ClaimedLine>> {
    const before = Date.now();
    const { claimed, slots, deeper, dbNow } = await database.system(async (tx) => {
      const repo = deliveryRepo(tx);
      const dbNow = await repo.lockClaims();
      const room = options.maxInFlight - inHand;
      if (room <= 0 || stopping) return { ...nothingAssigned(), dbNow };
      const runs = frontRuns(await fronts(repo, room));
      const locked = await repo.lockQueued(runs.slice(0, room).map((r) => r.messageId));
      return {
        ...(await assign(
          tx,
          dbNow,
          runs.filter((r) => locked.has(r.messageId)),
        )),
        dbNow,
      };
    });
    clockOffset.measured(dbNow, before);
    if (claimed.length === 0) return new Map();
    for (const [numberId, times] of slots) slotPool.add(numberId, times);
    inHand += claimed.length;
    const lines = new Map<string, ClaimedLine>();
    for (const [key, prepared] of groupBy(await prepare(claimed), (p) => pairKey(p.item))) {
      prepared.sort((a, b) => a.item.seq - b.item.seq);
      lines.set(key, { prepared, more: deeper.has(key) });
    }
    return lines;
  }

  /**
   * Claims the next messages of lines this process is sending (their last claimed message is on
   * its way), so that a busy line never waits for the line to be freed and claimed again.
   */
  const topUps = createBatcher(async (held: LineKey[]) => {
    const lines = await claim((repo) => repo.heldLineFronts(held, options.lineDepth + 1));
    for (const line of lines.values()) counters.toppedUp += line.prepared.length;
    return held.map((h) => lines.get(pairKey(h)) ?? { prepared: [], more: false });
  });

  /**
   * Gives locked messages at the front of their lines their pacing: the client's pair rate first
   * (beyond its burst, the rest of the line waits), then the number's throughput (slots 1/mps
   * apart, up to the horizon; a line the number could not start waits for free slots, the rest
   * of a started line is parked until its claimed messages are answered). Marks those taken
   * `sending`.
   */
  async function assign(tx: Executor, dbNow: number, due: LineEntry[]): Promise<Assigned> {
    const repo = deliveryRepo(tx);
    if (due.length === 0) return nothingAssigned();
    /** Why a line stops in this claim, from the first message not taken on. */
    const stops = new Map<string, { item: LineEntry; pairAt?: number }>();
    const pairs = await pacingOf(tx, [...new Set(due.map(pairKey))]);
    const pairTolerance = (options.pairBurst - 1) * options.pairIntervalMs;
    /** The pair's arrival time after each message, should it be sent. */
    const pairAfter = new Map<string, number>();
    const paced: LineEntry[] = [];
    /** Messages taken on per line (at most `lineDepth`; the rest of the line is parked). */
    const depth = new Map<string, number>();
    for (const item of due) {
      const key = pairKey(item);
      if (stops.has(key) || (depth.get(key) ?? 0) >= options.lineDepth) continue;
      const tat = Math.max(pairs.get(key) ?? dbNow, dbNow);
      if (tat - dbNow > pairTolerance) {
        stops.set(key, { item, pairAt: tat - pairTolerance });
        continue;
      }
      depth.set(key, (depth.get(key) ?? 0) + 1);
      pairs.set(key, tat + options.pairIntervalMs * PAIR_MARGIN);
      pairAfter.set(item.messageId, tat + options.pairIntervalMs * PAIR_MARGIN);
      paced.push(item);
    }

    const byNumber = groupBy(paced, (item) => item.numberId);
    const rates = await numbersRepo(tx).throughputOf([
      ...new Map(paced.map((i) => [i.numberId, { tenantId: i.tenantId, id: i.numberId }])).values(),
    ]);
    const nextFree = await pacingOf(tx, [...byNumber.keys()].map(numberKey));
    const claimed: Claimed[] = [];
    /** The slots each number gives this claim, reserved last (below). */
    const takes: { numberId: string; count: number; interval: number; lastAt: number }[] = [];
    const pairUpdates = new Map<string, number>();
    /** Where each line taken in this claim ends. */
    const lastTaken = new Map<string, LineEntry>();
    const waits: LineWait[] = [];
    const deeper = new Set<string>();
    for (const [numberId, items] of byNumber) {
      const interval = slotInterval(rates.get(numberId) ?? 80);
      const from = Math.max(nextFree.get(numberKey(numberId)) ?? dbNow, dbNow);
      // At least one slot when the number is free now, however slow its rate.
      const free = Math.max(from <= dbNow ? 1 : 0, Math.floor((dbNow + options.horizonMs - from) / interval));
      const take = items.slice(0, free);
      for (const item of take) lastTaken.set(pairKey(item), item);
      // The number is busy until past the horizon: lines it could not start wait until slots
      // free up (the cut lines it did start are parked below).
      for (const item of items.slice(free)) {
        if (!lastTaken.has(pairKey(item)) && !stops.has(pairKey(item)))
          stops.set(pairKey(item), { item, pairAt: from - options.horizonMs / 2 });
      }
      if (take.length === 0) continue;
      takes.push({ numberId, count: take.length, interval, lastAt: from + (take.length - 1) * interval });
      for (const item of take) {
        claimed.push({ ...item, attempts: item.attempts + 1 });
        pairUpdates.set(pairKey(item), pairAfter.get(item.messageId) ?? dbNow);
      }
    }
    /** The first message after each started line's last taken one. */
    const nextAfter = new Map<string, LineEntry>();
    for (const d of due) {
      const key = pairKey(d);
      if (!nextAfter.has(key) && d.seq > (lastTaken.get(key)?.seq ?? Infinity)) nextAfter.set(key, d);
    }
    for (const [key, item] of lastTaken) {
      // The rest of a started line waits for its claimed messages to be answered (parked); a
      // pair-rate wait just after them keeps its time.
      const stop = stops.get(key);
      const next = nextAfter.get(key);
      if (stop?.pairAt !== undefined && next === stop.item)
        waits.push({ ...item, fromSeq: stop.item.seq, atMs: stop.pairAt });
      else {
        waits.push({ ...item, fromSeq: item.seq + 1, atMs: null });
        if (next) deeper.add(key);
      }
    }
    for (const [key, stop] of stops) {
      if (!lastTaken.has(key) && stop.pairAt !== undefined)
        waits.push({ ...stop.item, fromSeq: stop.item.seq, atMs: stop.pairAt });
    }
    await setPacing(
      tx,
      [...pairUpdates].map(([key, at]) => ({ key, at })),
    );
    await repo.postponeLines(waits);
    // A claim lapses `leaseMs` after its last slot (as planned; the reservation below may start a
    // moment later, far less than the lease).
    await repo.markSending(
      claimed.map((c) => c.messageId),
      Math.max(dbNow, ...takes.map((t) => t.lastAt)) + options.leaseMs,
    );
    // Reserved last: slots start no earlier than the reservation (reserveSlots), and a large claim's
    // earlier statements would otherwise spend the first of them before its messages can leave.
    const slots = new Map<string, number[]>();
    for (const { numberId, count, interval } of takes) {
      const first = await reserveSlots(tx, numberKey(numberId), count, interval);
      slots.set(
        numberId,
        Array.from({ length: count }, (_, i) => first + i * interval),
      );
    }
    return { claimed, slots, deeper };
  }

  /** Claims messages whose claim lapsed (their worker died): they become unknown. */
  async function sweepLapsed(): Promise<void> {
    const lapsed = await database.system(async (tx) => {
      const repo = deliveryRepo(tx);
      const taken = await repo.takeLapsed(100);
      await repo.freeLines(taken, [], 0);
      return taken;
    });
    for (const item of lapsed) {
      inHand += 1;
      track(
        settle(item, {
          kind: 'unknown',
          reason: 'The sending worker stopped before WhatsApp answered; the message may have been delivered',
          lapsed: true,
        }),
      );
    }
  }

  async function runBatch(): Promise<number> {
    if (stopping || inHand >= options.maxInFlight) return 0;
    const lines = await claim((repo, room) =>
      repo.lineHeads(Math.min(options.batch, room), Math.min(options.lineDepth + 1, options.pairBurst + 1)),
    );
    let claimed = 0;
    for (const line of lines.values()) {
      claimed += line.prepared.length;
      track(workLine(line).catch((err: unknown) => log.error({ err }, 'send failed unexpectedly')));
    }
    return claimed;
  }

  let loop: ReturnType<typeof startClaimLoop> | undefined;
  let polls = 0;
  return {
    counters,
    /** Messages in hand by stage, and the lines being worked. */
    gauges: () => ({ inHand, ...gauges, slotsWasted: { ...slotPool.wasted } }),
    /** Work is waiting (a message was just queued in this process). */
    wake(): void {
      loop?.wake();
    },
    start(): () => Promise<void> {
      stopping = false;
      loop = startClaimLoop({
        runBatch,
        maxLoops: 1,
        busyClaim: Number.POSITIVE_INFINITY,
        pollMs: options.pollMs,
        onPoll: () => {
          void sweepLapsed().catch((err: unknown) => log.error({ err }, 'lapsed-claim sweep failed'));
          if (++polls % PARKED_SWEEP_POLLS === 0) {
            void database
              .system((tx) => deliveryRepo(tx).unparkOrphans())
              .catch((err: unknown) => log.error({ err }, 'parked-line sweep failed'));
          }
        },
        log,
        name: 'outbound delivery',
      });
      return async () => {
        stopping = true;
        await loop?.stop();
        loop = undefined;
        // Lines waiting for their slot or for Meta's answer finish, and their outcomes are written:
        // a stop never leaves a request without its outcome recorded.
        while (working.size > 0) await Promise.all([...working]);
      };
    },
    async backlog(): Promise<number> {
      return database.system((tx) => deliveryRepo(tx).queued());
    },
  };
}

export type Delivery = ReturnType<typeof createDelivery>;
