import { z } from 'zod';
import { emailSchema, nameSchema, organizationViewSchema, passwordSchema } from '@switchboard/contracts';
import { OPERATOR_COOKIE, operatorPrincipal } from '../../platform/http/authenticate.ts';
import {
  clearSessionCookie,
  clientOf,
  idParams,
  problemResponses,
  requestActor,
  setSessionCookie,
} from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import type { MailService } from '../../platform/mail/mail.service.ts';
import type { OrganizationsService } from '../organizations/organizations.service.ts';
import { planIds } from '../organizations/plans.ts';
import { presentOrganization } from '../users/users.views.ts';
import type { OperatorsService } from './operators.service.ts';

const tags = ['operator'];
const config = { access: 'operator' as const };

export function registerOperatorRoutes(
  app: ZodApp,
  deps: {
    operators: OperatorsService;
    organizations: OrganizationsService;
    mail: MailService;
    csrfTokenFor: (sessionId: string) => string;
    secureCookies: boolean;
  },
): void {
  const { operators, organizations, mail, csrfTokenFor, secureCookies } = deps;

  app.post(
    '/api/v1/operator/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Operator sign-in',
        body: z.strictObject({ email: emailSchema, password: z.string().min(1).max(200) }),
        response: {
          200: z.object({
            csrfToken: z.string(),
            operator: z.object({ id: z.uuid(), email: z.string(), name: z.string() }),
          }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { token, sessionId, operator } = await operators.login(
        request.body.email,
        request.body.password,
        clientOf(request),
      );
      setSessionCookie(reply, OPERATOR_COOKIE, token, secureCookies, 12 * 3600);
      return {
        csrfToken: csrfTokenFor(sessionId),
        operator: { id: operator.id, email: operator.email, name: operator.name },
      };
    },
  );

  app.post(
    '/api/v1/operator/auth/logout',
    {
      config,
      schema: { tags, summary: 'Operator sign-out', response: { 204: z.null(), ...problemResponses } },
    },
    async (request, reply) => {
      await operators.logout(operatorPrincipal(request).sessionId);
      clearSessionCookie(reply, OPERATOR_COOKIE);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/operator/organizations',
    {
      config,
      schema: {
        tags,
        summary: 'All organizations',
        querystring: z.strictObject({
          search: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ items: z.array(organizationViewSchema) }), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return {
        items: (await organizations.listOrganizations(q.search, q.limit, q.offset)).map(presentOrganization),
      };
    },
  );

  app.post(
    '/api/v1/operator/organizations',
    {
      config,
      schema: {
        tags,
        summary: 'Create an organization with its owner',
        body: z.strictObject({
          name: z.string().trim().min(1).max(200),
          legalNumber: z.string().trim().max(64).optional(),
          plan: z.enum(planIds).default('free'),
          owner: z.strictObject({
            email: emailSchema,
            password: passwordSchema,
            firstName: nameSchema,
            lastName: nameSchema,
            phone: z
              .string()
              .trim()
              .regex(/^\+?[0-9 ()-]{6,20}$/, 'Must be a phone number')
              .optional(),
          }),
        }),
        response: {
          201: z.object({ organization: organizationViewSchema, ownerId: z.uuid() }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { organization, owner } = await organizations.createOrganization(
        request.body,
        requestActor(request),
      );
      return reply.status(201).send({ organization: presentOrganization(organization), ownerId: owner.id });
    },
  );

  for (const [action, status] of [
    ['suspend', 'suspended'],
    ['reinstate', 'active'],
  ] as const) {
    app.post(
      `/api/v1/operator/organizations/:id/${action}`,
      {
        config,
        schema: {
          tags,
          summary:
            action === 'suspend'
              ? 'Suspend an organization (its users get 403; nothing is deleted)'
              : 'Lift a suspension',
          params: idParams,
          // nullish: a POST without a body reaches validation as null, not undefined.
          body: z.strictObject({ reason: z.string().trim().max(500).optional() }).nullish(),
          response: { 200: organizationViewSchema, ...problemResponses },
        },
      },
      async (request) =>
        presentOrganization(
          await organizations.setStatus(
            request.params.id,
            status,
            request.body?.reason,
            requestActor(request),
          ),
        ),
    );
  }

  app.get(
    '/api/v1/operator/outbox',
    {
      config,
      schema: {
        tags,
        summary: 'Email captured or queued by the platform (the dev outbox when SMTP is not configured)',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.uuid(),
                organizationId: z.uuid().nullable(),
                to: z.string(),
                subject: z.string(),
                text: z.string().nullable(),
                status: z.string(),
                attempts: z.number(),
                lastError: z.string().nullable(),
                createdAt: z.iso.datetime(),
                sentAt: z.iso.datetime().nullable(),
              }),
            ),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => ({
      items: (await mail.listOutbox(request.query.limit)).map((m) => ({
        id: m.id,
        organizationId: m.organizationId,
        to: m.to,
        subject: m.subject,
        text: m.textBody,
        status: m.status,
        attempts: m.attempts,
        lastError: m.lastError,
        createdAt: m.createdAt.toISOString(),
        sentAt: m.sentAt?.toISOString() ?? null,
      })),
    }),
  );
}
