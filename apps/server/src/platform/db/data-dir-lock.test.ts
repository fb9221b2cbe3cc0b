import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError } from './data-dir-lock.ts';

describe('data directory lock', () => {
  it('refuses a second holder while the first lives, and frees the directory on release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-lock-'));
    // Another live process (a sleeping child) holds the lock.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    try {
      writeFileSync(join(dir, 'switchboard.lock'), String(child.pid));
      expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
      expect(() => acquireDataDirLock(dir)).toThrow(/in use by another Switchboard process/);
    } finally {
      child.kill();
    }
  });

  it('takes over a lock left by a process that is gone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-lock-'));
    writeFileSync(join(dir, 'switchboard.lock'), '999999999');
    const lock = acquireDataDirLock(dir);
    expect(existsSync(join(dir, 'switchboard.lock'))).toBe(true);
    lock.release();
    expect(existsSync(join(dir, 'switchboard.lock'))).toBe(false);
  });
});
