// The audit log's codes in words: actions, actor types and target types the server writes. A code
// not listed here (a newer server) is shown as it is.
import type { PlainMessageKey, Translate } from '../../lib/i18n/types';

const actionLabels: Readonly<Record<string, PlainMessageKey>> = {
  'api_key.created': 'auditAction.api_key.created',
  'api_key.revoked': 'auditAction.api_key.revoked',
  'auth.login': 'auditAction.auth.login',
  'auth.login_failed': 'auditAction.auth.login_failed',
  'auth.logout': 'auditAction.auth.logout',
  'auth.password_changed': 'auditAction.auth.password_changed',
  'auth.password_reset': 'auditAction.auth.password_reset',
  'auth.password_reset_requested': 'auditAction.auth.password_reset_requested',
  'auth.session_revoked': 'auditAction.auth.session_revoked',
  'auth.two_factor_disabled': 'auditAction.auth.two_factor_disabled',
  'auth.two_factor_enabled': 'auditAction.auth.two_factor_enabled',
  'canned_response.created': 'auditAction.canned_response.created',
  'canned_response.deleted': 'auditAction.canned_response.deleted',
  'canned_response.updated': 'auditAction.canned_response.updated',
  'contact.merged': 'auditAction.contact.merged',
  'contact_attribute.created': 'auditAction.contact_attribute.created',
  'contact_attribute.deleted': 'auditAction.contact_attribute.deleted',
  'contact_attribute.updated': 'auditAction.contact_attribute.updated',
  'label.created': 'auditAction.label.created',
  'label.deleted': 'auditAction.label.deleted',
  'label.updated': 'auditAction.label.updated',
  'organization.created': 'auditAction.organization.created',
  'organization.settings_changed': 'auditAction.organization.settings_changed',
  'team.created': 'auditAction.team.created',
  'team.deleted': 'auditAction.team.deleted',
  'team.member_added': 'auditAction.team.member_added',
  'team.member_removed': 'auditAction.team.member_removed',
  'team.updated': 'auditAction.team.updated',
  'user.created': 'auditAction.user.created',
  'user.updated': 'auditAction.user.updated',
  'user.role_changed': 'auditAction.user.role_changed',
  'user.deactivated': 'auditAction.user.deactivated',
  'user.reactivated': 'auditAction.user.reactivated',
  'user.invited': 'auditAction.user.invited',
  'user.invitation_accepted': 'auditAction.user.invitation_accepted',
  'user.invitation_revoked': 'auditAction.user.invitation_revoked',
  'whatsapp_number.connected': 'auditAction.whatsapp_number.connected',
  'whatsapp_number.disconnected': 'auditAction.whatsapp_number.disconnected',
  'whatsapp_number.updated': 'auditAction.whatsapp_number.updated',
  'whatsapp_template.created': 'auditAction.whatsapp_template.created',
  'whatsapp_template.deleted': 'auditAction.whatsapp_template.deleted',
  'whatsapp_template.updated': 'auditAction.whatsapp_template.updated',
};

const actorLabels: Readonly<Record<string, PlainMessageKey>> = {
  user: 'auditActor.user',
  api_key: 'auditActor.api_key',
  operator: 'auditActor.operator',
  system: 'auditActor.system',
};

const targetLabels: Readonly<Record<string, PlainMessageKey>> = {
  api_key: 'auditTarget.api_key',
  canned_response: 'auditTarget.canned_response',
  contact: 'auditTarget.contact',
  contact_attribute: 'auditTarget.contact_attribute',
  invitation: 'auditTarget.invitation',
  label: 'auditTarget.label',
  organization: 'auditTarget.organization',
  session: 'auditTarget.session',
  team: 'auditTarget.team',
  user: 'auditTarget.user',
  whatsapp_number: 'auditTarget.whatsapp_number',
  whatsapp_template: 'auditTarget.whatsapp_template',
};

const label = (table: Readonly<Record<string, PlainMessageKey>>, code: string, t: Translate) => {
  const key = Object.hasOwn(table, code) ? table[code] : undefined;
  return key === undefined ? undefined : t(key);
};

/** "User invited" for `user.invited`; undefined for a code this app does not know. */
export function auditActionLabel(code: string, t: Translate): string | undefined {
  return label(actionLabels, code, t);
}

export function auditActorTypeLabel(type: string, t: Translate): string | undefined {
  return label(actorLabels, type, t);
}

export function auditTargetTypeLabel(type: string, t: Translate): string | undefined {
  return label(targetLabels, type, t);
}
