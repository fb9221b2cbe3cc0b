// The inbox's tab and filters live in the URL (shareable, kept across reloads and back/forward).
// Pure functions: URL search params <-> filters <-> API query strings.
import type { QueryValue } from '../../lib/api/query';
import { conversationStatuses, priorities, type ConversationStatus, type Priority } from './api/types';

export const inboxTabs = ['mine', 'unassigned', 'all'] as const;
export type InboxTab = (typeof inboxTabs)[number];

export interface InboxFilters {
  tab: InboxTab;
  /** One status, or `all`. */
  status: ConversationStatus | 'all';
  priority: Priority | undefined;
  numberId: string | undefined;
  teamId: string | undefined;
  labelId: string | undefined;
  unread: boolean | undefined;
}

export const defaultFilters: InboxFilters = {
  tab: 'mine',
  status: 'open',
  priority: undefined,
  numberId: undefined,
  teamId: undefined,
  labelId: undefined,
  unread: undefined,
};

const oneOf = <T extends string>(options: readonly T[], value: string | null): T | undefined =>
  value !== null && (options as readonly string[]).includes(value) ? (value as T) : undefined;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOrUndefined = (value: string | null) => (value !== null && UUID.test(value) ? value : undefined);

export function readInboxFilters(params: URLSearchParams): InboxFilters {
  const unread = params.get('unread');
  return {
    tab: oneOf(inboxTabs, params.get('tab')) ?? defaultFilters.tab,
    status: oneOf([...conversationStatuses, 'all'] as const, params.get('status')) ?? defaultFilters.status,
    priority: oneOf(priorities, params.get('priority')),
    numberId: uuidOrUndefined(params.get('number')),
    teamId: uuidOrUndefined(params.get('team')),
    labelId: uuidOrUndefined(params.get('label')),
    unread: unread === 'true' ? true : unread === 'false' ? false : undefined,
  };
}

/** Only what differs from the defaults is written, so a plain /inbox means the default view. */
export function writeInboxFilters(filters: InboxFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.tab !== defaultFilters.tab) params.set('tab', filters.tab);
  if (filters.status !== defaultFilters.status) params.set('status', filters.status);
  if (filters.priority !== undefined) params.set('priority', filters.priority);
  if (filters.numberId !== undefined) params.set('number', filters.numberId);
  if (filters.teamId !== undefined) params.set('team', filters.teamId);
  if (filters.labelId !== undefined) params.set('label', filters.labelId);
  if (filters.unread !== undefined) params.set('unread', String(filters.unread));
  return params;
}

/** GET /conversations/counts: the filters every tab shares. */
export function countsQuery(filters: InboxFilters): Record<string, QueryValue> {
  return {
    status: filters.status,
    priority: filters.priority,
    numberId: filters.numberId,
    teamId: filters.teamId,
    labelId: filters.labelId,
  };
}

/** GET /conversations: the shared filters, the tab's assignee and the unread filter. */
export function listQuery(filters: InboxFilters): Record<string, QueryValue> {
  const assignee = filters.tab === 'all' ? undefined : filters.tab === 'mine' ? 'me' : 'unassigned';
  return { ...countsQuery(filters), assignee, unread: filters.unread };
}

export function activeFilterCount(filters: InboxFilters): number {
  return [filters.priority, filters.numberId, filters.teamId, filters.labelId, filters.unread].filter(
    (v) => v !== undefined,
  ).length;
}
