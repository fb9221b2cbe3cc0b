import { z } from 'zod';
import {
  connectNumberRequestSchema,
  problemSchema,
  updateNumberRequestSchema,
  whatsappNumberViewSchema,
  type WhatsappNumberView,
} from '@switchboard/contracts';
import { tenantPrincipal } from '../../platform/http/authenticate.ts';
import { idParams, problemResponses, requestActor } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import type { WhatsappNumberRow } from './numbers.repo.ts';
import type { NumbersService } from './numbers.service.ts';

const tags = ['whatsapp'];

/** What the API shows of a number: never a secret, its ciphertext or its hash. */
function presenter(publicUrl: string) {
  const webhookUrl = `${publicUrl}/webhooks/whatsapp`;
  return (n: WhatsappNumberRow): WhatsappNumberView => ({
    id: n.id,
    phoneNumberId: n.phoneNumberId,
    wabaId: n.wabaId,
    displayPhoneNumber: n.displayPhoneNumber,
    purpose: n.purpose,
    graphBaseUrl: n.graphBaseUrl,
    greetingMessage: n.greetingMessage,
    awayMessage: n.awayMessage,
    autoReplyMessage: n.autoReplyMessage,
    businessHours: n.businessHours,
    defaultTeamId: n.defaultTeamId,
    status: n.status,
    statusReason: n.statusReason,
    throughputMps: n.throughputMps,
    sendReadReceipts: n.sendReadReceipts,
    webhookUrl,
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
  });
}

export function registerWhatsappNumberRoutes(
  app: ZodApp,
  deps: { numbers: NumbersService; publicUrl: string },
): void {
  const { numbers } = deps;
  const present = presenter(deps.publicUrl);
  // Agents read numbers (the inbox shows each one's purpose); changing them is for managers.
  const read = { access: 'tenant' as const, permission: 'organization.read' as const };
  const manage = { access: 'tenant' as const, permission: 'whatsapp.manage' as const };

  app.get(
    '/api/v1/whatsapp/numbers',
    {
      config: read,
      schema: {
        tags,
        summary: 'List connected WhatsApp numbers (never their secrets)',
        response: { 200: z.object({ items: z.array(whatsappNumberViewSchema) }), ...problemResponses },
      },
    },
    async (request) => ({
      items: (await numbers.listNumbers(tenantPrincipal(request).tenantId)).map(present),
    }),
  );

  app.post(
    '/api/v1/whatsapp/numbers',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Connect a WhatsApp number; the access token and app secret are stored encrypted',
        description:
          '`graphBaseUrl` is the Graph API origin without a version (default https://graph.facebook.com). ' +
          'Answers 403 `plan_limit_reached` over the plan’s number limit and 409 `conflict` when the ' +
          'phone number id is already connected on the platform.',
        body: connectNumberRequestSchema,
        response: { 201: whatsappNumberViewSchema, ...problemResponses, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const row = await numbers.connectNumber(
        tenantPrincipal(request).tenantId,
        request.body,
        requestActor(request),
      );
      return reply.status(201).send(present(row));
    },
  );

  app.get(
    '/api/v1/whatsapp/numbers/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'Get a WhatsApp number',
        params: idParams,
        response: { 200: whatsappNumberViewSchema, ...problemResponses },
      },
    },
    async (request) => present(await numbers.getNumber(tenantPrincipal(request).tenantId, request.params.id)),
  );

  app.patch(
    '/api/v1/whatsapp/numbers/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change a number’s settings or rotate its credentials',
        description:
          'Messages and business hours take null to clear them. Sending accessToken, appSecret or ' +
          'verifyToken replaces it. `defaultTeamId` (a team of the organization, or null) is the team ' +
          'new conversations of the number go to.',
        params: idParams,
        body: updateNumberRequestSchema,
        response: { 200: whatsappNumberViewSchema, ...problemResponses },
      },
    },
    async (request) =>
      present(
        await numbers.updateNumber(
          tenantPrincipal(request).tenantId,
          request.params.id,
          request.body,
          requestActor(request),
        ),
      ),
  );

  app.delete(
    '/api/v1/whatsapp/numbers/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Disconnect a WhatsApp number',
        params: idParams,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await numbers.disconnectNumber(
        tenantPrincipal(request).tenantId,
        request.params.id,
        requestActor(request),
      );
      return reply.status(204).send(null);
    },
  );
}
