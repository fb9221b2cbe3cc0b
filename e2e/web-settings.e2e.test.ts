// Settings in a real browser: the demo owner sees the demo's numbers, is told in their language
// what is wrong with a connect form, creates a label the inbox can filter by, creates an API key
// shown once, and finds both in the audit log.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { demoOwner, signIn } from './harness.ts';
import { closeBrowserAndStop, launchBrowser, startServer, type RunningServer } from './support.ts';

describe('settings in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(new URL('../.tmp/e2e/', import.meta.url), { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, server.url, demoOwner);
  });
  afterAll(async () => {
    expect(await closeBrowserAndStop(browser, server)).toBe(0);
  });

  it('lists the WhatsApp numbers and checks the connect form before sending it', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(/\/settings\/numbers$/);
    await expect.poll(() => page.getByTestId('number-card').count()).toBe(2);
    expect(await page.getByTestId('number-card').allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Pre-sales'),
        expect.stringContaining('Premium support'),
      ]),
    );
    await page.getByRole('button', { name: 'Connect a number' }).click();
    await page.getByLabel('Phone number ID').fill('not-a-number');
    await page.getByRole('button', { name: 'Connect number' }).click();
    await page.getByText('Some fields are not valid. Check them and try again.').waitFor();
    expect(await page.getByLabel('Phone number ID').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Access token').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({
      path: new URL('../.tmp/e2e/settings-numbers.png', import.meta.url).pathname,
      fullPage: true,
    });
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('creates a label that the inbox can filter by', async () => {
    await page.getByRole('link', { name: 'Labels' }).click();
    await page.getByLabel('Name').fill('VIP');
    await page.getByRole('button', { name: 'Create label' }).click();
    await page.locator('.settings-list').getByText('VIP').waitFor();
    await page.getByRole('link', { name: 'Inbox' }).click();
    await expect
      .poll(() => page.getByLabel('Label', { exact: true }).locator('option').allTextContents())
      .toContain('VIP');
  });

  it('shows a new API key once', async () => {
    await page.goto(`${server.url}/settings/api-keys`);
    await page.getByLabel('Name').fill('CRM sync');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = page.getByTestId('new-api-key');
    await key.waitFor();
    expect(await key.textContent()).toMatch(/^sbk_/);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await key.count()).toBe(0);
    await page.getByRole('row', { name: /CRM sync/ }).waitFor();
    await page.screenshot({ path: new URL('../.tmp/e2e/settings-api-keys.png', import.meta.url).pathname });
  });

  it('finds both changes in the audit log, and speaks Spanish when asked', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.locator('.audit-table').waitFor();
    const actions = await page
      .locator('.audit-table tbody th [data-code]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-code') ?? ''));
    expect(actions.some((a) => a.startsWith('label'))).toBe(true);
    expect(actions.some((a) => a.startsWith('api_key'))).toBe(true);
    // Known codes are shown in words, in the user's language.
    expect(await page.locator('.audit-table').getByText('API key created').first().isVisible()).toBe(true);
    await page.getByRole('button', { name: /Account menu/ }).click();
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { name: 'Registro de auditoría' }).waitFor();
    await page.locator('.audit-table').getByText('Clave de API creada').first().waitFor();
    expect(await page.getByRole('link', { name: 'Equipos' }).isVisible()).toBe(true);
  });
});
