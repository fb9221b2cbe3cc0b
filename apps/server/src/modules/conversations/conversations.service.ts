// The inbox: lists and counts conversations, pages their messages, and changes a conversation's
// status, assignee and priority. Inbound messages are recorded by inbound.service.ts.
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/pg-errors.ts';
import type { TenantPrincipal } from '../../platform/auth/principal.ts';
import { AppError, orNotFound } from '../../platform/errors.ts';
import type { RealtimeBus } from '../../platform/realtime/realtime-bus.ts';
import { recordEvents } from '../../platform/realtime/realtime.repo.ts';
import { notifyAssignee } from '../teams/round-robin.ts';
import { teamsRepo } from '../teams/teams.repo.ts';
import { usersRepo } from '../users/users.repo.ts';
import { conversationUpdated } from './conversation-events.ts';
import { conversationsRepo, type ConversationRow } from './conversations.repo.ts';
import type { priorities } from './conversations.tables.ts';
import { decodeCursor, pageOf } from './cursor.ts';
import {
  inboxRepo,
  type ConversationPriority,
  type ConversationStatus,
  type ConversationViewRow,
  type CountFilter,
  type Reader,
} from './inbox.repo.ts';

export type Priority = (typeof priorities)[number];

export interface ConversationQuery {
  /** Undefined: every status. */
  statuses?: ConversationStatus[] | undefined;
  /** `me` (users only), `unassigned`, or a user id. */
  assignee?: string | undefined;
  numberId?: string | undefined;
  contactId?: string | undefined;
  teamId?: string | undefined;
  labelId?: string | undefined;
  /** Undefined: every priority. */
  priorities?: ConversationPriority[] | undefined;
  /** true: only conversations with messages the caller has not read; false: only those without. */
  unread?: boolean | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** Users read by their own marks; an API key has none (see inbox.repo.ts). */
export const readerOf = (principal: TenantPrincipal): Reader =>
  principal.kind === 'user' ? principal.userId : null;

export interface ConversationPatch {
  status?: ConversationStatus | undefined;
  snoozedUntil?: Date | undefined;
  assigneeId?: string | null | undefined;
  teamId?: string | null | undefined;
  priority?: Priority | undefined;
}

const ONE_ACTIVE_KEY = 'conversations_one_active_key';
const PREVIEW_LENGTH = 120;

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', message, { errors: [{ path, message }] });
}

/** A line of text for the conversation list, whatever the message type. */
export function previewOf(type: string, content: Record<string, unknown>): string {
  const text = (k: string) => (typeof content[k] === 'string' ? content[k] : '');
  let preview: string;
  switch (type) {
    case 'text':
    case 'system':
      preview = text('body');
      break;
    case 'button':
      preview = text('text');
      break;
    case 'interactive':
      preview = text('title') || text('body');
      break;
    case 'reaction':
      preview = text('emoji');
      break;
    case 'location':
      preview = text('name') || text('address');
      break;
    case 'order':
      preview = text('text');
      break;
    default:
      preview = text('caption') || text('filename');
  }
  return (preview || `[${type}]`).slice(0, PREVIEW_LENGTH);
}

export function createConversationsService(deps: {
  database: Database;
  clock: Clock;
  realtime: Pick<RealtimeBus, 'publish'>;
  /** Told after an agent's read mark moved (read receipts to WhatsApp). */
  onRead?: (tenantId: string, conversationId: string) => Promise<void>;
}) {
  const { database, clock, realtime } = deps;

  function assigneeFilter(
    principal: TenantPrincipal,
    assignee: string | undefined,
  ): string | null | undefined {
    if (assignee === undefined) return undefined;
    if (assignee === 'unassigned') return null;
    if (assignee !== 'me') return assignee;
    if (principal.kind !== 'user')
      throw invalid('query.assignee', '`me` is only for signed-in users; pass a user id instead');
    return principal.userId;
  }

  async function listConversations(
    principal: TenantPrincipal,
    query: ConversationQuery,
  ): Promise<{ items: ConversationViewRow[]; nextCursor: string | null }> {
    const { tenantId } = principal;
    const filter = {
      statuses: query.statuses,
      priorities: query.priorities,
      assigneeId: assigneeFilter(principal, query.assignee),
      numberId: query.numberId,
      contactId: query.contactId,
      teamId: query.teamId,
      labelId: query.labelId,
      unread: query.unread,
      before: decodeCursor(query.cursor),
    };
    const rows = await database.tenant(tenantId, (tx) =>
      inboxRepo(tx).list(tenantId, readerOf(principal), filter, query.limit + 1),
    );
    return pageOf(rows, query.limit, (r) => ({ at: r.conversation.lastMessageAt, id: r.conversation.id }));
  }

  /** Conversations per tab (mine, unassigned, all) and with unread messages, for the filter. */
  async function countConversations(principal: TenantPrincipal, filter: CountFilter) {
    const { tenantId } = principal;
    const reader = readerOf(principal);
    const counts = await database.tenant(tenantId, (tx) => inboxRepo(tx).countTabs(tenantId, reader, filter));
    // An API key has no conversations of its own.
    return { ...counts, mine: reader ? counts.mine : null };
  }

  async function getConversation(principal: TenantPrincipal, id: string): Promise<ConversationViewRow> {
    const { tenantId } = principal;
    return orNotFound(
      await database.tenant(tenantId, (tx) => inboxRepo(tx).findView(tenantId, id, readerOf(principal))),
      'Conversation not found.',
    );
  }

  /**
   * The user has read the conversation up to now. The mark only moves forward. Nothing is
   * published: read marks are the user's own, and no one else's view changes.
   */
  async function markConversationRead(tenantId: string, userId: string, id: string): Promise<void> {
    const now = clock.now();
    await database.tenant(tenantId, async (tx) => {
      orNotFound(await conversationsRepo(tx).findById(tenantId, id), 'Conversation not found.');
      await inboxRepo(tx).markRead(tenantId, id, userId, now);
    });
    await deps.onRead?.(tenantId, id);
  }

  async function listMessages(
    tenantId: string,
    conversationId: string,
    cursor: string | undefined,
    limit: number,
  ) {
    const before = decodeCursor(cursor);
    const rows = await database.tenant(tenantId, async (tx) => {
      orNotFound(await conversationsRepo(tx).findById(tenantId, conversationId), 'Conversation not found.');
      return inboxRepo(tx).messages(tenantId, conversationId, before, limit + 1);
    });
    return pageOf(rows, limit, (m) => ({ at: m.occurredAt, id: m.id }));
  }

  /** Decides the new status fields, or says why the change is not valid. */
  function statusChange(current: ConversationRow, patch: ConversationPatch, now: Date) {
    const next = patch.status ?? current.status;
    if (patch.snoozedUntil !== undefined && next !== 'snoozed')
      throw invalid('body.snoozedUntil', 'Only a snoozed conversation has a snooze time');
    if (next === 'snoozed' && patch.status === 'snoozed' && patch.snoozedUntil === undefined)
      throw invalid('body.snoozedUntil', 'Required to snooze: the time to wake the conversation');
    if (patch.snoozedUntil !== undefined && patch.snoozedUntil <= now)
      throw invalid('body.snoozedUntil', 'Must be in the future');
    if (patch.status === undefined && patch.snoozedUntil === undefined) return {};
    return {
      status: next,
      snoozedUntil: next === 'snoozed' ? (patch.snoozedUntil ?? current.snoozedUntil) : null,
      resolvedAt: next === 'resolved' ? (current.status === 'resolved' ? current.resolvedAt : now) : null,
    };
  }

  async function updateConversation(
    tenantId: string,
    id: string,
    patch: ConversationPatch,
    /** Who changes it: a new assignee other than them is notified. Null for an API key. */
    actorUserId: string | null = null,
  ): Promise<ConversationViewRow> {
    const now = clock.now();
    try {
      const result = await database.tenant(tenantId, async (tx) => {
        const repo = conversationsRepo(tx);
        // The team is locked before the conversation (the order deleting a team takes them in),
        // so it cannot be deleted before this conversation is moved to it.
        if (patch.teamId && !(await teamsRepo(tx).lock(tenantId, patch.teamId, 'share')))
          throw invalid('body.teamId', 'No team with this id in the organization');
        const current = orNotFound(await repo.findForUpdate(tenantId, id), 'Conversation not found.');
        const changes: Partial<ConversationRow> = statusChange(current, patch, now);
        if (current.status === 'resolved' && changes.status && changes.status !== 'resolved') {
          // One active conversation per contact and number: a newer one may have started since.
          if (await repo.findActive(tenantId, current.contactId, current.numberId)) throw reopenConflict();
        }
        if (patch.assigneeId !== undefined) {
          if (patch.assigneeId !== null) {
            const user = await usersRepo(tx).findById(tenantId, patch.assigneeId);
            if (user?.status !== 'active')
              throw invalid('body.assigneeId', 'No active user with this id in the organization');
          }
          changes.assigneeId = patch.assigneeId;
        }
        if (patch.teamId !== undefined) changes.teamId = patch.teamId;
        if (patch.priority !== undefined) changes.priority = patch.priority;
        let seq = 0;
        if (Object.keys(changes).length > 0) {
          await repo.update(tenantId, id, { ...changes, updatedAt: now });
          const after: ConversationRow = { ...current, ...changes, updatedAt: now };
          const events = [conversationUpdated(after)];
          if (changes.assigneeId !== undefined && changes.assigneeId !== current.assigneeId) {
            events.push({ ...conversationUpdated(after), type: 'conversation.assigned' });
            if (changes.assigneeId) {
              const assignment = { conversationId: id, assigneeId: changes.assigneeId, actorUserId };
              events.push(...(await notifyAssignee(tx, tenantId, assignment, now)));
            }
          }
          seq = await recordEvents(tx, tenantId, events, now);
        }
        return {
          // The acting user reads the view, so its unread count is theirs.
          view: orNotFound(
            await inboxRepo(tx).findView(tenantId, id, actorUserId),
            'Conversation not found.',
          ),
          seq,
        };
      });
      // Told after commit, so no instance reads an event before it is visible.
      if (result.seq > 0) realtime.publish({ tenantId, seq: result.seq });
      return result.view;
    } catch (err) {
      if (isUniqueViolation(err, ONE_ACTIVE_KEY)) throw reopenConflict();
      throw err;
    }
  }

  return {
    listConversations,
    countConversations,
    getConversation,
    markConversationRead,
    listMessages,
    updateConversation,
  };
}

function reopenConflict(): AppError {
  return new AppError(
    'conflict',
    'This contact already has an active conversation on this number; continue that one instead.',
  );
}

export type ConversationsService = ReturnType<typeof createConversationsService>;
