// Read side of the inbox: conversation pages with their contact, number, last message and unread
// count in one query (joins and two lateral subqueries, so a page costs one round trip whatever
// its size), open counts per tab, and message history. Keyset pagination throughout.
import { and, desc, eq, getTableColumns, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { contacts } from '../contacts/contacts.tables.ts';
import { whatsappNumbers } from '../whatsapp/whatsapp.tables.ts';
import type { Keyset } from './cursor.ts';
import { conversations, messages, type conversationStatuses } from './conversations.tables.ts';

export type ConversationStatus = (typeof conversationStatuses)[number];

export interface ConversationFilter {
  /** Undefined: every status. */
  statuses?: ConversationStatus[] | undefined;
  /** A user id, or null for unassigned. Undefined: anyone. */
  assigneeId?: string | null | undefined;
  numberId?: string | undefined;
  contactId?: string | undefined;
  /** Keyset cursor: conversations strictly after this (lastMessageAt, id) in newest-first order. */
  before?: Keyset | undefined;
}

function viewQuery(tx: Executor) {
  const lastMessage = tx
    .select({
      id: messages.id,
      direction: messages.direction,
      type: messages.type,
      content: messages.content,
      occurredAt: messages.occurredAt,
    })
    .from(messages)
    .where(and(eq(messages.tenantId, conversations.tenantId), eq(messages.conversationId, conversations.id)))
    .orderBy(desc(messages.occurredAt), desc(messages.id))
    .limit(1)
    .as('last_message');
  // No per-agent read marks yet: unread = inbound messages after the last outbound one.
  const unread = tx
    .select({ n: sql<number>`count(*)::int`.as('n') })
    .from(messages)
    .where(
      and(
        eq(messages.tenantId, conversations.tenantId),
        eq(messages.conversationId, conversations.id),
        eq(messages.direction, 'inbound'),
        sql`${messages.occurredAt} > coalesce((
          select max(o.occurred_at) from messages o
          where o.tenant_id = ${conversations.tenantId} and o.conversation_id = ${conversations.id}
            and o.direction = 'outbound'), '-infinity'::timestamptz)`,
      ),
    )
    .as('unread');
  return tx
    .select({
      conversation: conversations,
      contact: {
        id: contacts.id,
        name: contacts.name,
        profileName: contacts.profileName,
        waId: contacts.waId,
        phoneE164: contacts.phoneE164,
      },
      number: {
        id: whatsappNumbers.id,
        purpose: whatsappNumbers.purpose,
        displayPhoneNumber: whatsappNumbers.displayPhoneNumber,
      },
      lastMessage: {
        id: lastMessage.id,
        direction: lastMessage.direction,
        type: lastMessage.type,
        content: lastMessage.content,
        occurredAt: lastMessage.occurredAt,
      },
      unreadCount: unread.n,
    })
    .from(conversations)
    .innerJoin(
      contacts,
      and(eq(contacts.tenantId, conversations.tenantId), eq(contacts.id, conversations.contactId)),
    )
    .leftJoin(
      whatsappNumbers,
      and(
        eq(whatsappNumbers.tenantId, conversations.tenantId),
        eq(whatsappNumbers.id, conversations.numberId),
      ),
    )
    .leftJoinLateral(lastMessage, sql`true`)
    .leftJoinLateral(unread, sql`true`);
}

export type ConversationViewRow = Awaited<ReturnType<ReturnType<typeof viewQuery>['execute']>>[number];

export const inboxRepo = (tx: Executor) => ({
  async list(tenantId: string, filter: ConversationFilter, limit: number): Promise<ConversationViewRow[]> {
    const where: (SQL | undefined)[] = [eq(conversations.tenantId, tenantId)];
    if (filter.statuses) where.push(inArray(conversations.status, filter.statuses));
    if (filter.assigneeId === null) where.push(isNull(conversations.assigneeId));
    else if (filter.assigneeId !== undefined) where.push(eq(conversations.assigneeId, filter.assigneeId));
    if (filter.numberId) where.push(eq(conversations.numberId, filter.numberId));
    if (filter.contactId) where.push(eq(conversations.contactId, filter.contactId));
    if (filter.before) {
      const b = filter.before;
      where.push(
        or(
          lt(conversations.lastMessageAt, b.at),
          and(eq(conversations.lastMessageAt, b.at), lt(conversations.id, b.id)),
        ),
      );
    }
    return viewQuery(tx)
      .where(and(...where))
      .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
      .limit(limit);
  },
  async findView(tenantId: string, id: string): Promise<ConversationViewRow | undefined> {
    const [row] = await viewQuery(tx).where(
      and(eq(conversations.tenantId, tenantId), eq(conversations.id, id)),
    );
    return row;
  },
  /** Open conversations per inbox tab. `userId` null (an API key) counts nothing as mine. */
  async countOpen(
    tenantId: string,
    userId: string | null,
    numberId: string | undefined,
  ): Promise<{ mine: number; unassigned: number; all: number }> {
    const mine = userId
      ? sql<number>`(count(*) filter (where ${conversations.assigneeId} = ${userId}))::int`
      : sql<number>`0`;
    const [row] = await tx
      .select({
        mine,
        unassigned: sql<number>`(count(*) filter (where ${conversations.assigneeId} is null))::int`,
        all: sql<number>`count(*)::int`,
      })
      .from(conversations)
      .where(
        and(
          eq(conversations.tenantId, tenantId),
          eq(conversations.status, 'open'),
          numberId ? eq(conversations.numberId, numberId) : undefined,
        ),
      );
    return { mine: row?.mine ?? 0, unassigned: row?.unassigned ?? 0, all: row?.all ?? 0 };
  },
  /** A conversation's messages, newest first, strictly after the cursor. */
  async messages(
    tenantId: string,
    conversationId: string,
    before: Keyset | undefined,
    limit: number,
  ): Promise<Omit<typeof messages.$inferSelect, 'raw'>[]> {
    const { raw: _raw, ...columns } = getTableColumns(messages);
    return tx
      .select(columns)
      .from(messages)
      .where(
        and(
          eq(messages.tenantId, tenantId),
          eq(messages.conversationId, conversationId),
          before
            ? or(
                lt(messages.occurredAt, before.at),
                and(eq(messages.occurredAt, before.at), lt(messages.id, before.id)),
              )
            : undefined,
        ),
      )
      .orderBy(desc(messages.occurredAt), desc(messages.id))
      .limit(limit);
  },
});
