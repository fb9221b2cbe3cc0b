// Two-factor enrolment of the signed-in user: a pending secret to confirm with a code, which then
// turns it on and returns the recovery codes once; turning it off needs the password and a code.
import { requestApi } from '../../../lib/api/client';

export interface TwoFactorSetup {
  secret: string;
  otpauthUri: string;
}

export const beginTwoFactorSetup = () => requestApi<TwoFactorSetup>('POST', '/me/2fa/setup');

export const enableTwoFactor = (code: string) =>
  requestApi<{ recoveryCodes: string[] }>('POST', '/me/2fa/enable', { body: { code } });

export const disableTwoFactor = (body: { password: string; totpCode?: string; recoveryCode?: string }) =>
  requestApi<undefined>('POST', '/me/2fa/disable', { body });
