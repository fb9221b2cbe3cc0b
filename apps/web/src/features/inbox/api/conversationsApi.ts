import type {
  CreateNoteRequest,
  LabelSummary,
  SendMessageRequest,
  TemplatePreview,
  TemplateParameters,
  TemplateView,
} from '@switchboard/contracts';
import { requestApi, uploadApi } from '../../../lib/api/client';
import { signalOption, withQuery, type QueryValue } from '../../../lib/api/query';
import type { Conversation, ConversationCounts, ConversationPatch, Message, Page } from './types';

const id = encodeURIComponent;

export function listConversations(
  query: Readonly<Record<string, QueryValue>>,
  signal?: AbortSignal,
): Promise<Page<Conversation>> {
  return requestApi('GET', withQuery('/conversations', query), signalOption(signal));
}

export function countConversations(
  query: Readonly<Record<string, QueryValue>>,
  signal?: AbortSignal,
): Promise<ConversationCounts> {
  return requestApi('GET', withQuery('/conversations/counts', query), signalOption(signal));
}

export function getConversation(conversationId: string, signal?: AbortSignal): Promise<Conversation> {
  return requestApi('GET', `/conversations/${id(conversationId)}`, signalOption(signal));
}

export function listMessages(
  conversationId: string,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<Page<Message>> {
  return requestApi(
    'GET',
    withQuery(`/conversations/${id(conversationId)}/messages`, { cursor, limit: 50 }),
    signalOption(signal),
  );
}

export async function markConversationRead(conversationId: string): Promise<void> {
  await requestApi<undefined>('POST', `/conversations/${id(conversationId)}/read`);
}

export function updateConversation(conversationId: string, patch: ConversationPatch): Promise<Conversation> {
  return requestApi('PATCH', `/conversations/${id(conversationId)}`, { body: patch });
}

export async function setConversationLabel(
  conversationId: string,
  labelId: string,
  attached: boolean,
): Promise<LabelSummary[]> {
  const page = await requestApi<{ items: LabelSummary[] }>(
    attached ? 'PUT' : 'DELETE',
    `/conversations/${id(conversationId)}/labels/${id(labelId)}`,
  );
  return page.items;
}

export function addNote(conversationId: string, note: CreateNoteRequest): Promise<Message> {
  return requestApi('POST', `/conversations/${id(conversationId)}/notes`, { body: note });
}

/**
 * Sends a message (text, reaction, template…): 202 with it `queued`, or 409
 * `whatsapp_window_closed` when only a template may go.
 */
export function sendMessage(conversationId: string, body: SendMessageRequest): Promise<Message> {
  return requestApi('POST', `/conversations/${id(conversationId)}/messages`, { body });
}

/** A text reply, quoting `replyTo` (one of our message ids) when given. */
export function textMessage(body: string, replyTo?: string): SendMessageRequest {
  return { type: 'text', text: { body, previewUrl: false }, ...(replyTo === undefined ? {} : { replyTo }) };
}

/** Puts a failed or unknown message back in line. */
export function resendMessage(conversationId: string, messageId: string): Promise<Message> {
  return requestApi('POST', `/conversations/${id(conversationId)}/messages/${id(messageId)}/resend`);
}

export async function listTemplates(
  numberId: string,
  q: string,
  signal?: AbortSignal,
): Promise<TemplateView[]> {
  const page = await requestApi<{ items: TemplateView[] }>(
    'GET',
    withQuery(`/whatsapp/numbers/${id(numberId)}/templates`, { status: 'APPROVED', q, limit: 100 }),
    signalOption(signal),
  );
  return page.items;
}

export function previewTemplate(
  numberId: string,
  templateId: string,
  parameters: TemplateParameters,
  signal?: AbortSignal,
): Promise<TemplatePreview> {
  return requestApi('POST', `/whatsapp/numbers/${id(numberId)}/templates/${id(templateId)}/preview`, {
    body: { parameters },
    ...signalOption(signal),
  });
}

export const mediaUrl = (messageId: string) => `/api/v1/messages/${id(messageId)}/media`;
export const attachmentUrl = (attachmentId: string) => `/api/v1/attachments/${id(attachmentId)}`;

/** The API's Attachment view (POST /api/v1/attachments); not in @switchboard/contracts yet. */
export interface Attachment {
  id: string;
  filename: string;
  mimeType: string;
  size: number;
}

export function uploadAttachment(file: File): Promise<Attachment> {
  return uploadApi(withQuery('/attachments', { filename: file.name }), file);
}
