// Inbound media: a job downloads each media message's file through the Graph API into the blob
// store. The state lives in the message's `content`: `download` is 'pending' (set by the
// normalizer), 'stored' (with `blobKey`, `size`, `downloadedAt`) or 'failed' (with
// `downloadError`); every failed attempt records `downloadAttempts` and `downloadError`.
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { BlobStore } from '../../platform/blobs/blob-store.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { defineJob, type JobQueue } from '../../platform/jobs/job-queue.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RealtimeBus } from '../../platform/realtime/realtime-bus.ts';
import { recordEvents } from '../../platform/realtime/realtime.repo.ts';
import { messageUpdated } from '../conversations/conversation-events.ts';
import { messagesRepo, type MessageRow } from '../conversations/conversations.repo.ts';
import { isMediaKind, MediaDownloadError, type GraphClient } from './graph-client.ts';
import { numbersRepo } from './numbers.repo.ts';

/** Attempts in all: the first plus the job's retries. */
export const MEDIA_DOWNLOAD_ATTEMPTS = 6;

type Content = Record<string, unknown>;

export interface MediaFile {
  stream: Readable;
  size: number;
  contentType: string;
  /** 'inline' for what a browser shows (image, audio, video, sticker), else 'attachment'. */
  disposition: 'inline' | 'attachment';
  filename: string | undefined;
}

export function createMediaService(deps: {
  database: Database;
  queue: JobQueue;
  clock: Clock;
  realtime: Pick<RealtimeBus, 'publish'>;
  blobs: BlobStore;
  graph: GraphClient;
  log: Logger;
}) {
  const { database, queue, clock, realtime, blobs, graph, log } = deps;

  /**
   * Merges `patch` into the message's current content; with `announce`, records a
   * `message.updated` event in the same transaction and publishes it after commit. `decide` sees
   * the locked row and may veto the change (returns false).
   */
  async function updateContent(
    tenantId: string,
    messageId: string,
    patch: Content,
    options: { announce: boolean; decide?: (m: MessageRow) => boolean; needsAttention?: string },
  ): Promise<boolean> {
    const { applied, seq } = await database.tenant(tenantId, async (tx) => {
      const messages = messagesRepo(tx);
      const message = await messages.findForUpdate(tenantId, messageId);
      if (!message || (options.decide && !options.decide(message))) return { applied: false, seq: 0 };
      const content = { ...message.content, ...patch };
      await messages.update(tenantId, messageId, { content });
      const now = clock.now();
      if (options.needsAttention) {
        await numbersRepo(tx).update(tenantId, options.needsAttention, {
          status: 'needs_attention',
          statusReason:
            'Meta rejected the access token (error 190) while downloading media. Enter a new token.',
          updatedAt: now,
        });
      }
      const events = options.announce ? [messageUpdated({ ...message, content })] : [];
      return { applied: true, seq: await recordEvents(tx, tenantId, events, now) };
    });
    if (seq > 0) realtime.publish({ tenantId, seq });
    return applied;
  }

  const notStored = (m: MessageRow) => m.content['download'] !== 'stored';

  async function download(tenantId: string, messageId: string): Promise<void> {
    const found = await database.tenant(tenantId, async (tx) => {
      const message = await messagesRepo(tx).findById(tenantId, messageId);
      const number = message && (await numbersRepo(tx).findById(tenantId, message.numberId));
      return { message, number };
    });
    const { message, number } = found;
    // Idempotent: a retried or duplicated job finds the work done (or given up).
    if (!message || !isMediaKind(message.type)) return;
    const state = message.content['download'];
    if (state === 'stored' || state === 'failed') return;
    const mediaId = message.content['mediaId'];
    const attempts = Number(message.content['downloadAttempts'] ?? 0) + 1;
    const fail = (reason: string, needsAttention?: string) =>
      updateContent(
        tenantId,
        messageId,
        { download: 'failed', downloadError: reason, downloadAttempts: attempts },
        { announce: true, decide: notStored, ...(needsAttention ? { needsAttention } : {}) },
      );
    if (!number) {
      await fail('The WhatsApp number of this message is no longer connected.');
      return;
    }
    if (typeof mediaId !== 'string' || !mediaId) {
      await fail('The message names no media id.');
      return;
    }

    let file;
    try {
      file = await graph.downloadMedia(number, {
        mediaId,
        kind: message.type,
        expectedSha256: typeof message.content['sha256'] === 'string' ? message.content['sha256'] : undefined,
      });
    } catch (err) {
      const failure = err instanceof MediaDownloadError ? err : new MediaDownloadError('retry', String(err));
      log.warn(
        { tenantId, messageId, attempts, kind: failure.kind, err: failure.message },
        'media download failed',
      );
      if (failure.kind === 'token') {
        await fail(
          `${failure.message}. The number's access token was rejected; update its credentials.`,
          number.id,
        );
        return;
      }
      if (failure.kind === 'permanent' || attempts >= MEDIA_DOWNLOAD_ATTEMPTS) {
        await fail(failure.message);
        return;
      }
      // Visible while retrying: the attempt count and the last error, no event (nothing to show yet).
      await updateContent(
        tenantId,
        messageId,
        { downloadAttempts: attempts, downloadError: failure.message },
        { announce: false, decide: notStored },
      );
      throw failure; // the job system retries with backoff
    }

    const blobKey = blobs.newKey(tenantId, clock.now());
    await blobs.put(blobKey, file.bytes, { contentType: file.mimeType });
    const stored = await updateContent(
      tenantId,
      messageId,
      {
        download: 'stored',
        blobKey,
        size: file.size,
        downloadedAt: clock.now().toISOString(),
        downloadAttempts: attempts,
        downloadError: undefined,
        storedMimeType: file.mimeType,
      },
      { announce: true, decide: notStored },
    );
    // Another run stored it first (or the message is gone): this copy is not referenced.
    if (!stored) await blobs.delete(blobKey);
  }

  const downloadJob = defineJob({
    name: 'whatsapp.download-media',
    payload: z.object({ tenantId: z.uuid(), messageId: z.uuid() }),
    priority: 'default',
    retryLimit: MEDIA_DOWNLOAD_ATTEMPTS - 1,
    handler: ({ tenantId, messageId }) => download(tenantId, messageId),
  });
  queue.register(downloadJob);

  /** Queues the download of a stored media message (call after the message is committed). */
  async function enqueueDownload(message: Pick<MessageRow, 'tenantId' | 'id' | 'type'>): Promise<void> {
    if (!isMediaKind(message.type)) return;
    await queue.send(
      downloadJob,
      { tenantId: message.tenantId, messageId: message.id },
      { singletonKey: message.id },
    );
  }

  /** The stored file of a media message, or not_found saying why it is not available. */
  async function openMedia(tenantId: string, messageId: string): Promise<MediaFile> {
    const message = await database.tenant(tenantId, (tx) => messagesRepo(tx).findById(tenantId, messageId));
    if (!message || !isMediaKind(message.type)) throw new AppError('not_found', 'Message media not found.');
    const c = message.content;
    if (c['download'] === 'failed') {
      throw new AppError('not_found', `The media could not be downloaded: ${String(c['downloadError'])}`, {
        extensions: { download: 'failed' },
      });
    }
    const blob =
      c['download'] === 'stored' && typeof c['blobKey'] === 'string'
        ? await blobs.get(c['blobKey'])
        : undefined;
    if (!blob) {
      throw new AppError('not_found', 'The media has not been downloaded yet.', {
        extensions: { download: 'pending' },
      });
    }
    return {
      ...blob,
      disposition: message.type === 'document' ? 'attachment' : 'inline',
      filename: typeof c['filename'] === 'string' ? c['filename'] : undefined,
    };
  }

  return { download, enqueueDownload, openMedia, downloadJob };
}

export type MediaService = ReturnType<typeof createMediaService>;
