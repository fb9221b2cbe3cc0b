// The organizations and app secrets of the numbers a webhook names, for the signature check,
// cached briefly so the acknowledgement path reads nothing per POST in the usual case.
import type { Database } from '../../platform/db/database.ts';
import type { SecretBox } from '../../platform/security/secret-box.ts';
import { numberLookup, type WhatsappNumberRow } from './numbers.repo.ts';

/**
 * How long the signature check may use a number's app secret and organization without reading
 * them again. A number updated or disconnected through this instance is forgotten at once; on other
 * instances the old secret is still accepted for up to this long. Processing always reads numbers
 * afresh, so a stale entry can never attribute a message to the wrong organization.
 */
const NUMBER_CACHE_TTL_MS = 10_000;

export function signingNumbers(database: Database, secretBox: SecretBox) {
  interface CachedNumber {
    tenantId: string;
    appSecret: string;
    expiresAt: number;
  }
  const numberCache = new Map<string, CachedNumber>();
  /** Bumped by every invalidation, so a lookup that raced with one does not fill the cache. */
  let cacheGeneration = 0;

  /** Forgets every cached number (this instance changed or removed one). */
  function forget(): void {
    numberCache.clear();
    cacheGeneration += 1;
  }

  /**
   * The organizations and app secrets of the numbers a webhook names: by phone number id, else by
   * WABA id (changes without a phone number id). Only found numbers are cached, so a number
   * connected a moment ago is seen at once.
   */
  async function numbersNamed(
    phoneNumberIds: string[],
    wabaIds: string[],
  ): Promise<{ tenantId: string; appSecret: string }[]> {
    const at = performance.now();
    const cached = phoneNumberIds.map((id) => numberCache.get(id));
    if (cached.length > 0 && cached.every((c) => c !== undefined && c.expiresAt > at)) {
      return cached as CachedNumber[];
    }
    const generation = cacheGeneration;
    const byPhone = await database.read((db) => numberLookup(db).byPhoneNumberIds(phoneNumberIds));
    const rows: WhatsappNumberRow[] =
      byPhone.length > 0 ? byPhone : await database.read((db) => numberLookup(db).byWabaIds(wabaIds));
    const expiresAt = performance.now() + NUMBER_CACHE_TTL_MS;
    const found = rows.map((n) => ({
      phoneNumberId: n.phoneNumberId,
      tenantId: n.tenantId,
      appSecret: secretBox.decrypt(n.appSecretEnc),
      expiresAt,
    }));
    if (generation === cacheGeneration && byPhone.length > 0) {
      if (numberCache.size > 10_000) numberCache.clear();
      for (const n of found) numberCache.set(n.phoneNumberId, n);
    }
    return found;
  }

  return { numbersNamed, forget };
}
