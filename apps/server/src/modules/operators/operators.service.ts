import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/pg-errors.ts';
import { AppError } from '../../platform/errors.ts';
import type { Authenticator, Principal } from '../../platform/auth/principal.ts';
import { decoyPasswordHash, hashPassword, verifyPassword } from '../../platform/security/passwords.ts';
import { generateToken, hashToken, uuidv7 } from '../../platform/security/tokens.ts';
import { throttleRepo } from '../auth/auth.repo.ts';
import { loginThrottle, type ClientInfo } from '../auth/auth.service.ts';
import { operatorsRepo, type OperatorRow } from './operators.repo.ts';

const OPERATOR_SESSION_MS = 12 * 3600_000;

export function createOperatorsService(deps: { database: Database; clock: Clock }) {
  const { database, clock } = deps;

  async function createOperator(input: {
    email: string;
    name: string;
    password: string;
  }): Promise<OperatorRow> {
    const passwordHash = await hashPassword(input.password);
    try {
      return await database.system((tx) =>
        operatorsRepo(tx).insert({
          id: uuidv7(),
          email: input.email,
          name: input.name,
          passwordHash,
          createdAt: clock.now(),
        }),
      );
    } catch (err) {
      if (isUniqueViolation(err, 'operators_email_key'))
        throw new AppError('email_taken', `An operator ${input.email} already exists.`);
      throw err;
    }
  }

  /** Operators sign in like users, with the same shared throttle, into a shorter session. */
  async function login(
    email: string,
    password: string,
    client: ClientInfo,
  ): Promise<{ token: string; sessionId: string; operator: OperatorRow }> {
    const now = clock.now();
    const key = `operator:${email.toLowerCase()}`;
    const ipKey = client.ip ? `operator-ip:${client.ip}` : undefined;
    const states = await database.system((tx) =>
      Promise.all([key, ...(ipKey ? [ipKey] : [])].map((k) => throttleRepo(tx).get(k))),
    );
    const lockedUntil = Math.max(0, ...states.map((st) => st?.lockedUntil?.getTime() ?? 0));
    if (lockedUntil > now.getTime()) {
      throw new AppError('rate_limited', 'Too many failed sign-in attempts. Try again later.', {
        retryAfterSeconds: (lockedUntil - now.getTime()) / 1000,
      });
    }
    const operator = await database.system((tx) => operatorsRepo(tx).findByEmail(email));
    const ok = await verifyPassword(operator?.passwordHash ?? (await decoyPasswordHash()), password);
    if (!operator || !ok) {
      const t = loginThrottle;
      await database.system(async (tx) => {
        await throttleRepo(tx).countEvent(key, now, t.windowMs, t.perAccount, t.lockMs);
        if (ipKey) await throttleRepo(tx).countEvent(ipKey, now, t.windowMs, t.perIp, t.lockMs);
      });
      throw new AppError('invalid_credentials', 'The email or password is incorrect.');
    }
    const token = generateToken();
    const sessionId = uuidv7(now.getTime());
    await database.system(async (tx) => {
      await throttleRepo(tx).clear(key);
      await operatorsRepo(tx).insertSession({
        id: sessionId,
        operatorId: operator.id,
        tokenHash: hashToken(token),
        ip: client.ip,
        userAgent: client.userAgent,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + OPERATOR_SESSION_MS),
      });
    });
    return { token, sessionId, operator };
  }

  async function logout(sessionId: string): Promise<void> {
    await database.system((tx) => operatorsRepo(tx).revokeSession(sessionId, clock.now()));
  }

  const authenticate: Authenticator['operatorSession'] = async (token) => {
    const found = await database.read((db) => operatorsRepo(db).sessionByTokenHash(hashToken(token)));
    if (!found || found.session.revokedAt || found.session.expiresAt <= clock.now()) return undefined;
    const principal: Extract<Principal, { kind: 'operator' }> = {
      kind: 'operator',
      operatorId: found.operator.id,
      sessionId: found.session.id,
      email: found.operator.email,
    };
    return principal;
  };

  return { createOperator, login, logout, authenticate };
}

export type OperatorsService = ReturnType<typeof createOperatorsService>;
