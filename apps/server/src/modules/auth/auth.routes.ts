import { z } from 'zod';
import {
  availabilitySchema,
  emailSchema,
  localeSchema,
  loginRequestSchema,
  nameSchema,
  passwordSchema,
  sessionResponseSchema,
} from '@switchboard/contracts';
import { SESSION_COOKIE, userPrincipal } from '../../platform/http/authenticate.ts';
import {
  clearSessionCookie,
  clientOf,
  idParams,
  problemResponses,
  requestActor,
  setSessionCookie,
} from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import type { OrganizationsService } from '../organizations/organizations.service.ts';
import type { UsersService } from '../users/users.service.ts';
import { presentOrganization, presentUser } from '../users/users.views.ts';
import type { AccountService } from './account.service.ts';
import { SESSION_IDLE_MS, type AuthService, type SignedIn } from './auth.service.ts';

const tags = ['auth'];
const sessionView = z.object({
  id: z.uuid(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  current: z.boolean(),
});

export function registerAuthRoutes(
  app: ZodApp,
  deps: {
    auth: AuthService;
    account: AccountService;
    users: UsersService;
    organizations: OrganizationsService;
    secureCookies: boolean;
  },
): void {
  const { auth, account, users, organizations, secureCookies } = deps;
  const signIn = (reply: Parameters<typeof setSessionCookie>[0], s: SignedIn) => {
    setSessionCookie(reply, SESSION_COOKIE, s.token, secureCookies, SESSION_IDLE_MS / 1000);
    return {
      csrfToken: s.csrfToken,
      user: presentUser(s.user),
      organization: presentOrganization(s.organization),
    };
  };

  app.post(
    '/api/v1/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Sign in with email and password (and a second factor when enabled)',
        body: loginRequestSchema,
        response: { 200: sessionResponseSchema, ...problemResponses },
      },
    },
    async (request, reply) => signIn(reply, await auth.login(request.body, clientOf(request))),
  );

  app.post(
    '/api/v1/auth/logout',
    {
      schema: { tags, summary: 'Sign out of this session', response: { 204: z.null(), ...problemResponses } },
    },
    async (request, reply) => {
      const p = userPrincipal(request);
      await auth.logout(p.tenantId, p.userId, p.sessionId, requestActor(request));
      clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/me',
    {
      schema: {
        tags,
        summary: 'The signed-in user and organization',
        response: { 200: sessionResponseSchema, ...problemResponses },
      },
    },
    async (request) => {
      const p = userPrincipal(request);
      const [user, org] = await Promise.all([
        users.getUser(p.tenantId, p.userId),
        organizations.getOrganization(p.tenantId),
      ]);
      return {
        csrfToken: auth.csrfTokenFor(p.sessionId),
        user: presentUser(user),
        organization: presentOrganization(org),
      };
    },
  );

  app.patch(
    '/api/v1/me',
    {
      schema: {
        tags,
        summary: 'Update my profile and availability',
        description: 'Round robin gives new conversations only to agents whose `availability` is `online`.',
        body: z.strictObject({
          firstName: nameSchema.optional(),
          lastName: nameSchema.optional(),
          locale: localeSchema.optional(),
          availability: availabilitySchema.optional(),
        }),
        response: { 200: z.object({ user: sessionResponseSchema.shape.user }), ...problemResponses },
      },
    },
    async (request) => {
      const p = userPrincipal(request);
      return { user: presentUser(await users.updateProfile(p.tenantId, p.userId, request.body)) };
    },
  );

  app.post(
    '/api/v1/me/password',
    {
      schema: {
        tags,
        summary: 'Change my password (signs out my other sessions)',
        body: z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: passwordSchema }),
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const p = userPrincipal(request);
      await account.changePassword(
        p.tenantId,
        p.userId,
        p.sessionId,
        request.body.currentPassword,
        request.body.newPassword,
        requestActor(request),
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/sessions',
    {
      schema: {
        tags,
        summary: 'My active sessions',
        response: { 200: z.object({ items: z.array(sessionView) }), ...problemResponses },
      },
    },
    async (request) => {
      const p = userPrincipal(request);
      const rows = await auth.listSessions(p.tenantId, p.userId);
      return {
        items: rows.map((s) => ({
          id: s.id,
          ip: s.ip,
          userAgent: s.userAgent,
          createdAt: s.createdAt.toISOString(),
          lastSeenAt: s.lastSeenAt.toISOString(),
          expiresAt: s.expiresAt.toISOString(),
          current: s.id === p.sessionId,
        })),
      };
    },
  );

  app.delete(
    '/api/v1/auth/sessions/:id',
    {
      schema: {
        tags,
        summary: 'Revoke one of my sessions',
        params: idParams,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const p = userPrincipal(request);
      await auth.revokeSession(p.tenantId, p.userId, request.params.id, requestActor(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/password-reset/request',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Email a password-reset link (always 202)',
        body: z.strictObject({ email: emailSchema }),
        response: { 202: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await account.requestPasswordReset(request.body.email, request.ip);
      return reply.status(202).send(null);
    },
  );

  app.post(
    '/api/v1/auth/password-reset/confirm',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Set a new password with a reset token (signs out every session)',
        body: z.strictObject({ token: z.string().min(20).max(200), password: passwordSchema }),
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await account.confirmPasswordReset(request.body.token, request.body.password, request.ip);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/invitations/accept',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Accept an invitation: creates the user and signs in',
        body: z.strictObject({
          token: z.string().min(20).max(200),
          firstName: nameSchema,
          lastName: nameSchema,
          password: passwordSchema,
        }),
        response: { 200: sessionResponseSchema, ...problemResponses },
      },
    },
    async (request, reply) => signIn(reply, await users.acceptInvitation(request.body, clientOf(request))),
  );

  app.post(
    '/api/v1/me/2fa/setup',
    {
      schema: {
        tags,
        summary: 'Start two-factor setup: returns a TOTP secret to confirm',
        response: { 200: z.object({ secret: z.string(), otpauthUri: z.string() }), ...problemResponses },
      },
    },
    async (request) => {
      const p = userPrincipal(request);
      return account.beginTwoFactorSetup(p.tenantId, p.userId);
    },
  );

  app.post(
    '/api/v1/me/2fa/enable',
    {
      schema: {
        tags,
        summary: 'Confirm a TOTP code to turn two-factor on; returns one-time recovery codes',
        body: z.strictObject({ code: z.string().regex(/^\d{6}$/, 'Must be 6 digits') }),
        response: { 200: z.object({ recoveryCodes: z.array(z.string()) }), ...problemResponses },
      },
    },
    async (request) => {
      const p = userPrincipal(request);
      return account.enableTwoFactor(p.tenantId, p.userId, request.body.code, requestActor(request));
    },
  );

  app.post(
    '/api/v1/me/2fa/disable',
    {
      schema: {
        tags,
        summary: 'Turn two-factor off (needs the password and a code)',
        body: z.strictObject({
          password: z.string().min(1).max(200),
          totpCode: z
            .string()
            .regex(/^\d{6}$/, 'Must be 6 digits')
            .optional(),
          recoveryCode: z.string().min(8).max(20).optional(),
        }),
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const p = userPrincipal(request);
      await account.disableTwoFactor(p.tenantId, p.userId, request.body, requestActor(request));
      return reply.status(204).send(null);
    },
  );
}
