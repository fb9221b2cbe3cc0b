import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/pg-errors.ts';
import { AppError, orNotFound } from '../../platform/errors.ts';
import { defaultPermissions, type Permission, type Role } from '../../platform/auth/permissions.ts';
import type { Actor, TenantPrincipal } from '../../platform/auth/principal.ts';
import type { MailService } from '../../platform/mail/mail.service.ts';
import { hashPassword } from '../../platform/security/passwords.ts';
import { generateToken, hashToken, uuidv7 } from '../../platform/security/tokens.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { AuthService, ClientInfo, SignedIn } from '../auth/auth.service.ts';
import { sessionsRepo } from '../auth/auth.repo.ts';
import { organizationsRepo } from '../organizations/organizations.repo.ts';
import { planLimits } from '../organizations/plans.ts';
import {
  invitationLookup,
  invitationsRepo,
  userLookup,
  usersRepo,
  type InvitationRow,
  type UserRow,
} from './users.repo.ts';

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

export interface UserUpdate {
  firstName?: string | undefined;
  lastName?: string | undefined;
  role?: Role | undefined;
  permissions?: Permission[] | undefined;
}

const emailTaken = (email: string, path: string) =>
  new AppError('email_taken', `${email} already has an account.`, {
    errors: [{ path, message: 'Already in use' }],
  });

export function createUsersService(deps: {
  database: Database;
  clock: Clock;
  audit: AuditService;
  mail: MailService;
  auth: AuthService;
  publicUrl: string;
}) {
  const { database, clock, audit, mail, auth, publicUrl } = deps;

  /** Only an owner may create, change or remove an owner. */
  function assertMayManage(principal: TenantPrincipal, target: { role: Role }, newRole?: Role): void {
    const actingRole: Role = principal.kind === 'user' ? principal.role : 'admin';
    if ((target.role === 'owner' || newRole === 'owner') && actingRole !== 'owner') {
      throw new AppError('forbidden', 'Only an owner can change owners.');
    }
  }

  async function listUsers(tenantId: string): Promise<UserRow[]> {
    return database.tenant(tenantId, (tx) => usersRepo(tx).list(tenantId));
  }

  async function getUser(tenantId: string, userId: string): Promise<UserRow> {
    const user = await database.tenant(tenantId, (tx) => usersRepo(tx).findById(tenantId, userId));
    if (!user) throw new AppError('not_found', 'User not found.');
    return user;
  }

  async function updateUser(
    principal: TenantPrincipal,
    userId: string,
    patch: UserUpdate,
    actor: Actor,
  ): Promise<UserRow> {
    const { tenantId } = principal;
    return database.tenant(tenantId, async (tx) => {
      const repo = usersRepo(tx);
      const before = await repo.findById(tenantId, userId);
      if (!before) throw new AppError('not_found', 'User not found.');
      assertMayManage(principal, before, patch.role);
      // Nobody hands out a permission they do not hold themselves.
      const granted = patch.permissions ?? (patch.role ? defaultPermissions(patch.role) : []);
      const excess = granted.filter((p) => !principal.permissions.has(p) && !before.permissions.includes(p));
      if (excess.length > 0) {
        throw new AppError(
          'forbidden',
          `You cannot grant permissions you do not hold: ${excess.join(', ')}.`,
        );
      }
      if (before.role === 'owner' && patch.role !== undefined && patch.role !== 'owner') {
        const owners = (await repo.list(tenantId)).filter((u) => u.role === 'owner' && u.status === 'active');
        if (owners.length <= 1) throw new AppError('conflict', 'An organization needs at least one owner.');
      }
      const roleChanged = patch.role !== undefined && patch.role !== before.role;
      const after = orNotFound(
        await repo.update(tenantId, userId, {
          ...(patch.firstName === undefined ? {} : { firstName: patch.firstName }),
          ...(patch.lastName === undefined ? {} : { lastName: patch.lastName }),
          ...(patch.role === undefined ? {} : { role: patch.role }),
          // A new role brings its default permissions unless the caller sets them explicitly.
          ...(patch.permissions !== undefined
            ? { permissions: patch.permissions }
            : roleChanged && patch.role
              ? { permissions: defaultPermissions(patch.role) }
              : {}),
          updatedAt: clock.now(),
        }),
        'User not found.',
      );
      await audit.record(tx, tenantId, actor, {
        action: roleChanged || patch.permissions ? 'user.role_changed' : 'user.updated',
        target: { type: 'user', id: userId },
        before: {
          role: before.role,
          permissions: before.permissions,
          firstName: before.firstName,
          lastName: before.lastName,
        },
        after: {
          role: after.role,
          permissions: after.permissions,
          firstName: after.firstName,
          lastName: after.lastName,
        },
      });
      return after;
    });
  }

  async function setUserStatus(
    principal: TenantPrincipal,
    userId: string,
    status: 'active' | 'deactivated',
    actor: Actor,
  ): Promise<UserRow> {
    const { tenantId } = principal;
    if (principal.kind === 'user' && principal.userId === userId) {
      throw new AppError('conflict', 'You cannot change your own status.');
    }
    return database.tenant(tenantId, async (tx) => {
      const repo = usersRepo(tx);
      const before = await repo.findById(tenantId, userId);
      if (!before) throw new AppError('not_found', 'User not found.');
      assertMayManage(principal, before);
      const now = clock.now();
      if (status === 'active' && before.status !== 'active') {
        const org = await organizationsRepo(tx).findById(tenantId);
        // Pending invitations hold seats too (as in inviteUser), or accepting them would overrun the plan.
        const used =
          (await repo.countActive(tenantId)) + (await invitationsRepo(tx).countPending(tenantId, now));
        if (used >= planLimits(org?.plan ?? 'free').maxUsers) {
          throw new AppError('plan_limit_reached', 'Your plan allows no more active users.');
        }
      }
      const after = orNotFound(
        await repo.update(tenantId, userId, { status, updatedAt: now }),
        'User not found.',
      );
      // A deactivated user is signed out everywhere at once.
      const revoked =
        status === 'deactivated' ? await sessionsRepo(tx).revokeAllForUser(tenantId, userId, now) : 0;
      await audit.record(tx, tenantId, actor, {
        action: status === 'deactivated' ? 'user.deactivated' : 'user.reactivated',
        target: { type: 'user', id: userId },
        before: { status: before.status },
        after: { status, sessionsRevoked: revoked },
      });
      return after;
    });
  }

  async function inviteUser(
    principal: TenantPrincipal,
    email: string,
    role: Role,
    actor: Actor,
  ): Promise<InvitationRow> {
    const { tenantId } = principal;
    assertMayManage(principal, { role: 'agent' }, role);
    if (await database.system((tx) => userLookup(tx).findByEmail(email)))
      throw emailTaken(email, 'body.email');
    const now = clock.now();
    const token = generateToken();
    const { invitation, outbox } = await database.tenant(tenantId, async (tx) => {
      const org = await organizationsRepo(tx).findById(tenantId);
      if (!org) throw new AppError('not_found', 'Organization not found.');
      // Inviting the same address again replaces the pending link with a fresh one.
      await invitationsRepo(tx).revokePendingFor(tenantId, email, now);
      const used =
        (await usersRepo(tx).countActive(tenantId)) + (await invitationsRepo(tx).countPending(tenantId, now));
      if (used >= planLimits(org.plan).maxUsers) {
        throw new AppError(
          'plan_limit_reached',
          `The ${org.plan} plan allows ${planLimits(org.plan).maxUsers} users, counting pending invitations.`,
        );
      }
      const invitation = await invitationsRepo(tx).insert(tenantId, {
        id: uuidv7(now.getTime()),
        email,
        role,
        tokenHash: hashToken(token),
        invitedBy: actor.id,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
        createdAt: now,
      });
      await audit.record(tx, tenantId, actor, {
        action: 'user.invited',
        target: { type: 'invitation', id: invitation.id },
        after: { email, role },
      });
      const outbox = await mail.enqueue(
        tx,
        {
          to: email,
          subject: `You are invited to ${org.name} on Switchboard`,
          text:
            `${actor.label ?? 'An administrator'} invited you to join ${org.name} on Switchboard as ${role}.\n\n` +
            `Accept within 7 days:\n\n${publicUrl}/accept-invitation?token=${token}\n`,
        },
        tenantId,
      );
      return { invitation, outbox };
    });
    await mail.dispatch(outbox);
    return invitation;
  }

  async function listInvitations(tenantId: string): Promise<InvitationRow[]> {
    return database.tenant(tenantId, (tx) => invitationsRepo(tx).listPending(tenantId, clock.now()));
  }

  async function revokeInvitation(tenantId: string, invitationId: string, actor: Actor): Promise<void> {
    await database.tenant(tenantId, async (tx) => {
      const revoked = await invitationsRepo(tx).revoke(tenantId, invitationId, clock.now());
      if (!revoked) throw new AppError('not_found', 'No pending invitation with this id.');
      await audit.record(tx, tenantId, actor, {
        action: 'user.invitation_revoked',
        target: { type: 'invitation', id: invitationId },
      });
    });
  }

  /** Accepting creates the user and signs them in. The token works once, before it expires. */
  async function acceptInvitation(
    input: { token: string; firstName: string; lastName: string; password: string },
    client: ClientInfo,
  ): Promise<SignedIn> {
    const invalid = new AppError(
      'token_invalid',
      'This invitation is invalid, expired, revoked or already used.',
    );
    const found = await database.system((tx) => invitationLookup(tx).findByTokenHash(hashToken(input.token)));
    if (!found) throw invalid;
    const passwordHash = await hashPassword(input.password);
    const { tenantId } = found;
    try {
      const result = await database.tenant(tenantId, async (tx) => {
        const now = clock.now();
        const invitation = await invitationsRepo(tx).consume(tenantId, found.id, now);
        if (!invitation) throw invalid;
        const organization = await organizationsRepo(tx).findById(tenantId);
        if (organization?.status !== 'active') {
          throw new AppError('organization_suspended', 'This organization is suspended.');
        }
        const user = await usersRepo(tx).insert(tenantId, {
          id: uuidv7(now.getTime()),
          email: invitation.email,
          firstName: input.firstName,
          lastName: input.lastName,
          passwordHash,
          role: invitation.role,
          permissions: defaultPermissions(invitation.role),
          status: 'active',
          passwordChangedAt: now,
          lastLoginAt: now,
          createdAt: now,
          updatedAt: now,
        });
        const { token, session } = await auth.createSession(tx, user, client);
        const actor: Actor = { type: 'user', id: user.id, label: user.email, ip: client.ip };
        await audit.record(tx, tenantId, actor, {
          action: 'user.invitation_accepted',
          target: { type: 'user', id: user.id },
          after: { email: user.email, role: user.role },
        });
        return { token, session, user, organization };
      });
      return { ...result, csrfToken: auth.csrfTokenFor(result.session.id) };
    } catch (err) {
      if (isUniqueViolation(err, 'users_email_key')) throw emailTaken(found.email, 'body.token');
      throw err;
    }
  }

  async function updateProfile(
    tenantId: string,
    userId: string,
    patch: {
      firstName?: string | undefined;
      lastName?: string | undefined;
      locale?: string | undefined;
      availability?: UserRow['availability'] | undefined;
    },
  ): Promise<UserRow> {
    return database.tenant(tenantId, async (tx) => {
      const after = await usersRepo(tx).update(tenantId, userId, {
        ...(patch.firstName === undefined ? {} : { firstName: patch.firstName }),
        ...(patch.lastName === undefined ? {} : { lastName: patch.lastName }),
        ...(patch.locale === undefined ? {} : { locale: patch.locale }),
        ...(patch.availability === undefined ? {} : { availability: patch.availability }),
        updatedAt: clock.now(),
      });
      if (!after) throw new AppError('not_found', 'User not found.');
      return after;
    });
  }

  /** Used by the CLI and the demo seed to add users directly. */
  async function createUser(
    tenantId: string,
    input: { email: string; password: string; firstName: string; lastName: string; role: Role },
    actor: Actor,
  ): Promise<UserRow> {
    const passwordHash = await hashPassword(input.password);
    try {
      return await database.tenant(tenantId, async (tx) => {
        const now = clock.now();
        const user = await usersRepo(tx).insert(tenantId, {
          id: uuidv7(now.getTime()),
          email: input.email,
          firstName: input.firstName,
          lastName: input.lastName,
          passwordHash,
          role: input.role,
          permissions: defaultPermissions(input.role),
          status: 'active',
          passwordChangedAt: now,
          createdAt: now,
          updatedAt: now,
        });
        await audit.record(tx, tenantId, actor, {
          action: 'user.created',
          target: { type: 'user', id: user.id },
          after: { email: user.email, role: user.role },
        });
        return user;
      });
    } catch (err) {
      if (isUniqueViolation(err, 'users_email_key')) throw emailTaken(input.email, 'email');
      throw err;
    }
  }

  return {
    listUsers,
    getUser,
    updateUser,
    setUserStatus,
    inviteUser,
    listInvitations,
    revokeInvitation,
    acceptInvitation,
    updateProfile,
    createUser,
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
