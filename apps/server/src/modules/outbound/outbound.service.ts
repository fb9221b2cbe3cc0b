// Agents' sends: checks everything Meta would refuse that we can know before anything leaves (the
// 24-hour window, the quoted or reacted-to message, template parameters, a client's marketing
// opt-out), then queues the message for the delivery engine and answers at once.
import type { SendMessageRequest, TemplateSend } from '@switchboard/contracts';
import type { Clock } from '../../platform/clock.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import { AppError, orNotFound } from '../../platform/errors.ts';
import type { RealtimeBus } from '../../platform/realtime/realtime-bus.ts';
import type { NewRealtimeEvent } from '../../platform/realtime/realtime-events.ts';
import { recordEvents } from '../../platform/realtime/realtime.repo.ts';
import { contactsRepo } from '../contacts/contacts.repo.ts';
import { conversationUpdated, messageUpdated } from '../conversations/conversation-events.ts';
import {
  conversationsRepo,
  messagesRepo,
  type ConversationRow,
  type MessageRow,
} from '../conversations/conversations.repo.ts';
import type { MediaKind } from '../whatsapp/graph-client.ts';
import { attachmentsRepo, unfitFor } from './attachments.ts';
import { ATTACHMENT_REF } from './graph-send.ts';
import { outboundQueueRepo } from './outbound.repo.ts';
import { queueMessage } from './queue-message.ts';

/** What the templates module gives a send: Graph's template object and what it renders to. */
export interface PreparedTemplate {
  template: { id: string; name: string; language: string; category: string };
  graphTemplate: object;
  rendered: object;
  marketing: boolean;
}

export interface TemplatePreparer {
  prepareTemplateSend(
    tenantId: string,
    numberId: string,
    input: TemplateSend,
    resolveMedia?: (attachmentId: string) => Promise<{ id: string } | { link: string }>,
  ): Promise<PreparedTemplate>;
}

const windowClosed = (c: ConversationRow) =>
  new AppError(
    'whatsapp_window_closed',
    c.windowExpiresAt
      ? `The 24-hour customer service window closed at ${c.windowExpiresAt.toISOString()}, when 24 hours had passed since the client last wrote. Only a template message can be sent until the client writes again.`
      : 'The client has never written on this number, so no customer service window is open. Only a template message can be sent.',
    { extensions: { windowExpiresAt: c.windowExpiresAt?.toISOString() ?? null, templateRequired: true } },
  );

const unprocessable = (path: string, message: string) =>
  new AppError('unprocessable_content', message, { errors: [{ path, message }] });

/** The message a send quotes or reacts to: one of the conversation's, known to WhatsApp. */
async function targetMessage(
  tx: Executor,
  tenantId: string,
  conversationId: string,
  messageId: string,
  path: string,
): Promise<MessageRow> {
  const target = await messagesRepo(tx).findById(tenantId, messageId);
  if (!target || target.conversationId !== conversationId) {
    throw unprocessable(path, 'No message with this id in this conversation');
  }
  if (!target.externalId) throw unprocessable(path, 'This message has no WhatsApp id yet (it was not sent)');
  return target;
}

/** Our stored content of a send (camelCase, as the API took it). */
function contentOf(
  request: Exclude<SendMessageRequest, { type: 'reaction' | 'template' }>,
): Record<string, unknown> {
  switch (request.type) {
    case 'text':
      return { body: request.text.body, previewUrl: request.text.previewUrl };
    case 'contacts':
      return { contacts: request.contacts };
    case 'location':
      return request.location;
    case 'interactive':
      return request.interactive;
    case 'image':
      return request.image;
    case 'video':
      return request.video;
    case 'audio':
      return request.audio;
    case 'document':
      return request.document;
    case 'sticker':
      return request.sticker;
  }
}

const MEDIA_KINDS = new Set<string>(['image', 'video', 'audio', 'document', 'sticker']);

/** The uploaded file a send uses (the message's own, or its interactive header's), with its path. */
function attachmentRef(
  request: SendMessageRequest,
): { path: string; kind: MediaKind; id: string } | undefined {
  if (MEDIA_KINDS.has(request.type)) {
    const file = (request as Record<string, unknown>)[request.type] as { attachmentId?: string };
    if (file.attachmentId) {
      return {
        path: `body.${request.type}.attachmentId`,
        kind: request.type as MediaKind,
        id: file.attachmentId,
      };
    }
  }
  if (request.type === 'interactive' && 'header' in request.interactive) {
    const header = request.interactive.header as { type: string; attachmentId?: string } | undefined;
    if (header?.attachmentId) {
      return {
        path: 'body.interactive.header.attachmentId',
        kind: header.type as MediaKind,
        id: header.attachmentId,
      };
    }
  }
  return undefined;
}

/** The attachment named at `path`, fit to go as `kind`; a 422 naming the path otherwise. */
async function fittingAttachment(
  tx: Executor,
  tenantId: string,
  ref: { path: string; kind: MediaKind; id: string },
) {
  const attachment = await attachmentsRepo(tx).findById(tenantId, ref.id);
  if (!attachment) throw unprocessable(ref.path, 'No uploaded file with this id (POST /api/v1/attachments)');
  const unfit = unfitFor(ref.kind, attachment);
  if (unfit) throw unprocessable(ref.path, unfit);
  return attachment;
}

export function createOutboundService(deps: {
  database: Database;
  clock: Clock;
  realtime: Pick<RealtimeBus, 'publish'>;
  templates?: TemplatePreparer;
  /** Told after commit that messages are queued (wakes this process's delivery worker). */
  onQueued?: () => void;
}) {
  const { database, clock, realtime } = deps;

  function committed<T>(tenantId: string, out: { result: T; seq: number }): T {
    if (out.seq > 0) realtime.publish({ tenantId, seq: out.seq });
    deps.onQueued?.();
    return out.result;
  }

  async function send(
    tenantId: string,
    conversationId: string,
    request: SendMessageRequest,
    senderUserId: string | null,
  ): Promise<MessageRow> {
    // Templates are checked (and rendered) first, against the templates Graph last described.
    let prepared: PreparedTemplate | undefined;
    if (request.type === 'template') {
      const conversation = orNotFound(
        await database.tenant(tenantId, (tx) => conversationsRepo(tx).findById(tenantId, conversationId)),
        'Conversation not found.',
      );
      if (!deps.templates) throw unprocessable('body.type', 'Templates are not available');
      // A media header's uploaded file is named until delivery uploads it (graph-send ATTACHMENT_REF).
      const resolveMedia = async (attachmentId: string) => {
        const found = await database.tenant(tenantId, (tx) =>
          attachmentsRepo(tx).findById(tenantId, attachmentId),
        );
        if (!found) {
          throw unprocessable(
            'body.template.parameters.header.attachmentId',
            'No uploaded file with this id',
          );
        }
        return { id: `${ATTACHMENT_REF}${attachmentId}` };
      };
      prepared = await deps.templates.prepareTemplateSend(
        tenantId,
        conversation.numberId,
        request.template,
        resolveMedia,
      );
    }
    const out = await database.tenant(tenantId, async (tx) => {
      const now = clock.now();
      const conversation = orNotFound(
        await conversationsRepo(tx).findForUpdate(tenantId, conversationId),
        'Conversation not found.',
      );
      const contact = await contactsRepo(tx).findById(tenantId, conversation.contactId);
      if (!contact?.waId) {
        throw new AppError('unprocessable_content', 'This client has no WhatsApp number to send to.');
      }
      const windowOpen = conversation.windowExpiresAt !== null && conversation.windowExpiresAt > now;
      if (request.type !== 'template' && !windowOpen) throw windowClosed(conversation);

      let content: Record<string, unknown>;
      let replyToExternalId: string | null = null;
      if (request.type === 'reaction') {
        const target = await targetMessage(
          tx,
          tenantId,
          conversation.id,
          request.reaction.messageId,
          'body.reaction.messageId',
        );
        content = {
          targetMessageId: target.id,
          targetExternalId: target.externalId,
          emoji: request.reaction.emoji || null,
        };
      } else {
        if (request.replyTo) {
          replyToExternalId = (
            await targetMessage(tx, tenantId, conversation.id, request.replyTo, 'body.replyTo')
          ).externalId;
        }
        if (request.type === 'template') {
          // Prepared above, before the transaction.
          const p = prepared as PreparedTemplate;
          if (p.marketing && contact.marketingOptOutAt) {
            throw new AppError(
              'contact_opted_out',
              `This client stopped marketing messages on ${contact.marketingOptOutAt.toISOString()}; the marketing template "${p.template.name}" cannot be sent to them.`,
              { extensions: { optedOutAt: contact.marketingOptOutAt.toISOString() } },
            );
          }
          content = {
            templateId: p.template.id,
            name: p.template.name,
            language: p.template.language,
            category: p.template.category,
            parameters: request.template.parameters,
            rendered: p.rendered,
            graph: p.graphTemplate,
          };
        } else {
          content = contentOf(request);
          const ref = attachmentRef(request);
          if (ref && ref.path !== 'body.interactive.header.attachmentId') {
            const file = await fittingAttachment(tx, tenantId, ref);
            content = {
              ...content,
              mimeType: file.mimeType,
              ...(request.type === 'document' ? { filename: content['filename'] ?? file.filename } : {}),
            };
          } else if (ref) {
            await fittingAttachment(tx, tenantId, ref);
          }
        }
      }
      const events: NewRealtimeEvent[] = [];
      const message = await queueMessage(
        tx,
        tenantId,
        { conversation, type: request.type, content, replyToExternalId, senderUserId },
        now,
        events,
      );
      if (now > conversation.lastMessageAt) {
        events.push(conversationUpdated({ ...conversation, lastMessageAt: now, updatedAt: now }));
      }
      return { result: message, seq: await recordEvents(tx, tenantId, events, now) };
    });
    return committed(tenantId, out);
  }

  /**
   * "Send again" for a message that failed or whose fate is unknown: an agent's explicit choice,
   * since an unknown message may have been delivered. The same message goes back in line.
   */
  async function resend(tenantId: string, conversationId: string, messageId: string): Promise<MessageRow> {
    const out = await database.tenant(tenantId, async (tx) => {
      const now = clock.now();
      const conversation = orNotFound(
        await conversationsRepo(tx).findById(tenantId, conversationId),
        'Conversation not found.',
      );
      const message = await messagesRepo(tx).findForUpdate(tenantId, messageId);
      if (!message || message.conversationId !== conversationId)
        throw new AppError('not_found', 'Message not found.');
      if (message.direction !== 'outbound' || (message.status !== 'failed' && message.status !== 'unknown')) {
        throw new AppError(
          'conflict',
          `Only a failed or unknown outbound message can be sent again; this one is ${message.status}.`,
        );
      }
      if (
        message.type !== 'template' &&
        !(conversation.windowExpiresAt && conversation.windowExpiresAt > now)
      ) {
        throw windowClosed(conversation);
      }
      const patch = {
        status: 'queued' as const,
        errorCode: null,
        errorTitle: null,
        externalId: null,
        statusAt: now,
      };
      await messagesRepo(tx).update(tenantId, message.id, patch);
      const queue = outboundQueueRepo(tx);
      if (!(await queue.isQueued(tenantId, message.id))) {
        await queue.insert(tenantId, {
          messageId: message.id,
          numberId: message.numberId,
          contactId: message.contactId,
          createdAt: now,
        });
      }
      const updated = { ...message, ...patch };
      return { result: updated, seq: await recordEvents(tx, tenantId, [messageUpdated(updated)], now) };
    });
    return committed(tenantId, out);
  }

  return { send, resend };
}

export type OutboundService = ReturnType<typeof createOutboundService>;
