import type { CreateNoteRequest, LabelSummary } from '@switchboard/contracts';
import { requestApi } from '../../../lib/api/client';
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

/** A free-text WhatsApp reply; 202 with the message `queued`, or 409 `whatsapp_window_closed`. */
export function sendTextMessage(conversationId: string, body: string): Promise<Message> {
  return requestApi('POST', `/conversations/${id(conversationId)}/messages`, {
    body: { type: 'text', text: { body } },
  });
}

export const mediaUrl = (messageId: string) => `/api/v1/messages/${id(messageId)}/media`;
