// The contact side of inbound intake: who sent a message, and the lock that serializes their work.
import { sql } from 'drizzle-orm';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Executor } from '../../platform/db/database.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { contactsRepo, type ContactIdentity, type ContactRow } from '../contacts/contacts.repo.ts';

/** `+` and E.164 when the WhatsApp id is a possible phone number (by length per country); null otherwise. */
export function toE164(waId: string | null): string | null {
  if (!waId) return null;
  const parsed = parsePhoneNumberFromString(`+${waId.replace(/\D/g, '')}`);
  return parsed?.isPossible() ? parsed.number : null;
}

/** Serializes work on one client: both of its ids, in a fixed order so two locks cannot deadlock. */
export async function lockContact(tx: Executor, tenantId: string, keys: string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort()) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${tenantId}:${key}`}, 0))`);
  }
}

/**
 * The contact for a WhatsApp identity. The business-scoped user id survives number changes, so it
 * is looked up first; then the WhatsApp id. What Meta tells us fills in what we lack.
 */
export async function resolveContact(
  tx: Executor,
  tenantId: string,
  who: ContactIdentity,
  now: Date,
): Promise<ContactRow> {
  const repo = contactsRepo(tx);
  const byUser = who.userId ? await repo.findByUserId(tenantId, who.userId) : undefined;
  const byWa = !byUser && who.waId ? await repo.findByWaId(tenantId, who.waId) : undefined;
  const existing = byUser ?? byWa;
  if (!existing) return repo.insert(tenantId, uuidv7(now.getTime()), who, now);
  const patch: Partial<ContactIdentity> = {};
  if (who.profileName && who.profileName !== existing.profileName) patch.profileName = who.profileName;
  if (who.username && who.username !== existing.username) patch.username = who.username;
  if (who.userId && !existing.userId) patch.userId = who.userId;
  if (who.waId && who.waId !== existing.waId && !(await repo.findByWaId(tenantId, who.waId))) {
    patch.waId = who.waId;
    patch.phoneE164 = who.phoneE164;
  }
  return Object.keys(patch).length > 0 ? repo.update(tenantId, existing.id, patch, now) : existing;
}
