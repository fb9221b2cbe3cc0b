// `npm run screenshots`: regenerates docs/screenshots/*.png from the demo server (started as the
// e2e tests start it, with its movable clock) and Debian's Chromium, at 1440x900, with the same
// customers, messages and template every run. Only times of day differ between runs.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import {
  apiSignIn,
  approvedTemplate,
  conversationWith,
  customerWrites,
  demoNumber,
  demoOwner,
  signIn,
  startDemoServer,
  type DemoServer,
} from './harness.ts';
import { launchBrowser } from './support.ts';

const out = new URL('../docs/screenshots/', import.meta.url);
const viewport = { width: 1440, height: 900 };
const hour = 3600_000;

const conversations = [
  {
    number: 'Pre-sales',
    customer: { waId: '14155550123', name: 'Sam Lee' },
    texts: ['Hi! Do you ship the standing desk to Canada?'],
  },
  {
    number: 'Pre-sales',
    customer: { waId: '5215512345678', name: 'Jorge Pérez' },
    texts: ['Hola, ¿el modelo azul tiene garantía de 2 años?'],
  },
  {
    number: 'Premium support',
    customer: { waId: '5511987654321', name: 'Ana Souza' },
    texts: ['Olá! Meu pedido #1042 ainda não chegou.', 'O rastreio parou em Curitiba desde segunda.'],
  },
] as const;

async function shot(page: Page, name: string): Promise<void> {
  // Let fonts, lists and the live socket settle; hide the caret so the image does not flicker.
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({
    path: new URL(`${name}.png`, out).pathname,
    caret: 'hide',
    animations: 'disabled',
  });
  process.stdout.write(`docs/screenshots/${name}.png\n`);
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  // `npm start`'s port when free, so the webhook URLs shown match the README's.
  const server: DemoServer = await startDemoServer([], { preferredPort: 3000 });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const owner = await apiSignIn(server.url, demoOwner);
    for (const c of conversations) {
      const number = await demoNumber(owner, c.number);
      for (const text of c.texts) await customerWrites(server.simUrl, number, c.customer, text);
      await conversationWith(owner, c.customer.waId);
    }
    const support = await demoNumber(owner, 'Premium support');
    await approvedTemplate(owner, support, {
      name: 'order_update',
      body: 'Hi {{1}}, your order {{2}} is on its way. Track it here: {{3}}',
      examples: ['Ana', '1042', 'https://example.com/t/1042'],
      footer: 'Demo Company',
    });
    const ana = await conversationWith(owner, '5511987654321');
    const sent = await owner.send('POST', `/api/v1/conversations/${ana}/messages`, {
      type: 'text',
      text: { body: 'Sorry about the delay, Ana! Checking with the carrier now.' },
    });
    if (sent.status !== 201 && sent.status !== 202) throw new Error(`reply: ${sent.status}`);

    const page = await browser.newPage({ viewport });
    await signIn(page, server.url, demoOwner);
    await page.goto(`${server.url}/inbox/${ana}?tab=all`);
    await page.getByTestId('message-outbound').filter({ hasText: 'Checking with the carrier' }).waitFor();
    await page
      .getByTestId('conversation-row')
      .nth(conversations.length - 1)
      .waitFor();
    await shot(page, 'inbox');

    await page.goto(`${server.url}/settings/numbers`);
    await page.getByTestId('number-card').nth(1).waitFor();
    await shot(page, 'settings-numbers');

    await page.goto(`${server.url}/settings/templates`);
    await page.getByTestId('template-card').first().waitFor();
    await shot(page, 'settings-templates');
    await page.close();

    // A day later the window has closed: the composer offers templates only.
    const now = await server.advanceClock(25 * hour);
    const later = await browser.newContext({ viewport });
    await later.clock.install({ time: now });
    const composer = await later.newPage();
    await signIn(composer, server.url, demoOwner);
    await composer.goto(`${server.url}/inbox/${ana}?tab=all`);
    await composer
      .getByTestId('template-picker')
      .getByRole('button', { name: /order_update/ })
      .click();
    const form = composer.getByTestId('template-form');
    await form.getByLabel('Variable {{1}}').fill('Ana');
    await form.getByLabel('Variable {{2}}').fill('1042');
    await form.getByLabel('Variable {{3}}').fill('https://example.com/t/1042');
    await form.getByTestId('template-preview').getByText('your order 1042 is on its way').waitFor();
    await composer.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await shot(composer, 'template-composer');
  } finally {
    await browser?.close();
    await server.stop();
  }
}

await main();
