import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GraphError } from '../graph-error.ts';
import { SUPPORTED_MIME_TYPES, createMediaObject, kindOfMime, mediaLimit } from '../media.ts';
import type { SimCore } from '../sim-core.ts';
import type { Phone } from '../store.ts';
import { authenticate } from './graph-routes.ts';

// Media upload (multipart, per-kind type and size limits), and the lookaside download URL that needs
// the bearer token and expires.

const HARD_LIMIT = 100 * 1024 * 1024 + 1;

export function registerMediaRoutes(
  graph: FastifyInstance,
  core: SimCore,
  ownPhone: (request: FastifyRequest, id: string) => Phone,
): void {
  graph.register(multipart, { limits: { fileSize: HARD_LIMIT, files: 1 }, throwFileSizeLimit: true });

  graph.post<{ Params: { id: string } }>('/:id/media', async (request) => {
    const phone = ownPhone(request, request.params.id);
    return core.graphCall('media', phone.id, (fault) => uploadMedia(core, request, phone, fault));
  });
}

/** One upload: the multipart body read whole, then checked (a scripted error comes after reading it). */
async function uploadMedia(
  core: SimCore,
  request: FastifyRequest,
  phone: Phone,
  fault: () => void,
): Promise<{ id: string }> {
  if (!request.isMultipart())
    throw new GraphError(100, 'The parameter file is required.', {
      message: 'The parameter file is required.',
    });
  let product = (request.query as Record<string, string | undefined>)['messaging_product'];
  let file: { mime: string; bytes: Buffer; filename: string } | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (part.fieldname === 'messaging_product') product = String(part.value);
      } else if (part.fieldname === 'file') {
        file = { mime: part.mimetype, bytes: await part.toBuffer(), filename: part.filename };
      } else await part.toBuffer();
    }
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new GraphError(131053, 'Media file size exceeds the maximum of 100 MB for any media type.');
    }
    throw err;
  }
  fault();
  if (product !== 'whatsapp')
    throw new GraphError(100, 'The parameter messaging_product is required.', {
      message: 'The parameter messaging_product is required.',
    });
  if (!file)
    throw new GraphError(100, 'The parameter file is required.', {
      message: 'The parameter file is required.',
    });
  const kind = kindOfMime(file.mime);
  if (!kind) {
    throw new GraphError(
      100,
      `Param file must be a file with one of the following types: ${SUPPORTED_MIME_TYPES.join(', ')}. Received file of type '${file.mime}'.`,
      { message: 'Invalid parameter' },
    );
  }
  const limit = mediaLimit(kind, file.bytes);
  if (file.bytes.length > limit.max) {
    throw new GraphError(
      131053,
      `File of ${file.bytes.length} bytes exceeds the ${limit.max} byte limit for ${limit.label}.`,
    );
  }
  const media = createMediaObject(
    core.ids.numeric(16),
    phone.id,
    file.mime,
    file.bytes,
    file.filename,
    core.clock.now(),
  );
  core.store.media.set(media.id, media);
  return { id: media.id };
}

/** The download URL handed out by `GET /{media-id}`: bearer token required, 404 once expired. */
export function registerDownloadRoute(app: FastifyInstance, core: SimCore): void {
  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/_sim/lookaside/whatsapp_business/attachments/',
    async (request, reply) => {
      const business = authenticate(core, request);
      const { mid = '', ext = '', hash = '' } = request.query;
      const media = core.checkMediaUrl(mid, ext, hash);
      if (!media || core.store.phones.get(media.phoneNumberId)?.business !== business) {
        return reply
          .code(404)
          .send({ error: { message: 'URL signature expired or media not found', code: 404 } });
      }
      return reply
        .header('content-type', media.mimeType)
        .header('content-length', media.bytes.length)
        .send(media.bytes);
    },
  );
}
