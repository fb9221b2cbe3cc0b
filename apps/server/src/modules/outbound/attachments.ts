// Files agents send: stored with us on upload (the blob store), checked against the media kind a
// message uses, and handed to Graph once per number when a message needs them (contract §5:
// upload, then send by id; Meta keeps an upload 30 days, so an id older than 29 days is renewed).
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { BlobStore } from '../../platform/blobs/blob-store.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import { AppError, orNotFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import type { GraphCaller } from '../whatsapp/graph-http.ts';
import { MEDIA_SIZE_LIMITS, type MediaKind } from '../whatsapp/graph-client.ts';
import type { WhatsappNumberRow } from '../whatsapp/numbers.repo.ts';
import { attachments } from './outbound.tables.ts';

export type AttachmentRow = typeof attachments.$inferSelect;

/** The formats WhatsApp takes per media kind (contract §5). */
export const MEDIA_TYPES: Record<MediaKind, readonly string[]> = {
  image: ['image/jpeg', 'image/png'],
  audio: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
  video: ['video/mp4', 'video/3gpp'],
  document: [
    'text/plain',
    'application/pdf',
    'application/msword',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.ms-excel',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/vnd.ms-powerpoint',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  ],
  sticker: ['image/webp'],
};
export const UPLOADABLE_TYPES = [...new Set(Object.values(MEDIA_TYPES).flat())];
export const MAX_UPLOAD_BYTES = MEDIA_SIZE_LIMITS.document;
const GRAPH_MEDIA_TTL_MS = 29 * 24 * 3600_000;

export const attachmentsRepo = (tx: Executor) => ({
  async insert(tenantId: string, row: Omit<AttachmentRow, 'tenantId' | 'graphMedia'>): Promise<void> {
    await tx.insert(attachments).values({ ...row, tenantId });
  },
  async findById(tenantId: string, id: string): Promise<AttachmentRow | undefined> {
    const [row] = await tx
      .select()
      .from(attachments)
      .where(and(eq(attachments.tenantId, tenantId), eq(attachments.id, id)));
    return row;
  },
  async setGraphMedia(tenantId: string, id: string, graphMedia: AttachmentRow['graphMedia']): Promise<void> {
    await tx
      .update(attachments)
      .set({ graphMedia })
      .where(and(eq(attachments.tenantId, tenantId), eq(attachments.id, id)));
  },
});

/** Whether a file can go as this media kind: its format, then its size. Undefined: it can. */
export function unfitFor(
  kind: MediaKind,
  file: Pick<AttachmentRow, 'mimeType' | 'size'>,
): string | undefined {
  if (!MEDIA_TYPES[kind].includes(file.mimeType)) {
    return `A file of type ${file.mimeType} cannot be sent as ${kind}; WhatsApp takes ${MEDIA_TYPES[kind].join(', ')}`;
  }
  if (file.size > MEDIA_SIZE_LIMITS[kind]) {
    return `The file is ${file.size} bytes; WhatsApp takes ${kind} files up to ${MEDIA_SIZE_LIMITS[kind]} bytes`;
  }
  return undefined;
}

/** Cleans an uploaded file's name: no path, no control characters, at most 240 characters. */
function safeFilename(name: string | undefined, mimeType: string): string {
  // eslint-disable-next-line no-control-regex
  const controls = /[\u0000-\u001f\u007f]/g;
  const base = (name ?? '').split(/[\\/]/).pop()?.replace(controls, '').trim() ?? '';
  return (base || `file.${mimeType.split('/')[1] ?? 'bin'}`).slice(0, 240);
}

export function createAttachments(deps: {
  database: Database;
  clock: Clock;
  blobs: BlobStore;
  graph: GraphCaller;
}) {
  const { database, clock, blobs, graph } = deps;

  async function upload(
    tenantId: string,
    file: { bytes: Buffer; mimeType: string; filename: string | undefined },
    uploadedBy: string | null,
  ): Promise<AttachmentRow> {
    const mimeType = file.mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
    if (!UPLOADABLE_TYPES.includes(mimeType)) {
      throw new AppError('unsupported_media_type', `WhatsApp cannot carry ${mimeType || 'this'} files.`, {
        extensions: { accepted: UPLOADABLE_TYPES },
      });
    }
    if (file.bytes.length === 0) {
      throw new AppError('validation_failed', 'The file is empty.', {
        errors: [{ path: 'body', message: 'Empty file' }],
      });
    }
    const now = clock.now();
    const row = {
      id: uuidv7(now.getTime()),
      blobKey: blobs.newKey(tenantId, now),
      filename: safeFilename(file.filename, mimeType),
      mimeType,
      size: file.bytes.length,
      sha256: createHash('sha256').update(file.bytes).digest('hex'),
      uploadedBy,
      createdAt: now,
    };
    // Bytes first: a row never points at a missing file.
    await blobs.put(row.blobKey, file.bytes, { contentType: mimeType });
    await database.tenant(tenantId, (tx) => attachmentsRepo(tx).insert(tenantId, row));
    return { ...row, tenantId, graphMedia: {} };
  }

  async function get(tenantId: string, id: string): Promise<AttachmentRow> {
    return orNotFound(
      await database.tenant(tenantId, (tx) => attachmentsRepo(tx).findById(tenantId, id)),
      'Attachment not found.',
    );
  }

  /**
   * Graph's media id of the attachment on this number: the one uploaded before if still fresh,
   * else a new upload. Throws GraphApiError / GraphNetworkError as the upload does.
   */
  async function graphMediaId(number: WhatsappNumberRow, attachment: AttachmentRow): Promise<string> {
    const known = attachment.graphMedia[number.id];
    if (known && clock.now().getTime() - Date.parse(known.uploadedAt) < GRAPH_MEDIA_TTL_MS) return known.id;
    const blob = await blobs.get(attachment.blobKey);
    if (!blob) throw new Error(`attachment ${attachment.id} has no stored file`);
    const chunks: Buffer[] = [];
    for await (const chunk of blob.stream) chunks.push(Buffer.from(chunk as Uint8Array));
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', attachment.mimeType);
    form.set('file', new Blob([Buffer.concat(chunks)], { type: attachment.mimeType }), attachment.filename);
    const answer = await graph.call<{ id?: string }>(number, `${number.phoneNumberId}/media`, {
      form,
      timeoutMs: 120_000,
    });
    if (!answer.id) throw new Error('Graph answered the upload without a media id');
    const graphMedia = {
      ...attachment.graphMedia,
      [number.id]: { id: answer.id, uploadedAt: clock.now().toISOString() },
    };
    await database.tenant(attachment.tenantId, (tx) =>
      attachmentsRepo(tx).setGraphMedia(attachment.tenantId, attachment.id, graphMedia),
    );
    attachment.graphMedia = graphMedia;
    return answer.id;
  }

  /** The attachment and its bytes, for download. */
  async function open(tenantId: string, id: string) {
    const row = await get(tenantId, id);
    const file = orNotFound(await blobs.get(row.blobKey), 'Attachment not found.');
    return { row, file };
  }

  return { upload, get, open, graphMediaId };
}

export type Attachments = ReturnType<typeof createAttachments>;
