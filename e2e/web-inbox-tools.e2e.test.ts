// The inbox's tools in a real browser against `npm start`'s demo: bulk actions on the conversation
// list (checkboxes, shift-click range, select all; resolve, label, assign), the resizable panes from
// the keyboard (kept across a reload), and the composer's emoji picker inserting at the caret.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer } from './support.ts';

const screenshots = new URL('../.tmp/e2e/', import.meta.url);
const owner = { email: 'demo@switchboard.local', password: 'switchboard-demo' };
const run = Date.now();
const customers = [
  { waId: '5511955500001', name: `Bulk Ana ${run}` },
  { waId: '5511955500002', name: `Bulk Bruno ${run}` },
  { waId: '5511955500003', name: `Bulk Carla ${run}` },
];

interface Conversation {
  id: string;
  status: string;
  assigneeId: string | null;
  labels: { name: string }[];
  contact: { waId: string | null };
}

describe('inbox tools in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let simUrl: string;
  let api: (method: string, path: string, body?: unknown) => Promise<Response>;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    server = await startServer();
    simUrl = /WhatsApp simulator \(chat as a customer\): (\S+?)\/?$/m.exec(server.output())?.[1] ?? '';
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });

    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify(owner),
    });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    api = (method, path, body) =>
      fetch(`${server.url}/api/v1${path}`, {
        method,
        headers: {
          cookie,
          origin: server.url,
          'x-csrf-token': csrfToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await api('POST', '/labels', { name: `Bulk ${run}`, color: '#7c3aed' })).status).toBe(201);

    // Three customers write in, through the simulator.
    const numbers = (await (await api('GET', '/whatsapp/numbers')).json()) as {
      items: { phoneNumberId: string; purpose: string }[];
    };
    const support = numbers.items.find((n) => n.purpose === 'Premium support')!;
    for (const c of customers) {
      const sent = await fetch(`${simUrl}/_sim/v1/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          phoneNumberId: support.phoneNumberId,
          from: c.waId,
          name: c.name,
          type: 'text',
          text: { body: `Hello from ${c.name}` },
        }),
      });
      expect(sent.status).toBe(200);
    }
    // Stored by the server's intake worker: wait for all three.
    for (let i = 0; i < 150 && (await conversations()).length < customers.length; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(async () => {
    try {
      await (browser as Browser | undefined)?.close();
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  async function conversations(): Promise<Conversation[]> {
    const res = await api('GET', '/conversations?status=all&limit=100');
    const { items } = (await res.json()) as { items: Conversation[] };
    return items.filter((c) => customers.some((x) => x.waId === c.contact.waId));
  }
  const row = (name: string) => page.locator('li.conversation-item').filter({ hasText: name });

  it('selects rows by checkbox and shift-click, then labels and resolves them in bulk', async () => {
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('org-name').waitFor();
    await page.goto(`${server.url}/inbox?tab=all`);
    for (const c of customers) await row(c.name).waitFor();
    await page.screenshot({ path: new URL('inbox-tools-list.png', screenshots).pathname });

    // Newest first: Carla, Bruno, Ana. Click Carla, shift-click Ana: the three of them.
    await row(customers[2]!.name).getByRole('checkbox').click();
    await row(customers[0]!.name)
      .getByRole('checkbox')
      .click({ modifiers: ['Shift'] });
    const toolbar = page.getByRole('toolbar', { name: 'Bulk actions' });
    await toolbar.getByText('3 selected').waitFor();
    for (const c of customers) expect(await row(c.name).getByRole('checkbox').isChecked()).toBe(true);

    await toolbar
      .getByLabel('Add a label to the selected conversations')
      .selectOption({ label: `Bulk ${run}` });
    await page.getByTestId('bulk-outcome').getByText('Done for 3 conversations.').waitFor();
    await expect
      .poll(async () => (await conversations()).map((c) => c.labels.map((l) => l.name)))
      .toEqual([[`Bulk ${run}`], [`Bulk ${run}`], [`Bulk ${run}`]]);
    for (const c of customers) await row(c.name).getByText(`Bulk ${run}`).waitFor();

    // Done: the selection is cleared (what failed would stay selected).
    for (const c of customers) expect(await row(c.name).getByRole('checkbox').isChecked()).toBe(false);

    // Resolve Ana and Carla: they leave the open list; Bruno stays.
    await row(customers[0]!.name).getByRole('checkbox').click();
    await row(customers[2]!.name).getByRole('checkbox').click();
    await toolbar.getByText('2 selected').waitFor();
    await toolbar.getByRole('button', { name: 'Resolve' }).click();
    await page.getByTestId('bulk-outcome').getByText('Done for 2 conversations.').waitFor();
    await expect
      .poll(async () => {
        const byWaId = new Map((await conversations()).map((c) => [c.contact.waId, c.status]));
        return customers.map((c) => byWaId.get(c.waId));
      })
      .toEqual(['resolved', 'open', 'resolved']);
    await expect.poll(() => row(customers[0]!.name).count()).toBe(0);
    expect(await row(customers[1]!.name).count()).toBe(1);
    await page.screenshot({ path: new URL('inbox-bulk.png', screenshots).pathname });
  });

  it('selects all shown and assigns them to me', async () => {
    const toolbar = page.getByRole('toolbar', { name: 'Bulk actions' });
    await page.getByTestId('bulk-select-all').check();
    const shown = await page.locator('li.conversation-item').count();
    await toolbar.getByText(`${shown} selected`).waitFor();
    await toolbar.getByLabel('Assign the selected conversations').selectOption({ label: 'Assign to me' });
    await page
      .getByTestId('bulk-outcome')
      .getByText(/^Done for \d+ conversations?\.$/)
      .waitFor();
    const me = (await (await api('GET', '/me')).json()) as { id?: string; user?: { id: string } };
    const myId = me.user?.id ?? me.id;
    await expect
      .poll(
        async () => (await conversations()).find((c) => c.contact.waId === customers[1]!.waId)?.assigneeId,
      )
      .toBe(myId);
    expect(await page.getByTestId('bulk-select-all').isChecked()).toBe(false);
  });

  it('resizes the list and the contact panel from the keyboard, and keeps the widths', async () => {
    await row(customers[1]!.name).getByRole('link').click();
    await page.waitForURL(/\/inbox\/[0-9a-f-]{36}/);
    await page.getByTestId('contact-panel').waitFor();
    const list = page.getByRole('separator', { name: 'Resize the conversation list' });
    const value = async () => Number(await list.getAttribute('aria-valuenow'));
    const paneWidth = async (selector: string) => (await page.locator(selector).boundingBox())?.width ?? 0;

    const start = await value();
    expect(await paneWidth('.inbox-list-pane')).toBeCloseTo(start, 0);
    await list.focus();
    await page.keyboard.press('ArrowRight');
    expect(await value()).toBe(start + 16);
    await page.keyboard.press('Shift+ArrowLeft');
    expect(await value()).toBe(start - 48);
    await page.keyboard.press('Home');
    expect(await value()).toBe(240);
    expect(await paneWidth('.inbox-list-pane')).toBeCloseTo(240, 0);
    await page.keyboard.press('End');
    expect(await value()).toBe(560);
    await page.keyboard.press('Shift+ArrowLeft');
    expect(await value()).toBe(496);

    const contact = page.getByRole('separator', { name: 'Resize the contact panel' });
    const contactStart = Number(await contact.getAttribute('aria-valuenow'));
    await contact.focus();
    await page.keyboard.press('ArrowLeft');
    expect(Number(await contact.getAttribute('aria-valuenow'))).toBe(contactStart + 16);
    expect(await paneWidth('.inbox-contact-pane')).toBeCloseTo(contactStart + 16, 0);

    // A pointer drag moves it too.
    const box = (await list.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 200);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 100, box.y + 200, { steps: 5 });
    await page.mouse.up();
    expect(await value()).toBe(396);

    await page.reload();
    await page.getByTestId('contact-panel').waitFor();
    expect(await value()).toBe(396);
    expect(Number(await contact.getAttribute('aria-valuenow'))).toBe(contactStart + 16);
    expect(await paneWidth('.inbox-list-pane')).toBeCloseTo(396, 0);
    await page.screenshot({ path: new URL('inbox-panes.png', screenshots).pathname });
  });

  it('stays usable at tablet width: the contact panel folds away, the list keeps room for the thread', async () => {
    await page.setViewportSize({ width: 1000, height: 800 });
    const list = page.getByRole('separator', { name: 'Resize the conversation list' });
    expect(await page.locator('.inbox-contact-pane').isVisible()).toBe(false);
    expect(await page.getByRole('separator', { name: 'Resize the contact panel' }).isVisible()).toBe(false);
    await list.focus();
    await page.keyboard.press('End');
    const listWidth = (await page.locator('.inbox-list-pane').boundingBox())!.width;
    const threadWidth = (await page.locator('.inbox-thread-pane').boundingBox())!.width;
    expect(listWidth).toBeLessThanOrEqual(550);
    expect(threadWidth).toBeGreaterThanOrEqual(440);
    await page.getByTestId('reply-input').waitFor();
    await page.screenshot({ path: new URL('inbox-tablet.png', screenshots).pathname });
    await page.keyboard.press('Enter');
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it('inserts an emoji from the picker at the caret, by keyboard', async () => {
    const input = page.getByTestId('reply-input');
    await input.fill('Hello world');
    await input.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(5, 5));
    await page.getByRole('button', { name: 'Insert emoji' }).click();
    const panel = page.getByRole('dialog', { name: 'Emoji' });
    await panel.getByRole('searchbox', { name: 'Search emoji' }).fill('thumbs up');
    // The filtered grid renders after the keystrokes; arrow down once it shows the match.
    const thumbsUp = panel.getByRole('button', { name: 'thumbs up' });
    await thumbsUp.waitFor();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => thumbsUp.evaluate((b) => b === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => input.inputValue()).toBe('Hello👍 world');
    expect(await panel.count()).toBe(0);
    // Focus is back in the box, after the emoji.
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('!');
    expect(await input.inputValue()).toBe('Hello👍! world');

    // Escape closes the picker and gives focus back to its button.
    await page.getByRole('button', { name: 'Insert emoji' }).click();
    await panel.waitFor();
    await page.keyboard.press('Escape');
    expect(await panel.count()).toBe(0);
    expect(
      await page.getByRole('button', { name: 'Insert emoji' }).evaluate((b) => b === document.activeElement),
    ).toBe(true);
    await input.fill('');
  });
});
