import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { createFsBlobStore, InvalidBlobKeyError } from './blob-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'blobs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tenant = '0190a0b1-7c2d-7e3f-8a4b-5c6d7e8f9a0b';

describe('filesystem blob store', () => {
  it('puts, gets and deletes under <tenant>/<yyyy>/<mm>/<uuid>, leaving no temp files', async () => {
    const blobs = createFsBlobStore(dir);
    const key = blobs.newKey(tenant, new Date('2026-03-05T00:00:00Z'));
    expect(key).toMatch(new RegExp(`^${tenant}/2026/03/[0-9a-f-]{36}$`));
    await blobs.put(key, Buffer.from('bytes'), { contentType: 'image/png' });
    const got = await blobs.get(key);
    expect(got && { size: got.size, contentType: got.contentType, body: await text(got.stream) }).toEqual({
      size: 5,
      contentType: 'image/png',
      body: 'bytes',
    });
    expect(readdirSync(join(dir, tenant, '2026', '03')).some((f) => f.endsWith('.tmp'))).toBe(false);
    await blobs.delete(key);
    expect(await blobs.get(key)).toBeUndefined();
  });

  it('rejects keys that are not its own shape (path traversal included)', async () => {
    const blobs = createFsBlobStore(dir);
    for (const key of [`${tenant}/../../etc/passwd`, '../x', `${tenant}/2026/03/not-a-uuid`, '/etc/passwd']) {
      await expect(blobs.get(key)).rejects.toThrow(InvalidBlobKeyError);
      await expect(blobs.put(key, Buffer.alloc(1), { contentType: 'x' })).rejects.toThrow(
        InvalidBlobKeyError,
      );
    }
    expect(() => blobs.newKey('../evil', new Date())).toThrow(InvalidBlobKeyError);
  });
});
