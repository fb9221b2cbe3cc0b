// The closed vocabulary of permissions. Roles grant a default set; an owner or admin can adjust a
// user's set, and an API key carries a subset as its scopes.

import { permissions, roles } from '@switchboard/contracts';

// Defined once, in the contracts the web app shares.
export { permissions, roles };
export type Permission = (typeof permissions)[number];
export type Role = (typeof roles)[number];

export function defaultPermissions(role: Role): Permission[] {
  switch (role) {
    case 'owner':
    case 'admin':
      return [...permissions];
    case 'agent':
      // Agents work the inbox: they read and act on conversations and contacts.
      return ['organization.read', 'users.read', 'conversations.read', 'conversations.manage'];
  }
}

/** Owners keep every permission whatever is stored: an organization can never lock itself out. */
export function effectivePermissions(role: Role, stored: readonly string[]): Set<Permission> {
  if (role === 'owner') return new Set(permissions);
  return new Set(permissions.filter((p) => stored.includes(p)));
}
