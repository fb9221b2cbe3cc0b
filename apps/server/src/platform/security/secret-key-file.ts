import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateToken } from './tokens.ts';

/**
 * On the embedded engine with no SECRET_KEY, a key is generated once and kept beside the data
 * (mode 0600), so a fresh install is encrypted at rest without any setup.
 */
export function readOrCreateSecretKey(dataDir: string): string {
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = generateToken(32);
  writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
  return key;
}
