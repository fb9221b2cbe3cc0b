// The world of the template tests: a listening app, the simulator delivering signed webhooks to
// it (template review in 150 ms; names starting with `reject` are rejected), and two organizations,
// each with a number of its own WhatsApp Business Account on the simulator.
import { randomInt } from 'node:crypto';
import { startSimulator, type Simulator } from '@switchboard/wa-sim';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TemplateView } from '@switchboard/contracts';
import type { SwitchboardApp } from '../../app.ts';
import { createTenant, createTestApp, type TestTenant } from '../../../test/harness.ts';
import { waitFor } from '../../../test/whatsapp-support.ts';

export const bigId = () => `${randomInt(100_000, 999_999)}${randomInt(100_000_000, 999_999_999)}`;
export const unique = (prefix: string) => `${prefix}_${randomInt(1_000_000, 9_999_999)}`;

export const orderBody = {
  type: 'BODY',
  text: 'Hi {{1}}, your order {{2}} has shipped.',
  example: { body_text: [['Ana', '42']] },
};

export interface SimAccount {
  wabaId: string;
  phoneNumberId: string;
  token: string;
}

export interface TemplateWorld {
  app: SwitchboardApp;
  sim: Simulator;
  orgA: TestTenant;
  orgB: TestTenant;
  numberA: string;
  numberB: string;
  bizA: SimAccount;
  bizB: SimAccount;
  connect(tenant: TestTenant, biz: SimAccount, accessToken?: string): Promise<string>;
  base(numberId: string): string;
  create(payload: object, tenant?: TestTenant, numberId?: string): Promise<LightMyRequestResponse>;
  list(query?: string, tenant?: TestTenant, numberId?: string): Promise<TemplateView[]>;
  /** Waits until our copy of the template has `status` (the simulator's webhook has been processed). */
  statusOf(name: string, status: string, tenant?: TestTenant, numberId?: string): Promise<TemplateView>;
  close(): Promise<void>;
}

/** `ownDatabase`: see TestAppOptions (for the scheduled sync over every organization). */
export async function setupTemplateWorld(options: { ownDatabase?: boolean } = {}): Promise<TemplateWorld> {
  const bizA = { wabaId: bigId(), phoneNumberId: bigId(), token: `token-a-${bigId()}` };
  const bizB = { wabaId: bigId(), phoneNumberId: bigId(), token: `token-b-${bigId()}` };
  const app = await createTestApp(options);
  const appUrl = await app.http.listen({ host: '127.0.0.1', port: 0 });
  const sim = await startSimulator({
    port: 0,
    appSecret: `sim-secret-${bigId()}`,
    verifyToken: `sim-verify-${bigId()}`,
    templateReview: { delayMs: 150, rejectNamePattern: '^reject' },
    businesses: [bizA, bizB].map((b) => ({
      wabaId: b.wabaId,
      name: 'Template Co',
      accessToken: b.token,
      phoneNumbers: [{ id: b.phoneNumberId, displayPhoneNumber: '15550100', verifiedName: 'Template Co' }],
    })),
  });

  async function connect(tenant: TestTenant, biz: SimAccount, accessToken = biz.token): Promise<string> {
    const res = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/whatsapp/numbers',
      payload: {
        phoneNumberId: biz.phoneNumberId,
        wabaId: biz.wabaId,
        displayPhoneNumber: '+1 555 0100',
        accessToken,
        appSecret: sim.webhook.appSecret,
        verifyToken: sim.webhook.verifyToken,
        purpose: 'Templates',
        graphBaseUrl: sim.url,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  }

  const orgA = await createTenant(app);
  const orgB = await createTenant(app);
  const numberA = await connect(orgA, bizA);
  const numberB = await connect(orgB, bizB);
  const state = await sim.setWebhook({
    url: `${appUrl}/webhooks/whatsapp`,
    appSecret: sim.webhook.appSecret,
    verifyToken: sim.webhook.verifyToken,
  });
  expect(state).toBe('verified');

  const base = (numberId: string) => `/api/v1/whatsapp/numbers/${numberId}/templates`;
  const create = (payload: object, tenant = orgA, numberId = numberA) =>
    tenant.owner.request({ method: 'POST', url: base(numberId), payload });
  async function list(query = '', tenant = orgA, numberId = numberA): Promise<TemplateView[]> {
    const res = await tenant.owner.request({ method: 'GET', url: `${base(numberId)}?limit=500${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: TemplateView[] }>().items;
  }
  const statusOf = (name: string, status: string, tenant = orgA, numberId = numberA) =>
    waitFor(async () => {
      const items = await list(`&q=${name}`, tenant, numberId);
      return items.find((t) => t.name === name && t.status === status);
    }, 60_000);

  return {
    app,
    sim,
    orgA,
    orgB,
    numberA,
    numberB,
    bizA,
    bizB,
    connect,
    base,
    create,
    list,
    statusOf,
    async close() {
      await sim.close();
      await app.close();
    },
  };
}
