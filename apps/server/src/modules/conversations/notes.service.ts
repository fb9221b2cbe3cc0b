// Private notes: agents write in a conversation's thread for each other, never to the client. A
// note is a message with direction `note`; it does not touch the conversation (its window, unread
// count and last activity are the client's). Mentioned users are notified, in the same transaction.
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { AppError, orNotFound, type FieldIssue } from '../../platform/errors.ts';
import type { RealtimeBus } from '../../platform/realtime/realtime-bus.ts';
import type { NewRealtimeEvent } from '../../platform/realtime/realtime-events.ts';
import { recordEvents } from '../../platform/realtime/realtime.repo.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { recordNotifications } from '../notifications/notifications.service.ts';
import { usersRepo } from '../users/users.repo.ts';
import { messageView } from './conversation-events.ts';
import { conversationsRepo, messagesRepo, type MessageRow } from './conversations.repo.ts';

type UserPrincipal = Extract<Principal, { kind: 'user' }>;

export interface NoteInput {
  body: string;
  /** User ids; each must be an active user of the organization. */
  mentions: string[];
}

const PREVIEW_LENGTH = 120;

export const noteCreated = (m: MessageRow): NewRealtimeEvent => ({
  type: 'note.created',
  conversationId: m.conversationId,
  data: messageView(m),
});

export function createNotesService(deps: {
  database: Database;
  clock: Clock;
  realtime: Pick<RealtimeBus, 'publish'>;
}) {
  const { database, clock, realtime } = deps;

  /** Writes a note as the signed-in user; each mentioned user but the author is notified. */
  async function addNote(
    principal: UserPrincipal,
    conversationId: string,
    input: NoteInput,
  ): Promise<MessageRow> {
    const { tenantId, userId } = principal;
    const now = clock.now();
    const { note, seq } = await database.tenant(tenantId, async (tx) => {
      const conversation = orNotFound(
        await conversationsRepo(tx).findById(tenantId, conversationId),
        'Conversation not found.',
      );
      const mentions = [...new Set(input.mentions)];
      const users = usersRepo(tx);
      const issues: FieldIssue[] = [];
      for (const id of mentions) {
        const user = await users.findById(tenantId, id);
        if (user?.status !== 'active') {
          const index = input.mentions.indexOf(id);
          issues.push({
            path: `body.mentions.${index}`,
            message: `No active user ${id} in the organization`,
          });
        }
      }
      if (issues.length > 0)
        throw new AppError(
          'unprocessable_content',
          'Only active users of the organization can be mentioned.',
          {
            errors: issues,
          },
        );

      const note = await messagesRepo(tx).insertUnlessDuplicate(tenantId, {
        id: uuidv7(now.getTime()),
        conversationId: conversation.id,
        contactId: conversation.contactId,
        numberId: conversation.numberId,
        direction: 'note',
        type: 'text',
        content: { body: input.body, mentions },
        externalId: null,
        // A note is stored and never delivered: nothing will move this status.
        status: 'received',
        senderUserId: userId,
        occurredAt: now,
        createdAt: now,
      });
      if (!note) throw new Error('a note without an external id cannot be a duplicate');

      const { events } = await recordNotifications(
        tx,
        tenantId,
        mentions
          .filter((id) => id !== userId)
          .map((id) => ({
            userId: id,
            kind: 'mention' as const,
            conversationId: conversation.id,
            messageId: note.id,
            actorUserId: userId,
          })),
        now,
        // As the notifications list shows it: the first characters (code points, like SQL `left`).
        Array.from(input.body).slice(0, PREVIEW_LENGTH).join(''),
      );
      // Last in the transaction: see recordEvents.
      const seq = await recordEvents(tx, tenantId, [noteCreated(note), ...events], now);
      return { note, seq };
    });
    // Told after commit, so no instance reads an event before it is visible.
    realtime.publish({ tenantId, seq });
    return note;
  }

  /** Whether the organization has this conversation (the realtime gateway checks typing frames). */
  async function conversationExists(tenantId: string, conversationId: string): Promise<boolean> {
    const found = await database.tenant(tenantId, (tx) =>
      conversationsRepo(tx).findById(tenantId, conversationId),
    );
    return found !== undefined;
  }

  return { addNote, conversationExists };
}

export type NotesService = ReturnType<typeof createNotesService>;
