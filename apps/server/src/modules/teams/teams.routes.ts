import { z } from 'zod';
import {
  createTeamRequestSchema,
  problemSchema,
  teamMemberViewSchema,
  teamViewSchema,
  updateTeamRequestSchema,
  type TeamMemberView,
  type TeamView,
} from '@switchboard/contracts';
import { tenantPrincipal } from '../../platform/http/authenticate.ts';
import { idParams, problemResponses, requestActor } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import type { TeamMemberRow, TeamWithCount } from './teams.repo.ts';
import type { TeamsService } from './teams.service.ts';

const tags = ['teams'];
const memberParams = z.strictObject({
  id: z.uuid({ error: 'Must be a UUID' }),
  userId: z.uuid({ error: 'Must be a UUID' }),
});

const presentTeam = (t: TeamWithCount): TeamView => ({
  id: t.id,
  name: t.name,
  description: t.description,
  autoAssign: t.autoAssign,
  maxOpenPerAgent: t.maxOpenPerAgent,
  memberCount: t.memberCount,
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
});

const presentMember = (m: TeamMemberRow): TeamMemberView => ({
  userId: m.userId,
  email: m.email,
  firstName: m.firstName,
  lastName: m.lastName,
  role: m.role,
  status: m.status,
  availability: m.availability,
  lastAssignedAt: m.lastAssignedAt?.toISOString() ?? null,
  addedAt: m.addedAt.toISOString(),
});

export function registerTeamRoutes(app: ZodApp, deps: { teams: TeamsService }): void {
  const { teams } = deps;
  // Everyone who works the inbox sees the teams (to filter and hand over); managing them is apart.
  const read = { access: 'tenant' as const, permission: 'conversations.read' as const };
  const manage = { access: 'tenant' as const, permission: 'teams.manage' as const };
  const tenantOf = (request: Parameters<typeof tenantPrincipal>[0]) => tenantPrincipal(request).tenantId;

  app.get(
    '/api/v1/teams',
    {
      config: read,
      schema: {
        tags,
        summary: 'List teams, by name',
        response: { 200: z.object({ items: z.array(teamViewSchema) }), ...problemResponses },
      },
    },
    async (request) => ({ items: (await teams.listTeams(tenantOf(request))).map(presentTeam) }),
  );

  app.post(
    '/api/v1/teams',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Create a team',
        description:
          'Names are unique in the organization, ignoring case (409 `conflict`). With `autoAssign`, new ' +
          'conversations of the team (those of numbers whose default team it is) go round robin to its ' +
          'members who are `online`, each up to `maxOpenPerAgent` open or pending conversations.',
        body: createTeamRequestSchema,
        response: { 201: teamViewSchema, ...problemResponses, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const team = await teams.createTeam(tenantOf(request), request.body, requestActor(request));
      return reply.status(201).send(presentTeam(team));
    },
  );

  app.get(
    '/api/v1/teams/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'Get a team',
        params: idParams,
        response: { 200: teamViewSchema, ...problemResponses },
      },
    },
    async (request) => presentTeam(await teams.getTeam(tenantOf(request), request.params.id)),
  );

  app.patch(
    '/api/v1/teams/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change a team’s name, description or assignment settings',
        description: '`description` and `maxOpenPerAgent` take null to clear.',
        params: idParams,
        body: updateTeamRequestSchema,
        response: { 200: teamViewSchema, ...problemResponses, 409: problemSchema },
      },
    },
    async (request) =>
      presentTeam(
        await teams.updateTeam(tenantOf(request), request.params.id, request.body, requestActor(request)),
      ),
  );

  app.delete(
    '/api/v1/teams/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Delete a team',
        description:
          'Its conversations stay, without a team, and numbers that had it as default team get none.',
        params: idParams,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await teams.deleteTeam(tenantOf(request), request.params.id, requestActor(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/teams/:id/members',
    {
      config: read,
      schema: {
        tags,
        summary: 'A team’s members, with their availability',
        params: idParams,
        response: { 200: z.object({ items: z.array(teamMemberViewSchema) }), ...problemResponses },
      },
    },
    async (request) => ({
      items: (await teams.listMembers(tenantOf(request), request.params.id)).map(presentMember),
    }),
  );

  app.put(
    '/api/v1/teams/:id/members/:userId',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Add a user to a team (adding a member again changes nothing)',
        description:
          'The user must be an active user of the organization: 404 for an unknown id, 400 for a ' +
          'deactivated user. Answers 201 when added, 200 when already a member.',
        params: memberParams,
        response: { 200: teamMemberViewSchema, 201: teamMemberViewSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { member, added } = await teams.addMember(
        tenantOf(request),
        request.params.id,
        request.params.userId,
        requestActor(request),
      );
      return reply.status(added ? 201 : 200).send(presentMember(member));
    },
  );

  app.delete(
    '/api/v1/teams/:id/members/:userId',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Remove a user from a team',
        params: memberParams,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await teams.removeMember(
        tenantOf(request),
        request.params.id,
        request.params.userId,
        requestActor(request),
      );
      return reply.status(204).send(null);
    },
  );
}
