import { startSimulator, type Simulator } from '@switchboard/wa-sim';
import type { SwitchboardApp } from '../app.ts';
import { systemActor } from '../platform/auth/principal.ts';
import { numbersRepo } from '../modules/whatsapp/numbers.repo.ts';

/** Demo-only credentials shared by the simulator and the demo organization's numbers. */
const demo = {
  wabaId: '100000000000001',
  accessToken: 'demo-whatsapp-access-token',
  appSecret: 'demo-whatsapp-app-secret',
  verifyToken: 'demo-whatsapp-verify-token',
  numbers: [
    {
      id: '200000000000001',
      displayPhoneNumber: '15550001111',
      verifiedName: 'Demo Company Sales',
      purpose: 'Pre-sales',
    },
    {
      id: '200000000000002',
      displayPhoneNumber: '15550002222',
      verifiedName: 'Demo Company Support',
      purpose: 'Premium support',
    },
  ],
} as const;

/**
 * The WhatsApp Cloud API simulator that `npm start` runs beside the demo: a business with two
 * numbers (pre-sales and premium support, as HuntBee runs them) and a few customers writing in
 * English, Spanish and Portuguese. Its phone page lets a person chat as a customer.
 */
export function startDemoSimulator(): Promise<Simulator> {
  return startSimulator({
    port: 0,
    statusDelays: { sentMs: 300, deliveredMs: 1200, readMs: 4000 },
    businesses: [
      {
        wabaId: demo.wabaId,
        name: 'Demo Company',
        accessToken: demo.accessToken,
        phoneNumbers: demo.numbers.map(({ id, displayPhoneNumber, verifiedName }) => ({
          id,
          displayPhoneNumber,
          verifiedName,
        })),
      },
    ],
    customers: [
      { waId: '5511987654321', name: 'Ana Souza' },
      { waId: '5215512345678', name: 'Jorge Pérez' },
      { waId: '14155550123', name: 'Sam Lee' },
    ],
  });
}

/**
 * Connects the simulator's numbers to the demo organization (or points them at this run's
 * simulator, whose port changes every start) and the simulator's webhook at this server, so a
 * message typed on the phone page arrives in the inbox.
 */
export async function wireDemoSimulator(
  app: SwitchboardApp,
  tenantId: string,
  simulator: Simulator,
  serverUrl: string,
): Promise<void> {
  for (const n of demo.numbers) {
    const existing = await app.database.tenant(tenantId, (tx) =>
      numbersRepo(tx).findByPhoneNumberId(tenantId, n.id),
    );
    if (existing) {
      await app.services.numbers.updateNumber(
        tenantId,
        existing.id,
        { graphBaseUrl: simulator.url },
        systemActor,
      );
    } else {
      await app.services.numbers.connectNumber(
        tenantId,
        {
          phoneNumberId: n.id,
          wabaId: demo.wabaId,
          displayPhoneNumber: n.displayPhoneNumber,
          accessToken: demo.accessToken,
          appSecret: demo.appSecret,
          verifyToken: demo.verifyToken,
          purpose: n.purpose,
          graphBaseUrl: simulator.url,
        },
        systemActor,
      );
    }
  }
  await simulator.setWebhook({
    url: `${serverUrl}/webhooks/whatsapp`,
    appSecret: demo.appSecret,
    verifyToken: demo.verifyToken,
  });
}
