// Records what became of one send attempt, in the message's tenant transaction: accepted (the
// wamid, statuses that arrived before it), retried later, failed for good (with what it means for
// the number or the client), or unknown. The queue row goes once the message is settled.
import type { Clock } from '../../platform/clock.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import type { Logger } from '../../platform/logger.ts';
import type { NewRealtimeEvent } from '../../platform/realtime/realtime-events.ts';
import { recordEvents } from '../../platform/realtime/realtime.repo.ts';
import { contactsRepo } from '../contacts/contacts.repo.ts';
import { messageUpdated } from '../conversations/conversation-events.ts';
import { messagesRepo, pendingStatusesRepo, type MessageRow } from '../conversations/conversations.repo.ts';
import { applyStatus } from '../conversations/inbound-effects.ts';
import { numbersRepo } from '../whatsapp/numbers.repo.ts';
import type { SendFailure } from './graph-send.ts';
import { deliveryRepo, outboundQueueRepo, type QueuedItem } from './outbound.repo.ts';

export type Outcome =
  | { kind: 'accepted'; externalId: string }
  | SendFailure
  | { kind: 'unknown'; reason: string; lapsed?: boolean }
  /** The message or its number was deleted meanwhile. */
  | { kind: 'gone' };

const TOKEN_REJECTED =
  'Meta rejected the access token (error 190) while sending a message. Enter a new token for this number.';

/** Statuses kept because they came before the sends' answers, now applied in order. */
async function applyEarlyStatuses(tx: Executor, tenantId: string, externalIds: string[], now: Date) {
  const events: NewRealtimeEvent[] = [];
  const early = await pendingStatusesRepo(tx).take(tenantId, externalIds);
  for (const s of early.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())) {
    const error = (s.payload['errors'] as { code?: number | string; title?: unknown }[] | undefined)?.[0];
    const applied = await applyStatus(
      tx,
      tenantId,
      {
        externalId: s.externalId,
        status: s.status,
        occurredAt: s.occurredAt,
        errorCode: error?.code === undefined ? undefined : String(error.code),
        errorTitle: typeof error?.title === 'string' ? error.title : undefined,
        payload: s.payload,
      },
      now,
    );
    events.push(...applied.events);
  }
  return events;
}

export interface Settled {
  item: QueuedItem;
  outcome: Outcome;
}

/** A retryable failure with attempts left: the message goes back in line (no tenant work). */
export const isRetry = (item: QueuedItem, outcome: Outcome, maxAttempts: number) =>
  outcome.kind === 'retry' && item.attempts < maxAttempts;

export async function retryLater(database: Database, item: QueuedItem, outcome: Outcome & { kind: 'retry' }) {
  await database.system((tx) =>
    deliveryRepo(tx).retryIn(item.messageId, outcome.delayMs, `${outcome.code}: ${outcome.reason}`),
  );
}

/**
 * Settles sends of one tenant in one transaction (none of them a retry with attempts left):
 * their queue rows go, and each message takes its outcome. Returns the sequence of the realtime
 * events recorded (0: none).
 */
export async function recordOutcomes(
  ctx: { database: Database; clock: Clock },
  tenantId: string,
  settled: readonly Settled[],
): Promise<number> {
  const { database, clock } = ctx;
  return database.tenant(tenantId, async (tx) => {
    const now = clock.now();
    const messages = messagesRepo(tx);
    await outboundQueueRepo(tx).remove(
      tenantId,
      settled.map((s) => s.item.messageId),
    );
    const rows = new Map(
      (
        await messages.findManyForUpdate(
          tenantId,
          settled.filter((s) => s.outcome.kind !== 'gone').map((s) => s.item.messageId),
        )
      ).map((m) => [m.id, m]),
    );
    const events: NewRealtimeEvent[] = [];
    const accepted: { id: string; externalId: string }[] = [];
    for (const { item, outcome } of settled) {
      const message = rows.get(item.messageId);
      if (!message) continue;
      switch (outcome.kind) {
        case 'accepted': {
          accepted.push({ id: message.id, externalId: outcome.externalId });
          // Statuses that named the message by our id may have moved it past `sent` already.
          const status =
            message.status === 'queued' || message.status === 'unknown' ? 'sent' : message.status;
          events.push(
            messageUpdated({
              ...message,
              status,
              externalId: outcome.externalId,
              statusAt: now,
              errorCode: null,
              errorTitle: null,
            }),
          );
          if (message.type === 'reaction') events.push(...(await applyReaction(tx, tenantId, message)));
          break;
        }
        case 'retry':
        case 'failed': {
          const patch = {
            status: 'failed',
            errorCode: outcome.code,
            errorTitle: outcome.reason,
            statusAt: now,
          } as const;
          await messages.update(tenantId, message.id, patch);
          events.push(messageUpdated({ ...message, ...patch }));
          if (outcome.code === '190') {
            await numbersRepo(tx).update(tenantId, message.numberId, {
              status: 'needs_attention',
              statusReason: TOKEN_REJECTED,
              updatedAt: now,
            });
          }
          if (outcome.code === '131050') {
            await contactsRepo(tx).setMarketingOptOut(
              tenantId,
              message.contactId,
              { at: now, source: '131050' },
              now,
            );
          }
          break;
        }
        case 'unknown': {
          // A status that named it by our id already proved Meta has it (inbound-effects).
          if (message.externalId !== null) break;
          const patch = {
            status: 'unknown',
            errorCode: null,
            errorTitle: outcome.reason,
            statusAt: now,
          } as const;
          await messages.update(tenantId, message.id, patch);
          events.push(messageUpdated({ ...message, ...patch }));
          break;
        }
        case 'gone':
          break;
      }
    }
    if (accepted.length > 0) {
      await messages.markSent(tenantId, accepted, now);
      events.push(
        ...(await applyEarlyStatuses(
          tx,
          tenantId,
          accepted.map((a) => a.externalId),
          now,
        )),
      );
    }
    return recordEvents(tx, tenantId, events, now);
  });
}

/** The business's reaction, now that Meta accepted it, shown on the message it reacts to. */
async function applyReaction(
  tx: Executor,
  tenantId: string,
  reaction: MessageRow,
): Promise<NewRealtimeEvent[]> {
  const messages = messagesRepo(tx);
  const target = await messages.findById(tenantId, String(reaction.content['targetMessageId']));
  if (!target) return [];
  const emoji = reaction.content['emoji'];
  const { business: _previous, ...others } = target.reactions;
  const reactions = typeof emoji === 'string' && emoji ? { ...others, business: emoji } : others;
  await messages.update(tenantId, target.id, { reactions });
  return [messageUpdated({ ...target, reactions })];
}

/**
 * Group commit for settled sends: each tenant's outcomes are written together, one transaction
 * at a time per tenant; those that arrive while one is being written go in the next. A batch
 * that deadlocks is tried again; one that fails otherwise is written one by one; a send whose
 * outcome cannot be written keeps its claim, which lapses and makes it `unknown`, never resent.
 */
export function createOutcomeRecorder(deps: {
  database: Database;
  clock: Clock;
  log: Logger;
  /** Called with the realtime sequence of each batch written. */
  onRecorded: (tenantId: string, seq: number) => void;
  maxBatch?: number;
}) {
  const { log, onRecorded } = deps;
  const maxBatch = deps.maxBatch ?? 200;
  const waiting = new Map<string, { settled: Settled; done: () => void }[]>();
  const writing = new Set<string>();

  async function write(tenantId: string, batch: readonly Settled[], attempt = 1): Promise<void> {
    try {
      onRecorded(tenantId, await recordOutcomes(deps, tenantId, batch));
      return;
    } catch (err) {
      // PostgreSQL aborted this side of a deadlock: the other side has gone on, so again at once.
      if ((err as { code?: unknown }).code === '40P01' && attempt < 3)
        return write(tenantId, batch, attempt + 1);
      if (batch.length === 1) {
        log.error({ err, messageId: batch[0]?.item.messageId }, 'could not record a send outcome');
        return;
      }
      log.warn({ err, size: batch.length }, 'recording send outcomes together failed; one by one');
    }
    for (const settled of batch) await write(tenantId, [settled]);
  }

  async function drain(tenantId: string): Promise<void> {
    writing.add(tenantId);
    try {
      for (;;) {
        const queue = waiting.get(tenantId);
        if (!queue?.length) {
          waiting.delete(tenantId);
          return;
        }
        const batch = queue.splice(0, maxBatch);
        await write(
          tenantId,
          batch.map((b) => b.settled),
        );
        for (const b of batch) b.done();
      }
    } finally {
      writing.delete(tenantId);
    }
  }

  return {
    /** Resolves once the outcome is written (or could not be). */
    record(tenantId: string, settled: Settled): Promise<void> {
      return new Promise<void>((done) => {
        let queue = waiting.get(tenantId);
        if (!queue) waiting.set(tenantId, (queue = []));
        queue.push({ settled, done });
        if (!writing.has(tenantId)) void drain(tenantId);
      });
    },
  };
}
