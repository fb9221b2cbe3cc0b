// The audit log as the API shows it, for the audit tests.
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { uniqueEmail, type Caller, type TestTenant } from './harness.ts';

export interface Problem {
  code: string;
  status: number;
  errors?: { path: string; message: string }[];
}

export interface AuditItem {
  id: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface AuditPage {
  items: AuditItem[];
  nextCursor: string | null;
}

export const problem = (res: LightMyRequestResponse) => {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.json<Problem>();
};

/** A page of the audit log as `caller` sees it (200 expected). */
export async function auditLog(caller: Caller, query = ''): Promise<AuditPage> {
  const res = await caller.request({ method: 'GET', url: `/api/v1/audit-log${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<AuditPage>();
}

/** Invites a user as the organization's owner; its id and email. */
export const invite = async (tenant: TestTenant, email = uniqueEmail('invitee'), role = 'agent') => {
  const res = await tenant.owner.request({
    method: 'POST',
    url: '/api/v1/invitations',
    payload: { email, role },
  });
  expect(res.statusCode).toBe(201);
  return { id: res.json<{ id: string }>().id, email };
};
