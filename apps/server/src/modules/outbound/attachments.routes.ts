import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { tenantPrincipal } from '../../platform/http/authenticate.ts';
import { idParams, problemResponses } from '../../platform/http/route-helpers.ts';
import { withZod } from '../../platform/http/server.ts';
import { safeFilename } from '../whatsapp/media.routes.ts';
import { MAX_UPLOAD_BYTES, UPLOADABLE_TYPES, type AttachmentRow, type Attachments } from './attachments.ts';

const attachmentView = z
  .object({
    id: z.uuid(),
    filename: z.string(),
    mimeType: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Attachment' });

const present = (a: AttachmentRow): z.infer<typeof attachmentView> => ({
  id: a.id,
  filename: a.filename,
  mimeType: a.mimeType,
  size: a.size,
  sha256: a.sha256,
  createdAt: a.createdAt.toISOString(),
});

export async function registerAttachmentRoutes(
  app: FastifyInstance,
  deps: { attachments: Attachments },
): Promise<void> {
  // Own scope: the body is the file itself, read as bytes whatever its type.
  await app.register((scope, _options, registered) => {
    scope.addContentTypeParser(
      UPLOADABLE_TYPES,
      { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES },
      (_req, body, done) => {
        done(null, body);
      },
    );
    const typed = withZod(scope);

    typed.post(
      '/api/v1/attachments',
      {
        config: { access: 'tenant', permission: 'conversations.manage' },
        bodyLimit: MAX_UPLOAD_BYTES,
        schema: {
          tags: ['conversations'],
          summary: 'Upload a file to send (the body is the file; its Content-Type is the file type)',
          description:
            'Stores a file for `attachmentId` in a send (image, video, audio, document, sticker, or a ' +
            "template or interactive header). The body is the file's bytes and `Content-Type` its type, " +
            `one of ${UPLOADABLE_TYPES.join(', ')}; anything else is 415. Up to 100 MB; each kind has ` +
            "WhatsApp's own limit, checked when the file is sent as that kind (422). `filename` names " +
            'it for documents.',
          querystring: z.strictObject({ filename: z.string().max(500).optional() }),
          response: { 201: attachmentView, ...problemResponses },
        },
      },
      async (request, reply) => {
        const principal = tenantPrincipal(request);
        const row = await deps.attachments.upload(
          principal.tenantId,
          {
            bytes: request.body as Buffer,
            mimeType: request.headers['content-type'] ?? '',
            filename: request.query.filename,
          },
          principal.kind === 'user' ? principal.userId : null,
        );
        return reply.status(201).send(present(row));
      },
    );

    typed.get(
      '/api/v1/attachments/:id',
      {
        config: { access: 'tenant', permission: 'conversations.read' },
        schema: {
          tags: ['conversations'],
          summary: 'Download an uploaded file',
          params: idParams,
          response: { 200: z.any().describe('The file’s bytes'), ...problemResponses },
        },
      },
      async (request, reply) => {
        const { row, file } = await deps.attachments.open(
          tenantPrincipal(request).tenantId,
          request.params.id,
        );
        return reply
          .header('content-type', row.mimeType)
          .header('content-length', file.size)
          .header('content-disposition', `attachment; filename="${safeFilename(row.filename)}"`)
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .send(file.stream);
      },
    );
    registered();
  });
}
