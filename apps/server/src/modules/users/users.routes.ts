import { z } from 'zod';
import {
  emailSchema,
  nameSchema,
  permissionSchema,
  roleSchema,
  userViewSchema,
} from '@switchboard/contracts';
import { tenantPrincipal } from '../../platform/http/authenticate.ts';
import { idParams, problemResponses, requestActor } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import type { InvitationRow } from './users.repo.ts';
import type { UsersService } from './users.service.ts';
import { presentUser } from './users.views.ts';

const tags = ['users'];
const invitationView = z.object({
  id: z.uuid(),
  email: z.string(),
  role: roleSchema,
  expiresAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
});
const presentInvitation = (i: InvitationRow) => ({
  id: i.id,
  email: i.email,
  role: i.role,
  expiresAt: i.expiresAt.toISOString(),
  createdAt: i.createdAt.toISOString(),
});

export function registerUsersRoutes(app: ZodApp, deps: { users: UsersService }): void {
  const { users } = deps;
  const read = { access: 'tenant' as const, permission: 'users.read' as const };
  const manage = { access: 'tenant' as const, permission: 'users.manage' as const };

  app.get(
    '/api/v1/users',
    {
      config: read,
      schema: {
        tags,
        summary: 'List users',
        response: { 200: z.object({ items: z.array(userViewSchema) }), ...problemResponses },
      },
    },
    async (request) => ({
      items: (await users.listUsers(tenantPrincipal(request).tenantId)).map(presentUser),
    }),
  );

  app.get(
    '/api/v1/users/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'Get a user',
        params: idParams,
        response: { 200: userViewSchema, ...problemResponses },
      },
    },
    async (request) => presentUser(await users.getUser(tenantPrincipal(request).tenantId, request.params.id)),
  );

  app.patch(
    '/api/v1/users/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: "Change a user's name, role or permissions",
        params: idParams,
        body: z.strictObject({
          firstName: nameSchema.optional(),
          lastName: nameSchema.optional(),
          role: roleSchema.optional(),
          permissions: z.array(permissionSchema).optional(),
        }),
        response: { 200: userViewSchema, ...problemResponses },
      },
    },
    async (request) =>
      presentUser(
        await users.updateUser(
          tenantPrincipal(request),
          request.params.id,
          request.body,
          requestActor(request),
        ),
      ),
  );

  for (const [action, status] of [
    ['deactivate', 'deactivated'],
    ['reactivate', 'active'],
  ] as const) {
    app.post(
      `/api/v1/users/:id/${action}`,
      {
        config: manage,
        schema: {
          tags,
          summary: `${action === 'deactivate' ? 'Deactivate (signs out everywhere)' : 'Reactivate'} a user`,
          params: idParams,
          response: { 200: userViewSchema, ...problemResponses },
        },
      },
      async (request) =>
        presentUser(
          await users.setUserStatus(
            tenantPrincipal(request),
            request.params.id,
            status,
            requestActor(request),
          ),
        ),
    );
  }

  app.get(
    '/api/v1/invitations',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Pending invitations',
        response: { 200: z.object({ items: z.array(invitationView) }), ...problemResponses },
      },
    },
    async (request) => ({
      items: (await users.listInvitations(tenantPrincipal(request).tenantId)).map(presentInvitation),
    }),
  );

  app.post(
    '/api/v1/invitations',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Invite a user by email (single-use link, valid 7 days)',
        body: z.strictObject({ email: emailSchema, role: roleSchema }),
        response: { 201: invitationView, ...problemResponses },
      },
    },
    async (request, reply) => {
      const invitation = await users.inviteUser(
        tenantPrincipal(request),
        request.body.email,
        request.body.role,
        requestActor(request),
      );
      return reply.status(201).send(presentInvitation(invitation));
    },
  );

  app.delete(
    '/api/v1/invitations/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Revoke a pending invitation',
        params: idParams,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await users.revokeInvitation(
        tenantPrincipal(request).tenantId,
        request.params.id,
        requestActor(request),
      );
      return reply.status(204).send(null);
    },
  );
}
