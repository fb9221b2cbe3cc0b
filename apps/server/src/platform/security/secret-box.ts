// Encryption of secrets at rest (TOTP secrets now; channel tokens and ticket secrets later).
// AES-256-GCM with a random 96-bit nonce; the stored form is `v1.<nonce>.<ciphertext+tag>`, so a
// future key rotation can add `v2` without ambiguity.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface SecretBox {
  encrypt(plaintext: string): string;
  decrypt(sealed: string): string;
  /** A key derived for another purpose (e.g. CSRF tokens), so one secret never serves two uses. */
  deriveKey(purpose: string): Buffer;
}

export function createSecretBox(secret: string): SecretBox {
  const root = createHash('sha256').update(secret).digest();
  const derive = (purpose: string) => createHash('sha256').update(root).update(purpose).digest();
  const key = derive('secret-box/v1');
  return {
    encrypt(plaintext) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `v1.${nonce.toString('base64url')}.${body.toString('base64url')}`;
    },
    decrypt(sealed) {
      const [version, nonceB64, bodyB64] = sealed.split('.');
      if (version !== 'v1' || !nonceB64 || !bodyB64) throw new Error('Unrecognized sealed secret');
      const body = Buffer.from(bodyB64, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonceB64, 'base64url'));
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString(
        'utf8',
      );
    },
    deriveKey: derive,
  };
}
