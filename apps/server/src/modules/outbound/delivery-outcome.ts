// Records what became of one send attempt, in the message's tenant transaction: accepted (the
// wamid, statuses that arrived before it), retried later, failed for good (with what it means for
// the number or the client), or unknown. The queue row goes once the message is settled.
import type { Clock } from '../../platform/clock.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
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

/** Statuses kept because they came before the send's answer, now applied in order. */
async function applyEarlyStatuses(tx: Executor, tenantId: string, externalId: string, now: Date) {
  const events: NewRealtimeEvent[] = [];
  const early = await pendingStatusesRepo(tx).take(tenantId, externalId);
  for (const s of early.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())) {
    const error = (s.payload['errors'] as { code?: number | string; title?: unknown }[] | undefined)?.[0];
    const applied = await applyStatus(
      tx,
      tenantId,
      {
        externalId,
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

/** Returns the sequence of the realtime events recorded (0: none). */
export async function recordOutcome(
  ctx: { database: Database; clock: Clock; options: { maxAttempts: number } },
  tenantId: string,
  item: QueuedItem,
  outcome: Outcome,
): Promise<number> {
  const { database, clock, options } = ctx;
  if (outcome.kind === 'retry' && item.attempts < options.maxAttempts) {
    await database.system((tx) =>
      deliveryRepo(tx).retryIn(item.messageId, outcome.delayMs, `${outcome.code}: ${outcome.reason}`),
    );
    return 0;
  }
  return database.tenant(tenantId, async (tx) => {
    const now = clock.now();
    const queue = outboundQueueRepo(tx);
    const messages = messagesRepo(tx);
    await queue.remove(tenantId, item.messageId);
    const message =
      outcome.kind === 'gone' ? undefined : await messages.findForUpdate(tenantId, item.messageId);
    if (!message) return 0;
    const events: NewRealtimeEvent[] = [];
    let patch: Partial<MessageRow>;
    switch (outcome.kind) {
      case 'accepted': {
        // Statuses that named the message by our id may have moved it past `sent` already.
        const status = message.status === 'queued' || message.status === 'unknown' ? 'sent' : message.status;
        patch = {
          status,
          externalId: outcome.externalId,
          statusAt: now,
          errorCode: null,
          errorTitle: null,
        };
        await messages.update(tenantId, message.id, patch);
        events.push(messageUpdated({ ...message, ...patch }));
        if (message.type === 'reaction') {
          const target = await messages.findById(tenantId, String(message.content['targetMessageId']));
          if (target) {
            const emoji = message.content['emoji'];
            const { business: _previous, ...others } = target.reactions;
            const reactions = typeof emoji === 'string' && emoji ? { ...others, business: emoji } : others;
            await messages.update(tenantId, target.id, { reactions });
            events.push(messageUpdated({ ...target, reactions }));
          }
        }
        events.push(...(await applyEarlyStatuses(tx, tenantId, outcome.externalId, now)));
        break;
      }
      case 'retry':
      case 'failed': {
        patch = { status: 'failed', errorCode: outcome.code, errorTitle: outcome.reason, statusAt: now };
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
        patch = { status: 'unknown', errorCode: null, errorTitle: outcome.reason, statusAt: now };
        await messages.update(tenantId, message.id, patch);
        events.push(messageUpdated({ ...message, ...patch }));
        break;
      }
      case 'gone':
        break;
    }
    return recordEvents(tx, tenantId, events, now);
  });
}
