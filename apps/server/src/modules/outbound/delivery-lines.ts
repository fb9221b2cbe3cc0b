// Sending a client's line (ADR 0006): the messages the delivery engine (delivery.ts) claimed for
// one client leave one after another, each once the one before it was answered, at the slots the
// claim reserved; what Meta answered is settled (written, or put back in line for a retry).
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { createBatcher } from '../../platform/batcher.ts';
import { groupBy } from '../../platform/group-by.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RealtimeBus } from '../../platform/realtime/realtime-bus.ts';
import { GraphNetworkError, type GraphCaller } from '../whatsapp/graph-http.ts';
import { numbersRepo, type WhatsappNumberRow } from '../whatsapp/numbers.repo.ts';
import { contactsRepo } from '../contacts/contacts.repo.ts';
import { messagesRepo, type MessageRow } from '../conversations/conversations.repo.ts';
import { deliveryRepo, type LineEntry, type QueuedItem } from './outbound.repo.ts';
import { attachmentIdOf, classifySendFailure, graphSendBody } from './graph-send.ts';
import { attachmentsRepo, type AttachmentRow, type Attachments } from './attachments.ts';
import { createSendGate, type SlotPool } from './send-pacing.ts';
import { createOutcomeRecorder, isRetry, retryLater, type Outcome } from './delivery-outcome.ts';
import type { DeliveryOptions } from './delivery.ts';

export type Claimed = LineEntry;

/** A client's line at a number. */
export type LineKey = Pick<LineEntry, 'numberId' | 'contactId'>;

/** A claimed message ready to leave, or why it cannot (`gone`: deleted meanwhile). */
export type Prepared =
  | {
      item: Claimed;
      number: WhatsappNumberRow;
      message: MessageRow;
      waId: string;
      attachment: AttachmentRow | undefined;
      unsendable?: undefined;
    }
  | { item: Claimed; unsendable: string };

/** A client's messages one claim took, in write order; `more`: the line has more parked behind. */
export interface ClaimedLine {
  prepared: Prepared[];
  more: boolean;
}

/**
 * What a failed upload of a message's file to Graph means for the message: nothing was sent, so a
 * lost answer is retried like a refused connection; Graph's refusals read as the file's; any other
 * error (the stored file is missing, an answer without a media id) will not mend by itself.
 */
function uploadFailure(err: unknown, attempts: number): Outcome {
  if (err instanceof GraphNetworkError) {
    return classifySendFailure(new GraphNetworkError(err.message, false), attempts);
  }
  const failure = classifySendFailure(err, attempts);
  if (failure.kind === 'unknown') {
    return {
      kind: 'failed',
      code: 'upload',
      reason: `The file could not be uploaded to WhatsApp: ${failure.reason}`,
    };
  }
  return { ...failure, reason: `WhatsApp refused the file: ${failure.reason}` };
}

export function createLineSender(deps: {
  database: Database;
  clock: Clock;
  realtime: Pick<RealtimeBus, 'publish'>;
  graph: GraphCaller;
  attachments: Pick<Attachments, 'graphMediaId'>;
  log: Logger;
  options: Pick<DeliveryOptions, 'maxAttempts' | 'requestTimeoutMs'>;
  /** The shared number slots this process holds; a send waits for one. */
  slotPool: Pick<SlotPool, 'take'>;
  /** The throughput of the numbers this process sends for, as last read (written here). */
  rates: Map<string, number>;
  /** Keeps work the engine's stop waits for (settlements being written). */
  track: (work: Promise<void>) => void;
  /** `count` claimed messages left this process's hands: settled, or put back in line. */
  onReleased: (count: number) => void;
  /** Lines were freed: the messages parked behind them may be claimable. */
  wake: () => void;
  /** Claims the next messages parked in a line this process is sending. */
  claimMore: (line: LineKey) => Promise<ClaimedLine>;
}) {
  const { database, clock, realtime, graph, log, options, slotPool, rates, track, onReleased, wake } = deps;
  const gate = createSendGate();
  const recorder = createOutcomeRecorder({
    database,
    clock,
    log,
    onRecorded: (tenantId, seq) => {
      if (seq > 0) realtime.publish({ tenantId, seq });
    },
  });
  /**
   * What this process's sends came to, since it started (metrics, tests); `toppedUp`: messages
   * claimed behind a line while it was being sent (`claimMore`).
   */
  const counters = { accepted: 0, retried: 0, failed: 0, unknown: 0, toppedUp: 0 };
  /** Where this process's claimed messages are now (diagnosis). */
  const gauges = { waitingForSlot: 0, atGraph: 0, settling: 0, lines: 0 };

  /** Reads what the claimed messages need (message, client, number), tenant by tenant. */
  async function prepare(claimed: Claimed[]): Promise<Prepared[]> {
    const out: Prepared[] = [];
    for (const [tenantId, items] of groupBy(claimed, (c) => c.tenantId)) {
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

  /** Writes what became of a send (a retry goes back in line at once; the rest together). */
  async function settle(item: QueuedItem, outcome: Outcome): Promise<void> {
    const retry = isRetry(item, outcome, options.maxAttempts);
    if (outcome.kind === 'accepted') counters.accepted += 1;
    else if (outcome.kind === 'retry') counters[retry ? 'retried' : 'failed'] += 1;
    else if (outcome.kind === 'failed' || outcome.kind === 'unknown') counters[outcome.kind] += 1;
    gauges.settling += 1;
    try {
      if (retry && outcome.kind === 'retry') await retryLater(database, item, outcome);
      else await recorder.record(item.tenantId, { item, outcome });
    } catch (err) {
      // The claim stays: it lapses, and the message becomes unknown rather than sent twice.
      log.error({ err, messageId: item.messageId }, 'could not record a send outcome');
    } finally {
      onReleased(1);
      gauges.settling -= 1;
    }
  }

  /** Sends one message at its slot; the answer, or why there was none. */
  async function attempt(p: Prepared): Promise<Outcome> {
    const { item } = p;
    if (p.unsendable !== undefined) {
      return p.unsendable === 'gone'
        ? { kind: 'gone' }
        : { kind: 'failed', code: 'unsendable', reason: p.unsendable };
    }
    const { number, message, waId, attachment } = p;
    let body: Record<string, unknown>;
    try {
      // The file goes to Graph first (once per number); a failed upload sent no message.
      const mediaId = attachment ? await deps.attachments.graphMediaId(number, attachment) : undefined;
      body = graphSendBody(message, waId, mediaId);
    } catch (err) {
      return uploadFailure(err, item.attempts);
    }
    rates.set(number.id, number.throughputMps);
    gauges.waitingForSlot += 1;
    try {
      await slotPool.take(number.id);
      await gate.pass(number.id, number.throughputMps);
    } finally {
      gauges.waitingForSlot -= 1;
    }
    gauges.atGraph += 1;
    try {
      const answer = await graph.call<{ messages?: { id?: string }[] }>(
        number,
        `${number.phoneNumberId}/messages`,
        { body, timeoutMs: options.requestTimeoutMs },
      );
      const wamid = answer.messages?.[0]?.id;
      return wamid
        ? { kind: 'accepted', externalId: wamid }
        : { kind: 'unknown', reason: 'WhatsApp accepted the request without a message id' };
    } catch (err) {
      return classifySendFailure(err, item.attempts);
    } finally {
      gauges.atGraph -= 1;
    }
  }

  /**
   * Sends a client's claimed messages one after another, each once the one before it was
   * answered. While the last of them is on its way, the messages parked behind it are claimed
   * (`claimMore`), so a long line keeps going without being freed and claimed again. A message
   * that is to be retried, or whose fate is unknown, stops the line: the messages after it go back
   * in line unsent (with the retry's delay), so none overtakes it.
   */
  async function workLine(line: ClaimedLine): Promise<void> {
    gauges.lines += 1;
    try {
      await sendLine(line);
    } finally {
      gauges.lines -= 1;
    }
  }

  async function sendLine({ prepared, more }: ClaimedLine): Promise<void> {
    const head = prepared[0]?.item;
    if (!head) return;
    const line = [...prepared];
    let delayMs = 0;
    /** Messages whose outcome is being written (not those going back in line for a retry). */
    const answered: string[] = [];
    /** The rest of the line, being claimed while its last claimed message is on its way. */
    let next: Promise<ClaimedLine> | undefined;
    const claimNext = async (): Promise<Prepared[]> => {
      if (!next) return [];
      const claimed = await next;
      next = undefined;
      more = claimed.more;
      return claimed.prepared;
    };
    for (let i = 0; i < line.length; i++) {
      const p = line[i];
      if (!p) break;
      if (i === line.length - 1 && more) {
        next = deps.claimMore(head).catch((err: unknown) => {
          // Nothing was claimed: the parked messages stay for the line's freeing.
          log.error({ err }, "could not claim the rest of a client's line");
          return { prepared: [], more: false };
        });
      }
      const outcome = await attempt(p);
      // This message's claim holds the line until the rest is claimed (no other claim takes a
      // line with a message on its way), so its outcome is written after.
      line.push(...(await claimNext()));
      track(settle(p.item, outcome));
      if (!isRetry(p.item, outcome, options.maxAttempts)) answered.push(p.item.messageId);
      if (outcome.kind !== 'retry' && outcome.kind !== 'unknown') continue;
      delayMs = outcome.kind === 'retry' ? outcome.delayMs : 0;
      await putBack(line.slice(i + 1), delayMs);
      break;
    }
    await freeLine({ line: head, answered, delayMs });
  }

  /** Claimed messages that never left go back in line, behind the one that stopped theirs. */
  async function putBack(unsent: Prepared[], delayMs: number): Promise<void> {
    if (unsent.length === 0) return;
    const ids = unsent.map((p) => p.item.messageId);
    try {
      await database.system((tx) => deliveryRepo(tx).release(ids, delayMs));
    } catch (err) {
      // Their claims lapse and they become unknown: never sent, but never sent twice either.
      log.error({ err, messageIds: ids }, 'could not put unsent messages back in line');
    }
    onReleased(unsent.length);
  }

  /**
   * Frees lines whose claimed messages were all answered: they no longer hold them (`answered`),
   * and the messages parked behind them become claimable after `delayMs`.
   */
  const freeing = createBatcher(
    async (
      lines: { line: { numberId: string; contactId: string }; answered: string[]; delayMs: number }[],
    ) => {
      await database.system(async (tx) => {
        const repo = deliveryRepo(tx);
        for (const delay of new Set(lines.map((l) => l.delayMs))) {
          const these = lines.filter((l) => l.delayMs === delay);
          await repo.freeLines(
            these.map((l) => l.line),
            these.flatMap((l) => l.answered),
            delay,
          );
        }
      });
      wake();
      return lines.map(() => undefined);
    },
  );
  async function freeLine(line: {
    line: { numberId: string; contactId: string };
    answered: string[];
    delayMs: number;
  }) {
    try {
      await freeing.add(line);
    } catch (err) {
      // Settling their messages frees the lines; the parked-line sweep frees what they held.
      log.error({ err }, "could not free a client's line");
    }
  }

  return { counters, gauges, prepare, settle, workLine };
}
