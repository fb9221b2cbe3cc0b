import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Meta signs "an escaped unicode version of the payload": non-ASCII as lowercase `\uXXXX`, one per
 * UTF-16 unit. A sender that signs the escaped form but sends raw UTF-8 and one that sends the
 * escaped bytes are both accepted.
 */
export function escapeUnicode(text: string): string {
  return text.replace(/[^\0-~]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const HEADER = /^sha256=([0-9a-f]{64})$/i;

/** True when `header` is `sha256=<hex>` of the raw body (or its escaped form) under any secret. */
export function verifyWebhookSignature(raw: Buffer, header: string | undefined, secrets: string[]): boolean {
  const match = header === undefined ? null : HEADER.exec(header.trim());
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].toLowerCase(), 'hex');
  const bodies: (Buffer | string)[] = [raw];
  if (raw.some((b) => b > 0x7e)) bodies.push(escapeUnicode(raw.toString('utf8')));
  let ok = false;
  for (const secret of secrets) {
    for (const body of bodies) {
      const expected = createHmac('sha256', secret).update(body).digest();
      // No early exit: every candidate costs the same.
      ok = timingSafeEqual(expected, given) || ok;
    }
  }
  return ok;
}
