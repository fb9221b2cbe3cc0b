import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/index.ts';
import { graph, metaError, sendMessage, startPair, upload, type Receiver } from './helpers.ts';

// Media (contract doc §5): per-kind size limits (stickers: 100 KB static, 500 KB animated), the
// retrieve shape, the bearer-protected download URL that expires after 5 minutes (404 afterwards),
// and DELETE making both the object and its URL unusable. The clock is manual.

const PHONE = '530000000000011';
const TOKEN = 'token-media';
const MB = 1024 * 1024;
const KB = 1024;

let sim: Simulator;
let rx: Receiver;

beforeAll(async () => {
  ({ sim, rx } = await startPair({
    clock: { mode: 'manual', start: '2026-04-01T08:00:00Z' },
    businesses: [
      {
        wabaId: '530000000000001',
        accessToken: TOKEN,
        phoneNumbers: [{ id: PHONE, displayPhoneNumber: '15550006666' }],
      },
      {
        wabaId: '530000000000002',
        accessToken: 'token-media-other',
        phoneNumbers: [{ id: '530000000000022', displayPhoneNumber: '15550006667' }],
      },
    ],
  }));
});
afterAll(async () => {
  await sim.close();
  await rx.close();
});

const put = (bytes: Buffer, mime: string, name: string) => upload(sim, TOKEN, PHONE, bytes, mime, name);
const tooBig = (size: number, limit: number, label: string) => ({
  status: 400,
  json: metaError(131053, `File of ${size} bytes exceeds the ${limit} byte limit for ${label}.`),
});

/** A WebP file of exactly `size` bytes: extended (`VP8X`) with the animation flag, or lossless static. */
function webp(size: number, animated: boolean): Buffer {
  const b = Buffer.alloc(size);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(size - 8, 4);
  b.write('WEBP', 8, 'latin1');
  if (animated) {
    b.write('VP8X', 12, 'latin1');
    b.writeUInt32LE(10, 16);
    b[20] = 0x02 | 0x10; // animation + alpha
    b.write('ANIM', 30, 'latin1');
  } else {
    b.write('VP8L', 12, 'latin1');
    b.writeUInt32LE(size - 20, 16);
  }
  return b;
}

describe('size limits per kind', () => {
  it.each([
    ['audio', 'audio/mpeg', 'a.mp3', 16 * MB],
    ['video', 'video/mp4', 'v.mp4', 16 * MB],
  ])(
    '%s: %s up to 16 MB, one byte more → 131053',
    async (kind, mime, name, limit) => {
      expect((await put(Buffer.alloc(limit), mime, name)).status).toBe(200);
      expect(await put(Buffer.alloc(limit + 1), mime, name)).toEqual(tooBig(limit + 1, limit, kind));
    },
    20_000,
  );

  it('document: 100 MB; a 17 MB PDF is fine, 100 MB + 1 byte → 131053', async () => {
    expect((await put(Buffer.alloc(17 * MB), 'application/pdf', 'big.pdf')).status).toBe(200);
    const over = 100 * MB + 1;
    expect(await put(Buffer.alloc(over), 'application/pdf', 'huge.pdf')).toEqual(
      tooBig(over, 100 * MB, 'document'),
    );
  }, 30_000);

  it('sticker: 100 KB static, 500 KB animated (the VP8X animation flag decides)', async () => {
    expect((await put(webp(100 * KB, false), 'image/webp', 's.webp')).status).toBe(200);
    expect(await put(webp(100 * KB + 1, false), 'image/webp', 's.webp')).toEqual(
      tooBig(100 * KB + 1, 100 * KB, 'static sticker'),
    );
    // 300 KB is too big for a static sticker but fine for an animated one.
    expect(await put(webp(300 * KB, false), 'image/webp', 's.webp')).toEqual(
      tooBig(300 * KB, 100 * KB, 'static sticker'),
    );
    expect((await put(webp(300 * KB, true), 'image/webp', 'a.webp')).status).toBe(200);
    expect((await put(webp(500 * KB, true), 'image/webp', 'a.webp')).status).toBe(200);
    expect(await put(webp(500 * KB + 1, true), 'image/webp', 'a.webp')).toEqual(
      tooBig(500 * KB + 1, 500 * KB, 'animated sticker'),
    );
  });
});

describe('retrieve and download', () => {
  const bytes = Buffer.from('%PDF-1.4 simulated invoice');
  const download = (url: string, token: string | null = TOKEN) =>
    fetch(url, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });

  it('GET /{media-id} has Meta’s shape; the URL needs the token and expires after 5 minutes', async () => {
    const id = String((await put(bytes, 'application/pdf', 'invoice.pdf')).json['id']);
    const info = await graph(sim, TOKEN, 'GET', id);
    expect(info).toEqual({
      status: 200,
      json: {
        messaging_product: 'whatsapp',
        url: expect.stringContaining(`${sim.url}/_sim/lookaside/whatsapp_business/attachments/?mid=${id}&`),
        mime_type: 'application/pdf',
        sha256: createHash('sha256').update(bytes).digest('hex'),
        file_size: String(bytes.length),
        id,
      },
    });
    const url = String(info.json['url']);
    const ok = await download(url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await ok.arrayBuffer())).toEqual(bytes);

    // No token → 401 (190); another business's token → 404.
    const anonymous = await download(url, null);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: number } }).error.code).toBe(190);
    expect((await download(url, 'token-media-other')).status).toBe(404);

    sim.advanceClock(5 * 60_000); // exactly 5 minutes: still valid
    expect((await download(url)).status).toBe(200);
    sim.advanceClock(1);
    const expired = await download(url);
    expect(expired.status).toBe(404);
    expect(await expired.json()).toEqual({
      error: { message: 'URL signature expired or media not found', code: 404 },
    });
    // A fresh GET /{media-id} hands out a working URL again.
    const fresh = String((await graph(sim, TOKEN, 'GET', id)).json['url']);
    expect(fresh).not.toBe(url);
    expect((await download(fresh)).status).toBe(200);
  });

  it('DELETE /{media-id} → {success:true}; then the object, its URL and sends by id all fail', async () => {
    const id = String((await put(bytes, 'application/pdf', 'invoice.pdf')).json['id']);
    const url = String((await graph(sim, TOKEN, 'GET', id)).json['url']);
    // Another business cannot delete it.
    expect((await graph(sim, 'token-media-other', 'DELETE', id)).json['error']).toMatchObject({
      code: 100,
      error_subcode: 33,
    });
    expect(await graph(sim, TOKEN, 'DELETE', id)).toEqual({ status: 200, json: { success: true } });

    const gone = metaError(
      100,
      `Unsupported request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      { message: 'Unsupported request', subcode: 33 },
    );
    expect(await graph(sim, TOKEN, 'GET', id)).toEqual({ status: 400, json: gone });
    expect(await graph(sim, TOKEN, 'DELETE', id)).toEqual({ status: 400, json: gone });
    expect((await download(url)).status).toBe(404);
    expect(
      await sendMessage(sim, TOKEN, PHONE, {
        to: '5511955553333',
        type: 'document',
        document: { id },
      }),
    ).toEqual({ status: 400, json: metaError(131009, `Media id ${id} does not exist or has expired`) });
  });
});
