import { z } from 'zod';
import {
  createLabelRequestSchema,
  labelSummarySchema,
  problemSchema,
  updateLabelRequestSchema,
} from '@switchboard/contracts';
import { tenantPrincipal } from '../../platform/http/authenticate.ts';
import { idParams, problemResponses, requestActor } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import type { LabelRow } from './labels.repo.ts';
import type { LabelsService } from './labels.service.ts';

const tags = ['labels'];

const labelView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    color: z.string().describe('`#rrggbb`'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Label' });

const present = (l: LabelRow): z.infer<typeof labelView> => ({
  id: l.id,
  name: l.name,
  description: l.description,
  color: l.color,
  createdAt: l.createdAt.toISOString(),
  updatedAt: l.updatedAt.toISOString(),
});

const attachmentParams = z.strictObject({
  id: z.uuid({ error: 'Must be a UUID' }),
  labelId: z.uuid({ error: 'Must be a UUID' }),
});
const attachedLabels = z.object({ items: z.array(labelSummarySchema) });

export function registerLabelRoutes(app: ZodApp, deps: { labels: LabelsService }): void {
  const { labels } = deps;
  const read = { access: 'tenant' as const, permission: 'conversations.read' as const };
  const manage = { access: 'tenant' as const, permission: 'labels.manage' as const };
  // Tagging is inbox work: whoever may act on conversations may label them and their contacts.
  const tag = { access: 'tenant' as const, permission: 'conversations.manage' as const };

  app.get(
    '/api/v1/labels',
    {
      config: read,
      schema: {
        tags,
        summary: 'List the organization’s labels, alphabetically',
        response: { 200: z.object({ items: z.array(labelView) }), ...problemResponses },
      },
    },
    async (request) => ({
      items: (await labels.listLabels(tenantPrincipal(request).tenantId)).map(present),
    }),
  );

  app.post(
    '/api/v1/labels',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Create a label',
        description: 'Names are unique per organization ignoring case: a duplicate is 409 `conflict`.',
        body: createLabelRequestSchema,
        response: { 201: labelView, ...problemResponses, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const row = await labels.createLabel(
        tenantPrincipal(request).tenantId,
        request.body,
        requestActor(request),
      );
      return reply.status(201).send(present(row));
    },
  );

  app.patch(
    '/api/v1/labels/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Rename, recolour or describe a label',
        params: idParams,
        body: updateLabelRequestSchema,
        response: { 200: labelView, ...problemResponses, 409: problemSchema },
      },
    },
    async (request) =>
      present(
        await labels.updateLabel(
          tenantPrincipal(request).tenantId,
          request.params.id,
          request.body,
          requestActor(request),
        ),
      ),
  );

  app.delete(
    '/api/v1/labels/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Delete a label, removing it from every conversation and contact',
        params: idParams,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await labels.deleteLabel(tenantPrincipal(request).tenantId, request.params.id, requestActor(request));
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/v1/conversations/:id/labels/:labelId',
    {
      config: tag,
      schema: {
        tags,
        summary: 'Label a conversation (idempotent); answers the conversation’s labels',
        params: attachmentParams,
        response: { 200: attachedLabels, ...problemResponses },
      },
    },
    async (request) => ({
      items: await labels.labelConversation(
        tenantPrincipal(request).tenantId,
        request.params.id,
        request.params.labelId,
      ),
    }),
  );

  app.delete(
    '/api/v1/conversations/:id/labels/:labelId',
    {
      config: tag,
      schema: {
        tags,
        summary: 'Remove a label from a conversation (idempotent); answers the labels left',
        params: attachmentParams,
        response: { 200: attachedLabels, ...problemResponses },
      },
    },
    async (request) => ({
      items: await labels.unlabelConversation(
        tenantPrincipal(request).tenantId,
        request.params.id,
        request.params.labelId,
      ),
    }),
  );

  app.put(
    '/api/v1/contacts/:id/labels/:labelId',
    {
      config: tag,
      schema: {
        tags,
        summary: 'Label a contact (idempotent); answers the contact’s labels',
        params: attachmentParams,
        response: { 200: attachedLabels, ...problemResponses },
      },
    },
    async (request) => ({
      items: await labels.labelContact(
        tenantPrincipal(request).tenantId,
        request.params.id,
        request.params.labelId,
      ),
    }),
  );

  app.delete(
    '/api/v1/contacts/:id/labels/:labelId',
    {
      config: tag,
      schema: {
        tags,
        summary: 'Remove a label from a contact (idempotent); answers the labels left',
        params: attachmentParams,
        response: { 200: attachedLabels, ...problemResponses },
      },
    },
    async (request) => ({
      items: await labels.unlabelContact(
        tenantPrincipal(request).tenantId,
        request.params.id,
        request.params.labelId,
      ),
    }),
  );
}
