// Conversation actions (status, snooze, assignment, team, priority) shown at once: the change is
// written into the cached conversation and every cached list before the API answers, and put
// back as it was if the API refuses it. Like a text reply's optimistic copy (useSendText).
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import type { QueryValue } from '../../../lib/api/query';
import { patchConversation, type Pages } from './cacheUpdates';
import { inboxKeys } from './inboxKeys';
import type { Conversation, ConversationPatch } from './types';

/** The conversation as the server will make it (conversations.service statusChange and patch). */
export function applyConversationPatch(
  current: Conversation,
  patch: ConversationPatch,
  now: Date,
): Conversation {
  const next: Conversation = { ...current, updatedAt: now.toISOString() };
  if (patch.status !== undefined || patch.snoozedUntil !== undefined) {
    const status = patch.status ?? current.status;
    next.status = status;
    next.snoozedUntil = status === 'snoozed' ? (patch.snoozedUntil ?? current.snoozedUntil) : null;
    next.resolvedAt =
      status === 'resolved' ? (current.status === 'resolved' ? current.resolvedAt : now.toISOString()) : null;
  }
  if (patch.assigneeId !== undefined) next.assigneeId = patch.assigneeId;
  if (patch.teamId !== undefined) next.teamId = patch.teamId;
  if (patch.priority !== undefined) next.priority = patch.priority;
  return next;
}

/**
 * Whether a list (GET /conversations with `query`) can still hold the conversation. Only the
 * fields an action changes are checked; a row that newly matches a list is not added (the list
 * refetches after the answer).
 */
export function belongsToList(
  c: Conversation,
  query: Readonly<Record<string, QueryValue>>,
  myId: string,
): boolean {
  const status = query['status'];
  if (typeof status === 'string' && status !== 'all' && !status.split(',').includes(c.status)) return false;
  const priority = query['priority'];
  if (typeof priority === 'string' && priority !== c.priority) return false;
  const teamId = query['teamId'];
  if (typeof teamId === 'string' && teamId !== c.teamId) return false;
  const assignee = query['assignee'];
  if (assignee === 'me' && c.assigneeId !== myId) return false;
  if (assignee === 'unassigned' && c.assigneeId !== null) return false;
  return true;
}

/** A list's pages with the conversation replaced, or without it when it left the list's filters. */
export function listWithConversation(
  data: Pages<Conversation> | undefined,
  conversation: Conversation,
  query: Readonly<Record<string, QueryValue>> | undefined,
  myId: string,
): Pages<Conversation> | undefined {
  if (data === undefined) return undefined;
  if (query !== undefined && !belongsToList(conversation, query, myId)) {
    const present = data.pages.some((p) => p.items.some((c) => c.id === conversation.id));
    if (!present) return data;
    return {
      ...data,
      pages: data.pages.map((p) => ({ ...p, items: p.items.filter((c) => c.id !== conversation.id) })),
    };
  }
  return patchConversation(data, conversation.id, (c) => ({ ...conversation, unreadCount: c.unreadCount }));
}

/** What the caches held before an optimistic change, to put back on failure. */
export interface ConversationSnapshot {
  conversationId: string;
  conversation: Conversation | undefined;
  lists: [QueryKey, Pages<Conversation> | undefined][];
}

/**
 * Writes the patch into the cached conversation and lists; returns what they held before. The
 * caller cancels the queries' fetches in flight first, so none overwrites the change.
 */
export function applyOptimisticUpdate(
  queryClient: QueryClient,
  conversationId: string,
  patch: ConversationPatch,
  myId: string,
  now: Date,
): ConversationSnapshot {
  const key = inboxKeys.conversation(conversationId);
  const snapshot: ConversationSnapshot = {
    conversationId,
    conversation: queryClient.getQueryData<Conversation>(key),
    lists: queryClient.getQueriesData<Pages<Conversation>>({ queryKey: inboxKeys.lists }),
  };
  const patched =
    snapshot.conversation === undefined
      ? undefined
      : applyConversationPatch(snapshot.conversation, patch, now);
  if (patched !== undefined) queryClient.setQueryData(key, patched);
  for (const [listKey, data] of snapshot.lists) {
    if (data === undefined) continue;
    // Without the conversation's own query (not opened yet), each list's row is patched.
    const row = patched ?? data.pages.flatMap((p) => p.items).find((c) => c.id === conversationId);
    if (row === undefined) continue;
    const next = patched ?? applyConversationPatch(row, patch, now);
    const query = listKey[2] as Readonly<Record<string, QueryValue>> | undefined;
    queryClient.setQueryData(listKey, listWithConversation(data, next, query, myId));
  }
  return snapshot;
}

/** Puts the cached conversation and lists back as they were before the optimistic change. */
export function rollbackOptimisticUpdate(queryClient: QueryClient, snapshot: ConversationSnapshot): void {
  queryClient.setQueryData(inboxKeys.conversation(snapshot.conversationId), snapshot.conversation);
  for (const [listKey, data] of snapshot.lists) queryClient.setQueryData(listKey, data);
}
