// Read side of the inbox: conversation pages with their contact, number, last message, labels and
// the reader's unread count in one query (joins, a lateral subquery and correlated scalar
// subqueries, so a page costs one round trip whatever its size), counts per tab, per-user read
// marks, and message history. Keyset pagination throughout.
import {
  and,
  eq,
  getTableColumns,
  inArray,
  isNull,
  lt,
  or,
  sql,
  type AnyColumn,
  type SQL,
} from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { contacts } from '../contacts/contacts.tables.ts';
import { whatsappNumbers } from '../whatsapp/whatsapp.tables.ts';
import type { Keyset } from './cursor.ts';
import {
  conversationReads,
  conversationTallies,
  conversations,
  messages,
  type conversationStatuses,
  type priorities,
} from './conversations.tables.ts';

export type ConversationStatus = (typeof conversationStatuses)[number];
export type ConversationPriority = (typeof priorities)[number];

/**
 * Newest first, spelled as the indexes are built: drizzle writes an index's `.desc()` as
 * `DESC NULLS LAST` (conversations_inbox_idx, messages_conversation_idx), while a plain `DESC` sorts
 * nulls first, and PostgreSQL uses an index for an order only when the nulls' place matches too.
 * The columns are NOT NULL, so the order is the same; without it every page sorted its candidates
 * (docs/queries/inbox.md).
 */
const newestFirst = (column: AnyColumn) => sql`${column} desc nulls last`;

/** Whose unread counts: a user id (read marks), or null for an API key (no marks). */
export type Reader = string | null;

export interface LabelRef {
  id: string;
  name: string;
  color: string;
}

/** Narrows the counts per tab; the list takes these and more. */
export interface CountFilter {
  /** Undefined: every status. */
  statuses?: ConversationStatus[] | undefined;
  numberId?: string | undefined;
  teamId?: string | undefined;
  /** Conversations carrying this label. */
  labelId?: string | undefined;
  /** Undefined: every priority. */
  priorities?: ConversationPriority[] | undefined;
}

export interface ConversationFilter extends CountFilter {
  /** A user id, or null for unassigned. Undefined: anyone. */
  assigneeId?: string | null | undefined;
  contactId?: string | undefined;
  /** true: only conversations the reader has unread messages in; false: only those without. */
  unread?: boolean | undefined;
  /** Keyset cursor: conversations strictly after this (lastMessageAt, id) in newest-first order. */
  before?: Keyset | undefined;
}

/**
 * The inbound messages of the current `conversations` row that `reader` has not read.
 * - A user: those stored after the user's read mark (all of them without a mark). Compared on
 *   `created_at`, our clock at storage, like the mark itself: a message delivered late with an old
 *   WhatsApp timestamp is still unread.
 * - An API key has no marks: inbound messages after the last outbound one (awaiting a reply).
 */
function unreadMessages(reader: Reader): SQL {
  const inbound = sql`${messages.tenantId} = ${conversations.tenantId}
    and ${messages.conversationId} = ${conversations.id} and ${messages.direction} = 'inbound'`;
  if (reader !== null) {
    return sql`${inbound} and ${messages.createdAt} > coalesce((
      select r.last_read_at from ${conversationReads} r
      where r.tenant_id = ${conversations.tenantId} and r.conversation_id = ${conversations.id}
        and r.user_id = ${reader}), '-infinity'::timestamptz)`;
  }
  return sql`${inbound} and ${messages.occurredAt} > coalesce((
    select max(o.occurred_at) from ${messages} o
    where o.tenant_id = ${conversations.tenantId} and o.conversation_id = ${conversations.id}
      and o.direction = 'outbound'), '-infinity'::timestamptz)`;
}

const unreadCount = (reader: Reader) =>
  sql<number>`(select count(*)::int from ${messages} where ${unreadMessages(reader)})`;
/**
 * Whether `reader` has unread messages in the current `conversations` row. A user: its newest
 * inbound message was stored after the user's mark (the same test as `unreadMessages`, from the
 * column the intake keeps, without reading messages).
 */
function hasUnread(reader: Reader): SQL {
  if (reader === null) return sql`exists (select 1 from ${messages} where ${unreadMessages(reader)})`;
  return sql`${conversations.lastInboundStoredAt} > coalesce((
    select r.last_read_at from ${conversationReads} r
    where r.tenant_id = ${conversations.tenantId} and r.conversation_id = ${conversations.id}
      and r.user_id = ${reader}), '-infinity'::timestamptz)`;
}

/** The conversation's labels as a JSON array, by name. */
const labelList = sql<LabelRef[]>`coalesce((
  select json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color)
                  order by lower(l.name), l.id)
  from conversation_labels cl join labels l on l.tenant_id = cl.tenant_id and l.id = cl.label_id
  where cl.tenant_id = ${conversations.tenantId} and cl.conversation_id = ${conversations.id}
), '[]'::json)`;

/** The filter's dimensions, on any table that carries them (conversations, tallies, read marks). */
function dimensionConditions(
  t: typeof conversations | typeof conversationTallies | typeof conversationReads,
  tenantId: string,
  filter: CountFilter,
): (SQL | undefined)[] {
  const where: (SQL | undefined)[] = [eq(t.tenantId, tenantId)];
  if (filter.statuses) where.push(inArray(t.status, filter.statuses));
  if (filter.priorities) where.push(inArray(t.priority, filter.priorities));
  if (filter.numberId) where.push(eq(t.numberId, filter.numberId));
  if (filter.teamId) where.push(eq(t.teamId, filter.teamId));
  return where;
}

function countConditions(tenantId: string, filter: CountFilter): (SQL | undefined)[] {
  const where = dimensionConditions(conversations, tenantId, filter);
  if (filter.labelId) {
    where.push(sql`exists (select 1 from conversation_labels cl
      where cl.tenant_id = ${conversations.tenantId} and cl.conversation_id = ${conversations.id}
        and cl.label_id = ${filter.labelId})`);
  }
  return where;
}

/** The tab counts read conversation by conversation, as they were before the tallies (ADR 0009). */
async function countTabsByRow(
  tx: Executor,
  tenantId: string,
  reader: Reader,
  filter: CountFilter,
): Promise<TabCounts> {
  const mine = reader
    ? sql<number>`(count(*) filter (where ${conversations.assigneeId} = ${reader}))::int`
    : sql<number>`0`;
  const [row] = await tx
    .select({
      mine,
      unassigned: sql<number>`(count(*) filter (where ${conversations.assigneeId} is null))::int`,
      all: sql<number>`count(*)::int`,
      unread: sql<number>`(count(*) filter (where ${hasUnread(reader)}))::int`,
    })
    .from(conversations)
    .where(and(...countConditions(tenantId, filter)));
  return {
    mine: row?.mine ?? 0,
    unassigned: row?.unassigned ?? 0,
    all: row?.all ?? 0,
    unread: row?.unread ?? 0,
  };
}

function viewQuery(tx: Executor, reader: Reader) {
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
    .orderBy(newestFirst(messages.occurredAt), newestFirst(messages.id))
    .limit(1)
    .as('last_message');
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
      unreadCount: unreadCount(reader),
      labels: labelList,
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
    .leftJoinLateral(lastMessage, sql`true`);
}

export type ConversationViewRow = Awaited<ReturnType<ReturnType<typeof viewQuery>['execute']>>[number];

export interface TabCounts {
  mine: number;
  unassigned: number;
  all: number;
  unread: number;
}

export const inboxRepo = (tx: Executor) => ({
  async list(
    tenantId: string,
    reader: Reader,
    filter: ConversationFilter,
    limit: number,
  ): Promise<ConversationViewRow[]> {
    const where = countConditions(tenantId, filter);
    if (filter.assigneeId === null) where.push(isNull(conversations.assigneeId));
    else if (filter.assigneeId !== undefined) where.push(eq(conversations.assigneeId, filter.assigneeId));
    if (filter.contactId) where.push(eq(conversations.contactId, filter.contactId));
    if (filter.unread !== undefined)
      where.push(filter.unread ? hasUnread(reader) : sql`not ${hasUnread(reader)}`);
    if (filter.before) {
      const b = filter.before;
      where.push(
        or(
          lt(conversations.lastMessageAt, b.at),
          and(eq(conversations.lastMessageAt, b.at), lt(conversations.id, b.id)),
        ),
      );
    }
    return viewQuery(tx, reader)
      .where(and(...where))
      .orderBy(newestFirst(conversations.lastMessageAt), newestFirst(conversations.id))
      .limit(limit);
  },
  /** `reader` null (the default) counts unread as an API key does. */
  async findView(
    tenantId: string,
    id: string,
    reader: Reader = null,
  ): Promise<ConversationViewRow | undefined> {
    const [row] = await viewQuery(tx, reader).where(
      and(eq(conversations.tenantId, tenantId), eq(conversations.id, id)),
    );
    return row;
  },
  /**
   * Conversations per inbox tab. `reader` null (an API key) counts nothing as mine. From the tallies
   * the triggers keep (ADR 0009): the sums of the filter's rows (a label's own rows, or the
   * conversations' rows), and a user's unread is those with inbound messages minus the user's
   * caught-up marks in the filter. An API key's counts are read row by row: its unread ("awaiting a
   * reply") has no marks to subtract, and the scan that counts it counts the rest too.
   */
  async countTabs(tenantId: string, reader: Reader, filter: CountFilter): Promise<TabCounts> {
    if (reader === null) return countTabsByRow(tx, tenantId, null, filter);
    const t = conversationTallies;
    const sum = (condition?: SQL) =>
      sql<number>`coalesce(sum(${t.n})${condition ? sql` filter (where ${condition})` : sql``}, 0)::int`;
    const [row] = await tx
      .select({
        mine: sum(sql`${t.assigneeId} = ${reader}`),
        unassigned: sum(sql`${t.assigneeId} is null`),
        all: sum(),
        withInbound: sum(sql`${t.hasInbound}`),
      })
      .from(t)
      .where(
        and(
          ...dimensionConditions(t, tenantId, filter),
          filter.labelId ? eq(t.labelId, filter.labelId) : isNull(t.labelId),
        ),
      );
    const counts = { mine: row?.mine ?? 0, unassigned: row?.unassigned ?? 0, all: row?.all ?? 0 };
    const r = conversationReads;
    const [caught] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(r)
      .where(
        and(
          ...dimensionConditions(r, tenantId, filter),
          eq(r.userId, reader),
          sql`${r.caughtUp}`,
          filter.labelId ? sql`${filter.labelId}::uuid = any(${r.labelIds})` : undefined,
        ),
      );
    return { ...counts, unread: (row?.withInbound ?? 0) - (caught?.n ?? 0) };
  },
  /** `countTabs` read conversation by conversation: what the tallies must always agree with. */
  countTabsByRow: (tenantId: string, reader: Reader, filter: CountFilter) =>
    countTabsByRow(tx, tenantId, reader, filter),
  /** Moves the user's read mark to `at`, never back: a late or replayed request cannot unread. */
  async markRead(tenantId: string, conversationId: string, userId: string, at: Date): Promise<void> {
    // The conversation first (the mark's trigger copies from it, ADR 0009): a concurrent change of it
    // then either commits before and is copied, or waits and updates this mark; in this order, as
    // the intake takes them, so the two cannot deadlock.
    await tx.execute(sql`select 1 from ${conversations}
      where ${conversations.tenantId} = ${tenantId} and ${conversations.id} = ${conversationId} for share`);
    await tx
      .insert(conversationReads)
      .values({ tenantId, conversationId, userId, lastReadAt: at })
      .onConflictDoUpdate({
        target: [conversationReads.conversationId, conversationReads.userId],
        set: { lastReadAt: sql`greatest(${conversationReads.lastReadAt}, excluded.last_read_at)` },
      });
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
      .orderBy(newestFirst(messages.occurredAt), newestFirst(messages.id))
      .limit(limit);
  },
});
