// English is the reference catalog: its keys define MessageKey and its `{placeholders}` define the
// parameters each message takes. The other catalogs must provide every key (checked by tsc).
import { inboxShellEn } from './messages/inboxShell';
import { inboxListEn } from './messages/inboxList';
import { inboxThreadEn } from './messages/inboxThread';
import { inboxComposerEn } from './messages/inboxComposer';
import { inboxContactsEn } from './messages/inboxContacts';
import { inboxSearchEn } from './messages/inboxSearch';
import { settingsCommonEn } from './messages/settingsCommon';
import { settingsNumbersEn } from './messages/settingsNumbers';
import { settingsTeamEn } from './messages/settingsTeam';
import { settingsLabelsEn } from './messages/settingsLabels';
import { settingsApiKeysEn } from './messages/settingsApiKeys';
import { settingsAuditEn } from './messages/settingsAudit';
import { templatesEn } from './messages/templates';
import { inboxToolsEn } from './messages/inboxTools';
import { accountEn } from './messages/account';
import { inboxKeysEn } from './messages/inboxKeys';

export const en = {
  'app.name': 'Switchboard',
  'common.loading': 'Loading…',
  'common.retry': 'Try again',
  'common.requestId': 'Reference: {requestId}',
  'language.label': 'Language',
  'nav.label': 'Main',
  'nav.home': 'Home',
  'nav.sessions': 'My sessions',
  'nav.signOut': 'Sign out',
  'nav.skipToContent': 'Skip to content',

  'field.email': 'Email',
  'field.password': 'Password',
  'field.newPassword': 'New password',
  'field.confirmPassword': 'Confirm password',
  'field.firstName': 'First name',
  'field.lastName': 'Last name',
  'field.totpCode': 'Authentication code',
  'field.recoveryCode': 'Recovery code',

  'validation.required': 'This field is required.',
  'validation.email': 'Enter a valid email address.',
  'validation.passwordMin': 'Use at least {min} characters.',
  'validation.passwordMismatch': 'The passwords do not match.',
  'validation.totpCode': 'Enter the 6 digits shown in your authenticator app.',
  'validation.tooLong': 'Use at most {max} characters.',

  'errors.invalidCredentials': 'The email or password is incorrect.',
  'errors.invalidTwoFactorCode': 'That code is not valid. Check it and try again.',
  'errors.rateLimited': 'Too many attempts. Try again {wait}.',
  'errors.rateLimitedNoWait': 'Too many attempts. Wait a moment and try again.',
  'errors.organizationSuspended':
    'Your organization is suspended, so you cannot sign in. Contact your administrator or Switchboard support.',
  'errors.validation': 'Some fields are not valid. Check them and try again.',
  'errors.network': 'Cannot reach the server. Check your connection and try again.',
  'errors.csrf': 'Your session was refreshed. Please try again.',
  'errors.unauthenticated': 'Your session has ended. Sign in again.',
  'errors.forbidden': 'You do not have permission to do this.',
  'errors.resetTokenInvalid': 'This reset link is invalid, has expired or was already used.',
  'errors.invitationInvalid':
    'This invitation is invalid, has expired or was already used. Ask your administrator to send a new one.',
  'errors.emailTaken': 'This email address is already in use.',
  'errors.planLimit': 'Your organization has reached the user limit of its plan. Ask your administrator.',
  'errors.notFound': 'Not found.',
  'errors.generic': 'Something went wrong. Please try again.',

  'login.title': 'Sign in to Switchboard',
  'login.submit': 'Sign in',
  'login.forgot': 'Forgot your password?',
  'login.twoFactorTitle': 'Two-step verification',
  'login.totpIntro': 'Enter the 6-digit code from your authenticator app.',
  'login.recoveryIntro':
    'Enter one of the recovery codes you saved when you turned on two-step verification.',
  'login.useRecovery': 'Use a recovery code instead',
  'login.useTotp': 'Use an authenticator code instead',
  'login.verify': 'Verify',
  'login.back': 'Back to sign in',

  'forgot.title': 'Reset your password',
  'forgot.intro': 'Enter the email you sign in with and we will send you a link to choose a new password.',
  'forgot.submit': 'Send reset link',
  'forgot.sent':
    'If an account exists for {email}, we sent it a link to reset the password. Check your inbox and spam folder.',
  'forgot.backToLogin': 'Back to sign in',

  'reset.title': 'Choose a new password',
  'reset.hint': 'At least {min} characters.',
  'reset.submit': 'Change password',
  'reset.done': 'Your password was changed. You can now sign in with it.',
  'reset.signIn': 'Sign in',
  'reset.requestNew': 'Request a new link',
  'reset.missingToken': 'This link is incomplete. Open the link from the email again, or request a new one.',

  'invite.title': 'Join your team on Switchboard',
  'invite.intro': 'Create your account to accept the invitation.',
  'invite.submit': 'Create account',
  'invite.missingToken': 'This invitation link is incomplete. Open the link from the email again.',

  'home.title': 'Welcome, {name}',
  'home.organization': 'Organization',
  'home.accountNumber': 'Account number',
  'home.plan': 'Plan',
  'home.user': 'Signed in as',
  'home.role': 'Role',

  'plan.free': 'Free',
  'plan.starter': 'Starter',
  'plan.pro': 'Pro',
  'plan.enterprise': 'Enterprise',
  'role.owner': 'Owner',
  'role.admin': 'Administrator',
  'role.agent': 'Agent',

  'sessions.title': 'My sessions',
  'sessions.intro': 'Devices signed in to your account. Revoke any session you do not recognize.',
  'sessions.device': 'Device',
  'sessions.ip': 'IP address',
  'sessions.created': 'Signed in',
  'sessions.lastSeen': 'Last active',
  'sessions.actions': 'Actions',
  'sessions.current': 'This device',
  'sessions.currentHint': 'Use Sign out to end this session.',
  'sessions.revoke': 'Revoke',
  'sessions.revokeLabel': 'Revoke the session on {device}',
  'sessions.revoked': 'Session revoked.',
  'sessions.empty': 'No active sessions.',
  'sessions.unknownDevice': 'Unknown device',
  'sessions.browserOnOs': '{browser} on {os}',

  'notFound.title': 'Page not found',
  'notFound.home': 'Go to home',
  ...inboxShellEn,
  ...inboxListEn,
  ...inboxThreadEn,
  ...inboxComposerEn,
  ...inboxContactsEn,
  ...inboxSearchEn,
  ...settingsCommonEn,
  ...settingsNumbersEn,
  ...settingsTeamEn,
  ...settingsLabelsEn,
  ...settingsApiKeysEn,
  ...settingsAuditEn,
  ...templatesEn,
  ...inboxToolsEn,
  ...accountEn,
  ...inboxKeysEn,
} as const;
