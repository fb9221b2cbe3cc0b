// Merging a duplicate contact (the source) into another (the target), in one transaction:
// - both contacts are locked, with the same advisory locks inbound intake takes for their WhatsApp
//   ids (inbound-contact.ts), so no message of either is being recorded meanwhile;
// - conversations move to the target. Where both have an active conversation on the same number
//   (at most one may exist per contact and number), the source's messages, labels and
//   notifications move into the target's conversation, and the emptied one is DELETED (a resolved
//   shell with no messages would only clutter the history); its last event says so;
// - labels move deduplicated, notes move, attributes merge with the target's values winning, and
//   the target takes the identity fields it lacks (WhatsApp id, user id, names);
// - the source is deleted, and the merge audited.
// Every WhatsApp identity of the source must end up on the target, so a later message from it
// finds the target: merging two contacts with different WhatsApp ids (or user ids) is refused.
import { priorities } from '../conversations/conversations.tables.ts';
import type { Actor } from '../../platform/auth/principal.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { RealtimeBus } from '../../platform/realtime/realtime-bus.ts';
import type { NewRealtimeEvent } from '../../platform/realtime/realtime-events.ts';
import { recordEvents } from '../../platform/realtime/realtime.repo.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { conversationUpdated, conversationView } from '../conversations/conversation-events.ts';
import { conversationsRepo, type ConversationRow } from '../conversations/conversations.repo.ts';
import { lockContact } from '../conversations/inbound-contact.ts';
import { contactMergeRepo } from './contact-merge.repo.ts';
import { contactsRepo, type ContactRow } from './contacts.repo.ts';
import { withLabels, type ContactWithLabels } from './contacts.service.ts';

const SOURCE_PATH = 'body.sourceContactId';

const identityKeys = (...cs: ContactRow[]) =>
  cs.flatMap((c) => [c.waId, c.userId]).filter((k): k is string => Boolean(k));

const latest = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));
const earliest = (a: Date, b: Date) => (a < b ? a : b);
const STATUS_RANK = { open: 0, pending: 1, snoozed: 2, resolved: 3 } as const;

/** What changes on the target's active conversation when it absorbs the source's one on its number. */
function combined(into: ConversationRow, from: ConversationRow, now: Date) {
  // The more active status wins: a client waiting for an answer is not hidden by a snooze.
  const status = STATUS_RANK[from.status] < STATUS_RANK[into.status] ? from.status : into.status;
  return {
    status,
    snoozedUntil: status === 'snoozed' ? into.snoozedUntil : null,
    assigneeId: into.assigneeId ?? from.assigneeId,
    teamId: into.teamId ?? from.teamId,
    priority:
      priorities.indexOf(from.priority) > priorities.indexOf(into.priority) ? from.priority : into.priority,
    lastMessageAt: latest(into.lastMessageAt, from.lastMessageAt) ?? into.lastMessageAt,
    lastInboundAt: latest(into.lastInboundAt, from.lastInboundAt),
    lastInboundStoredAt: latest(into.lastInboundStoredAt, from.lastInboundStoredAt),
    windowExpiresAt: latest(into.windowExpiresAt, from.windowExpiresAt),
    createdAt: earliest(into.createdAt, from.createdAt),
    updatedAt: now,
  } satisfies Partial<ConversationRow>;
}

function sourceNotFound(): AppError {
  return new AppError('not_found', 'The contact to merge was not found.', {
    errors: [{ path: SOURCE_PATH, message: 'No contact with this id' }],
  });
}

function identityConflict(what: string): AppError {
  return new AppError(
    'conflict',
    `Both contacts have their own ${what}. A contact keeps one WhatsApp identity, so merging would ` +
      'lose where one of them writes from.',
    { errors: [{ path: SOURCE_PATH, message: `Has a different ${what}` }] },
  );
}

/**
 * Gives the source's conversations and messages to the target, folding each active one into the
 * target's active conversation on the same number; returns the events and counts.
 */
async function moveConversations(
  tx: Executor,
  tenantId: string,
  targetId: string,
  sourceId: string,
  now: Date,
) {
  const merge = contactMergeRepo(tx);
  const conversations = await merge.lockConversations(tenantId, [targetId, sourceId]);
  const active = new Map(
    conversations
      .filter((c) => c.contactId === targetId && c.status !== 'resolved')
      .map((c) => [c.numberId, c]),
  );
  const fromSource = conversations.filter((c) => c.contactId === sourceId);
  const events: NewRealtimeEvent[] = [];
  let messages = 0;
  let folded = 0;
  for (const c of fromSource) {
    const into = c.status === 'resolved' ? undefined : active.get(c.numberId);
    if (!into) {
      events.push(conversationUpdated({ ...c, contactId: targetId, updatedAt: now }));
      continue;
    }
    messages += await merge.foldConversation(tenantId, c.id, into.id, targetId);
    const changes = combined(into, c, now);
    await conversationsRepo(tx).update(tenantId, into.id, changes);
    const after: ConversationRow = { ...into, ...changes };
    active.set(c.numberId, after);
    folded += 1;
    // The emptied conversation is deleted: clients showing it learn where its messages went.
    const gone = { ...c, contactId: targetId, status: 'resolved' as const, resolvedAt: now, updatedAt: now };
    events.push(conversationUpdated(after), {
      type: 'conversation.updated',
      conversationId: c.id,
      data: { ...conversationView(gone), deleted: true, mergedIntoConversationId: into.id },
    });
  }
  messages += await merge.moveConversations(tenantId, sourceId, targetId, now);
  return { events, messages, folded, conversations: fromSource.length };
}

export function createContactMergeService(deps: {
  database: Database;
  clock: Clock;
  audit: AuditService;
  realtime: Pick<RealtimeBus, 'publish'>;
}) {
  const { database, clock, audit, realtime } = deps;

  async function mergeContacts(
    tenantId: string,
    targetId: string,
    sourceId: string,
    actor: Actor,
  ): Promise<ContactWithLabels> {
    if (targetId === sourceId) {
      throw new AppError('unprocessable_content', 'A contact cannot be merged into itself.', {
        errors: [{ path: SOURCE_PATH, message: 'Must be another contact' }],
      });
    }
    const now = clock.now();
    const { result, seq } = await database.tenant(tenantId, async (tx) => {
      const contacts = contactsRepo(tx);
      const merge = contactMergeRepo(tx);
      const seen = [await contacts.findById(tenantId, targetId), await contacts.findById(tenantId, sourceId)];
      if (!seen[0]) throw new AppError('not_found', 'Contact not found.');
      if (!seen[1]) throw sourceNotFound();
      const lockedKeys = identityKeys(seen[0], seen[1]);
      await lockContact(tx, tenantId, lockedKeys);
      const rows = await merge.lockContacts(tenantId, [targetId, sourceId]);
      const target = rows.find((c) => c.id === targetId);
      const source = rows.find((c) => c.id === sourceId);
      if (!target) throw new AppError('not_found', 'Contact not found.');
      if (!source) throw sourceNotFound();
      // An id that changed between the read and the row lock (a number change) is locked too.
      const extra = identityKeys(target, source).filter((k) => !lockedKeys.includes(k));
      if (extra.length > 0) await lockContact(tx, tenantId, extra);
      if (target.waId && source.waId && target.waId !== source.waId)
        throw identityConflict('WhatsApp number');
      if (target.userId && source.userId && target.userId !== source.userId)
        throw identityConflict('WhatsApp user id');

      const moved = await moveConversations(tx, tenantId, targetId, sourceId, now);
      const notesMoved = await merge.moveLabelsAndNotes(tenantId, sourceId, targetId);

      // The source goes first: its WhatsApp id is unique per organization.
      await merge.deleteContact(tenantId, sourceId);
      const merged = await contacts.update(
        tenantId,
        targetId,
        {
          ...(target.waId ? {} : { waId: source.waId, phoneE164: source.phoneE164 }),
          ...(target.userId ? {} : { userId: source.userId }),
          ...(target.username ? {} : { username: source.username }),
          ...(target.name ? {} : { name: source.name }),
          ...(target.profileName ? {} : { profileName: source.profileName }),
          attributes: { ...source.attributes, ...target.attributes },
        },
        now,
      );
      await audit.record(tx, tenantId, actor, {
        action: 'contact.merged',
        target: { type: 'contact', id: targetId },
        before: {
          source: {
            id: source.id,
            waId: source.waId,
            userId: source.userId,
            name: source.name,
            profileName: source.profileName,
          },
        },
        after: {
          conversationsMoved: moved.conversations - moved.folded,
          conversationsFolded: moved.folded,
          messagesMoved: moved.messages,
          notesMoved,
        },
      });
      const [result] = await withLabels(tx, tenantId, [merged]);
      return {
        result: result ?? { contact: merged, labels: [] },
        seq: await recordEvents(tx, tenantId, moved.events, now),
      };
    });
    if (seq > 0) realtime.publish({ tenantId, seq });
    return result;
  }

  return { mergeContacts };
}

export type ContactMergeService = ReturnType<typeof createContactMergeService>;
