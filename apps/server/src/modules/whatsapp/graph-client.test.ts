import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createGraphClient, MediaDownloadError, sha256AsHex } from './graph-client.ts';
import type { WhatsappNumberRow } from './numbers.repo.ts';

const number = { graphBaseUrl: 'http://graph.test' } as WhatsappNumberRow;
const bytes = Buffer.from('hello media');
const hex = createHash('sha256').update(bytes).digest('hex');

/** A fake Graph: the media lookup, then the download answered by `download`. */
function client(download: () => Response, info: Record<string, unknown> = {}) {
  const seen: string[] = [];
  const graph = createGraphClient({
    accessTokenOf: () => 'tok',
    fetch: ((url: string, init?: RequestInit) => {
      seen.push(`${url} ${new Headers(init?.headers).get('authorization')}`);
      if (url.startsWith('http://graph.test/v24.0/'))
        return Promise.resolve(
          Response.json({ url: 'http://cdn.test/file', mime_type: 'image/png', sha256: hex, ...info }),
        );
      try {
        return Promise.resolve(download());
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }) as typeof fetch,
  });
  return { graph, seen };
}

async function failure(p: Promise<unknown>): Promise<MediaDownloadError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MediaDownloadError);
  return err as MediaDownloadError;
}

describe('graph media client', () => {
  it('downloads with the bearer token and checks base64 or hex sha256', async () => {
    const { graph, seen } = client(() => new Response(bytes, { headers: { 'content-type': 'image/png' } }));
    const base64 = Buffer.from(hex, 'hex').toString('base64');
    const got = await graph.downloadMedia(number, { mediaId: 'm1', kind: 'image', expectedSha256: base64 });
    expect(got).toMatchObject({ size: bytes.length, mimeType: 'image/png', sha256Hex: hex });
    expect(seen).toEqual(['http://graph.test/v24.0/m1 Bearer tok', 'http://cdn.test/file Bearer tok']);
    expect(sha256AsHex(hex.toUpperCase())).toBe(hex);
    expect(sha256AsHex('nonsense')).toBeUndefined();
  });

  it('aborts a stream that exceeds the kind limit even without a declared size', async () => {
    const chunk = new Uint8Array(64 * 1024);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        sent += chunk.length;
        if (sent > 2 * 1024 * 1024) c.close();
        else c.enqueue(chunk);
      },
    });
    const { graph } = client(() => new Response(stream), { sha256: undefined });
    const err = await failure(graph.downloadMedia(number, { mediaId: 'm1', kind: 'sticker' }));
    expect(err.kind).toBe('permanent');
    expect(err.message).toMatch(/too large/);
    expect(sent).toBeLessThan(1024 * 1024);
  });

  it('classifies failures: 5xx retry, 190 token, other 4xx permanent, network retry', async () => {
    const graphError = (status: number, code: number) =>
      Response.json({ error: { message: 'nope', code } }, { status });
    expect(
      (
        await failure(
          client(() => graphError(503, 2)).graph.downloadMedia(number, { mediaId: 'm', kind: 'image' }),
        )
      ).kind,
    ).toBe('retry');
    expect(
      (
        await failure(
          client(() => graphError(401, 190)).graph.downloadMedia(number, { mediaId: 'm', kind: 'image' }),
        )
      ).kind,
    ).toBe('token');
    expect(
      (
        await failure(
          client(() => graphError(404, 100)).graph.downloadMedia(number, { mediaId: 'm', kind: 'image' }),
        )
      ).kind,
    ).toBe('permanent');
    const broken = client(() => {
      throw new TypeError('fetch failed');
    });
    expect((await failure(broken.graph.downloadMedia(number, { mediaId: 'm', kind: 'image' }))).kind).toBe(
      'retry',
    );
  });

  it('fails on a hash mismatch', async () => {
    const { graph } = client(() => new Response(bytes));
    const err = await failure(
      graph.downloadMedia(number, { mediaId: 'm', kind: 'image', expectedSha256: 'a'.repeat(64) }),
    );
    expect(err.message).toMatch(/sha256 does not match the one the webhook gave/);
  });
});
