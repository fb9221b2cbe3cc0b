// Read receipts: when an agent opens a conversation, WhatsApp is told that the client's messages
// were read (the blue ticks), unless the number's `sendReadReceipts` setting is off. Marking the
// latest inbound message read marks the earlier ones too (contract §4). A job does it, so opening
// a conversation never waits for Graph; the message's status becomes `read` once Graph agrees,
// and a conversation already acknowledged up to its latest message costs no call. What Graph refuses
// for a while (5xx, 131000, 130429, no answer) is retried by the job queue; what it refuses for good
// (an invalid parameter, a rejected token) is logged and dropped: the next opening tries again.
import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Logger } from '../../platform/logger.ts';
import { defineJob, type JobQueue } from '../../platform/jobs/job-queue.ts';
import type { RealtimeBus } from '../../platform/realtime/realtime-bus.ts';
import { recordEvents } from '../../platform/realtime/realtime.repo.ts';
import { messageUpdated } from '../conversations/conversation-events.ts';
import { conversationsRepo, messagesRepo } from '../conversations/conversations.repo.ts';
import { GraphApiError, type GraphCaller } from '../whatsapp/graph-http.ts';
import { numbersRepo } from '../whatsapp/numbers.repo.ts';
import { classifySendFailure } from './graph-send.ts';

/** Whether Graph refused a read mark for good (a mark sent twice does no harm, so the rest is retried). */
function refusedForGood(err: unknown): err is GraphApiError {
  return err instanceof GraphApiError && classifySendFailure(err, 1).kind === 'failed';
}

export function createReadReceipts(deps: {
  database: Database;
  clock: Clock;
  queue: JobQueue;
  graph: GraphCaller;
  realtime: Pick<RealtimeBus, 'publish'>;
  log: Logger;
}) {
  const { database, clock, queue, graph, realtime, log } = deps;

  async function acknowledge(tenantId: string, conversationId: string): Promise<void> {
    const found = await database.tenant(tenantId, async (tx) => {
      const conversation = await conversationsRepo(tx).findById(tenantId, conversationId);
      if (!conversation) return undefined;
      const number = await numbersRepo(tx).findById(tenantId, conversation.numberId);
      const latest = await messagesRepo(tx).latestInbound(tenantId, conversationId);
      if (!number?.sendReadReceipts || !latest?.externalId || latest.status === 'read') return undefined;
      return { number, latest, externalId: latest.externalId };
    });
    if (!found) return;
    try {
      await graph.call(found.number, `${found.number.phoneNumberId}/messages`, {
        body: { messaging_product: 'whatsapp', status: 'read', message_id: found.externalId },
      });
    } catch (err) {
      const context = {
        err,
        tenantId,
        conversationId,
        numberId: found.number.id,
        messageId: found.latest.id,
      };
      if (refusedForGood(err)) {
        log.warn({ ...context, code: err.code }, 'WhatsApp refused a read receipt; it is not retried');
        return;
      }
      log.warn(context, 'a read receipt did not reach WhatsApp; it will be retried');
      throw err;
    }
    const seq = await database.tenant(tenantId, async (tx) => {
      const now = clock.now();
      await messagesRepo(tx).update(tenantId, found.latest.id, { status: 'read', statusAt: now });
      return recordEvents(
        tx,
        tenantId,
        [messageUpdated({ ...found.latest, status: 'read', statusAt: now })],
        now,
      );
    });
    if (seq > 0) realtime.publish({ tenantId, seq });
  }

  const job = defineJob({
    name: 'whatsapp.read-receipt',
    payload: z.object({ tenantId: z.uuid(), conversationId: z.uuid() }),
    priority: 'default',
    retryLimit: 3,
    handler: ({ tenantId, conversationId }) => acknowledge(tenantId, conversationId),
  });
  queue.register(job);

  return {
    /** An agent opened the conversation (its read mark moved). */
    async conversationRead(tenantId: string, conversationId: string): Promise<void> {
      await queue.send(job, { tenantId, conversationId }, { singletonKey: conversationId });
    },
  };
}
