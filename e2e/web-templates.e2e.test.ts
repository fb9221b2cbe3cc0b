// Settings › Templates in a real browser against `npm start`'s demo and its WhatsApp simulator
// (which reviews a template in a moment, and rejects names starting with `reject`): the owner is
// told what is wrong before anything is sent, sees the server's refusal next to the field it names,
// creates a template with a live preview and watches Meta approve it, edits and deletes it.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { demoOwner, signIn } from './harness.ts';
import { closeBrowserAndStop, launchBrowser, startServer, type RunningServer } from './support.ts';

const screenshots = new URL('../.tmp/e2e/', import.meta.url);

describe('message templates in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const card = (name: string): Locator => page.getByTestId('template-card').filter({ hasText: name });

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, server.url, demoOwner);
  });
  afterAll(async () => {
    expect(await closeBrowserAndStop(browser, server)).toBe(0);
  });

  it('opens the templates of the first number, empty until one is made', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Message templates' }).click();
    await page.waitForURL(/\/settings\/templates/);
    await page.getByText('This number has no templates yet.', { exact: false }).waitFor();
    expect(await page.getByLabel('WhatsApp number').inputValue()).not.toBe('');
  });

  it('checks the form in the user’s words, and previews the message live', async () => {
    await page.getByRole('button', { name: 'New template' }).click();
    await page.getByLabel('Name').fill('Order Shipped');
    await page.getByLabel('Message text').fill('Hi {{1}}, your order {{2}} has shipped.');
    await page.getByLabel('Example for {{1}}').fill('Ana');
    const preview = page.getByTestId('template-preview');
    expect(await preview.textContent()).toContain('Hi Ana, your order {{2}} has shipped.');
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByText('Some fields are not valid. Check them and try again.').waitFor();
    expect(await page.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Example for {{2}}').getAttribute('aria-invalid')).toBe('true');
    await page.getByText('Meta needs an example for each variable.').waitFor();
  });

  it('shows the server’s refusal next to the field it names', async () => {
    await page.getByLabel('Name').fill('order_shipped');
    // Gaps in the numbering pass the browser's checks; the server refuses them (422).
    await page.getByLabel('Message text').fill('Hi {{1}}, your order {{3}} has shipped.');
    await page.getByLabel('Example for {{1}}').fill('Ana');
    await page.getByLabel('Example for {{3}}').fill('42');
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await expect.poll(() => page.getByLabel('Message text').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field-error').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('without gaps')]),
    );
    expect(await page.locator('.template-form').textContent()).not.toContain('{"');
  });

  it('creates a template with a header, footer and buttons; Meta approves it', async () => {
    await page.getByLabel('Message text').fill('Hi {{1}}, your order {{2}} has shipped.');
    await page.getByLabel('Example for {{2}}').fill('42');
    await page.getByLabel('Header type').selectOption('TEXT');
    await page.getByLabel('Header text').fill('Order {{1}}');
    await page.getByLabel('Example for {{1}}').first().fill('42');
    await page.getByLabel('Footer text').fill('Thanks for buying');
    await page.getByRole('button', { name: 'Add a button' }).click();
    await page.getByLabel('Button text').fill('Stop promotions');
    const preview = page.getByTestId('template-preview');
    expect(await preview.textContent()).toContain('Order 42');
    expect(await preview.textContent()).toContain('Hi Ana, your order 42 has shipped.');
    expect(await page.locator('.tpl-buttons').textContent()).toContain('Stop promotions');
    await page.screenshot({ path: new URL('templates-form.png', screenshots).pathname, fullPage: true });
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await card('order_shipped').waitFor();
    await expect
      .poll(() => card('order_shipped').getByTestId('template-status').textContent(), { timeout: 20_000 })
      .toBe('Approved');
    expect(await card('order_shipped').textContent()).toContain('Utility');
    expect(await card('order_shipped').textContent()).toContain('en_US');
  });

  it('shows a rejected template with its status', async () => {
    await page.getByRole('button', { name: 'New template' }).click();
    await page.getByLabel('Name').fill('reject_this_one');
    await page.getByLabel('Category').selectOption('MARKETING');
    await page.getByLabel('Message text').fill('Big sale today');
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await expect
      .poll(() => card('reject_this_one').getByTestId('template-status').textContent(), { timeout: 20_000 })
      .toBe('Rejected');
    expect(await card('reject_this_one').textContent()).toContain('Marketing');
  });

  it('syncs from WhatsApp and says what it found', async () => {
    await page.getByRole('button', { name: 'Sync from WhatsApp' }).click();
    await page.getByText('Synced with WhatsApp: 2 found', { exact: false }).waitFor();
    await page.screenshot({ path: new URL('templates-list.png', screenshots).pathname, fullPage: true });
  });

  it('edits an approved template, which goes back to review and is approved again', async () => {
    await card('order_shipped').getByRole('button', { name: 'Edit' }).click();
    const form = page.locator('.template-form');
    expect(await form.textContent()).toContain('order_shipped');
    await form.getByLabel('Footer text').fill('Thank you for your order');
    expect(await form.getByTestId('template-preview').textContent()).toContain('Thank you for your order');
    await form.getByRole('button', { name: 'Save and submit for review' }).click();
    await expect
      .poll(() => card('order_shipped').getByTestId('template-status').textContent(), { timeout: 20_000 })
      .toBe('Approved');
    await card('order_shipped').getByText('Show preview').click();
    expect(await card('order_shipped').getByTestId('template-preview').textContent()).toContain(
      'Thank you for your order',
    );
  });

  it('deletes a template after asking', async () => {
    await card('reject_this_one').getByRole('button', { name: 'Delete' }).click();
    await card('reject_this_one').getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => card('reject_this_one').count()).toBe(0);
    expect(await card('order_shipped').count()).toBe(1);
  });
});
