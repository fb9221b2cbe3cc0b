// Applies realtime events to the inbox's cached queries: the thread and the list change at once
// (the row moves to the top), then a short debounced refetch brings the counts and the filters'
// membership back to the server's truth. No page reload, no full refetch per event.
import type { QueryClient } from '@tanstack/react-query';
import type { RealtimeEvent } from '../../lib/realtime/frames';
import { notificationsKey } from '../notifications/hooks/useNotifications';
import {
  mergeConversationFields,
  patchConversation,
  upsertMessage,
  withNewMessage,
  type Pages,
} from './api/cacheUpdates';
import { getOpenConversationId, inboxKeys } from './api/inboxKeys';
import type { Conversation, Message } from './api/types';
import { normalizeMessage } from './messageModel';
import { typingStore } from './typing';

const REFRESH_DELAY_MS = 300;

export function createInboxRealtimeSync(queryClient: QueryClient) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Conversations whose events were held back while this agent's change to them was in flight. */
  const heldBack = new Set<string>();

  function scheduleRefresh(): void {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      // A refetch that reads before an optimistic change commits would show the old state again;
      // the change's answer refetches anyway, and this one waits until none is in flight.
      if (queryClient.isMutating({ mutationKey: inboxKeys.updates }) > 0) {
        scheduleRefresh();
        return;
      }
      void queryClient.invalidateQueries({ queryKey: inboxKeys.lists });
      void queryClient.invalidateQueries({ queryKey: inboxKeys.allCounts });
      void queryClient.invalidateQueries({ queryKey: ['inbox', 'contact'] });
      for (const id of heldBack) void queryClient.invalidateQueries({ queryKey: inboxKeys.conversation(id) });
      heldBack.clear();
    }, REFRESH_DELAY_MS);
  }

  function patchEverywhere(conversationId: string, patch: (c: Conversation) => Conversation): void {
    queryClient.setQueriesData<Pages<Conversation>>({ queryKey: inboxKeys.lists }, (data) =>
      patchConversation(data, conversationId, patch),
    );
    queryClient.setQueryData<Conversation>(inboxKeys.conversation(conversationId), (c) =>
      c === undefined ? undefined : patch(c),
    );
  }

  function onMessage(event: RealtimeEvent, message: Message, conversationId: string): void {
    queryClient.setQueryData<Pages<Message>>(inboxKeys.messages(conversationId), (data) =>
      upsertMessage(data, message),
    );
    if (event.type === 'message.created') {
      const countUnread = getOpenConversationId() !== conversationId;
      patchEverywhere(conversationId, (c) => withNewMessage(c, message, countUnread));
      scheduleRefresh();
    }
  }

  return {
    apply(event: RealtimeEvent): void {
      const conversationId = event.conversationId;
      switch (event.type) {
        case 'message.created':
        case 'message.updated':
        case 'note.created': {
          const message = normalizeMessage(event.data);
          if (message !== undefined && conversationId !== null) onMessage(event, message, conversationId);
          return;
        }
        case 'conversation.created':
        case 'conversation.updated':
        case 'conversation.assigned':
          if (conversationId !== null) {
            if (queryClient.isMutating({ mutationKey: inboxKeys.update(conversationId) }) > 0) {
              // An earlier state would overwrite the optimistic one: refetched once the change settles.
              heldBack.add(conversationId);
            } else {
              patchEverywhere(conversationId, (c) => mergeConversationFields(c, event.data));
            }
          }
          scheduleRefresh();
          return;
        case 'notification.created':
          void queryClient.invalidateQueries({ queryKey: notificationsKey });
          return;
        case 'typing': {
          const { userId, isTyping } = event.data;
          if (conversationId !== null && typeof userId === 'string')
            typingStore.apply(conversationId, userId, isTyping !== false);
          return;
        }
      }
    },
    dispose(): void {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
