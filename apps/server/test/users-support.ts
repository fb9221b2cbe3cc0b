// Shared by the users and invitations tests: problem bodies, the dev outbox, invitation links, and
// a kit of requests bound to one app.
import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { SwitchboardApp } from '../src/app.ts';
import type { OutboxRow } from '../src/platform/mail/mail.repo.ts';
import { anonymous, PASSWORD, uniqueEmail, type Caller, type TestTenant } from './harness.ts';

export interface Problem {
  code: string;
  status: number;
  errors?: { path: string; message: string }[];
}

export interface UserBody {
  id: string;
  email: string;
  role: string;
  permissions: string[];
  status: string;
}

export const problem = (res: LightMyRequestResponse) => {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.json<Problem>();
};

/** Newest first, paging back through the (shared, on PostgreSQL) outbox until a message to `to` appears. */
export async function mailTo(app: SwitchboardApp, to: string): Promise<OutboxRow> {
  let before: Date | undefined;
  for (let page = 0; page < 20; page++) {
    const rows = await app.services.mail.listOutbox(50, before);
    const found = rows.find((m) => m.to === to);
    if (found) return found;
    if (rows.length < 50) break;
    before = rows.at(-1)!.createdAt;
  }
  throw new Error(`no mail to ${to}`);
}

export function tokenFrom(mail: OutboxRow): string {
  const match = /\/accept-invitation\?token=([A-Za-z0-9_-]+)/.exec(mail.textBody ?? '');
  if (!match?.[1]) throw new Error(`no invitation link in: ${mail.textBody}`);
  return match[1];
}

/** Requests bound to the app a test file made (it is created in beforeAll, hence the getter). */
export function usersKit(getApp: () => SwitchboardApp) {
  const invite = (caller: Caller, email: string, role: 'owner' | 'admin' | 'agent') =>
    caller.request({ method: 'POST', url: '/api/v1/invitations', payload: { email, role } });

  const accept = (token: string, extra: Record<string, string> = {}) =>
    anonymous(getApp()).request({
      method: 'POST',
      url: '/api/v1/auth/invitations/accept',
      payload: { token, firstName: 'Ivy', lastName: 'Invitee', password: PASSWORD, ...extra },
    });

  /** Invites `email` as `role` and returns the token from the emailed link. */
  async function invited(
    caller: Caller,
    role: 'owner' | 'admin' | 'agent' = 'agent',
    email = uniqueEmail('invitee'),
  ) {
    const res = await invite(caller, email, role);
    expect(res.statusCode, res.body).toBe(201);
    const mail = await mailTo(getApp(), email);
    return { id: res.json<{ id: string }>().id, email, token: tokenFrom(mail) };
  }

  const getUser = async (tenant: TestTenant, id: string) => {
    const res = await tenant.owner.request({ method: 'GET', url: `/api/v1/users/${id}` });
    expect(res.statusCode).toBe(200);
    return res.json<UserBody>();
  };

  return { invite, accept, invited, getUser };
}
