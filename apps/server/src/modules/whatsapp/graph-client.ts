// A minimal Graph API client for inbound media: `GET /{media-id}` for a short-lived URL, then the
// download with the same bearer token, capped by the media kind's size limit while streaming and
// checked against the sha256 WhatsApp gave (base64 in webhooks, hex from Graph).
import { createHash } from 'node:crypto';
import { GRAPH_VERSION, graphErrorOf } from './graph-http.ts';
import type { WhatsappNumberRow } from './numbers.repo.ts';

const MB = 1024 * 1024;
/** Per-kind limits of the Cloud API (contract §5; stickers: the animated limit). */
export const MEDIA_SIZE_LIMITS = {
  image: 5 * MB,
  audio: 16 * MB,
  video: 16 * MB,
  document: 100 * MB,
  sticker: 500 * 1024,
} as const;
export type MediaKind = keyof typeof MEDIA_SIZE_LIMITS;
export const isMediaKind = (type: string): type is MediaKind => Object.hasOwn(MEDIA_SIZE_LIMITS, type);

/**
 * `retry`: transient (5xx, network, timeout). `permanent`: retrying cannot help (4xx, too large,
 * hash mismatch). `token`: Graph rejected the access token (190): the number needs new credentials.
 */
export type MediaFailureKind = 'retry' | 'permanent' | 'token';

export class MediaDownloadError extends Error {
  constructor(
    readonly kind: MediaFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'MediaDownloadError';
  }
}

export interface DownloadedMedia {
  bytes: Buffer;
  mimeType: string;
  size: number;
  sha256Hex: string;
}

export interface MediaRequest {
  mediaId: string;
  kind: MediaKind;
  /** The sha256 from the webhook (base64) or elsewhere (hex); a mismatch fails the download. */
  expectedSha256?: string | undefined;
}

export interface GraphClient {
  downloadMedia(number: WhatsappNumberRow, request: MediaRequest): Promise<DownloadedMedia>;
}

/** A sha256 given as hex or base64, as lowercase hex; undefined when it is neither. */
export function sha256AsHex(value: string): string | undefined {
  const v = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(v)) return v.toLowerCase();
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(v)) {
    const bytes = Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) return bytes.toString('hex');
  }
  return undefined;
}

async function failureOf(res: Response, what: string): Promise<MediaDownloadError> {
  const e = await graphErrorOf(res);
  const detail = `${what} failed: HTTP ${res.status}${e.code === undefined ? '' : ` (Graph error ${e.code}: ${e.title})`}`;
  if (e.tokenRejected) return new MediaDownloadError('token', detail);
  if (res.status >= 500 || res.status === 429) return new MediaDownloadError('retry', detail);
  return new MediaDownloadError('permanent', detail);
}

function networkFailure(err: unknown, what: string): MediaDownloadError {
  if (err instanceof MediaDownloadError) return err;
  const reason =
    err instanceof Error ? (err.name === 'TimeoutError' ? 'timed out' : err.message) : String(err);
  return new MediaDownloadError('retry', `${what} failed: ${reason}`);
}

export function createGraphClient(deps: {
  /** The number's access token in clear (numbers.decryptCredentials). */
  accessTokenOf: (number: WhatsappNumberRow) => string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): GraphClient {
  const timeoutMs = deps.timeoutMs ?? 60_000;
  const doFetch = deps.fetch ?? fetch;

  async function readCapped(res: Response, limit: number, signal: AbortController): Promise<Buffer> {
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > limit) {
      signal.abort();
      throw new MediaDownloadError('permanent', `The file is too large: ${declared} bytes (limit ${limit}).`);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    if (!res.body) return Buffer.alloc(0);
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > limit) {
        signal.abort();
        throw new MediaDownloadError('permanent', `The file is too large: over ${limit} bytes.`);
      }
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks, total);
  }

  return {
    async downloadMedia(number, { mediaId, kind, expectedSha256 }) {
      if (!/^[A-Za-z0-9_.-]{1,200}$/.test(mediaId)) {
        throw new MediaDownloadError('permanent', 'The media id is not valid.');
      }
      const headers = { authorization: `Bearer ${deps.accessTokenOf(number)}` };
      const limit = MEDIA_SIZE_LIMITS[kind];
      const base = number.graphBaseUrl.replace(/\/+$/, '');

      let info: { url?: unknown; mime_type?: unknown; sha256?: unknown; file_size?: unknown };
      try {
        const res = await doFetch(`${base}/${GRAPH_VERSION}/${encodeURIComponent(mediaId)}`, {
          headers,
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!res.ok) throw await failureOf(res, 'Media lookup');
        info = (await res.json()) as typeof info;
      } catch (err) {
        throw networkFailure(err, 'Media lookup');
      }
      if (typeof info.url !== 'string' || !/^https?:\/\//.test(info.url)) {
        throw new MediaDownloadError('permanent', 'Media lookup returned no download URL.');
      }
      const declaredSize = Number(info.file_size ?? NaN); // string in Meta's reference; either works
      if (declaredSize > limit) {
        throw new MediaDownloadError(
          'permanent',
          `The file is too large: ${declaredSize} bytes (limit ${limit}).`,
        );
      }

      const controller = new AbortController();
      let bytes: Buffer;
      let contentType: string | null;
      try {
        const res = await doFetch(info.url, {
          headers,
          redirect: 'follow',
          signal: AbortSignal.any([controller.signal, AbortSignal.timeout(timeoutMs)]),
        });
        if (!res.ok) throw await failureOf(res, 'Media download');
        contentType = res.headers.get('content-type');
        bytes = await readCapped(res, limit, controller);
      } catch (err) {
        throw networkFailure(err, 'Media download');
      }

      const sha256Hex = createHash('sha256').update(bytes).digest('hex');
      for (const [source, given] of [
        ['webhook', expectedSha256],
        ['Graph', typeof info.sha256 === 'string' ? info.sha256 : undefined],
      ] as const) {
        if (!given) continue;
        const expected = sha256AsHex(given);
        if (expected !== sha256Hex) {
          throw new MediaDownloadError(
            'permanent',
            `The file's sha256 does not match the one ${source === 'webhook' ? 'the webhook' : 'Graph'} gave.`,
          );
        }
      }
      const mimeType =
        (typeof info.mime_type === 'string' && info.mime_type) || contentType || 'application/octet-stream';
      return { bytes, mimeType, size: bytes.length, sha256Hex };
    },
  };
}
