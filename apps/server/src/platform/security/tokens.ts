import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** A random, URL-safe bearer secret (256 bits). */
export function generateToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Bearer secrets (session tokens, API keys, invitation and reset tokens) carry 256 bits of
 * entropy, so a fast unsalted hash is enough to make a stolen table useless; it also lets us
 * look them up by hash.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function hmac(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/**
 * UUIDv7 (RFC 9562): time-ordered, so ids index well. Generated here because PostgreSQL 15 has
 * no uuidv7(). The 74 random bits come from a v4 UUID, whose variant bits are v7's too: Node
 * draws those from a cached pool of entropy, several times faster than `randomBytes(16)` per id.
 */
export function uuidv7(now: number = Date.now()): string {
  const random = randomUUID(); // xxxxxxxx-xxxx-4xxx-Nxxx-xxxxxxxxxxxx
  const time = now.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
