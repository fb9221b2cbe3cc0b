// My account in a real browser: the agent renames themself (the header follows), changes their
// availability on the page and from the user menu, and changes their password: a wrong current
// password is refused in words, the other sessions are signed out, the old password no longer
// signs in and the new one does.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiSignIn, demoAgent, signIn, type ApiCaller } from './harness.ts';
import { closeBrowserAndStop, launchBrowser, startServer, type RunningServer } from './support.ts';

const screenshots = new URL('../.tmp/e2e/', import.meta.url);
const newPassword = 'a brand new passphrase';

describe('my account in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let otherSession: ApiCaller;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage();
    otherSession = await apiSignIn(server.url, demoAgent);
    await signIn(page, server.url, demoAgent);
  });
  afterAll(async () => {
    expect(await closeBrowserAndStop(browser, server)).toBe(0);
  });

  const availability = async () =>
    (await otherSession.get<{ user: { availability: string } }>('/api/v1/me')).user.availability;

  it('changes the name, and the header shows the new one', async () => {
    await page.goto(`${server.url}/account`);
    const first = page.getByLabel('First name');
    await first.fill('Alexandra');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.getByText('Your profile was saved.').isVisible()).toBe(true);
    await expect.poll(() => page.locator('.header-user').textContent()).toBe('Alexandra Agent');
    await page.reload();
    await expect.poll(() => page.getByLabel('First name').inputValue()).toBe('Alexandra');
  });

  it('changes the availability on the page and from the user menu', async () => {
    const section = page.getByRole('region', { name: 'Availability' });
    await section.getByRole('radio', { name: 'Busy' }).check();
    await expect.poll(() => section.getByText('Your availability is now: Busy.').isVisible()).toBe(true);
    await expect.poll(availability).toBe('busy');

    await page.getByRole('button', { name: 'Account menu for Alexandra Agent' }).click();
    const menuOffline = page.locator('.user-menu').getByRole('radio', { name: 'Offline' });
    await menuOffline.focus();
    await page.keyboard.press('Space');
    await expect.poll(availability).toBe('offline');
    // The page's own group follows the session.
    await expect.poll(() => section.getByRole('radio', { name: 'Offline' }).isChecked()).toBe(true);
    await page.keyboard.press('Escape');
    await page.screenshot({ path: new URL('account.png', screenshots).pathname, fullPage: true });
  });

  it('refuses a wrong current password in words', async () => {
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password').fill(newPassword);
    await page.getByLabel('Confirm password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'The current password is incorrect.' }).count())
      .toBe(1);
    expect(await page.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');
  });

  it('changes the password and signs out the other sessions', async () => {
    await page.getByLabel('Current password').fill(demoAgent.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect
      .poll(() =>
        page.getByText('Your password was changed. Your other sessions were signed out.').isVisible(),
      )
      .toBe(true);
    await expect(otherSession.get('/api/v1/me')).rejects.toThrow(/401/);
    // This session is still signed in.
    await page.reload();
    await page.getByTestId('org-name').waitFor();
  });

  it('then refuses the old password and accepts the new one', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await page.getByLabel('Email').fill(demoAgent.email);
    await page.getByLabel('Password').fill(demoAgent.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByText('The email or password is incorrect.').isVisible()).toBe(true);

    await signIn(page, server.url, { email: demoAgent.email, password: newPassword });
    await expect.poll(() => page.locator('.header-user').textContent()).toBe('Alexandra Agent');
  });
});
