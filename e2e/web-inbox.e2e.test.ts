// The agent's inbox in a real browser against `npm start`'s demo: a customer writes through the
// WhatsApp simulator, the conversation appears in the list without a reload, the agent opens it
// and writes a private note mentioning a colleague, who is notified.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './support.ts';

const screenshots = new URL('../.tmp/e2e/', import.meta.url);

async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('org-name').waitFor();
}

describe('agent inbox in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let simUrl: string;
  const customer = { waId: '5511912345678', name: 'Beatriz Lima' };
  const body = `Olá! Meu pedido não chegou (${Date.now()})`;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    server = await startServer();
    simUrl = /WhatsApp simulator \(chat as a customer\): (\S+?)\/?$/m.exec(server.output())?.[1] ?? '';
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });
  afterAll(async () => {
    try {
      await (browser as Browser | undefined)?.close();
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('signs in to the inbox, with the demo simulator linked', async () => {
    expect(simUrl).not.toBe('');
    await signIn(page, server.url, 'demo@switchboard.local', 'switchboard-demo');
    await page.waitForURL(/\/inbox/);
    await page.getByTestId('tab-all').click();
    await page.waitForURL(/tab=all/);
    const demo = page.getByRole('link', { name: 'Open the WhatsApp simulator' });
    expect(await demo.getAttribute('href')).toBe(`${simUrl}/`);
  });

  it('shows a conversation that arrives through the simulator live, without a reload', async () => {
    // A marker on the window survives only if the page is never reloaded.
    await page.evaluate(() => Object.assign(window, { e2eMarker: 'still here' }));
    const numbers = await page.evaluate(async () => {
      const res = await fetch('/api/v1/whatsapp/numbers');
      return ((await res.json()) as { items: { phoneNumberId: string; purpose: string }[] }).items;
    });
    const support = numbers.find((n) => n.purpose === 'Premium support');
    expect(support).toBeDefined();
    const sent = await fetch(`${simUrl}/_sim/v1/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        phoneNumberId: support!.phoneNumberId,
        from: customer.waId,
        name: customer.name,
        type: 'text',
        text: { body },
      }),
    });
    expect(sent.status).toBe(200);

    // The bound: in the agent's list within 2 s of the customer writing.
    const row = page.getByTestId('conversation-row').filter({ hasText: body });
    await row.waitFor({ timeout: 2_000 });
    expect(await row.textContent()).toContain(customer.name);
    expect(await row.textContent()).toContain('Premium support');
    expect(await page.getByTestId('conversation-row').first().textContent()).toContain(body);
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe(
      'still here',
    );
  });

  it('opens the conversation: the thread shows the message and the reply window', async () => {
    await page.getByTestId('conversation-row').filter({ hasText: body }).click();
    await page.waitForURL(/\/inbox\/[0-9a-f-]{36}/);
    expect(await page.getByTestId('thread-contact').textContent()).toBe(customer.name);
    await page.getByTestId('message-inbound').filter({ hasText: body }).waitFor();
    await expect
      .poll(() => page.getByTestId('window-state').textContent())
      .toMatch(/Window closes in 2[34] hr/);
    // Opening marks it read: the unread badge goes.
    await expect
      .poll(() =>
        page.getByTestId('conversation-row').filter({ hasText: body }).locator('.count-badge').count(),
      )
      .toBe(0);
    await page.getByTestId('contact-panel').getByText(`+${customer.waId}`).waitFor();
  });

  it('writes a private note mentioning a colleague, who is notified', async () => {
    await page.getByRole('tab', { name: 'Private note' }).click();
    const input = page.getByTestId('note-input');
    await input.fill('Checked the carrier. @Al');
    await page
      .getByRole('listbox', { name: 'People to mention' })
      .getByRole('option', { name: 'Alex Agent' })
      .waitFor();
    await input.press('Enter');
    expect(await input.inputValue()).toBe('Checked the carrier. @Alex Agent ');
    await input.pressSequentially('can you call her?');
    await page.locator('.composer').getByRole('button', { name: 'Add note' }).click();
    const note = page.getByTestId('message-note').filter({ hasText: 'can you call her?' });
    await note.waitFor();
    expect(await note.textContent()).toContain('Private note by Dana Demo');
    expect(await note.textContent()).toContain('Mentioned: Alex Agent');
    expect(await input.inputValue()).toBe('');
    await page.screenshot({ path: new URL('inbox.png', screenshots).pathname });

    await colleagueSeesNote();
  });

  it('replies with text and a reaction: the simulator receives both and the ticks advance to read', async () => {
    const support = await supportNumber();
    await page.getByRole('tab', { name: 'Reply' }).click();
    const reply = page.getByTestId('reply-input');
    await reply.fill('Sorry about that! Checking now.');
    await reply.press('Enter');
    const sent = page.getByTestId('message-outbound').filter({ hasText: 'Sorry about that! Checking now.' });
    await sent.waitFor();
    expect(await reply.inputValue()).toBe('');

    const inbound = page.getByTestId('message-inbound').filter({ hasText: body });
    await inbound.hover();
    await inbound.getByRole('button', { name: 'React' }).click();
    await inbound.getByRole('button', { name: 'React with 👍' }).click();

    const outbox = async () => {
      const res = await fetch(`${simUrl}/_sim/v1/outbox?phoneNumberId=${support}&to=${customer.waId}`);
      return ((await res.json()) as { messages: { type: string; request: unknown }[] }).messages;
    };
    await expect
      .poll(async () => JSON.stringify(await outbox()), { timeout: 15_000 })
      .toContain('Sorry about that! Checking now.');
    await expect
      .poll(async () => (await outbox()).map((m) => m.type), { timeout: 15_000 })
      .toContain('reaction');

    await expect
      .poll(() => sent.getByTestId('message-status').getAttribute('data-status'), { timeout: 15_000 })
      .toMatch(/delivered|read/);
    await fetch(`${simUrl}/_sim/v1/read`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phoneNumberId: support, from: customer.waId }),
    });
    await expect
      .poll(() => sent.getByTestId('message-status').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('read');
    await page.screenshot({ path: new URL('inbox-reply.png', screenshots).pathname });
  });

  it('sends an image with a caption: uploaded, then delivered to the simulator', async () => {
    const support = await supportNumber();
    // A 1×1 PNG.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    await page
      .locator('.composer input[type=file]')
      .setInputFiles({ name: 'label.png', mimeType: 'image/png', buffer: png });
    await page.getByTestId('attachment-chip').getByText('label.png').waitFor();
    await page.getByTestId('reply-input').fill('Your shipping label');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const sent = page.getByTestId('message-outbound').filter({ hasText: 'Your shipping label' });
    await sent.waitFor();
    // The sent image shows from its upload.
    await expect
      .poll(() => sent.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBe(1);
    expect(await page.getByTestId('attachment-chip').count()).toBe(0);
    await expect
      .poll(
        async () => {
          const res = await fetch(`${simUrl}/_sim/v1/outbox?phoneNumberId=${support}&to=${customer.waId}`);
          return ((await res.json()) as { messages: { type: string }[] }).messages.map((m) => m.type);
        },
        { timeout: 15_000 },
      )
      .toContain('image');
  });

  it('finds the message by search, lists the shortcuts, and speaks Portuguese', async () => {
    await page.getByTestId('inbox-search').fill('pedido chegou');
    const hit = page.getByTestId('search-results').locator('a').filter({ hasText: customer.name }).first();
    await hit.waitFor();
    expect(await hit.locator('mark').allTextContents()).toEqual(expect.arrayContaining(['pedido']));
    await page.getByTestId('inbox-search').fill('');
    await page.getByTestId('conversation-list').waitFor();

    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: /Account menu/ }).click();
    await page.getByLabel('Language').selectOption('pt-BR');
    await page.getByTestId('tab-mine').getByText('Minhas').waitFor();
    expect(await page.getByRole('tab', { name: 'Nota privada' }).isVisible()).toBe(true);
    expect(await page.getByTestId('window-state').textContent()).toMatch(/A janela fecha em/);
    await page.getByLabel('Idioma').selectOption('en');
  });

  it('shows a colleague on the same conversation that the agent is typing', async () => {
    const colleague = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(colleague, server.url, 'agent@switchboard.local', 'switchboard-demo');
    await colleague.goto(page.url());
    await colleague.getByTestId('thread-contact').waitFor();
    // Typing goes out only once the agent's socket is connected; keep typing until it shows.
    await page.getByRole('tab', { name: 'Reply' }).click();
    await expect
      .poll(
        async () => {
          await page.getByTestId('reply-input').pressSequentially('x');
          return colleague.getByTestId('typing-line').textContent();
        },
        { timeout: 15_000 },
      )
      .toBe('Typing: Dana Demo…');
    await page.getByTestId('reply-input').fill('');
    await expect.poll(() => colleague.getByTestId('typing-line').textContent(), { timeout: 10_000 }).toBe('');
    await colleague.close();
  });

  async function supportNumber(): Promise<string> {
    const numbers = await page.evaluate(async () => {
      const res = await fetch('/api/v1/whatsapp/numbers');
      return ((await res.json()) as { items: { phoneNumberId: string; purpose: string }[] }).items;
    });
    return numbers.find((n) => n.purpose === 'Premium support')!.phoneNumberId;
  }

  async function colleagueSeesNote(): Promise<void> {
    const colleague = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(colleague, server.url, 'agent@switchboard.local', 'switchboard-demo');
    // Unread: the mention, and the new conversations the agent was told of (no default team).
    await colleague.getByRole('button', { name: /Notifications, \d+ unread/ }).click();
    await colleague.getByText('Dana Demo mentioned you in a note').click();
    await colleague.waitForURL(/\/inbox\/[0-9a-f-]{36}/);
    await colleague.getByTestId('message-note').filter({ hasText: 'can you call her?' }).waitFor();
    await colleague.close();
  }
});
