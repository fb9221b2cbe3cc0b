// Two-step verification in a real browser: the demo agent sets it up from the account page (QR
// code, key, a wrong code refused in words, recovery codes shown once), signs out, signs in with a
// code computed here as an authenticator app would, and turns it off with a recovery code.
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserAndStop, launchBrowser, startServer, type RunningServer } from './support.ts';

const screenshots = new URL('../.tmp/e2e/', import.meta.url);
const agent = { email: 'agent@switchboard.local', password: 'switchboard-demo' };

/** RFC 6238 (SHA-1, 6 digits, 30 s), as authenticator apps compute it. */
function totp(base32Secret: string, at: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of base32Secret.replace(/[\s=]/g, '').toUpperCase())
    bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const hmac = createHmac('sha1', key).update(counter).digest();
  const offset = (hmac[hmac.length - 1] ?? 0) & 0xf;
  const code = (hmac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

/** A six-digit code that is not valid now (nor one step either side). */
function wrongCode(secret: string): string {
  const now = Date.now();
  const valid = new Set([-30_000, 0, 30_000].map((d) => totp(secret, now + d)));
  for (let n = 0; ; n += 1) {
    const candidate = String(n).padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}

describe('two-step verification in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let secret = '';
  let recoveryCodes: string[] = [];

  async function signIn() {
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email').fill(agent.email);
    await page.getByLabel('Password').fill(agent.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn();
    await page.getByTestId('org-name').waitFor();
  });
  afterAll(async () => {
    expect(await closeBrowserAndStop(browser, server)).toBe(0);
  });

  it('shows a QR code and the key to set it up', async () => {
    await page.goto(`${server.url}/account`);
    expect(await page.getByTestId('two-factor-state').textContent()).toBe('Off');
    await page.getByRole('button', { name: 'Set up two-step verification' }).click();
    await page.getByRole('img', { name: 'QR code to add Switchboard to an authenticator app' }).waitFor();
    await page.getByText('Cannot scan it?').click();
    secret = ((await page.getByTestId('two-factor-secret').textContent()) ?? '').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(await page.getByText(/^otpauth:\/\/totp\//).textContent()).toContain(`secret=${secret}`);
    await page.screenshot({ path: new URL('two-factor-setup.png', screenshots).pathname, fullPage: true });
  });

  it('refuses a wrong code in words, then turns on with the right one and shows recovery codes once', async () => {
    await page.getByLabel('Authentication code').fill(wrongCode(secret));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByText('That code is not valid. Check it and try again.').waitFor();
    await page.getByLabel('Authentication code').fill(totp(secret, Date.now()));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByTestId('recovery-codes').locator('li');
    await codes.first().waitFor();
    recoveryCodes = await codes.allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    await page.getByRole('button', { name: 'I have saved them' }).click();
    expect(await page.getByTestId('recovery-codes').count()).toBe(0);
    expect(await page.getByTestId('two-factor-state').textContent()).toBe('On');
  });

  it('asks for a code at sign-in: a wrong one is refused in words, the app’s code signs in', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await signIn();
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await page.getByLabel('Authentication code').fill(wrongCode(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('That code is not valid. Check it and try again.').waitFor();
    // The code that turned it on may not be used again: the app's next code is accepted as well.
    await page.getByLabel('Authentication code').fill(totp(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByTestId('org-name').waitFor();
  });

  it('turns off with the password and a recovery code', async () => {
    await page.goto(`${server.url}/account`);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill('not the password');
    await page.getByLabel('Recovery code').fill(recoveryCodes[0] ?? '');
    await page.getByRole('button', { name: 'Turn off two-step verification' }).click();
    await page.getByText('Some fields are not valid. Check them and try again.').waitFor();
    expect(
      await page.getByRole('textbox', { name: 'Password', exact: true }).getAttribute('aria-invalid'),
    ).toBe('true');
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(agent.password);
    await page.getByLabel('Recovery code').fill(recoveryCodes[0] ?? '');
    await page.getByRole('button', { name: 'Turn off two-step verification' }).click();
    await expect.poll(() => page.getByTestId('two-factor-state').textContent()).toBe('Off');
  });
});
