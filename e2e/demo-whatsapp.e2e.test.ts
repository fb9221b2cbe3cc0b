// `npm start`'s demo end to end: a customer writes through the simulator (Meta's protocol, signed
// webhooks) and the message lands in the demo organization's inbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './support.ts';

describe('demo: simulator to inbox', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it('delivers a customer message from the simulator into a conversation', async () => {
    const simUrl = /WhatsApp simulator \(chat as a customer\): (\S+?)\/?$/m.exec(server.output())?.[1];
    expect(simUrl).toBeDefined();
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'demo@switchboard.local', password: 'switchboard-demo' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;

    const numbers = (await (
      await fetch(`${server.url}/api/v1/whatsapp/numbers`, { headers: { cookie } })
    ).json()) as { items: { phoneNumberId: string; purpose: string }[] };
    const support = numbers.items.find((n) => n.purpose === 'Premium support');
    expect(support).toBeDefined();

    const body = `Olá! Preciso de suporte ${Date.now()}`;
    const sent = await fetch(`${simUrl!}/_sim/v1/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        phoneNumberId: support!.phoneNumberId,
        from: '5511987654321',
        name: 'Ana Souza',
        type: 'text',
        text: { body },
      }),
    });
    expect(sent.status).toBe(200);

    let found: unknown;
    for (let i = 0; i < 100 && !found; i++) {
      const list = (await (
        await fetch(`${server.url}/api/v1/conversations`, { headers: { cookie } })
      ).json()) as {
        items: { id: string; lastMessage: { preview: string } | null; contact: { waId: string } }[];
      };
      found = list.items.find((c) => c.contact.waId === '5511987654321' && c.lastMessage?.preview === body);
      if (!found) await new Promise((r) => setTimeout(r, 100));
    }
    expect(found).toBeDefined();
  });
});
