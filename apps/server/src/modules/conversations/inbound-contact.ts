// The contact side of inbound intake: who sent a message, and the lock that serializes their work.
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Executor } from '../../platform/db/database.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { contactsRepo, type ContactIdentity, type ContactRow } from '../contacts/contacts.repo.ts';
import { contacts } from '../contacts/contacts.tables.ts';
import type { InboundSender } from './inbound.service.ts';

/** `+` and E.164 when the WhatsApp id is a possible phone number (by length per country); null otherwise. */
export function toE164(waId: string | null): string | null {
  if (!waId) return null;
  const parsed = parsePhoneNumberFromString(`+${waId.replace(/\D/g, '')}`);
  return parsed?.isPossible() ? parsed.number : null;
}

/** The sender as a contact identity; its E.164 form is worked out only if a write needs it. */
export function identityOf(sender: InboundSender): ContactIdentity {
  let phoneE164: string | null | undefined;
  return {
    waId: sender.waId,
    get phoneE164() {
      phoneE164 ??= toE164(sender.waId);
      return phoneE164;
    },
    userId: sender.userId,
    username: sender.username,
    profileName: sender.profileName,
  };
}

/**
 * Serializes work on clients: every id given (of one client or of many), in one statement and in
 * lock-id order, so two transactions that each lock several ids cannot deadlock on them.
 */
export async function lockContact(tx: Executor, tenantId: string, keys: string[]): Promise<void> {
  const ids = [...new Set(keys)].map((key) => `${tenantId}:${key}`);
  if (ids.length === 0) return;
  if (ids.length === 1) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${ids[0]}, 0))`);
    return;
  }
  // The ordered subquery is not flattened, so the locks are taken in its order.
  await tx.execute(
    sql`select pg_advisory_xact_lock(h) from (select distinct hashtextextended(k, 0) as h from json_array_elements_text(${JSON.stringify(ids)}::json) as k order by h) as ordered`,
  );
}

/** How resolveContact finds existing contacts: the repository, or a batch's preloaded directory. */
export interface ContactFinder {
  findByUserId(tenantId: string, userId: string): Promise<ContactRow | undefined>;
  findByWaId(tenantId: string, waId: string): Promise<ContactRow | undefined>;
}

/**
 * The contact for a WhatsApp identity. The business-scoped user id survives number changes, so it
 * is looked up first; then the WhatsApp id. What Meta tells us fills in what we lack. `onWrite`
 * hears of every row this inserts or updates.
 */
export async function resolveContact(
  tx: Executor,
  tenantId: string,
  who: ContactIdentity,
  now: Date,
  finder: ContactFinder = contactsRepo(tx),
  onWrite?: (row: ContactRow, before?: ContactRow) => void,
): Promise<ContactRow> {
  const repo = contactsRepo(tx);
  const byUser = who.userId ? await finder.findByUserId(tenantId, who.userId) : undefined;
  const byWa = !byUser && who.waId ? await finder.findByWaId(tenantId, who.waId) : undefined;
  const existing = byUser ?? byWa;
  if (!existing) {
    const inserted = await repo.insert(tenantId, uuidv7(now.getTime()), who, now);
    onWrite?.(inserted);
    return inserted;
  }
  const patch: Partial<ContactIdentity> = {};
  if (who.profileName && who.profileName !== existing.profileName) patch.profileName = who.profileName;
  if (who.username && who.username !== existing.username) patch.username = who.username;
  if (who.userId && !existing.userId) patch.userId = who.userId;
  if (who.waId && who.waId !== existing.waId && !(await finder.findByWaId(tenantId, who.waId))) {
    patch.waId = who.waId;
    patch.phoneE164 = who.phoneE164;
  }
  if (Object.keys(patch).length === 0) return existing;
  const updated = await repo.update(tenantId, existing.id, patch, now);
  onWrite?.(updated, existing);
  return updated;
}

/** New contacts in one statement (a batch's first messages from unknown WhatsApp ids). */
export async function insertContacts(
  tx: Executor,
  tenantId: string,
  who: readonly ContactIdentity[],
  now: Date,
): Promise<ContactRow[]> {
  if (who.length === 0) return [];
  return tx
    .insert(contacts)
    .values(who.map((w) => ({ id: uuidv7(now.getTime()), tenantId, ...w, createdAt: now, updatedAt: now })))
    .returning();
}

/**
 * The contacts a batch of inbound messages can concern, loaded with one query: every contact with
 * one of `waIds` or `userIds`. While the caller holds the contact locks of all these ids nobody
 * else can add or move such a contact, so the directory answers for the database; `remember`
 * keeps it current with the batch's own writes.
 */
export async function contactDirectory(
  tx: Executor,
  tenantId: string,
  waIds: string[],
  userIds: string[],
): Promise<ContactFinder & { remember(row: ContactRow, before?: ContactRow): void }> {
  const rows =
    waIds.length + userIds.length === 0
      ? []
      : await tx
          .select()
          .from(contacts)
          .where(
            and(
              eq(contacts.tenantId, tenantId),
              or(
                waIds.length > 0 ? inArray(contacts.waId, [...new Set(waIds)]) : undefined,
                userIds.length > 0 ? inArray(contacts.userId, [...new Set(userIds)]) : undefined,
              ),
            ),
          );
  const byWa = new Map<string, ContactRow>();
  const byUser = new Map<string, ContactRow>();
  const remember = (row: ContactRow, before?: ContactRow) => {
    if (before?.waId && byWa.get(before.waId)?.id === row.id) byWa.delete(before.waId);
    if (before?.userId && byUser.get(before.userId)?.id === row.id) byUser.delete(before.userId);
    if (row.waId) byWa.set(row.waId, row);
    if (row.userId) byUser.set(row.userId, row);
  };
  for (const row of rows) remember(row);
  return {
    findByWaId: (_tenantId, waId) => Promise.resolve(byWa.get(waId)),
    findByUserId: (_tenantId, userId) => Promise.resolve(byUser.get(userId)),
    remember,
  };
}
