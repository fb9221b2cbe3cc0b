import type { OrganizationView, UserView } from '@switchboard/contracts';
import { permissions } from '../../platform/auth/permissions.ts';
import type { OrganizationRow } from '../organizations/organizations.repo.ts';
import type { UserRow } from './users.repo.ts';

/** What the API shows of a user: never a hash or a secret. */
export function presentUser(u: UserRow): UserView {
  return {
    id: u.id,
    email: u.email,
    firstName: u.firstName,
    lastName: u.lastName,
    role: u.role,
    permissions: u.role === 'owner' ? [...permissions] : permissions.filter((p) => u.permissions.includes(p)),
    status: u.status,
    locale: u.locale,
    availability: u.availability,
    twoFactorEnabled: u.totpEnabledAt !== null,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
  };
}

export function presentOrganization(o: OrganizationRow): OrganizationView {
  return {
    id: o.id,
    name: o.name,
    legalNumber: o.legalNumber,
    accountNumber: o.accountNumber,
    ownerName: o.ownerName,
    ownerEmail: o.ownerEmail,
    ownerPhone: o.ownerPhone,
    plan: o.plan,
    status: o.status,
    suspendedReason: o.suspendedReason,
    settings: o.settings,
    createdAt: o.createdAt.toISOString(),
  };
}
