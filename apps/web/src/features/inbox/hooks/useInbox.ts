import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateNoteRequest, SendMessageRequest } from '@switchboard/contracts';
import { useSession } from '../../auth/hooks/useMe';
import {
  addNote,
  countConversations,
  getConversation,
  listConversations,
  listMessages,
  markConversationRead,
  resendMessage,
  uploadAttachment,
  sendMessage,
  textMessage,
  setConversationLabel,
  updateConversation,
} from '../api/conversationsApi';
import {
  OPTIMISTIC_PREFIX,
  patchConversation,
  removeMessage,
  upsertMessage,
  type Pages,
} from '../api/cacheUpdates';
import { inboxKeys } from '../api/inboxKeys';
import { applyOptimisticUpdate, rollbackOptimisticUpdate } from '../api/optimisticConversation';
import type { Conversation, ConversationPatch, Message } from '../api/types';
import { mediaKindOf, mediaMessage } from '../attachments';
import { countsQuery, listQuery, type InboxFilters } from '../inboxFilters';
import { normalizeMessage } from '../messageModel';

export function useConversationList(filters: InboxFilters) {
  const query = listQuery(filters);
  return useInfiniteQuery({
    queryKey: inboxKeys.list(query),
    queryFn: ({ pageParam, signal }) => listConversations({ ...query, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useConversationCounts(filters: InboxFilters) {
  const query = countsQuery(filters);
  return useQuery({
    queryKey: inboxKeys.counts(query),
    queryFn: ({ signal }) => countConversations(query, signal),
  });
}

export function useConversation(id: string) {
  return useQuery({
    queryKey: inboxKeys.conversation(id),
    queryFn: ({ signal }) => getConversation(id, signal),
  });
}

export function useMessages(conversationId: string) {
  return useInfiniteQuery({
    queryKey: inboxKeys.messages(conversationId),
    queryFn: ({ pageParam, signal }) => listMessages(conversationId, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Realtime keeps a loaded thread current; a refetch would only reset the scroll.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Puts a conversation everywhere it is cached: its own query and every list that has it. */
function useStoreConversation() {
  const queryClient = useQueryClient();
  return (conversation: Conversation) => {
    queryClient.setQueryData(inboxKeys.conversation(conversation.id), conversation);
    queryClient.setQueriesData<Pages<Conversation>>({ queryKey: inboxKeys.lists }, (data) =>
      patchConversation(data, conversation.id, (c) => ({ ...conversation, unreadCount: c.unreadCount })),
    );
    void queryClient.invalidateQueries({ queryKey: inboxKeys.lists });
    void queryClient.invalidateQueries({ queryKey: inboxKeys.allCounts });
  };
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markConversationRead,
    onSuccess: (_data, id) => {
      const clear = (c: Conversation) => ({ ...c, unreadCount: 0 });
      queryClient.setQueryData<Conversation>(inboxKeys.conversation(id), (c) => (c ? clear(c) : c));
      queryClient.setQueriesData<Pages<Conversation>>({ queryKey: inboxKeys.lists }, (d) =>
        patchConversation(d, id, clear),
      );
      void queryClient.invalidateQueries({ queryKey: inboxKeys.allCounts });
    },
  });
}

/**
 * Changes status, snooze, assignee, team or priority, shown at once in the conversation and the
 * lists (a row that leaves a list's filters leaves it) and put back if the API refuses; the
 * answer (or, after a refusal, a refetch) then settles the caches and the tab counts.
 */
export function useUpdateConversation(id: string) {
  const queryClient = useQueryClient();
  const store = useStoreConversation();
  const { user } = useSession();
  return useMutation({
    mutationKey: inboxKeys.update(id),
    mutationFn: (patch: ConversationPatch) => updateConversation(id, patch),
    onMutate: async (patch) => {
      // A fetch in flight would overwrite the optimistic change with the state before it.
      await queryClient.cancelQueries({ queryKey: inboxKeys.conversation(id) });
      await queryClient.cancelQueries({ queryKey: inboxKeys.lists });
      return applyOptimisticUpdate(queryClient, id, patch, user.id, new Date());
    },
    onError: (_error, _patch, snapshot) => {
      if (snapshot !== undefined) rollbackOptimisticUpdate(queryClient, snapshot);
      // Realtime may have changed the conversation meanwhile: the server's state settles it.
      void queryClient.invalidateQueries({ queryKey: inboxKeys.conversation(id) });
      void queryClient.invalidateQueries({ queryKey: inboxKeys.lists });
    },
    onSuccess: store,
  });
}

export function useToggleLabel(conversationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ labelId, attached }: { labelId: string; attached: boolean }) =>
      setConversationLabel(conversationId, labelId, attached),
    onSuccess: (labels) => {
      const apply = (c: Conversation) => ({ ...c, labels });
      queryClient.setQueryData<Conversation>(inboxKeys.conversation(conversationId), (c) =>
        c ? apply(c) : c,
      );
      queryClient.setQueriesData<Pages<Conversation>>({ queryKey: inboxKeys.lists }, (d) =>
        patchConversation(d, conversationId, apply),
      );
    },
  });
}

function useThreadCache(conversationId: string) {
  const queryClient = useQueryClient();
  const key = inboxKeys.messages(conversationId);
  return {
    upsert: (message: Message) =>
      queryClient.setQueryData<Pages<Message>>(key, (data) => upsertMessage(data, message)),
    remove: (messageId: string) =>
      queryClient.setQueryData<Pages<Message>>(key, (data) => removeMessage(data, messageId)),
  };
}

export function useAddNote(conversationId: string) {
  const thread = useThreadCache(conversationId);
  return useMutation({
    mutationFn: (note: CreateNoteRequest) => addNote(conversationId, note),
    onSuccess: (note) => {
      const message = normalizeMessage(note as unknown as Record<string, unknown>);
      if (message !== undefined) thread.upsert(message);
    },
  });
}

let optimisticSeq = 0;

/** Sends a text reply, shown at once as `queued` and removed again if the API refuses it. */
export function useSendText(conversationId: string, senderUserId: string) {
  const thread = useThreadCache(conversationId);
  return useMutation({
    mutationFn: ({ body, replyTo }: { body: string; replyTo?: Message }) =>
      sendMessage(conversationId, textMessage(body, replyTo?.id)),
    onMutate: ({ body, replyTo }) => {
      optimisticSeq += 1;
      const tempId = `${OPTIMISTIC_PREFIX}${optimisticSeq}`;
      thread.upsert({
        id: tempId,
        direction: 'outbound',
        type: 'text',
        content: { body },
        externalId: null,
        status: 'queued',
        errorCode: null,
        errorTitle: null,
        replyToExternalId: replyTo?.externalId ?? null,
        forwarded: false,
        reactions: {},
        senderUserId,
        occurredAt: new Date().toISOString(),
        statusAt: null,
      });
      return { tempId };
    },
    onError: (_error, _input, context) => {
      if (context !== undefined) thread.remove(context.tempId);
    },
    onSuccess: (sent, _input, context) => {
      thread.remove(context.tempId);
      const message = normalizeMessage(sent as unknown as Record<string, unknown>);
      if (message !== undefined) thread.upsert(message);
    },
  });
}

/** Any other send (a reaction, a template): the answer joins the thread. */
export function useSendMessage(conversationId: string) {
  const thread = useThreadCache(conversationId);
  return useMutation({
    mutationFn: (body: SendMessageRequest) => sendMessage(conversationId, body),
    onSuccess: (sent) => {
      const message = normalizeMessage(sent as unknown as Record<string, unknown>);
      if (message !== undefined) thread.upsert(message);
    },
  });
}

export function useResend(conversationId: string) {
  const thread = useThreadCache(conversationId);
  return useMutation({
    mutationFn: (messageId: string) => resendMessage(conversationId, messageId),
    onSuccess: (sent) => {
      const message = normalizeMessage(sent as unknown as Record<string, unknown>);
      if (message !== undefined) thread.upsert(message);
    },
  });
}

/** Uploads a file, then sends it as the media kind its type allows (caption and quote included). */
export function useSendFile(conversationId: string) {
  const thread = useThreadCache(conversationId);
  return useMutation({
    mutationFn: async ({ file, caption, replyTo }: { file: File; caption: string; replyTo?: Message }) => {
      const attachment = await uploadAttachment(file);
      const send = mediaMessage(mediaKindOf(attachment.mimeType), attachment.id, {
        caption,
        filename: attachment.filename,
        ...(replyTo === undefined ? {} : { replyTo: replyTo.id }),
      });
      return sendMessage(conversationId, send);
    },
    onSuccess: (sent) => {
      const message = normalizeMessage(sent as unknown as Record<string, unknown>);
      if (message !== undefined) thread.upsert(message);
    },
  });
}
