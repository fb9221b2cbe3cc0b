// The simulator's phone page, used as a person uses it: type as a customer, see the message sent,
// and see the business's reply arrive with its ticks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startSimulator, type Simulator } from '@switchboard/wa-sim';
import { launchBrowser } from './support.ts';

describe('WhatsApp simulator phone page in a real browser', () => {
  let sim: Simulator;
  let browser: Browser;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, statusDelays: { sentMs: 10, deliveredMs: 20, readMs: null } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    try {
      await (browser as Browser | undefined)?.close();
    } finally {
      await sim.close();
    }
  });

  it('lets a person write as a customer and shows the business reply', async () => {
    const business = sim.businesses[0]!;
    const phoneId = business.phoneNumbers[0]!.id;
    const page = await browser.newPage();
    await page.goto(`${sim.url}/_sim/phone`);
    await page.locator('#from').fill('5511987654321');
    await page.locator('#text').fill('Olá, preciso de ajuda 🙂');
    await page.locator('#send').click();
    await expect.poll(() => page.locator('#chat').textContent()).toContain('Olá, preciso de ajuda 🙂');

    // The business answers through the Graph API, as the server will.
    const res = await fetch(`${sim.url}/v24.0/${phoneId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${business.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        to: '5511987654321',
        type: 'text',
        text: { body: 'Claro! Como posso ajudar?' },
      }),
    });
    expect(res.status).toBe(200);
    await expect
      .poll(() => page.locator('#chat').textContent(), { timeout: 10_000 })
      .toContain('Claro! Como posso ajudar?');
    await page.screenshot({ path: new URL('../.tmp/e2e/phone.png', import.meta.url).pathname });
    const outbox = sim.outbox({ phoneNumberId: phoneId });
    expect(JSON.stringify(outbox)).toContain('Claro! Como posso ajudar?');
  });
});
