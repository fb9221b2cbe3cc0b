/* eslint-disable @typescript-eslint/require-await -- Fastify handlers are async so that a thrown GraphError or
   ControlError becomes a rejection that the shared error handler renders; most of them do not await. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GraphError } from '../graph-error.ts';
import type { SimCore } from '../sim-core.ts';
import type { Business, Json } from '../store.ts';
import { registerMediaRoutes } from './media-routes.ts';

// The Graph API surface under `/{version}/`: messages, media, templates and phone numbers, with bearer
// token auth. Objects that exist but belong to another business answer like Meta: error 100 / 33.

declare module 'fastify' {
  interface FastifyRequest {
    business?: Business;
  }
}

export function noSuchObject(id: string): GraphError {
  return new GraphError(
    100,
    `Unsupported request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    { subcode: 33, message: 'Unsupported request' },
  );
}

export function authenticate(core: SimCore, request: FastifyRequest): Business {
  const header = request.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  const business = token ? core.store.businessByToken(token) : undefined;
  if (!business) throw new GraphError(190, 'Invalid OAuth access token.');
  return business;
}

type IdParams = { Params: { id: string; version: string } };

export function registerGraphRoutes(app: FastifyInstance, core: SimCore): void {
  app.register(
    (graph, _opts, done) => {
      graph.addHook('onRequest', async (request) => {
        const { version } = request.params as { version?: string };
        if (!version || !/^v\d+\.\d+$/.test(version)) {
          throw new GraphError(100, `Unknown path components: /${String(version)}`, {
            message: 'Unknown path components',
          });
        }
        request.business = authenticate(core, request);
      });

      const ownPhone = (request: FastifyRequest, id: string) => {
        const phone = core.store.phones.get(id);
        if (!phone || phone.business !== request.business) throw noSuchObject(id);
        return phone;
      };

      graph.post<IdParams>('/:id/messages', async (request) => {
        const phone = ownPhone(request, request.params.id);
        const body = request.body as Json | undefined;
        const kind = body?.['status'] === 'read' ? 'read' : 'message';
        return core.graphCall(kind, phone.id, (fault) => {
          fault();
          return core.sender.send(phone, request.body);
        });
      });

      graph.get<IdParams & { Querystring: Record<string, string | undefined> }>('/:id', async (request) => {
        const id = request.params.id;
        const business = request.business;
        const phone = core.store.phones.get(id);
        if (phone?.business === business) return phoneInfo(core, id, request.query['fields']);
        const media = core.store.media.get(id);
        if (media && core.store.phones.get(media.phoneNumberId)?.business === business) {
          return {
            messaging_product: 'whatsapp',
            url: core.mediaUrl(media),
            mime_type: media.mimeType,
            sha256: media.sha256Hex,
            file_size: String(media.bytes.length),
            id: media.id,
          };
        }
        const template = core.store.templates.get(id);
        if (template && template.wabaId === business?.wabaId) {
          return { ...core.templates.list(template.wabaId, { name: template.name }), id: template.id };
        }
        if (business?.wabaId === id) {
          return { id, name: business.name, timezone_id: '1', message_template_namespace: `${id}_namespace` };
        }
        throw noSuchObject(id);
      });

      graph.delete<IdParams>('/:id', async (request) => {
        const media = core.store.media.get(request.params.id);
        if (!media || core.store.phones.get(media.phoneNumberId)?.business !== request.business) {
          throw noSuchObject(request.params.id);
        }
        core.store.media.delete(media.id);
        return { success: true };
      });

      graph.post<IdParams>('/:id', async (request) => {
        const template = core.store.templates.get(request.params.id);
        if (!template || template.wabaId !== request.business?.wabaId) throw noSuchObject(request.params.id);
        return core.templates.edit(template, request.body);
      });

      const ownWaba = (request: FastifyRequest, id: string): string => {
        if (request.business?.wabaId !== id) throw noSuchObject(id);
        return id;
      };
      graph.get<IdParams & { Querystring: Record<string, string | undefined> }>(
        '/:id/message_templates',
        async (request) => {
          const wabaId = ownWaba(request, request.params.id);
          const base = `${core.baseUrl}/${request.params.version}/${wabaId}/message_templates`;
          return core.templates.list(wabaId, request.query, base);
        },
      );
      graph.post<IdParams>('/:id/message_templates', async (request) =>
        core.templates.create(ownWaba(request, request.params.id), request.body),
      );
      graph.delete<IdParams & { Querystring: Record<string, string | undefined> }>(
        '/:id/message_templates',
        async (request) =>
          core.templates.delete(
            ownWaba(request, request.params.id),
            request.query['name'],
            request.query['hsm_id'],
          ),
      );
      graph.get<IdParams>('/:id/phone_numbers', async (request) => {
        const wabaId = ownWaba(request, request.params.id);
        const business = core.store.businesses.find((b) => b.wabaId === wabaId);
        return { data: (business?.phones ?? []).map((p) => phoneInfo(core, p.id, undefined)) };
      });

      registerMediaRoutes(graph, core, ownPhone);
      done();
    },
    { prefix: '/:version' },
  );
}

function phoneInfo(core: SimCore, id: string, fields: string | undefined): Json {
  const phone = core.store.phones.get(id);
  if (!phone) throw noSuchObject(id);
  const all: Json = {
    verified_name: phone.verifiedName,
    code_verification_status: 'VERIFIED',
    display_phone_number: phone.display,
    quality_rating: phone.qualityRating,
    platform_type: 'CLOUD_API',
    throughput: { level: phone.throughputMps > 80 ? 'HIGH' : 'STANDARD' },
    messaging_limit_tier: phone.business.tier,
    whatsapp_business_manager_messaging_limit: phone.business.tier,
    id: phone.id,
  };
  if (!fields) return all;
  const wanted = new Set(fields.split(',').map((f) => f.trim()));
  const out: Json = {};
  for (const [k, v] of Object.entries(all)) if (wanted.has(k)) out[k] = v;
  out['id'] = phone.id;
  return out;
}
