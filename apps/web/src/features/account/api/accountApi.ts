// The signed-in user's own account: profile and availability (PATCH /me), password (POST /me/password).
import type { Availability } from '@switchboard/contracts';
import { requestApi } from '../../../lib/api/client';
import type { SessionUser } from '../../auth/api/authApi';

export interface ProfilePatch {
  firstName?: string;
  lastName?: string;
  availability?: Availability;
}

export async function updateProfile(patch: ProfilePatch): Promise<SessionUser> {
  return (await requestApi<{ user: SessionUser }>('PATCH', '/me', { body: patch })).user;
}

/** The server signs out the user's other sessions; this one stays signed in. */
export async function changePassword(input: { currentPassword: string; newPassword: string }): Promise<void> {
  await requestApi<undefined>('POST', '/me/password', { body: input });
}
