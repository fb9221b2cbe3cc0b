import { createHmac } from 'node:crypto';

const NON_ASCII = /[^\0-~]/g;

/**
 * Serialises a webhook body the way Meta signs it: JSON with every character above `~` written as a
 * lowercase `\uXXXX` escape, one per UTF-16 code unit. The result is pure ASCII, so a verifier that
 * hashes the raw bytes and one that escapes first (whatsapp-api-js) compute the same HMAC.
 */
export function serializeEscaped(value: unknown): string {
  return JSON.stringify(value).replace(
    NON_ASCII,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Computes the `X-Hub-Signature-256` header value over exactly the bytes that are sent. */
export function signBody(body: string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body, 'utf8').digest('hex')}`;
}
