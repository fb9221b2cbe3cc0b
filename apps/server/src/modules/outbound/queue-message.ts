// Queues an outbound message inside the caller's tenant transaction: the message row (status
// `queued`) and its delivery-queue row commit together, with the conversation's clock moved and
// the realtime event appended for the caller to record. Used by agents' sends and by the
// automatic messages of inbound intake.
import type { Executor } from '../../platform/db/database.ts';
import type { NewRealtimeEvent } from '../../platform/realtime/realtime-events.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { messageCreated } from '../conversations/conversation-events.ts';
import {
  conversationsRepo,
  messagesRepo,
  type ConversationRow,
  type MessageRow,
} from '../conversations/conversations.repo.ts';
import { outboundQueueRepo } from './outbound.repo.ts';

export interface OutboundDraft {
  conversation: Pick<ConversationRow, 'id' | 'contactId' | 'numberId' | 'lastMessageAt'>;
  type: string;
  content: Record<string, unknown>;
  replyToExternalId?: string | null;
  senderUserId: string | null;
}

export async function queueMessage(
  tx: Executor,
  tenantId: string,
  draft: OutboundDraft,
  now: Date,
  events: NewRealtimeEvent[],
): Promise<MessageRow> {
  const { conversation } = draft;
  const row: MessageRow = {
    id: uuidv7(now.getTime()),
    tenantId,
    conversationId: conversation.id,
    contactId: conversation.contactId,
    numberId: conversation.numberId,
    direction: 'outbound',
    type: draft.type,
    content: draft.content,
    raw: null,
    externalId: null,
    status: 'queued',
    errorCode: null,
    errorTitle: null,
    replyToExternalId: draft.replyToExternalId ?? null,
    forwarded: false,
    frequentlyForwarded: false,
    referral: null,
    reactions: {},
    senderUserId: draft.senderUserId,
    occurredAt: now,
    statusAt: now,
    createdAt: now,
  };
  await messagesRepo(tx).insertUnlessDuplicate(tenantId, row);
  await outboundQueueRepo(tx).insert(tenantId, {
    messageId: row.id,
    numberId: row.numberId,
    contactId: row.contactId,
    createdAt: now,
  });
  if (now > conversation.lastMessageAt) {
    await conversationsRepo(tx).update(tenantId, conversation.id, { lastMessageAt: now, updatedAt: now });
  }
  events.push(messageCreated(row));
  return row;
}
