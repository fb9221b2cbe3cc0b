import { z } from 'zod';
import { tenantPrincipal } from '../../platform/http/authenticate.ts';
import { idParams, problemResponses } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import type { MediaService } from './media.service.ts';

/** Browsers may keep a private copy for a day: a stored blob never changes. */
const CACHE_SECONDS = 86_400;

/** A filename safe in a quoted header value: printable ASCII without quotes, slashes or backslashes. */
export function safeFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[/\\]/).pop() ?? '';
  const ascii = base
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/["\\;]/g, '')
    .trim()
    .slice(0, 150);
  return ascii && !/^\.+$/.test(ascii) ? ascii : 'download';
}

function contentDisposition(kind: 'inline' | 'attachment', filename: string | undefined): string {
  if (kind === 'inline') return 'inline';
  // eslint-disable-next-line no-control-regex
  const clean = (filename ?? '').replace(/[\u0000-\u001f\u007f"\\/]/g, '').slice(0, 150);
  const encoded = clean ? `; filename*=UTF-8''${encodeURIComponent(clean)}` : '';
  return `attachment; filename="${safeFilename(filename)}"${encoded}`;
}

export function registerMediaRoutes(app: ZodApp, deps: { media: MediaService }): void {
  app.get(
    '/api/v1/messages/:id/media',
    {
      config: { access: 'tenant', permission: 'conversations.read' },
      schema: {
        tags: ['conversations'],
        summary: 'The downloaded file of a media message (image, audio, video, document, sticker)',
        description:
          'Streams the stored bytes with their content type. Images, audio, video and stickers are ' +
          '`inline`; documents are an `attachment` with their filename. 404 `not_found` while the ' +
          'download is pending or after it failed (the detail says which, and `download` is ' +
          '`pending` or `failed`).',
        params: idParams,
        response: {
          200: z.any().describe('The file’s bytes'),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const file = await deps.media.openMedia(tenantPrincipal(request).tenantId, request.params.id);
      return reply
        .header('content-type', file.contentType)
        .header('content-length', file.size)
        .header('content-disposition', contentDisposition(file.disposition, file.filename))
        .header('cache-control', `private, max-age=${CACHE_SECONDS}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(file.stream);
    },
  );
}
