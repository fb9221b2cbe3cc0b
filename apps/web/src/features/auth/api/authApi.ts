// Auth endpoints. Every answer that signs the user in carries the CSRF token, which is kept in
// memory for the writes that follow.
import { requestApi } from '../../../lib/api/client';
import { setCsrfToken } from '../../../lib/api/csrf';
import { hasErrorCode } from '../../../lib/api/problem';

export interface SessionUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: string;
  permissions: string[];
  locale: string;
  /** `online`, `busy` or `offline`: round robin gives new conversations to online agents only. */
  availability: string;
  twoFactorEnabled: boolean;
}

export interface SessionOrganization {
  id: string;
  name: string;
  accountNumber: string;
  plan: string;
  status: string;
}

export interface SignedIn {
  csrfToken: string;
  user: SessionUser;
  organization: SessionOrganization;
}

export interface LoginInput {
  email: string;
  password: string;
  totpCode?: string;
  recoveryCode?: string;
}

export interface AcceptInvitationInput {
  token: string;
  firstName: string;
  lastName: string;
  password: string;
}

function rememberCsrf(signedIn: SignedIn): SignedIn {
  setCsrfToken(signedIn.csrfToken);
  return signedIn;
}

export async function login(input: LoginInput): Promise<SignedIn> {
  return rememberCsrf(await requestApi<SignedIn>('POST', '/auth/login', { body: input }));
}

/** The current session, or null when not signed in (401 `unauthenticated`). */
export async function fetchMe(signal?: AbortSignal): Promise<SignedIn | null> {
  try {
    return rememberCsrf(await requestApi<SignedIn>('GET', '/me', signal === undefined ? {} : { signal }));
  } catch (error) {
    if (hasErrorCode(error, 'unauthenticated')) {
      setCsrfToken(undefined);
      return null;
    }
    throw error;
  }
}

export async function logout(): Promise<void> {
  try {
    await requestApi<undefined>('POST', '/auth/logout');
  } catch (error) {
    // Already signed out on the server: the outcome the user asked for.
    if (!hasErrorCode(error, 'unauthenticated')) throw error;
  } finally {
    setCsrfToken(undefined);
  }
}

export async function requestPasswordReset(email: string): Promise<void> {
  await requestApi<undefined>('POST', '/auth/password-reset/request', { body: { email } });
}

export async function confirmPasswordReset(token: string, password: string): Promise<void> {
  await requestApi<undefined>('POST', '/auth/password-reset/confirm', { body: { token, password } });
}

export async function acceptInvitation(input: AcceptInvitationInput): Promise<SignedIn> {
  return rememberCsrf(await requestApi<SignedIn>('POST', '/auth/invitations/accept', { body: input }));
}
