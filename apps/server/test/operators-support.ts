// Shared by the operator tests: a signed-in platform operator bound to one app, and the shapes the
// operator API answers with.
import { expect } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { SwitchboardApp } from '../src/app.ts';
import { loopbackIp, uniqueEmail, type TestTenant } from './harness.ts';

export interface Problem {
  code: string;
  status: number;
  errors?: { path: string; message: string }[];
}

export interface OrganizationBody {
  id: string;
  name: string;
  accountNumber: string;
  ownerEmail: string;
  ownerName: string;
  plan: string;
  status: 'active' | 'suspended';
  suspendedReason: string | null;
}

export interface OutboxItem {
  id: string;
  organizationId: string | null;
  to: string;
  subject: string;
  text: string | null;
  status: string;
}

export const problem = (res: LightMyRequestResponse) => {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.json<Problem>();
};

export const OPERATOR_PASSWORD = 'operator password 123';

/** Operator helpers bound to the app a test file made (created in beforeAll, hence the getter). */
export function operatorKit(getApp: () => SwitchboardApp) {
  async function newOperator() {
    const email = uniqueEmail('operator');
    const operator = await getApp().services.operators.createOperator({
      email,
      name: 'Pat Operator',
      password: OPERATOR_PASSWORD,
    });
    return { ...operator, email };
  }

  const operatorLogin = (email: string, password = OPERATOR_PASSWORD, ip = loopbackIp()) =>
    getApp().http.inject({
      method: 'POST',
      url: '/api/v1/operator/auth/login',
      remoteAddress: ip,
      payload: { email, password },
    });

  /** A signed-in operator: sends the operator cookie and its CSRF token. */
  async function operatorSession() {
    const { email, id } = await newOperator();
    const res = await operatorLogin(email);
    expect(res.statusCode, res.body).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'sb_operator')!;
    const { csrfToken } = res.json<{ csrfToken: string }>();
    const ip = loopbackIp();
    return {
      id,
      email,
      cookie: cookie.value,
      csrfToken,
      request: (o: InjectOptions) =>
        getApp().http.inject({
          remoteAddress: ip,
          ...o,
          cookies: { sb_operator: cookie.value },
          headers: { 'x-csrf-token': csrfToken, ...(o.headers as Record<string, string> | undefined) },
        }),
    };
  }
  type Operator = Awaited<ReturnType<typeof operatorSession>>;

  const suspend = (operator: Operator, tenant: TestTenant, reason?: string) =>
    operator.request({
      method: 'POST',
      url: `/api/v1/operator/organizations/${tenant.organizationId}/suspend`,
      ...(reason ? { payload: { reason } } : {}),
    });
  const reinstate = (operator: Operator, tenant: TestTenant) =>
    operator.request({
      method: 'POST',
      url: `/api/v1/operator/organizations/${tenant.organizationId}/reinstate`,
    });

  return { newOperator, operatorLogin, operatorSession, suspend, reinstate };
}

export type Operator = Awaited<ReturnType<ReturnType<typeof operatorKit>['operatorSession']>>;
