import { z } from 'zod';
import { organizationViewSchema } from '@switchboard/contracts';
import { tenantPrincipal } from '../../platform/http/authenticate.ts';
import { problemResponses, requestActor } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import { presentOrganization } from '../users/users.views.ts';
import type { OrganizationsService } from './organizations.service.ts';

const tags = ['organization'];

export function registerOrganizationRoutes(app: ZodApp, deps: { organizations: OrganizationsService }): void {
  const { organizations } = deps;

  app.get(
    '/api/v1/organization',
    {
      config: { access: 'tenant', permission: 'organization.read' },
      schema: {
        tags,
        summary: 'My organization',
        response: { 200: organizationViewSchema, ...problemResponses },
      },
    },
    async (request) =>
      presentOrganization(await organizations.getOrganization(tenantPrincipal(request).tenantId)),
  );

  app.patch(
    '/api/v1/organization',
    {
      config: { access: 'tenant', permission: 'organization.manage' },
      schema: {
        tags,
        summary: "Change my organization's details and settings",
        body: z.strictObject({
          name: z.string().trim().min(1).max(200).optional(),
          legalNumber: z.string().trim().max(64).nullable().optional(),
          ownerPhone: z
            .string()
            .trim()
            .regex(/^\+?[0-9 ()-]{6,20}$/, 'Must be a phone number')
            .nullable()
            .optional(),
          settings: z.record(z.string().max(64), z.unknown()).optional(),
        }),
        response: { 200: organizationViewSchema, ...problemResponses },
      },
    },
    async (request) =>
      presentOrganization(
        await organizations.updateOrganization(
          tenantPrincipal(request).tenantId,
          request.body,
          requestActor(request),
        ),
      ),
  );
}
