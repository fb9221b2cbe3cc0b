import { z } from 'zod';
import {
  cannedContentSchema,
  cannedShortCodeSchema,
  cannedVariables,
  problemSchema,
} from '@switchboard/contracts';
import { tenantPrincipal } from '../../platform/http/authenticate.ts';
import { idParams, problemResponses, requestActor } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import type { CannedResponseRow } from './canned-responses.repo.ts';
import type { CannedResponsesService } from './canned-responses.service.ts';
import { checkTemplate } from './canned-templates.ts';

const tags = ['canned-responses'];

const cannedView = z
  .object({
    id: z.uuid(),
    shortCode: z.string(),
    content: z.string(),
    variables: z.array(z.string()).describe('The variables the content uses'),
    createdBy: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'CannedResponse' });

const present = (r: CannedResponseRow): z.infer<typeof cannedView> => ({
  id: r.id,
  shortCode: r.shortCode,
  content: r.content,
  variables: checkTemplate(r.content).variables,
  createdBy: r.createdBy,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const variablesDoc =
  `Variables: ${cannedVariables.map((v) => `\`{{${v}}}\``).join(', ')}. A fallback for a missing ` +
  'value follows a bar: `{{contact.first_name | there}}`. Any other name between double braces is ' +
  'refused (422 `unprocessable_content`, naming the variable at `body.content`). Short codes are 1 to 50 ' +
  'of a-z, 0-9, `_` and `-`, stored lower-cased and unique per organization whatever their case ' +
  '(409 `conflict`).';

export function registerCannedResponseRoutes(
  app: ZodApp,
  deps: { cannedResponses: CannedResponsesService },
): void {
  const { cannedResponses } = deps;
  const read = { access: 'tenant' as const, permission: 'conversations.read' as const };
  const manage = { access: 'tenant' as const, permission: 'canned_responses.manage' as const };

  app.get(
    '/api/v1/canned-responses',
    {
      config: read,
      schema: {
        tags,
        summary: 'List canned responses in short-code order, optionally matching `q`',
        description:
          '`q` matches the start of the short code (a leading `/` is ignored) or any part of the ' +
          'content, ignoring case.',
        querystring: z.strictObject({
          q: z
            .string()
            .trim()
            .max(100)
            .transform((q) => q.replace(/^\//, ''))
            .optional(),
          cursor: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(100),
        }),
        response: {
          200: z.object({ items: z.array(cannedView), nextCursor: z.string().nullable() }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const page = await cannedResponses.listCannedResponses(
        tenantPrincipal(request).tenantId,
        request.query,
      );
      return { items: page.items.map(present), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/v1/canned-responses',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Create a canned response',
        description: variablesDoc,
        body: z.strictObject({ shortCode: cannedShortCodeSchema, content: cannedContentSchema }),
        response: { 201: cannedView, ...problemResponses, 409: problemSchema, 422: problemSchema },
      },
    },
    async (request, reply) => {
      const row = await cannedResponses.createCannedResponse(
        tenantPrincipal(request).tenantId,
        request.body,
        requestActor(request),
      );
      return reply.status(201).send(present(row));
    },
  );

  app.patch(
    '/api/v1/canned-responses/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change a canned response’s short code or content',
        description: variablesDoc,
        params: idParams,
        body: z.strictObject({
          shortCode: cannedShortCodeSchema.optional(),
          content: cannedContentSchema.optional(),
        }),
        response: { 200: cannedView, ...problemResponses, 409: problemSchema, 422: problemSchema },
      },
    },
    async (request) =>
      present(
        await cannedResponses.updateCannedResponse(
          tenantPrincipal(request).tenantId,
          request.params.id,
          request.body,
          requestActor(request),
        ),
      ),
  );

  app.delete(
    '/api/v1/canned-responses/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Delete a canned response',
        params: idParams,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await cannedResponses.deleteCannedResponse(
        tenantPrincipal(request).tenantId,
        request.params.id,
        requestActor(request),
      );
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/canned-responses/:id/render',
    {
      config: read,
      schema: {
        tags,
        summary: 'The text of a canned response for a conversation, with its variables filled',
        description:
          'Contact variables come from the conversation’s contact, agent variables from the signed-in ' +
          'user (none for an API key), `organization.name` from your organization. A missing value ' +
          'renders as its fallback, or as nothing; `missing` lists the variables that had neither.',
        params: idParams,
        body: z.strictObject({ conversationId: z.uuid({ error: 'Must be a UUID' }) }),
        response: {
          200: z.object({ text: z.string(), missing: z.array(z.string()) }),
          ...problemResponses,
        },
      },
    },
    async (request) =>
      cannedResponses.renderCannedResponse(
        tenantPrincipal(request),
        request.params.id,
        request.body.conversationId,
      ),
  );
}
