import { z } from 'zod';
import { nameSchema, permissionSchema } from '@switchboard/contracts';
import { tenantPrincipal } from '../../platform/http/authenticate.ts';
import { idParams, problemResponses, requestActor } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import type { ApiKeyRow } from './api-keys.repo.ts';
import type { ApiKeysService } from './api-keys.service.ts';

const tags = ['api-keys'];
const apiKeyView = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
const present = (k: ApiKeyRow) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  expiresAt: k.expiresAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

export function registerApiKeyRoutes(app: ZodApp, deps: { apiKeys: ApiKeysService }): void {
  const { apiKeys } = deps;
  const config = { access: 'tenant' as const, permission: 'api_keys.manage' as const };

  app.get(
    '/api/v1/api-keys',
    {
      config,
      schema: {
        tags,
        summary: 'List API keys',
        response: { 200: z.object({ items: z.array(apiKeyView) }), ...problemResponses },
      },
    },
    async (request) => ({
      items: (await apiKeys.listApiKeys(tenantPrincipal(request).tenantId)).map(present),
    }),
  );

  app.post(
    '/api/v1/api-keys',
    {
      config,
      schema: {
        tags,
        summary: 'Create an API key; the key is shown only in this response',
        body: z.strictObject({
          name: nameSchema,
          scopes: z.array(permissionSchema).min(1, 'Give the key at least one scope'),
          expiresAt: z.iso.datetime({ offset: true }).optional(),
        }),
        response: { 201: apiKeyView.extend({ key: z.string() }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { key, row } = await apiKeys.createApiKey(
        tenantPrincipal(request),
        {
          name: request.body.name,
          scopes: request.body.scopes,
          expiresAt: request.body.expiresAt === undefined ? undefined : new Date(request.body.expiresAt),
        },
        requestActor(request),
      );
      return reply.status(201).send({ ...present(row), key });
    },
  );

  app.delete(
    '/api/v1/api-keys/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Revoke an API key',
        params: idParams,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await apiKeys.revokeApiKey(tenantPrincipal(request).tenantId, request.params.id, requestActor(request));
      return reply.status(204).send(null);
    },
  );
}
