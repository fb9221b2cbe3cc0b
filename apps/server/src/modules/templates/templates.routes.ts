import { z } from 'zod';
import {
  createTemplateRequestSchema,
  problemSchema,
  templateListQuerySchema,
  templatePreviewRequestSchema,
  templatePreviewSchema,
  templateSyncResultSchema,
  templateViewSchema,
  updateTemplateRequestSchema,
  type TemplateView,
} from '@switchboard/contracts';
import { tenantPrincipal } from '../../platform/http/authenticate.ts';
import { idParams, problemResponses, requestActor } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import { needsOf, shapeOf } from './template-shape.ts';
import type { TemplateSync } from './template-sync.ts';
import type { TemplateRow } from './templates.repo.ts';
import type { TemplatesService } from './templates.service.ts';

const tags = ['whatsapp-templates'];
const base = '/api/v1/whatsapp/numbers/:id/templates';
const templateParams = z.strictObject({
  id: z.uuid({ error: 'Must be a UUID' }),
  templateId: z.uuid({ error: 'Must be a UUID' }),
});

export function presentTemplate(r: TemplateRow): TemplateView {
  return {
    id: r.id,
    numberId: r.numberId,
    wabaId: r.wabaId,
    externalId: r.externalId,
    name: r.name,
    language: r.language,
    category: r.category,
    status: r.status,
    statusReason: r.statusReason,
    parameterFormat: r.parameterFormat,
    components: r.components,
    needs: needsOf(shapeOf(r.components, r.parameterFormat)),
    syncedAt: r.syncedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

const graphErrors =
  'Graph’s refusals are 422 `unprocessable_content` with Graph’s message in the detail and ' +
  '`graphCode`/`graphSubcode`/`graphMessage`; a Graph rate limit is 429 `rate_limited`, an outage ' +
  '503 `not_ready`. A rejected access token (190) is a 422 and flags the number `needs_attention`.';

const definitionDoc =
  'Components are Graph’s own (`HEADER`, `BODY`, `FOOTER`, `BUTTONS`, types in any case) with ' +
  'Graph’s `example` objects. Positional templates number their parameters `{{1}}`, `{{2}}`... ' +
  'without gaps and give `example.body_text: [["..."]]`; named templates use `{{first_name}}` and ' +
  '`example.body_text_named_params`. Every parameter needs an example; a mismatch is a 422 ' +
  '`unprocessable_content` naming the field (`body.components.1.example.body_text`).';

export function registerTemplateRoutes(
  app: ZodApp,
  deps: { templates: TemplatesService; templateSync: TemplateSync },
): void {
  const { templates, templateSync } = deps;
  // Agents read templates and preview them (they send them); managing them is for managers.
  const read = { access: 'tenant' as const, permission: 'conversations.read' as const };
  const manage = { access: 'tenant' as const, permission: 'whatsapp.manage' as const };

  app.get(
    base,
    {
      config: read,
      schema: {
        tags,
        summary: 'List the templates of a number’s WhatsApp Business Account, by name and language',
        description:
          'Our copy, as the last sync, create, edit or status webhook left it. `status` filters by ' +
          'Graph’s status (APPROVED, PENDING, REJECTED...); `q` matches part of the name. `needs` says ' +
          'which parameters a send must give.',
        params: idParams,
        querystring: templateListQuerySchema,
        response: {
          200: z.object({ items: z.array(templateViewSchema), nextCursor: z.string().nullable() }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const page = await templates.listTemplates(
        tenantPrincipal(request).tenantId,
        request.params.id,
        request.query,
      );
      return { items: page.items.map(presentTemplate), nextCursor: page.nextCursor };
    },
  );

  app.post(
    base,
    {
      config: manage,
      schema: {
        tags,
        summary: 'Create a template through Graph; it starts PENDING until Meta reviews it',
        description: `${definitionDoc} 409 \`conflict\` when the account already has the name in that language. ${graphErrors}`,
        params: idParams,
        body: createTemplateRequestSchema,
        response: {
          201: templateViewSchema,
          ...problemResponses,
          409: problemSchema,
          422: problemSchema,
          503: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const row = await templates.createTemplate(
        tenantPrincipal(request).tenantId,
        request.params.id,
        request.body,
        requestActor(request),
      );
      return reply.status(201).send(presentTemplate(row));
    },
  );

  app.post(
    `${base}/sync`,
    {
      config: manage,
      schema: {
        tags,
        summary: 'Sync the account’s templates from Graph now (also done hourly)',
        description: `Reads every page of Graph’s list, adds new templates, updates changed ones and deletes ours that Graph no longer has. ${graphErrors}`,
        params: idParams,
        response: {
          200: templateSyncResultSchema,
          ...problemResponses,
          422: problemSchema,
          503: problemSchema,
        },
      },
    },
    async (request) => templateSync.syncTemplates(tenantPrincipal(request).tenantId, request.params.id),
  );

  app.patch(
    `${base}/:templateId`,
    {
      config: manage,
      schema: {
        tags,
        summary: 'Edit a template’s components or category through Graph; it goes back to review',
        description: `Only APPROVED, REJECTED and PAUSED templates can be edited (409 \`conflict\` otherwise; Meta also limits edits of approved templates to one a day). ${definitionDoc} ${graphErrors}`,
        params: templateParams,
        body: updateTemplateRequestSchema,
        response: {
          200: templateViewSchema,
          ...problemResponses,
          409: problemSchema,
          422: problemSchema,
          503: problemSchema,
        },
      },
    },
    async (request) =>
      presentTemplate(
        await templates.updateTemplate(
          tenantPrincipal(request).tenantId,
          request.params.id,
          request.params.templateId,
          request.body,
          requestActor(request),
        ),
      ),
  );

  app.delete(
    `${base}/:templateId`,
    {
      config: manage,
      schema: {
        tags,
        summary: 'Delete a template (this language only) through Graph',
        description: `DISABLED templates cannot be deleted (409 \`conflict\`). Meta blocks a deleted approved name for 30 days. ${graphErrors}`,
        params: templateParams,
        response: {
          204: z.null(),
          ...problemResponses,
          409: problemSchema,
          422: problemSchema,
          503: problemSchema,
        },
      },
    },
    async (request, reply) => {
      await templates.deleteTemplate(
        tenantPrincipal(request).tenantId,
        request.params.id,
        request.params.templateId,
        requestActor(request),
      );
      return reply.status(204).send(null);
    },
  );

  app.post(
    `${base}/:templateId/preview`,
    {
      config: read,
      schema: {
        tags,
        summary: 'Render a template with parameters, checked as a send would be',
        description:
          'The parameters are those of a template send (`POST /api/v1/conversations/{id}/messages` ' +
          'with `type: "template"`). Each problem is a 422 `unprocessable_content` naming the ' +
          'parameter: `body.parameters.body.0` (positional), `body.parameters.body.first_name` ' +
          '(named), `body.parameters.header`, `body.parameters.buttons`. Values must not be empty, ' +
          'nor hold new lines, tabs or more than 4 spaces in a row (Meta error 132012).',
        params: templateParams,
        body: templatePreviewRequestSchema,
        response: { 200: templatePreviewSchema, ...problemResponses, 422: problemSchema },
      },
    },
    async (request) =>
      templates.previewTemplate(
        tenantPrincipal(request).tenantId,
        request.params.id,
        request.params.templateId,
        request.body.parameters,
      ),
  );
}
