import { requestApi } from '../../../lib/api/client';
import { signalOption, withQuery } from '../../../lib/api/query';
import type { ConversationContact, MessageDirection, Page } from '../../inbox/api/types';

/** The API's MessageSearchHit (GET /api/v1/search); not in @switchboard/contracts yet. */
export interface MessageHit {
  id: string;
  conversationId: string;
  direction: MessageDirection;
  type: string;
  occurredAt: string;
  snippet: { text: string; highlights: { start: number; length: number }[] };
  contact: ConversationContact;
}

export interface SearchResult {
  messages: Page<MessageHit> | null;
  contacts: Page<ConversationContact> | null;
}

export function search(q: string, signal?: AbortSignal): Promise<SearchResult> {
  return requestApi('GET', withQuery('/search', { q, limit: 20 }), signalOption(signal));
}
