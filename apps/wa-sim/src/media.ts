import { createHash } from 'node:crypto';
import type { MediaObject } from './store.ts';

// Media kinds, formats and size limits from the contract doc §5.

export type MediaKind = 'image' | 'audio' | 'video' | 'document' | 'sticker';
export const MEDIA_KINDS: readonly MediaKind[] = ['image', 'audio', 'video', 'document', 'sticker'];

const MB = 1024 * 1024;

const MIME_KINDS: Readonly<Record<string, MediaKind>> = {
  'image/jpeg': 'image',
  'image/png': 'image',
  'image/webp': 'sticker',
  'audio/aac': 'audio',
  'audio/amr': 'audio',
  'audio/mpeg': 'audio',
  'audio/mp4': 'audio',
  'audio/ogg': 'audio',
  'video/mp4': 'video',
  'video/3gpp': 'video',
  'video/3gp': 'video',
  'text/plain': 'document',
  'application/pdf': 'document',
  'application/msword': 'document',
  'application/vnd.ms-excel': 'document',
  'application/vnd.ms-powerpoint': 'document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'document',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'document',
};

const KB = 1024;

export const MAX_BYTES: Readonly<Record<MediaKind, number>> = {
  image: 5 * MB,
  audio: 16 * MB,
  video: 16 * MB,
  document: 100 * MB,
  // The larger of the two sticker limits; `mediaLimit` picks 100 KB for static stickers.
  sticker: 500 * KB,
};

export const STICKER_STATIC_MAX = 100 * KB;
export const STICKER_ANIMATED_MAX = 500 * KB;

/**
 * Whether a WebP file is animated: an extended (`VP8X`) WebP whose header has the animation flag
 * (bit 0x02 of the flags byte). Plain `VP8 `/`VP8L` files, and anything that is not WebP, are static.
 */
export function isAnimatedWebp(bytes: Buffer): boolean {
  if (bytes.length < 21) return false;
  if (bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WEBP') return false;
  return bytes.toString('latin1', 12, 16) === 'VP8X' && ((bytes[20] ?? 0) & 0x02) !== 0;
}

/** The size limit for an upload of `kind` (contract doc §5): stickers are 100 KB static, 500 KB animated. */
export function mediaLimit(kind: MediaKind, bytes: Buffer): { max: number; label: string } {
  if (kind !== 'sticker') return { max: MAX_BYTES[kind], label: kind };
  return isAnimatedWebp(bytes)
    ? { max: STICKER_ANIMATED_MAX, label: 'animated sticker' }
    : { max: STICKER_STATIC_MAX, label: 'static sticker' };
}

/** Strips parameters (`audio/ogg; codecs=opus` → `audio/ogg`) and lowercases. */
export function baseMime(mime: string): string {
  return (mime.split(';')[0] ?? '').trim().toLowerCase();
}

export function kindOfMime(mime: string): MediaKind | undefined {
  return MIME_KINDS[baseMime(mime)];
}

export const SUPPORTED_MIME_TYPES: readonly string[] = Object.keys(MIME_KINDS);

/** Whether a stored media object may be sent as a message of `kind` (documents accept any file). */
export function mimeFitsKind(mime: string, kind: MediaKind): boolean {
  const k = kindOfMime(mime);
  if (!k) return false;
  if (kind === 'document') return true;
  return k === kind;
}

export function hashMedia(bytes: Buffer): { hex: string; base64: string } {
  const digest = createHash('sha256').update(bytes).digest();
  return { hex: digest.toString('hex'), base64: digest.toString('base64') };
}

// Tiny but genuine files, so a helpdesk that renders or sniffs inbound media gets something real.
const SAMPLES: Readonly<Record<MediaKind, { mime: string; base64: string; filename?: string }>> = {
  image: {
    mime: 'image/png',
    base64:
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  },
  sticker: { mime: 'image/webp', base64: 'UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==' },
  audio: { mime: 'audio/ogg', base64: 'T2dnUwACAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' },
  video: { mime: 'video/mp4', base64: 'AAAAGGZ0eXBtcDQyAAAAAG1wNDJpc29tAAAACGZyZWUAAAAIbWRhdA==' },
  document: {
    mime: 'application/pdf',
    base64:
      'JVBERi0xLjQKJcOkw7zDtsOfCjEgMCBvYmoKPDwvVHlwZS9DYXRhbG9nPj4KZW5kb2JqCnRyYWlsZXIKPDwvUm9vdCAxIDAgUj4+CiUlRU9GCg==',
    filename: 'document.pdf',
  },
};

export function sampleMedia(kind: MediaKind): { mime: string; bytes: Buffer; filename?: string } {
  const s = SAMPLES[kind];
  return {
    mime: s.mime,
    bytes: Buffer.from(s.base64, 'base64'),
    ...(s.filename ? { filename: s.filename } : {}),
  };
}

/** Builds a stored media object (hashes computed once, at creation). */
export function createMediaObject(
  id: string,
  phoneNumberId: string,
  mimeType: string,
  bytes: Buffer,
  filename: string | undefined,
  createdAt: number,
): MediaObject {
  const h = hashMedia(bytes);
  return {
    id,
    phoneNumberId,
    mimeType,
    bytes,
    sha256Hex: h.hex,
    sha256Base64: h.base64,
    filename,
    createdAt,
  };
}
