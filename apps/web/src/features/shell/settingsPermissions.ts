/** The settings sections and the permission each needs; Settings shows only what the user may manage. */
export const settingsSections = [
  { path: 'numbers', permission: 'whatsapp.manage', label: 'settings.numbers' },
  { path: 'templates', permission: 'whatsapp.manage', label: 'settings.templates' },
  { path: 'members', permission: 'users.manage', label: 'settings.members' },
  { path: 'teams', permission: 'teams.manage', label: 'settings.teams' },
  { path: 'labels', permission: 'labels.manage', label: 'settings.labels' },
  { path: 'canned-responses', permission: 'canned_responses.manage', label: 'settings.canned' },
  { path: 'api-keys', permission: 'api_keys.manage', label: 'settings.apiKeys' },
  { path: 'audit-log', permission: 'audit.read', label: 'settings.audit' },
] as const;

export type SettingsSection = (typeof settingsSections)[number];

export function allowedSections(permissions: readonly string[]): SettingsSection[] {
  return settingsSections.filter((s) => permissions.includes(s.permission));
}
