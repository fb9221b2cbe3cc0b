// The BlobStore port: opaque bytes (downloaded media) under keys the app makes itself. Keys never
// contain user input: `<tenantId>/<yyyy>/<mm>/<uuid>`, validated on every call. The default
// implementation keeps files under a directory (`<dataDir>/blobs`), written atomically.
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';

export interface BlobMeta {
  contentType: string;
}

export interface StoredBlob {
  stream: Readable;
  size: number;
  contentType: string;
}

export interface BlobStore {
  /** A fresh key for a tenant's blob, dated by `at` (UTC). */
  newKey(tenantId: string, at: Date): string;
  /** Stores bytes under `key`, replacing any previous blob; readers never see a partial file. */
  put(key: string, bytes: Buffer, meta: BlobMeta): Promise<void>;
  get(key: string): Promise<StoredBlob | undefined>;
  /** Removes the blob; a missing one is not an error. */
  delete(key: string): Promise<void>;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const KEY = new RegExp(`^${UUID}/\\d{4}/\\d{2}/${UUID}$`);

export class InvalidBlobKeyError extends Error {
  constructor(key: string) {
    super(`Invalid blob key: ${JSON.stringify(key.slice(0, 120))}`);
    this.name = 'InvalidBlobKeyError';
  }
}

export function makeBlobKey(tenantId: string, at: Date, id: string = randomUUID()): string {
  const yyyy = String(at.getUTCFullYear()).padStart(4, '0');
  const mm = String(at.getUTCMonth() + 1).padStart(2, '0');
  const key = `${tenantId.toLowerCase()}/${yyyy}/${mm}/${id.toLowerCase()}`;
  if (!KEY.test(key)) throw new InvalidBlobKeyError(key);
  return key;
}

export function createFsBlobStore(dir: string): BlobStore {
  const root = resolve(dir);

  /** The file of a key: the key's shape is checked, and the path must stay under the root. */
  function pathOf(key: string): string {
    if (!KEY.test(key)) throw new InvalidBlobKeyError(key);
    const path = resolve(root, ...key.split('/'));
    if (!path.startsWith(root + sep)) throw new InvalidBlobKeyError(key);
    return path;
  }

  async function writeAtomically(path: string, data: Buffer | string): Promise<void> {
    const temp = `${path}.${randomUUID()}.tmp`;
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  return {
    newKey: (tenantId, at) => makeBlobKey(tenantId, at),
    async put(key, bytes, meta) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      // The metadata first: a blob whose data file exists always has its metadata.
      await writeAtomically(`${path}.meta.json`, JSON.stringify({ contentType: meta.contentType }));
      await writeAtomically(path, bytes);
    },
    async get(key) {
      const path = pathOf(key);
      let size: number;
      let meta: BlobMeta;
      try {
        size = (await stat(path)).size;
        meta = JSON.parse(await readFile(`${path}.meta.json`, 'utf8')) as BlobMeta;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
      return { stream: createReadStream(path), size, contentType: meta.contentType };
    },
    async delete(key) {
      const path = pathOf(key);
      await rm(path, { force: true });
      await rm(`${path}.meta.json`, { force: true });
    },
  };
}
