import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserAndStop, launchBrowser, startServer, type RunningServer } from './support.ts';

const screenshots = new URL('../.tmp/e2e/', import.meta.url);

describe('agent web app in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  afterAll(async () => {
    // A browser that failed to start must not leave the started server running.
    expect(await closeBrowserAndStop(browser, server)).toBe(0);
  });

  it('refuses a wrong password with a clear message', async () => {
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email').fill('demo@switchboard.local');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByText('The email or password is incorrect.').isVisible()).toBe(true);
    expect(page.url()).toContain('/login');
  });

  it('signs in with the demo login printed at start, and shows the organization', async () => {
    const login = /Demo login: (\S+) \/ (\S+)/.exec(server.output());
    expect(login).not.toBeNull();
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login/);
    await page.getByLabel('Email').fill(login![1]!);
    await page.getByLabel('Password').fill(login![2]!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('org-name').waitFor();
    expect(await page.getByTestId('org-name').textContent()).toBe('Demo Company');
    await page.screenshot({ path: new URL('home.png', screenshots).pathname });
  });

  it('keeps the session across a reload and lists it as this device', async () => {
    await page.reload();
    await page.getByTestId('org-name').waitFor();
    await page.goto(`${server.url}/account/sessions`);
    await expect.poll(() => page.getByText('This device').isVisible()).toBe(true);
    await page.screenshot({ path: new URL('sessions.png', screenshots).pathname });
  });

  it('signs out, after which protected pages send the user to sign in', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login/);
    expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
  });
});
