import type { QueryValue } from '../../../lib/api/query';

export const inboxKeys = {
  all: ['inbox'] as const,
  lists: ['inbox', 'list'] as const,
  list: (query: Record<string, QueryValue>) => ['inbox', 'list', query] as const,
  counts: (query: Record<string, QueryValue>) => ['inbox', 'counts', query] as const,
  allCounts: ['inbox', 'counts'] as const,
  conversation: (id: string) => ['inbox', 'conversation', id] as const,
  messages: (id: string) => ['inbox', 'messages', id] as const,
  contactConversations: (contactId: string) => ['inbox', 'contact', contactId] as const,
  /** Mutation keys of conversation updates in flight (optimistic: realtime waits for them). */
  updates: ['inbox', 'update'] as const,
  update: (id: string) => ['inbox', 'update', id] as const,
};

/** The conversation on screen: its new messages are read as they arrive, so they are not unread. */
let openConversationId: string | undefined;
export const getOpenConversationId = () => openConversationId;
export const setOpenConversationId = (id: string | undefined) => {
  openConversationId = id;
};
