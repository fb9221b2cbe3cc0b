// Self-service account security: password reset by email, password change, two-factor setup.
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/auth/principal.ts';
import type { MailService } from '../../platform/mail/mail.service.ts';
import { hashPassword, verifyPassword } from '../../platform/security/passwords.ts';
import type { SecretBox } from '../../platform/security/secret-box.ts';
import { generateToken, hashToken, uuidv7 } from '../../platform/security/tokens.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { userLookup, usersRepo, type UserRow } from '../users/users.repo.ts';
import { authLookup, resetTokensRepo, sessionsRepo, throttleRepo } from './auth.repo.ts';
import type { AuthService } from './auth.service.ts';
import { hashRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret, totpUri } from './two-factor.ts';

export const RESET_TOKEN_TTL_MS = 60 * 60_000;
/** Reset emails per address per hour: the endpoint must not become a way to flood an inbox. */
export const RESET_EMAILS_PER_HOUR = 5;

export function createAccountService(deps: {
  database: Database;
  clock: Clock;
  audit: AuditService;
  mail: MailService;
  secretBox: SecretBox;
  auth: AuthService;
  publicUrl: string;
}) {
  const { database, clock, audit, mail, secretBox, auth, publicUrl } = deps;

  async function loadUser(tenantId: string, userId: string): Promise<UserRow> {
    const user = await database.tenant(tenantId, (tx) => usersRepo(tx).findById(tenantId, userId));
    if (!user) throw new AppError('not_found', 'User not found.');
    return user;
  }

  /** Always succeeds from the caller's point of view, so it cannot be used to find accounts. */
  async function requestPasswordReset(email: string, ip: string | null): Promise<void> {
    const now = clock.now();
    const sent = await database.system((tx) =>
      throttleRepo(tx).countEvent(
        `reset:${email.toLowerCase()}`,
        now,
        3600_000,
        RESET_EMAILS_PER_HOUR + 1,
        0,
      ),
    );
    if (sent.failures > RESET_EMAILS_PER_HOUR) return;
    const user = await database.system((tx) => userLookup(tx).findByEmail(email));
    if (user?.status !== 'active') return;
    const token = generateToken();
    const outbox = await database.tenant(user.tenantId, async (tx) => {
      await resetTokensRepo(tx).insert(user.tenantId, {
        id: uuidv7(now.getTime()),
        userId: user.id,
        tokenHash: hashToken(token),
        expiresAt: new Date(now.getTime() + RESET_TOKEN_TTL_MS),
        createdAt: now,
      });
      await audit.record(
        tx,
        user.tenantId,
        { type: 'user', id: user.id, label: user.email, ip },
        {
          action: 'auth.password_reset_requested',
          target: { type: 'user', id: user.id },
        },
      );
      return mail.enqueue(
        tx,
        {
          to: user.email,
          subject: 'Reset your Switchboard password',
          text:
            `Hello ${user.firstName},\n\nSomeone (hopefully you) asked to reset your Switchboard password.\n` +
            `Open this link within one hour to choose a new one:\n\n${publicUrl}/reset-password?token=${token}\n\n` +
            `If you did not ask for this, ignore this email; your password stays the same.\n`,
        },
        user.tenantId,
      );
    });
    await mail.dispatch(outbox);
  }

  /** Sets a new password from a reset link: single use, expiring, and it signs out everywhere. */
  async function confirmPasswordReset(token: string, password: string, ip: string | null): Promise<void> {
    const found = await database.system((tx) => authLookup(tx).resetTokenByHash(hashToken(token)));
    const invalid = new AppError(
      'token_invalid',
      'This reset link is invalid, expired or already used. Request a new one.',
    );
    if (!found) throw invalid;
    const passwordHash = await hashPassword(password);
    await database.tenant(found.tenantId, async (tx) => {
      const now = clock.now();
      const consumed = await resetTokensRepo(tx).consume(found.tenantId, found.id, now);
      if (!consumed) throw invalid;
      const previous = await usersRepo(tx).findById(found.tenantId, found.userId);
      const user = await usersRepo(tx).update(found.tenantId, found.userId, {
        passwordHash,
        passwordChangedAt: now,
        updatedAt: now,
      });
      if (!previous || user?.status !== 'active') throw invalid;
      await resetTokensRepo(tx).invalidateForUser(found.tenantId, found.userId, now);
      const revoked = await sessionsRepo(tx).revokeAllForUser(found.tenantId, found.userId, now);
      await audit.record(
        tx,
        found.tenantId,
        { type: 'user', id: user.id, label: user.email, ip },
        {
          action: 'auth.password_reset',
          target: { type: 'user', id: user.id },
          // The password itself never reaches the log: only when it last changed.
          before: { lastChangedAt: previous.passwordChangedAt },
          after: { lastChangedAt: now, sessionsRevoked: revoked },
        },
      );
    });
  }

  async function changePassword(
    tenantId: string,
    userId: string,
    sessionId: string,
    current: string,
    next: string,
    actor: Actor,
  ): Promise<void> {
    const user = await loadUser(tenantId, userId);
    if (!(await verifyPassword(user.passwordHash, current))) {
      throw new AppError('validation_failed', 'The current password is incorrect.', {
        errors: [{ path: 'body.currentPassword', message: 'Incorrect password' }],
      });
    }
    const passwordHash = await hashPassword(next);
    await database.tenant(tenantId, async (tx) => {
      const now = clock.now();
      await usersRepo(tx).update(tenantId, userId, { passwordHash, passwordChangedAt: now, updatedAt: now });
      const revoked = await sessionsRepo(tx).revokeAllForUser(tenantId, userId, now, sessionId);
      await audit.record(tx, tenantId, actor, {
        action: 'auth.password_changed',
        target: { type: 'user', id: userId },
        before: { lastChangedAt: user.passwordChangedAt },
        after: { lastChangedAt: now, otherSessionsRevoked: revoked },
      });
    });
  }

  /** Starts 2FA setup: a pending secret the user must confirm with a code before it applies. */
  async function beginTwoFactorSetup(
    tenantId: string,
    userId: string,
  ): Promise<{ secret: string; otpauthUri: string }> {
    const user = await loadUser(tenantId, userId);
    if (user.totpEnabledAt)
      throw new AppError('conflict', 'Two-factor authentication is already on. Turn it off first.');
    const secret = newTotpSecret();
    await database.tenant(tenantId, (tx) =>
      usersRepo(tx).update(tenantId, userId, {
        totpPendingSecretEnc: secretBox.encrypt(secret),
        updatedAt: clock.now(),
      }),
    );
    return { secret, otpauthUri: totpUri(secret, user.email) };
  }

  async function enableTwoFactor(
    tenantId: string,
    userId: string,
    code: string,
    actor: Actor,
  ): Promise<{ recoveryCodes: string[] }> {
    const user = await loadUser(tenantId, userId);
    if (user.totpEnabledAt) throw new AppError('conflict', 'Two-factor authentication is already on.');
    if (!user.totpPendingSecretEnc) throw new AppError('conflict', 'Start two-factor setup first.');
    const secretEnc = user.totpPendingSecretEnc;
    const step = matchTotp(secretBox.decrypt(secretEnc), code, clock.now());
    if (step === undefined) {
      throw new AppError(
        'invalid_two_factor_code',
        'That code does not match. Check your device clock and try again.',
      );
    }
    const recoveryCodes = newRecoveryCodes();
    await database.tenant(tenantId, async (tx) => {
      const now = clock.now();
      await usersRepo(tx).update(tenantId, userId, {
        totpSecretEnc: secretEnc,
        totpPendingSecretEnc: null,
        totpEnabledAt: now,
        totpLastStep: step,
        recoveryCodeHashes: recoveryCodes.map(hashRecoveryCode),
        updatedAt: now,
      });
      await audit.record(tx, tenantId, actor, {
        action: 'auth.two_factor_enabled',
        target: { type: 'user', id: userId },
        before: { twoFactor: false },
        after: { twoFactor: true },
      });
    });
    return { recoveryCodes };
  }

  /** Turning 2FA off needs the password and a current second factor: a stolen session is not enough. */
  async function disableTwoFactor(
    tenantId: string,
    userId: string,
    input: { password: string; totpCode?: string | undefined; recoveryCode?: string | undefined },
    actor: Actor,
  ): Promise<void> {
    const user = await loadUser(tenantId, userId);
    if (!user.totpEnabledAt) throw new AppError('conflict', 'Two-factor authentication is not on.');
    if (!(await verifyPassword(user.passwordHash, input.password))) {
      throw new AppError('validation_failed', 'The password is incorrect.', {
        errors: [{ path: 'body.password', message: 'Incorrect password' }],
      });
    }
    await database.tenant(tenantId, async (tx) => {
      const factor = await auth.verifySecondFactor(tx, user, input);
      if (!factor)
        throw new AppError(
          'invalid_two_factor_code',
          'The two-factor code is not valid or was already used.',
        );
      await usersRepo(tx).update(tenantId, userId, {
        totpSecretEnc: null,
        totpPendingSecretEnc: null,
        totpEnabledAt: null,
        totpLastStep: null,
        recoveryCodeHashes: [],
        updatedAt: clock.now(),
      });
      await audit.record(tx, tenantId, actor, {
        action: 'auth.two_factor_disabled',
        target: { type: 'user', id: userId },
        before: { twoFactor: true, enabledAt: user.totpEnabledAt },
        after: { twoFactor: false, confirmedWith: factor },
      });
    });
  }

  return {
    requestPasswordReset,
    confirmPasswordReset,
    changePassword,
    beginTwoFactorSetup,
    enableTwoFactor,
    disableTwoFactor,
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
