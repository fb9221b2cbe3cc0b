import { and, asc, desc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { insertedRow } from '../../platform/db/rows.ts';
import { conversations, messages, pendingStatuses } from './conversations.tables.ts';

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type NewMessageRow = typeof messages.$inferInsert;

export const conversationsRepo = (tx: Executor) => ({
  async findById(tenantId: string, id: string): Promise<ConversationRow | undefined> {
    const [row] = await tx
      .select()
      .from(conversations)
      .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id)));
    return row;
  },
  /** Locks the row until the transaction ends, so a change is decided on what it replaces. */
  async findForUpdate(tenantId: string, id: string): Promise<ConversationRow | undefined> {
    const [row] = await tx
      .select()
      .from(conversations)
      .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id)))
      .for('update');
    return row;
  },
  async findActive(
    tenantId: string,
    contactId: string,
    numberId: string,
  ): Promise<ConversationRow | undefined> {
    const [row] = await tx
      .select()
      .from(conversations)
      .where(
        and(
          eq(conversations.tenantId, tenantId),
          eq(conversations.contactId, contactId),
          eq(conversations.numberId, numberId),
          ne(conversations.status, 'resolved'),
        ),
      );
    return row;
  },
  async findLatestResolved(
    tenantId: string,
    contactId: string,
    numberId: string,
  ): Promise<ConversationRow | undefined> {
    const [row] = await tx
      .select()
      .from(conversations)
      .where(
        and(
          eq(conversations.tenantId, tenantId),
          eq(conversations.contactId, contactId),
          eq(conversations.numberId, numberId),
          eq(conversations.status, 'resolved'),
        ),
      )
      .orderBy(desc(conversations.lastMessageAt))
      .limit(1);
    return row;
  },
  async insert(
    tenantId: string,
    row: Omit<typeof conversations.$inferInsert, 'tenantId'>,
  ): Promise<ConversationRow> {
    return insertedRow(
      await tx
        .insert(conversations)
        .values({ ...row, tenantId })
        .returning(),
    );
  },
  async update(
    tenantId: string,
    id: string,
    patch: Partial<typeof conversations.$inferInsert>,
  ): Promise<void> {
    await tx
      .update(conversations)
      .set(patch)
      .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id)));
  },
  /**
   * The open conversations of any of these contacts on any of these numbers (callers match the
   * pairs they asked about): what most inbound messages land in.
   */
  async findOpenFor(
    tenantId: string,
    contactIds: readonly string[],
    numberIds: readonly string[],
  ): Promise<ConversationRow[]> {
    if (contactIds.length === 0 || numberIds.length === 0) return [];
    return tx
      .select()
      .from(conversations)
      .where(
        and(
          eq(conversations.tenantId, tenantId),
          inArray(conversations.contactId, [...new Set(contactIds)]),
          inArray(conversations.numberId, [...new Set(numberIds)]),
          eq(conversations.status, 'open'),
        ),
      );
  },
  /**
   * Moves the conversation's clocks forward only: late, out-of-order messages never rewind them.
   * `now` is the new message's `created_at` (unread is judged by it).
   */
  async recordInboundActivity(tenantId: string, id: string, at: Date, now: Date): Promise<void> {
    const windowEnd = new Date(at.getTime() + 24 * 3600_000);
    await tx
      .update(conversations)
      .set({
        lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${at}::timestamptz)`,
        lastInboundAt: sql`greatest(coalesce(${conversations.lastInboundAt}, ${at}::timestamptz), ${at}::timestamptz)`,
        lastInboundStoredAt: sql`greatest(coalesce(${conversations.lastInboundStoredAt}, ${now}::timestamptz), ${now}::timestamptz)`,
        windowExpiresAt: sql`greatest(coalesce(${conversations.windowExpiresAt}, ${windowEnd}::timestamptz), ${windowEnd}::timestamptz)`,
        updatedAt: now,
      })
      .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id)));
  },
  /**
   * `recordInboundActivity` for several conversations in one statement: each moves to its own
   * latest inbound time `at` (clocks still only move forward).
   */
  async recordInboundActivityMany(
    tenantId: string,
    activity: readonly { id: string; at: Date }[],
    now: Date,
  ): Promise<void> {
    if (activity.length === 0) return;
    const rows = JSON.stringify(
      activity.map((a) => ({
        id: a.id,
        at: a.at.toISOString(),
        window_end: new Date(a.at.getTime() + 24 * 3600_000).toISOString(),
      })),
    );
    await tx.execute(sql`
      update ${conversations} as c set
        last_message_at = greatest(c.last_message_at, v.at),
        last_inbound_at = greatest(coalesce(c.last_inbound_at, v.at), v.at),
        last_inbound_stored_at = greatest(coalesce(c.last_inbound_stored_at, ${now}::timestamptz), ${now}::timestamptz),
        window_expires_at = greatest(coalesce(c.window_expires_at, v.window_end), v.window_end),
        updated_at = ${now}::timestamptz
      from json_to_recordset(${rows}::json) as v(id uuid, at timestamptz, window_end timestamptz)
      where c.tenant_id = ${tenantId} and c.id = v.id`);
  },
});

export const messagesRepo = (tx: Executor) => ({
  async findById(tenantId: string, id: string): Promise<MessageRow | undefined> {
    const [row] = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), eq(messages.id, id)));
    return row;
  },
  /** The conversation's latest inbound message that has a WhatsApp id. */
  async latestInbound(tenantId: string, conversationId: string): Promise<MessageRow | undefined> {
    const [row] = await tx
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.tenantId, tenantId),
          eq(messages.conversationId, conversationId),
          eq(messages.direction, 'inbound'),
          sql`${messages.externalId} is not null`,
        ),
      )
      .orderBy(desc(messages.occurredAt), desc(messages.id))
      .limit(1);
    return row;
  },
  async findByIds(tenantId: string, ids: readonly string[]): Promise<MessageRow[]> {
    if (ids.length === 0) return [];
    return tx
      .select()
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), inArray(messages.id, [...ids])));
  },
  /** Locks the messages with these WhatsApp ids or ids until the transaction ends, in id order. */
  async lockInIdOrder(
    tenantId: string,
    externalIds: readonly string[],
    ids: readonly string[],
  ): Promise<void> {
    await tx
      .select({ id: messages.id })
      .from(messages)
      .where(
        and(
          eq(messages.tenantId, tenantId),
          or(
            externalIds.length > 0 ? inArray(messages.externalId, [...externalIds]) : sql`false`,
            ids.length > 0 ? inArray(messages.id, [...ids]) : sql`false`,
          ),
        ),
      )
      .orderBy(asc(messages.id))
      .for('update');
  },
  /** Locks the rows until the transaction ends, in id order (as every batch locks them). */
  async findManyForUpdate(tenantId: string, ids: readonly string[]): Promise<MessageRow[]> {
    if (ids.length === 0) return [];
    return tx
      .select()
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), inArray(messages.id, [...ids])))
      .orderBy(asc(messages.id))
      .for('update');
  },
  /** Locks the row until the transaction ends. */
  async findForUpdate(tenantId: string, id: string): Promise<MessageRow | undefined> {
    const [row] = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), eq(messages.id, id)))
      .for('update');
    return row;
  },
  async findByExternalId(tenantId: string, externalId: string): Promise<MessageRow | undefined> {
    const [row] = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), eq(messages.externalId, externalId)));
    return row;
  },
  async findByExternalIds(tenantId: string, externalIds: readonly string[]): Promise<MessageRow[]> {
    if (externalIds.length === 0) return [];
    return tx
      .select()
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), inArray(messages.externalId, [...new Set(externalIds)])));
  },
  /** Writes these messages' status columns (their whole new values) in one statement. */
  async setStatuses(
    tenantId: string,
    rows: readonly Pick<MessageRow, 'id' | 'status' | 'statusAt' | 'errorCode' | 'errorTitle'>[],
  ): Promise<void> {
    if (rows.length === 0) return;
    const values = rows.map((r) => ({
      id: r.id,
      status: r.status,
      status_at: r.statusAt?.toISOString() ?? null,
      error_code: r.errorCode,
      error_title: r.errorTitle,
    }));
    await tx.execute(sql`
      update ${messages} m
      set status = v.status, status_at = v.status_at, error_code = v.error_code, error_title = v.error_title
      from json_to_recordset(${JSON.stringify(values)}::json)
        as v(id uuid, status text, status_at timestamptz, error_code text, error_title text)
      where m.tenant_id = ${tenantId} and m.id = v.id`);
  },
  /** Inserts unless a message with this external id exists; returns undefined for a duplicate. */
  async insertUnlessDuplicate(
    tenantId: string,
    row: Omit<NewMessageRow, 'tenantId'>,
  ): Promise<MessageRow | undefined> {
    const [inserted] = await tx
      .insert(messages)
      .values({ ...row, tenantId })
      .onConflictDoNothing({
        target: [messages.tenantId, messages.externalId],
        where: sql`external_id is not null`,
      })
      .returning();
    return inserted;
  },
  /** Which of these external ids the tenant already has a message for. */
  async existingExternalIds(tenantId: string, externalIds: readonly string[]): Promise<Set<string>> {
    if (externalIds.length === 0) return new Set();
    const rows = await tx
      .select({ externalId: messages.externalId })
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), inArray(messages.externalId, [...new Set(externalIds)])));
    return new Set(rows.map((r) => r.externalId).filter((id): id is string => id !== null));
  },
  /**
   * Inserts the rows whose external id is new, in one statement; returns the ids of the rows
   * inserted (a row left out lost to a message with its external id). The rows travel as one JSON
   * parameter: building a many-row INSERT costs drizzle ~50 µs a row, as much as storing it.
   */
  async insertManyUnlessDuplicate(tenantId: string, rows: readonly MessageRow[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const records = JSON.stringify(
      rows.map((r) => ({
        id: r.id,
        tenant_id: tenantId,
        conversation_id: r.conversationId,
        contact_id: r.contactId,
        number_id: r.numberId,
        direction: r.direction,
        type: r.type,
        content: r.content,
        raw: r.raw,
        external_id: r.externalId,
        status: r.status,
        error_code: r.errorCode,
        error_title: r.errorTitle,
        reply_to_external_id: r.replyToExternalId,
        forwarded: r.forwarded,
        frequently_forwarded: r.frequentlyForwarded,
        referral: r.referral,
        reactions: r.reactions,
        sender_user_id: r.senderUserId,
        occurred_at: r.occurredAt,
        status_at: r.statusAt,
        created_at: r.createdAt,
      })),
    );
    const columns = sql.raw(
      'id, tenant_id, conversation_id, contact_id, number_id, direction, type, content, raw, external_id, ' +
        'status, error_code, error_title, reply_to_external_id, forwarded, frequently_forwarded, referral, ' +
        'reactions, sender_user_id, occurred_at, status_at, created_at',
    );
    const result: unknown = await tx.execute(sql`
      insert into ${messages} (${columns})
      select ${columns} from json_populate_recordset(null::${messages}, ${records}::json)
      on conflict (tenant_id, external_id) where external_id is not null do nothing
      returning id`);
    // Both drivers answer with `rows`.
    return new Set((result as { rows: { id: string }[] }).rows.map((r) => r.id));
  },
  async update(tenantId: string, id: string, patch: Partial<NewMessageRow>): Promise<void> {
    await tx
      .update(messages)
      .set(patch)
      .where(and(eq(messages.tenantId, tenantId), eq(messages.id, id)));
  },
  /**
   * Records that Meta accepted outbound messages: their WhatsApp ids, and `sent` unless a status
   * already moved them further.
   */
  async markSent(
    tenantId: string,
    sent: readonly { id: string; externalId: string }[],
    now: Date,
  ): Promise<void> {
    if (sent.length === 0) return;
    await tx.execute(sql`
      update ${messages} m
      set status = case when m.status in ('queued', 'unknown') then 'sent' else m.status end,
          external_id = v.external_id, status_at = ${now}::timestamptz, error_code = null, error_title = null
      from json_to_recordset(${JSON.stringify(sent.map((s) => ({ id: s.id, external_id: s.externalId })))}::json)
        as v(id uuid, external_id text)
      where m.tenant_id = ${tenantId} and m.id = v.id`);
  },
  async countInConversation(tenantId: string, conversationId: string): Promise<number> {
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), eq(messages.conversationId, conversationId)));
    return row?.n ?? 0;
  },
});

export type PendingStatusRow = typeof pendingStatuses.$inferSelect;

export const pendingStatusesRepo = (tx: Executor) => ({
  async insert(tenantId: string, row: Omit<PendingStatusRow, 'tenantId'>): Promise<void> {
    await tx.insert(pendingStatuses).values({ ...row, tenantId });
  },
  /** Removes and returns the statuses waiting for these messages. */
  async take(tenantId: string, externalIds: readonly string[]): Promise<PendingStatusRow[]> {
    if (externalIds.length === 0) return [];
    return tx
      .delete(pendingStatuses)
      .where(
        and(eq(pendingStatuses.tenantId, tenantId), inArray(pendingStatuses.externalId, [...externalIds])),
      )
      .returning();
  },
});
