import { z } from 'zod';
import {
  attributeTypes,
  createAttributeDefinitionRequestSchema,
  problemSchema,
  updateAttributeDefinitionRequestSchema,
} from '@switchboard/contracts';
import { tenantPrincipal } from '../../platform/http/authenticate.ts';
import { idParams, problemResponses, requestActor } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import type { AttributeDefinitionRow } from './contact-attributes.repo.ts';
import type { ContactAttributesService } from './contact-attributes.service.ts';

const tags = ['contacts'];

const definitionView = z
  .object({
    id: z.uuid(),
    key: z.string().describe('Where values live in `contact.attributes`'),
    label: z.string(),
    description: z.string().nullable(),
    type: z.enum(attributeTypes),
    options: z.array(z.string()).describe('The choices of a `list`; empty for other types'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'ContactAttributeDefinition' });

const present = (d: AttributeDefinitionRow): z.infer<typeof definitionView> => ({
  id: d.id,
  key: d.key,
  label: d.label,
  description: d.description,
  type: d.type,
  options: d.options,
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
});

export function registerContactAttributeRoutes(
  app: ZodApp,
  deps: { contactAttributes: ContactAttributesService },
): void {
  const { contactAttributes } = deps;
  const read = { access: 'tenant' as const, permission: 'conversations.read' as const };
  // Defining what the organization records about its clients is configuration, like its profile.
  const manage = { access: 'tenant' as const, permission: 'organization.manage' as const };

  app.get(
    '/api/v1/contact-attributes',
    {
      config: read,
      schema: {
        tags,
        summary: 'List the custom contact attributes, in the order they were defined',
        response: { 200: z.object({ items: z.array(definitionView) }), ...problemResponses },
      },
    },
    async (request) => ({
      items: (await contactAttributes.listDefinitions(tenantPrincipal(request).tenantId)).map(present),
    }),
  );

  app.post(
    '/api/v1/contact-attributes',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Define a custom contact attribute',
        description:
          'Types: `text`, `number`, `boolean`, `date` (`YYYY-MM-DD`) and `list` (one of `options`). ' +
          'A key already defined is 409 `conflict`.',
        body: createAttributeDefinitionRequestSchema,
        response: { 201: definitionView, ...problemResponses, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const row = await contactAttributes.createDefinition(
        tenantPrincipal(request).tenantId,
        request.body,
        requestActor(request),
      );
      return reply.status(201).send(present(row));
    },
  );

  app.patch(
    '/api/v1/contact-attributes/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change a custom attribute’s label, description or list options',
        description:
          'The key and type cannot change. Values already stored are kept when options change, ' +
          'and checked when next written. Options on a non-list attribute are 422.',
        params: idParams,
        body: updateAttributeDefinitionRequestSchema,
        response: { 200: definitionView, ...problemResponses, 422: problemSchema },
      },
    },
    async (request) =>
      present(
        await contactAttributes.updateDefinition(
          tenantPrincipal(request).tenantId,
          request.params.id,
          request.body,
          requestActor(request),
        ),
      ),
  );

  app.delete(
    '/api/v1/contact-attributes/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Delete a custom attribute and its value on every contact',
        params: idParams,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await contactAttributes.deleteDefinition(
        tenantPrincipal(request).tenantId,
        request.params.id,
        requestActor(request),
      );
      return reply.status(204).send(null);
    },
  );
}
