// The inbox beyond the happy path, in real browsers against the demo server started with a movable
// clock: Spanish, a second agent's page following assignment and resolve live, another
// organization that never sees the demo’s conversation, sign-in throttling in words, interactive
// messages drawn as cards, and — once the server's clock (and the browser's) has moved past the
// 24-hour window — a conversation that can only be answered with an approved template.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  apiSignIn,
  approvedTemplate,
  conversationWith,
  customerWrites,
  demoAgent,
  demoNumber,
  demoOwner,
  signIn,
  simulatorOutbox,
  startDemoServer,
  type ApiCaller,
  type DemoNumber,
  type DemoServer,
} from './harness.ts';
import { closeBrowserAndStop, launchBrowser } from './support.ts';

const viewport = { width: 1280, height: 900 };
const otherOrg = { name: 'Other Company', email: 'owner@other.example', password: 'other-company-pass' };
const customer = { waId: '5491155551234', name: 'Lucía Fernández' };
const firstMessage = `Hola, ¿tienen envío a Córdoba? (${Date.now()})`;
const hour = 3600_000;

describe('inbox window, live updates, isolation, throttling and Spanish in real browsers', () => {
  let server: DemoServer;
  let browser: Browser;
  let owner: ApiCaller;
  let number: DemoNumber;
  let conversationId: string;
  const contexts: BrowserContext[] = [];

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    server = await startDemoServer([otherOrg]);
    browser = await launchBrowser();
    owner = await apiSignIn(server.url, demoOwner);
    number = await demoNumber(owner, 'Premium support');
    await customerWrites(server.simUrl, number, customer, firstMessage);
    conversationId = await conversationWith(owner, customer.waId);
  });
  afterAll(async () => {
    expect(await closeBrowserAndStop(browser, server)).toBe(0);
  });

  it('translates the inbox into Spanish: tabs, composer and actions', async () => {
    const page = await newPage();
    await signIn(page, server.url, demoOwner);
    await page.goto(`${server.url}/inbox/${conversationId}?tab=all`);
    await page.getByTestId('message-inbound').filter({ hasText: firstMessage }).waitFor();
    expect(await page.getByTestId('reply-input').getAttribute('placeholder')).toMatch(/^Write a reply/);

    await page.getByRole('button', { name: /Account menu/ }).click();
    await page.getByLabel('Language').selectOption('es');
    await page.getByTestId('tab-mine').getByText('Mías').waitFor();
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('tab-unassigned').textContent()).toContain('Sin asignar');
    expect(await page.getByTestId('tab-all').textContent()).toContain('Todas');
    expect(await page.getByTestId('reply-input').getAttribute('placeholder')).toBe(
      'Escribe una respuesta… (escribe / para respuestas rápidas)',
    );
    expect(await page.getByRole('tab', { name: 'Responder' }).isVisible()).toBe(true);
    expect(await page.getByRole('tab', { name: 'Nota privada' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Resolver' }).isVisible()).toBe(true);
    expect(await page.getByTestId('window-state').textContent()).not.toMatch(/Window closes/);
    await page.context().close();
  });

  it('shows a second agent the assignment and the resolve as they happen, without a reload', async () => {
    const agentPage = await newPage();
    await signIn(agentPage, server.url, demoAgent);
    await agentPage.goto(`${server.url}/inbox/${conversationId}?tab=all`);
    await agentPage.getByTestId('message-inbound').filter({ hasText: firstMessage }).waitFor();
    const row = agentPage.getByTestId('conversation-row').filter({ hasText: customer.name });
    expect(await row.locator('.row-assignee').textContent()).toBe('Unassigned');
    expect(await agentPage.getByTestId('conversation-status').textContent()).toBe('Open');
    await agentPage.evaluate(() => Object.assign(window, { e2eMarker: 'still here' }));

    const ownerPage = await newPage();
    await signIn(ownerPage, server.url, demoOwner);
    await ownerPage.goto(`${server.url}/inbox/${conversationId}?tab=all`);
    await ownerPage.getByTestId('conversation-status').waitFor();
    await ownerPage.getByLabel('Assignee').selectOption({ label: demoAgent.name });

    await expect
      .poll(() => row.locator('.row-assignee').textContent(), { timeout: 10_000 })
      .toBe(demoAgent.name);
    await expect
      .poll(() =>
        agentPage.getByLabel('Assignee').evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text),
      )
      .toBe('Assign to me');

    await ownerPage.getByRole('button', { name: 'Resolve' }).click();
    await ownerPage.getByRole('button', { name: 'Reopen' }).waitFor();
    await expect
      .poll(() => agentPage.getByTestId('conversation-status').textContent(), { timeout: 10_000 })
      .toBe('Resolved');
    expect(await agentPage.getByRole('button', { name: 'Reopen' }).isVisible()).toBe(true);
    expect(await agentPage.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe(
      'still here',
    );
    await agentPage.context().close();
    await ownerPage.context().close();
  });

  it('never shows another organization the conversation, not even by its URL', async () => {
    const page = await newPage();
    await signIn(page, server.url, otherOrg);
    expect(await page.getByTestId('org-name').textContent()).toBe(otherOrg.name);
    await page.goto(`${server.url}/inbox?tab=all`);
    await page.getByTestId('tab-all').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('conversation-row').count()).toBe(0);

    await page.goto(`${server.url}/inbox/${conversationId}?tab=all`);
    await page.getByText('Not found.').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('thread-contact').count()).toBe(0);
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).not.toContain(customer.name);
    expect(text).not.toContain(firstMessage);
    expect(text).not.toContain(customer.waId);
    await page.context().close();
  });

  it('says in words, not JSON, that sign-in is throttled after repeated wrong passwords', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/login`);
    // An address of its own: the lock must not shut out the users the other tests sign in as.
    await page.getByLabel('Email').fill('guesser@other.example');
    const alert = page.getByRole('alert');
    await expect
      .poll(
        async () => {
          await page.getByLabel('Password').fill(`wrong password ${Date.now()}`);
          await page.getByRole('button', { name: 'Sign in' }).click();
          await alert.first().waitFor();
          await page.waitForLoadState('networkidle');
          return alert.first().textContent();
        },
        { timeout: 30_000, interval: 300 },
      )
      .toMatch(/^Too many attempts\. (Try again in .+\.|Wait a moment and try again\.)$/);
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).not.toContain('{');
    expect(text).not.toContain('rate_limited');
    expect(page.url()).toContain('/login');
    await page.context().close();
  });

  it('shows interactive messages sent through the API as the client sees them', async () => {
    const send = (interactive: unknown) =>
      owner.send('POST', `/api/v1/conversations/${conversationId}/messages`, {
        type: 'interactive',
        interactive,
      });
    expect(
      (
        await send({
          type: 'button',
          body: { text: '¿Confirmamos el envío?' },
          footer: { text: 'Demo Company' },
          buttons: [
            { id: 'yes', title: 'Sí, confirmar' },
            { id: 'no', title: 'Cambiar dirección' },
          ],
        })
      ).status,
    ).toBe(202);
    expect(
      (
        await send({
          type: 'list',
          body: { text: 'Elige una franja horaria' },
          button: 'Ver horarios',
          sections: [
            { title: 'Mañana', rows: [{ id: 'am', title: '9–12 h', description: 'Por la mañana' }] },
          ],
        })
      ).status,
    ).toBe(202);

    const page = await newPage();
    await signIn(page, server.url, demoOwner);
    await page.goto(`${server.url}/inbox/${conversationId}?tab=all`);
    const buttons = page.getByTestId('message-card').filter({ hasText: '¿Confirmamos el envío?' });
    await buttons.waitFor({ timeout: 10_000 });
    expect(
      await buttons.getByRole('list', { name: 'Buttons' }).getByRole('listitem').allTextContents(),
    ).toEqual(['Sí, confirmar', 'Cambiar dirección']);
    expect(await buttons.textContent()).toContain('Demo Company');
    const list = page.getByTestId('message-card').filter({ hasText: 'Elige una franja horaria' });
    await list.getByText('Ver horarios').click();
    await list.getByText('9–12 h').waitFor();
    expect(await list.textContent()).toContain('Por la mañana');
  });

  it('after the 24-hour window closes, offers only templates, and sends an approved one', async () => {
    const template = 'shipping_update';
    await approvedTemplate(owner, number, {
      name: template,
      body: 'Hi {{1}}, your order {{2}} is on its way.',
      examples: ['Ana', '1001'],
      footer: 'Demo Company',
    });
    const reopened = await owner.send('PATCH', `/api/v1/conversations/${conversationId}`, { status: 'open' });
    expect(reopened.status).toBe(200);

    const serverNow = await server.advanceClock(25 * hour);
    // The server now refuses free text…
    const refused = await owner.send('POST', `/api/v1/conversations/${conversationId}/messages`, {
      type: 'text',
      text: { body: 'Are you still there?' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'whatsapp_window_closed' });

    // …and the browser, its clock moved alike, offers only the template picker.
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    await context.clock.install({ time: serverNow });
    const page = await context.newPage();
    await signIn(page, server.url, demoOwner);
    await page.goto(`${server.url}/inbox/${conversationId}?tab=all`);
    await page.getByTestId('window-closed-notice').waitFor();
    expect(await page.getByTestId('reply-input').count()).toBe(0);
    const picker = page.getByTestId('template-picker');
    await picker.getByRole('button', { name: new RegExp(template) }).click();

    const form = page.getByTestId('template-form');
    await form.getByLabel('Variable {{1}}').fill('Lucía');
    await form.getByLabel('Variable {{2}}').fill('A-778');
    await expect
      .poll(() => form.getByTestId('template-preview').textContent(), { timeout: 10_000 })
      .toContain('Hi Lucía, your order A-778 is on its way.');
    await form.getByRole('button', { name: 'Send template' }).click();

    // The thread shows the template as the client reads it: named, rendered with its parameters.
    const sent = page.getByTestId('message-outbound').filter({ hasText: template });
    await sent.waitFor({ timeout: 15_000 });
    const card = sent.getByTestId('message-card');
    await expect.poll(() => card.textContent()).toContain('Hi Lucía, your order A-778 is on its way.');
    expect(await card.textContent()).toContain('Demo Company');
    await expect
      .poll(async () => simulatorOutbox(server.simUrl, number, customer.waId), { timeout: 15_000 })
      .toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            type: 'template',
            request: expect.objectContaining({
              template: expect.objectContaining({ name: template }),
            }),
          }),
        ]),
      );
    expect(JSON.stringify(await simulatorOutbox(server.simUrl, number, customer.waId))).toContain('A-778');
    // Still only templates: nothing sent reopens the window.
    expect(await page.getByTestId('reply-input').count()).toBe(0);
    expect(await page.getByTestId('window-closed-notice').isVisible()).toBe(true);
  });
});
