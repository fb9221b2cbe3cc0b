import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/pg-errors.ts';
import type { Actor } from '../../platform/auth/principal.ts';
import { defaultPermissions } from '../../platform/auth/permissions.ts';
import { AppError, orNotFound } from '../../platform/errors.ts';
import { hashPassword } from '../../platform/security/passwords.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { usersRepo, type UserRow } from '../users/users.repo.ts';
import { generateAccountNumber } from './account-number.ts';
import { organizationsRepo, type OrganizationRow } from './organizations.repo.ts';
import type { PlanId } from './plans.ts';

export interface CreateOrganizationInput {
  name: string;
  legalNumber?: string | undefined;
  plan: PlanId;
  owner: {
    email: string;
    password: string;
    firstName: string;
    lastName: string;
    phone?: string | undefined;
  };
}

export interface OrganizationUpdate {
  name?: string | undefined;
  legalNumber?: string | null | undefined;
  ownerPhone?: string | null | undefined;
  settings?: Record<string, unknown> | undefined;
}

export function createOrganizationsService(deps: { database: Database; clock: Clock; audit: AuditService }) {
  const { database, clock, audit } = deps;

  /**
   * Creates an organization and its owner in one tenant transaction: the new id is the tenant,
   * so row-level security checks even this first write.
   */
  async function createOrganization(
    input: CreateOrganizationInput,
    actor: Actor,
  ): Promise<{ organization: OrganizationRow; owner: UserRow }> {
    const now = clock.now();
    const tenantId = uuidv7(now.getTime());
    const passwordHash = await hashPassword(input.owner.password);
    for (let attempt = 0; ; attempt++) {
      try {
        return await database.tenant(tenantId, async (tx) => {
          const organization = await organizationsRepo(tx).insert({
            id: tenantId,
            name: input.name,
            legalNumber: input.legalNumber ?? null,
            accountNumber: generateAccountNumber(),
            ownerName: `${input.owner.firstName} ${input.owner.lastName}`,
            ownerEmail: input.owner.email,
            ownerPhone: input.owner.phone ?? null,
            plan: input.plan,
            status: 'active',
            createdAt: now,
            updatedAt: now,
          });
          const owner = await usersRepo(tx).insert(tenantId, {
            id: uuidv7(now.getTime()),
            email: input.owner.email,
            firstName: input.owner.firstName,
            lastName: input.owner.lastName,
            passwordHash,
            role: 'owner',
            permissions: defaultPermissions('owner'),
            status: 'active',
            passwordChangedAt: now,
            createdAt: now,
            updatedAt: now,
          });
          await audit.record(tx, tenantId, actor, {
            action: 'organization.created',
            target: { type: 'organization', id: tenantId },
            after: { name: organization.name, plan: organization.plan, ownerEmail: owner.email },
          });
          return { organization, owner };
        });
      } catch (err) {
        if (isUniqueViolation(err, 'users_email_key')) {
          throw new AppError('email_taken', `${input.owner.email} already has an account.`, {
            errors: [{ path: 'body.owner.email', message: 'Already in use' }],
          });
        }
        // A clash of random account numbers is rare; try a fresh one.
        if (isUniqueViolation(err, 'organizations_account_number_key') && attempt < 5) continue;
        throw err;
      }
    }
  }

  async function getOrganization(tenantId: string): Promise<OrganizationRow> {
    const org = await database.tenant(tenantId, (tx) => organizationsRepo(tx).findById(tenantId));
    if (!org) throw new AppError('not_found', 'Organization not found.');
    return org;
  }

  async function updateOrganization(
    tenantId: string,
    patch: OrganizationUpdate,
    actor: Actor,
  ): Promise<OrganizationRow> {
    return database.tenant(tenantId, async (tx) => {
      const repo = organizationsRepo(tx);
      const before = await repo.findById(tenantId);
      if (!before) throw new AppError('not_found', 'Organization not found.');
      const after = orNotFound(
        await repo.update(tenantId, {
          ...(patch.name === undefined ? {} : { name: patch.name }),
          ...(patch.legalNumber === undefined ? {} : { legalNumber: patch.legalNumber }),
          ...(patch.ownerPhone === undefined ? {} : { ownerPhone: patch.ownerPhone }),
          ...(patch.settings === undefined ? {} : { settings: { ...before.settings, ...patch.settings } }),
          updatedAt: clock.now(),
        }),
        'Organization not found.',
      );
      await audit.record(tx, tenantId, actor, {
        action: 'organization.settings_changed',
        target: { type: 'organization', id: tenantId },
        before: pick(before, patch),
        after: pick(after, patch),
      });
      return after;
    });
  }

  /** Suspension blocks every user and key of the organization; it deletes nothing. */
  async function setStatus(
    tenantId: string,
    status: 'active' | 'suspended',
    reason: string | undefined,
    actor: Actor,
  ): Promise<OrganizationRow> {
    return database.tenant(tenantId, async (tx) => {
      const repo = organizationsRepo(tx);
      const before = await repo.findById(tenantId);
      if (!before) throw new AppError('not_found', 'Organization not found.');
      const after = orNotFound(
        await repo.update(tenantId, {
          status,
          suspendedAt: status === 'suspended' ? clock.now() : null,
          suspendedReason: status === 'suspended' ? (reason ?? null) : null,
          updatedAt: clock.now(),
        }),
        'Organization not found.',
      );
      await audit.record(tx, tenantId, actor, {
        action: status === 'suspended' ? 'organization.suspended' : 'organization.reinstated',
        target: { type: 'organization', id: tenantId },
        before: { status: before.status },
        after: { status, reason: reason ?? null },
      });
      return after;
    });
  }

  async function listOrganizations(search: string | undefined, limit: number, offset: number) {
    return database.system((tx) => organizationsRepo(tx).listAll(search, limit, offset));
  }

  return { createOrganization, getOrganization, updateOrganization, setStatus, listOrganizations };
}

export type OrganizationsService = ReturnType<typeof createOrganizationsService>;

function pick(row: OrganizationRow, patch: OrganizationUpdate): Record<string, unknown> {
  return Object.fromEntries(Object.keys(patch).map((k) => [k, row[k as keyof OrganizationRow]]));
}
