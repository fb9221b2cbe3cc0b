// The delivery engine (ADR 0006): claims queued messages, paces them per number and per client
// with slots every instance shares, sends each at its slot and records what Meta answered.
//
// A claim marks its messages `sending` before any request leaves. A worker that dies with them
// in hand leaves claims that lapse; the messages then become `unknown` (the request may have
// reached Meta) and are never resent automatically. Retries happen only when Meta answered with
// a retryable error or the request cannot have left.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { startClaimLoop } from '../../platform/jobs/claim-loop.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RealtimeBus } from '../../platform/realtime/realtime-bus.ts';
import type { GraphCaller } from '../whatsapp/graph-http.ts';
import { numbersRepo, type WhatsappNumberRow } from '../whatsapp/numbers.repo.ts';
import { contactsRepo } from '../contacts/contacts.repo.ts';
import { messagesRepo, type MessageRow } from '../conversations/conversations.repo.ts';
import { deliveryRepo, pacingOf, reserveSlots, setPacing, type QueuedItem } from './outbound.repo.ts';
import { attachmentIdOf, classifySendFailure, graphSendBody, type SendFailure } from './graph-send.ts';
import { attachmentsRepo, type AttachmentRow, type Attachments } from './attachments.ts';
import { recordOutcome, type Outcome } from './delivery-outcome.ts';

export interface DeliveryOptions {
  /** Messages claimed at most per claim. */
  batch: number;
  /** How far ahead of now a claim reserves number slots. */
  horizonMs: number;
  /** A claim lapses this long after its slot (longer than a request's timeout). */
  leaseMs: number;
  /** Attempts before a retryable failure becomes final. */
  maxAttempts: number;
  pollMs: number;
  /** Sends in flight at most in this process. */
  maxInFlight: number;
  /** How long a send waits for Graph's answer before its fate is unknown. */
  requestTimeoutMs: number;
  /** Meta's pair rate: one message per `pairIntervalMs` to a client, with bursts of `pairBurst`. */
  pairIntervalMs: number;
  pairBurst: number;
}

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  batch: 200,
  horizonMs: 1000,
  leaseMs: 60_000,
  maxAttempts: 8,
  pollMs: 200,
  maxInFlight: 2000,
  requestTimeoutMs: 30_000,
  // Contract §7: 1 message per 6 s to the same user, bursts of up to 45.
  pairIntervalMs: 6000,
  pairBurst: 45,
};

/**
 * A send more than LATE_MS behind its slot (a busy process) takes a fresh slot instead of going
 * late, so that every send leaves within LATE_MS of a slot. Slots are then spread wide enough that
 * any second holds at most the number's rate: (1000 + LATE_MS) / interval <= mps. The rest of the
 * margin is for the jitter between our clock and Meta's count.
 */
const LATE_MS = 30;
const SLOT_MARGIN = 1 + LATE_MS / 1000 + 0.01;
const slotInterval = (mps: number) => (1000 / mps) * SLOT_MARGIN;

/** A client's messages are spread 5% wider than Meta's pair rate, for the same reason. */
const PAIR_MARGIN = 1.05;

const numberKey = (numberId: string) => `number:${numberId}`;
const pairKey = (numberId: string, contactId: string) => `pair:${numberId}:${contactId}`;

interface Claimed extends QueuedItem {
  slotAt: number;
}

/** A claimed message ready to leave, or why it cannot (`gone`: deleted meanwhile). */
type Prepared =
  | {
      item: Claimed;
      number: WhatsappNumberRow;
      message: MessageRow;
      waId: string;
      attachment: AttachmentRow | undefined;
      unsendable?: undefined;
    }
  | { item: Claimed; unsendable: string };

/**
 * The last check before a request leaves: at most `mps` sends of a number in any window of
 * WINDOW_MS in this process. Shared slots space sends across instances, but a process that falls
 * behind (a busy event loop) would fire its late sends together; this keeps them spread.
 */
const WINDOW_MS = 1050;
function createSendGate() {
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
  const inFlight = new Set<Promise<void>>();
  const gate = createSendGate();
  /** What this process's sends came to, since it started (metrics, tests). */
  const counters = { accepted: 0, retried: 0, failed: 0, unknown: 0 };
  let stopping = false;

  /**
   * Locks due messages and gives each a slot: the client's pair rate first (a client over it
   * waits, unclaimed), then the number's throughput (slots 1/mps apart, up to the horizon).
   */
  async function claim(): Promise<{ claimed: Claimed[]; dbNow: number }> {
    return database.system(async (tx) => {
      const repo = deliveryRepo(tx);
      const dbNow = await repo.now();
      const due = await repo.lockDue(Math.min(options.batch, options.maxInFlight - inFlight.size));
      if (due.length === 0) return { claimed: [], dbNow };

      const pairs = await pacingOf(tx, [...new Set(due.map((d) => pairKey(d.numberId, d.contactId)))]);
      const pairTolerance = (options.pairBurst - 1) * options.pairIntervalMs;
      const paced: QueuedItem[] = [];
      const pairUpdates: { key: string; at: number }[] = [];
      for (const item of due) {
        const key = pairKey(item.numberId, item.contactId);
        const tat = Math.max(pairs.get(key) ?? dbNow, dbNow);
        if (tat - dbNow > pairTolerance) {
          await repo.postpone(item.messageId, tat - pairTolerance);
          continue;
        }
        pairUpdates.push({ key, at: tat + options.pairIntervalMs * PAIR_MARGIN });
        paced.push(item);
      }

      const byNumber = new Map<string, QueuedItem[]>();
      for (const item of paced) byNumber.set(item.numberId, [...(byNumber.get(item.numberId) ?? []), item]);
      const numberIds = [...byNumber.keys()];
      const rates = new Map<string, number>();
      for (const item of paced) {
        if (rates.has(item.numberId)) continue;
        const n = await numbersRepo(tx).findById(item.tenantId, item.numberId);
        rates.set(item.numberId, n?.throughputMps ?? 80);
      }
      const nextFree = await pacingOf(tx, numberIds.map(numberKey));
      const claimed: Claimed[] = [];
      const sentPairs = new Set<string>();
      for (const [numberId, items] of byNumber) {
        const interval = slotInterval(rates.get(numberId) ?? 80);
        const from = Math.max(nextFree.get(numberKey(numberId)) ?? dbNow, dbNow);
        // At least one slot when the number is free now, however slow its rate.
        const room = Math.max(
          from <= dbNow ? 1 : 0,
          Math.floor((dbNow + options.horizonMs - from) / interval),
        );
        const take = items.slice(0, room);
        for (const item of items.slice(room)) {
          // The number is busy until past the horizon: back in line, claimable when slots free up.
          await repo.postpone(item.messageId, from - options.horizonMs / 2);
        }
        if (take.length === 0) continue;
        const first = await reserveSlots(tx, numberKey(numberId), take.length, interval);
        take.forEach((item, i) => {
          claimed.push({ ...item, attempts: item.attempts + 1, slotAt: first + i * interval });
          sentPairs.add(pairKey(item.numberId, item.contactId));
        });
      }
      await setPacing(
        tx,
        pairUpdates.filter((p) => sentPairs.has(p.key)),
      );
      await repo.markSending(claimed, options.leaseMs);
      return { claimed, dbNow };
    });
  }

  /** Reads what the claimed messages need (message, client, number), tenant by tenant. */
  async function prepare(claimed: Claimed[]): Promise<Prepared[]> {
    const byTenant = new Map<string, Claimed[]>();
    for (const c of claimed) byTenant.set(c.tenantId, [...(byTenant.get(c.tenantId) ?? []), c]);
    const out: Prepared[] = [];
    for (const [tenantId, items] of byTenant) {
      await database.tenant(tenantId, async (tx) => {
        const messages = new Map(
          (
            await messagesRepo(tx).findByIds(
              tenantId,
              items.map((i) => i.messageId),
            )
          ).map((m) => [m.id, m]),
        );
        const contacts = new Map(
          (
            await contactsRepo(tx).findByIds(
              tenantId,
              items.map((i) => i.contactId),
            )
          ).map((c) => [c.id, c]),
        );
        const numbers = new Map<string, WhatsappNumberRow | undefined>();
        for (const numberId of new Set(items.map((i) => i.numberId))) {
          numbers.set(numberId, await numbersRepo(tx).findById(tenantId, numberId));
        }
        for (const item of items) {
          const message = messages.get(item.messageId);
          const number = numbers.get(item.numberId);
          const waId = contacts.get(item.contactId)?.waId;
          const attachmentId = message ? attachmentIdOf(message) : undefined;
          const attachment = attachmentId
            ? await attachmentsRepo(tx).findById(tenantId, attachmentId)
            : undefined;
          // Deleted with its conversation or number meanwhile: nothing to send.
          if (!message || !number) out.push({ item, unsendable: 'gone' });
          else if (!waId) out.push({ item, unsendable: 'The client has no WhatsApp number to send to' });
          else if (attachmentId && !attachment)
            out.push({ item, unsendable: 'The attached file no longer exists' });
          else out.push({ item, number, message, waId, attachment });
        }
      });
    }
    return out;
  }

  async function finish(item: Claimed, outcome: Outcome) {
    try {
      const seq = await recordOutcome({ database, clock, options }, item.tenantId, item, outcome);
      if (outcome.kind === 'accepted') counters.accepted += 1;
      else if (outcome.kind === 'retry')
        counters[item.attempts < options.maxAttempts ? 'retried' : 'failed'] += 1;
      else if (outcome.kind === 'failed' || outcome.kind === 'unknown') counters[outcome.kind] += 1;
      if (seq > 0) realtime.publish({ tenantId: item.tenantId, seq });
    } catch (err) {
      // The claim stays: it lapses, and the message becomes unknown rather than sent twice.
      log.error({ err, messageId: item.messageId }, 'could not record a send outcome');
    }
  }

  /** Database time, as this process last measured its offset. */
  let dbOffset = 0;
  const dbTime = () => Date.now() + dbOffset;

  /** Waits for the message's slot; a send that fell behind it takes a fresh one (LATE_MS). */
  async function awaitSlot(number: WhatsappNumberRow, slotAt: number): Promise<void> {
    const until = async (slot: number) => {
      const wait = slot - dbTime();
      if (wait > 0) await sleep(wait);
    };
    await until(slotAt);
    if (dbTime() - slotAt <= LATE_MS) return;
    // One fresh slot at most: each spends a slot, and a loaded process that kept taking them would
    // slow the number down for everyone; the local gate still spreads what this process sends.
    await until(
      await database.system((tx) =>
        reserveSlots(tx, numberKey(number.id), 1, slotInterval(number.throughputMps)),
      ),
    );
  }

  async function sendOne(p: Prepared): Promise<void> {
    const { item } = p;
    if (p.unsendable !== undefined) {
      if (p.unsendable === 'gone') return finish(item, { kind: 'gone' });
      return finish(item, { kind: 'failed', code: 'unsendable', reason: p.unsendable });
    }
    const { number, message, waId, attachment } = p;
    let body: Record<string, unknown>;
    try {
      // The file goes to Graph first (once per number); a failed upload sent no message.
      const mediaId = attachment ? await deps.attachments.graphMediaId(number, attachment) : undefined;
      body = graphSendBody(message, waId, mediaId);
    } catch (err) {
      const failure = classifySendFailure(err, item.attempts);
      return finish(
        item,
        failure.kind === 'unknown' ? { ...failure, kind: 'retry', code: 'upload', delayMs: 5000 } : failure,
      );
    }
    await awaitSlot(number, item.slotAt);
    await gate.pass(number.id, number.throughputMps);
    let outcome: Outcome;
    try {
      const answer = await graph.call<{ messages?: { id?: string }[] }>(
        number,
        `${number.phoneNumberId}/messages`,
        { body, timeoutMs: options.requestTimeoutMs },
      );
      const wamid = answer.messages?.[0]?.id;
      outcome = wamid
        ? { kind: 'accepted', externalId: wamid }
        : { kind: 'unknown', reason: 'WhatsApp accepted the request without a message id' };
    } catch (err) {
      const failure: SendFailure = classifySendFailure(err, item.attempts);
      outcome = failure;
    }
    return finish(item, outcome);
  }

  /** Claims messages whose claim lapsed (their worker died): they become unknown. */
  async function sweepLapsed(): Promise<void> {
    const lapsed = await database.system((tx) => deliveryRepo(tx).takeLapsed(100));
    for (const item of lapsed) {
      await finish(
        { ...item, slotAt: 0 },
        {
          kind: 'unknown',
          reason: 'The sending worker stopped before WhatsApp answered; the message may have been delivered',
          lapsed: true,
        },
      );
    }
  }

  async function runBatch(): Promise<number> {
    if (stopping || inFlight.size >= options.maxInFlight) return 0;
    const { claimed, dbNow } = await claim();
    dbOffset = dbNow - Date.now();
    if (claimed.length === 0) return 0;
    const prepared = await prepare(claimed);
    for (const p of prepared) {
      const send = sendOne(p).catch((err: unknown) => log.error({ err }, 'send failed unexpectedly'));
      inFlight.add(send);
      void send.finally(() => inFlight.delete(send));
    }
    return claimed.length;
  }

  let loop: ReturnType<typeof startClaimLoop> | undefined;
  return {
    counters,
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
        },
        log,
        name: 'outbound delivery',
      });
      return async () => {
        stopping = true;
        await loop?.stop();
        loop = undefined;
        // Sends waiting for their slot or for Meta's answer finish: a stop never leaves a request
        // without its outcome recorded.
        await Promise.all([...inFlight]);
      };
    },
    async backlog(): Promise<number> {
      return database.system((tx) => deliveryRepo(tx).queued());
    },
  };
}

export type Delivery = ReturnType<typeof createDelivery>;
