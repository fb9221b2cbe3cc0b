import type { Permission, Role } from './permissions.ts';

/** Who is making a request, resolved once per request by the authentication hook. */
export type Principal =
  | {
      kind: 'user';
      tenantId: string;
      userId: string;
      sessionId: string;
      role: Role;
      email: string;
      permissions: ReadonlySet<Permission>;
    }
  | {
      kind: 'api_key';
      tenantId: string;
      apiKeyId: string;
      name: string;
      permissions: ReadonlySet<Permission>;
    }
  | { kind: 'operator'; operatorId: string; sessionId: string; email: string };

export type TenantPrincipal = Extract<Principal, { kind: 'user' | 'api_key' }>;

/** The actor recorded in the audit log for a change. */
export interface Actor {
  type: 'user' | 'api_key' | 'operator' | 'system';
  id: string | null;
  label: string | null;
  ip: string | null;
}

export function actorOf(principal: Principal, ip: string | null): Actor {
  switch (principal.kind) {
    case 'user':
      return { type: 'user', id: principal.userId, label: principal.email, ip };
    case 'api_key':
      return { type: 'api_key', id: principal.apiKeyId, label: principal.name, ip };
    case 'operator':
      return { type: 'operator', id: principal.operatorId, label: principal.email, ip };
  }
}

export const systemActor: Actor = { type: 'system', id: null, label: 'system', ip: null };

/** What the HTTP layer needs from the identity modules to resolve a principal. */
export interface Authenticator {
  /** Resolves a session cookie; throws AppError for a suspended organization. */
  userSession(token: string): Promise<Extract<Principal, { kind: 'user' }> | undefined>;
  apiKey(key: string): Promise<Extract<Principal, { kind: 'api_key' }> | undefined>;
  operatorSession(token: string): Promise<Extract<Principal, { kind: 'operator' }> | undefined>;
  /** The CSRF token bound to a session: derived, never stored. */
  csrfTokenFor(sessionId: string): string;
}
