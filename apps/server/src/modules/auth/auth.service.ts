import type { Clock } from '../../platform/clock.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { effectivePermissions } from '../../platform/auth/permissions.ts';
import type { Actor, Authenticator, Principal } from '../../platform/auth/principal.ts';
import { decoyPasswordHash, verifyPassword } from '../../platform/security/passwords.ts';
import type { SecretBox } from '../../platform/security/secret-box.ts';
import { generateToken, hashToken, hmac, uuidv7 } from '../../platform/security/tokens.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { organizationsRepo, type OrganizationRow } from '../organizations/organizations.repo.ts';
import { userLookup, usersRepo, type UserRow } from '../users/users.repo.ts';
import { authLookup, sessionsRepo, throttleRepo, type SessionRow } from './auth.repo.ts';
import { hashRecoveryCode, matchTotp } from './two-factor.ts';

/** Sessions slide: each use extends them, and an unused session dies after this long. */
export const SESSION_IDLE_MS = 14 * 24 * 3600_000;
/** Touching last_seen_at on every request would be a write per request; once a minute is enough. */
const TOUCH_INTERVAL_MS = 60_000;

export const loginThrottle = {
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  perAccount: 5,
  perIp: 30,
};

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export interface LoginInput {
  email: string;
  password: string;
  totpCode?: string | undefined;
  recoveryCode?: string | undefined;
}

export interface SignedIn {
  token: string;
  session: SessionRow;
  csrfToken: string;
  user: UserRow;
  organization: OrganizationRow;
}

export function createAuthService(deps: {
  database: Database;
  clock: Clock;
  audit: AuditService;
  secretBox: SecretBox;
}) {
  const { database, clock, audit, secretBox } = deps;
  const csrfKey = secretBox.deriveKey('csrf/v1');
  const csrfTokenFor = (sessionId: string) => hmac(csrfKey, sessionId);

  async function createSession(
    tx: Executor,
    user: UserRow,
    client: ClientInfo,
  ): Promise<{ token: string; session: SessionRow }> {
    const now = clock.now();
    const token = generateToken();
    const session = await sessionsRepo(tx).insert(user.tenantId, {
      id: uuidv7(now.getTime()),
      userId: user.id,
      tokenHash: hashToken(token),
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, 400) ?? null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
    });
    return { token, session };
  }

  async function checkThrottle(keys: string[]): Promise<void> {
    const now = clock.now();
    const states = await database.system((tx) => Promise.all(keys.map((k) => throttleRepo(tx).get(k))));
    const lockedUntil = Math.max(0, ...states.map((s) => s?.lockedUntil?.getTime() ?? 0));
    if (lockedUntil > now.getTime()) {
      throw new AppError('rate_limited', 'Too many failed sign-in attempts. Try again later.', {
        retryAfterSeconds: (lockedUntil - now.getTime()) / 1000,
      });
    }
  }

  async function countEvent(
    accountKey: string,
    ipKey: string | undefined,
    user: UserRow | undefined,
    client: ClientInfo,
    reason: string,
  ): Promise<void> {
    const now = clock.now();
    const t = loginThrottle;
    await database.system(async (tx) => {
      await throttleRepo(tx).countEvent(accountKey, now, t.windowMs, t.perAccount, t.lockMs);
      if (ipKey) await throttleRepo(tx).countEvent(ipKey, now, t.windowMs, t.perIp, t.lockMs);
    });
    if (user) {
      await database.tenant(user.tenantId, (tx) =>
        audit.record(
          tx,
          user.tenantId,
          { type: 'user', id: user.id, label: user.email, ip: client.ip },
          {
            action: 'auth.login_failed',
            target: { type: 'user', id: user.id },
            after: { reason },
          },
        ),
      );
    }
  }

  /** Verifies a second factor inside the caller's tenant transaction; consumes what it uses. */
  async function verifySecondFactor(
    tx: Executor,
    user: UserRow,
    input: { totpCode?: string | undefined; recoveryCode?: string | undefined },
  ): Promise<'totp' | 'recovery_code' | undefined> {
    const repo = usersRepo(tx);
    if (input.totpCode !== undefined && user.totpSecretEnc) {
      const step = matchTotp(secretBox.decrypt(user.totpSecretEnc), input.totpCode, clock.now());
      if (step === undefined || (user.totpLastStep !== null && step <= user.totpLastStep)) return undefined;
      await repo.update(user.tenantId, user.id, { totpLastStep: step });
      return 'totp';
    }
    if (input.recoveryCode !== undefined) {
      const hash = hashRecoveryCode(input.recoveryCode);
      if (!user.recoveryCodeHashes.includes(hash)) return undefined;
      await repo.update(user.tenantId, user.id, {
        recoveryCodeHashes: user.recoveryCodeHashes.filter((h) => h !== hash),
      });
      return 'recovery_code';
    }
    return undefined;
  }

  async function login(input: LoginInput, client: ClientInfo): Promise<SignedIn> {
    const accountKey = `account:${input.email.toLowerCase()}`;
    const ipKey = client.ip ? `ip:${client.ip}` : undefined;
    await checkThrottle(ipKey ? [accountKey, ipKey] : [accountKey]);

    const user = await database.system((tx) => userLookup(tx).findByEmail(input.email));
    // Verify against a decoy when there is no such user, so timing does not reveal accounts.
    const passwordOk = await verifyPassword(
      user?.passwordHash ?? (await decoyPasswordHash()),
      input.password,
    );
    if (!user || !passwordOk || user.status !== 'active') {
      await countEvent(
        accountKey,
        ipKey,
        user,
        client,
        !user ? 'unknown_email' : !passwordOk ? 'bad_password' : 'deactivated',
      );
      throw new AppError('invalid_credentials', 'The email or password is incorrect.');
    }

    const result = await database.tenant(user.tenantId, async (tx) => {
      const organization = await organizationsRepo(tx).findById(user.tenantId);
      if (!organization) throw new AppError('invalid_credentials', 'The email or password is incorrect.');
      if (organization.status === 'suspended') {
        throw new AppError(
          'organization_suspended',
          'Your organization is suspended. Contact the platform operator.',
        );
      }
      let factor: string | undefined;
      if (user.totpEnabledAt) {
        if (input.totpCode === undefined && input.recoveryCode === undefined) {
          throw new AppError('two_factor_required', 'Enter the code from your authenticator app.', {
            extensions: { twoFactorRequired: true },
          });
        }
        factor = await verifySecondFactor(tx, user, input);
        if (!factor) return { failed: true as const };
      }
      const { token, session } = await createSession(tx, user, client);
      const updated = await usersRepo(tx).update(user.tenantId, user.id, { lastLoginAt: clock.now() });
      await audit.record(
        tx,
        user.tenantId,
        { type: 'user', id: user.id, label: user.email, ip: client.ip },
        {
          action: 'auth.login',
          target: { type: 'session', id: session.id },
          after: { secondFactor: factor ?? null, userAgent: session.userAgent },
        },
      );
      return { failed: false as const, token, session, organization, user: updated ?? user };
    });
    if (result.failed) {
      await countEvent(accountKey, ipKey, user, client, 'bad_second_factor');
      throw new AppError('invalid_two_factor_code', 'The two-factor code is not valid or was already used.');
    }
    await database.system((tx) => throttleRepo(tx).clear(accountKey));
    return { ...result, csrfToken: csrfTokenFor(result.session.id) };
  }

  async function logout(tenantId: string, userId: string, sessionId: string, actor: Actor): Promise<void> {
    await database.tenant(tenantId, async (tx) => {
      await sessionsRepo(tx).revoke(tenantId, userId, sessionId, clock.now());
      await audit.record(tx, tenantId, actor, {
        action: 'auth.logout',
        target: { type: 'session', id: sessionId },
      });
    });
  }

  async function listSessions(tenantId: string, userId: string): Promise<SessionRow[]> {
    return database.tenant(tenantId, (tx) => sessionsRepo(tx).listActive(tenantId, userId, clock.now()));
  }

  async function revokeSession(
    tenantId: string,
    userId: string,
    sessionId: string,
    actor: Actor,
  ): Promise<void> {
    await database.tenant(tenantId, async (tx) => {
      const revoked = await sessionsRepo(tx).revoke(tenantId, userId, sessionId, clock.now());
      if (!revoked) throw new AppError('not_found', 'No such active session.');
      await audit.record(tx, tenantId, actor, {
        action: 'auth.session_revoked',
        target: { type: 'session', id: sessionId },
      });
    });
  }

  const authenticator: Pick<Authenticator, 'userSession' | 'csrfTokenFor'> = {
    csrfTokenFor,
    async userSession(token) {
      const now = clock.now();
      const found = await database.read((db) => authLookup(db).sessionByTokenHash(hashToken(token)));
      if (!found) return undefined;
      const { session, user } = found;
      if (session.revokedAt || session.expiresAt <= now || user.status !== 'active') return undefined;
      if (found.organizationStatus === 'suspended') {
        throw new AppError(
          'organization_suspended',
          'Your organization is suspended. Contact the platform operator.',
        );
      }
      if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
        await database.system((tx) =>
          authLookup(tx).touchSession(session.id, now, new Date(now.getTime() + SESSION_IDLE_MS)),
        );
      }
      const principal: Extract<Principal, { kind: 'user' }> = {
        kind: 'user',
        tenantId: user.tenantId,
        userId: user.id,
        sessionId: session.id,
        role: user.role,
        email: user.email,
        permissions: effectivePermissions(user.role, user.permissions),
      };
      return principal;
    },
  };

  return {
    login,
    logout,
    listSessions,
    revokeSession,
    createSession,
    verifySecondFactor,
    csrfTokenFor,
    authenticator,
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
