import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import type { Permission } from '../auth/permissions.ts';
import type { Authenticator, Principal, TenantPrincipal } from '../auth/principal.ts';
import { safeEqual } from '../security/tokens.ts';

export const SESSION_COOKIE = 'sb_session';
export const OPERATOR_COOKIE = 'sb_operator';

/**
 * Who may call a route. API routes (`/api/v1/...`) are private by default: forgetting to declare
 * this never opens one to the public. Platform routes outside it (docs, health, the web app's
 * files) are public.
 * - `public`: anyone;
 * - `user`: a signed-in user (session cookie);
 * - `tenant`: a user or an API key of an organization;
 * - `operator`: a platform operator.
 */
export type RouteAccess = 'public' | 'user' | 'tenant' | 'operator';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    permission?: Permission;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1])
    throw new AppError('unauthenticated', 'The Authorization header must be `Bearer <api key>`.');
  return match[1];
}

async function resolve(
  request: FastifyRequest,
  access: RouteAccess,
  auth: Authenticator,
): Promise<Principal | undefined> {
  if (access === 'operator') {
    const token = request.cookies[OPERATOR_COOKIE];
    const principal = token ? await auth.operatorSession(token) : undefined;
    if (principal && UNSAFE_METHODS.has(request.method)) checkCsrf(request, principal.sessionId, auth);
    return principal;
  }
  const key = bearer(request);
  if (key !== undefined) {
    const principal = await auth.apiKey(key);
    if (!principal) throw new AppError('unauthenticated', 'The API key is invalid, expired or revoked.');
    return principal;
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return undefined;
  const principal = await auth.userSession(token);
  // Cookies ride along on cross-site requests; a header they cannot read proves the origin.
  if (principal && UNSAFE_METHODS.has(request.method)) checkCsrf(request, principal.sessionId, auth);
  return principal;
}

function checkCsrf(request: FastifyRequest, sessionId: string, auth: Authenticator): void {
  const sent = request.headers['x-csrf-token'];
  if (typeof sent !== 'string' || !safeEqual(sent, auth.csrfTokenFor(sessionId))) {
    throw new AppError('csrf_token_invalid', 'Send the csrfToken from login in the X-CSRF-Token header.');
  }
}

export function registerAuthentication(app: FastifyInstance, auth: Authenticator): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    if (!request.routeOptions.url) return; // 404s are answered by the not-found handler
    const access =
      request.routeOptions.config.access ??
      (request.routeOptions.url.startsWith('/api/v1/') ? 'user' : 'public');
    if (access === 'public') return;
    const principal = await resolve(request, access, auth);
    if (!principal) throw new AppError('unauthenticated', 'Sign in or send an API key.');
    if (access === 'user' && principal.kind !== 'user') {
      throw new AppError('forbidden', 'This endpoint is only available to signed-in users.');
    }
    const permission = request.routeOptions.config.permission;
    if (permission && principal.kind !== 'operator' && !principal.permissions.has(permission)) {
      throw new AppError('forbidden', `This requires the ${permission} permission.`);
    }
    request.principal = principal;
  });
}

/** The principal of a `user` or `tenant` route. */
export function tenantPrincipal(request: FastifyRequest): TenantPrincipal {
  const p = request.principal;
  if (p?.kind !== 'user' && p?.kind !== 'api_key') throw new AppError('unauthenticated');
  return p;
}

export function userPrincipal(request: FastifyRequest): Extract<Principal, { kind: 'user' }> {
  const p = request.principal;
  if (p?.kind !== 'user') throw new AppError('unauthenticated');
  return p;
}

export function operatorPrincipal(request: FastifyRequest): Extract<Principal, { kind: 'operator' }> {
  const p = request.principal;
  if (p?.kind !== 'operator') throw new AppError('unauthenticated');
  return p;
}
