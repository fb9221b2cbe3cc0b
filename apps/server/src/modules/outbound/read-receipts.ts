// Read receipts: when an agent opens a conversation, WhatsApp is told that the client's messages
// were read (the blue ticks), unless the number's `sendReadReceipts` setting is off. Marking the
// latest inbound message read marks the earlier ones too (contract §4). A job does it, so opening
// a conversation never waits for Graph; the message's status becomes `read` once Graph agrees,
// and a conversation already acknowledged up to its latest message costs no call.
import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { defineJob, type JobQueue } from '../../platform/jobs/job-queue.ts';
import type { RealtimeBus } from '../../platform/realtime/realtime-bus.ts';
import { recordEvents } from '../../platform/realtime/realtime.repo.ts';
import { messageUpdated } from '../conversations/conversation-events.ts';
import { conversationsRepo, messagesRepo } from '../conversations/conversations.repo.ts';
import type { GraphCaller } from '../whatsapp/graph-http.ts';
import { numbersRepo } from '../whatsapp/numbers.repo.ts';

export function createReadReceipts(deps: {
  database: Database;
  clock: Clock;
  queue: JobQueue;
  graph: GraphCaller;
  realtime: Pick<RealtimeBus, 'publish'>;
}) {
  const { database, clock, queue, graph, realtime } = deps;

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
    await graph.call(found.number, `${found.number.phoneNumberId}/messages`, {
      body: { messaging_product: 'whatsapp', status: 'read', message_id: found.externalId },
    });
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
