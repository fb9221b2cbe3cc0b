// The keyboard-driven inbox, the contact drawer at tablet width and optimistic conversation
// actions, in a real browser against `npm start`'s demo: the shortcuts button and dialog; j/k
// opening conversations from anywhere, `a` assigning to me and `e` resolving (the row leaves the
// Open list); r/n/Escape moving in and out of the composer; at 1000px the contact panel opened from
// the thread header as a drawer (a label added there, Escape back to the toggle); and a refused
// action (an agent resolving just after the owner took away their permission: a real 403) put back
// with a human message.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  apiSignIn,
  customerWrites,
  demoAgent,
  demoNumber,
  demoOwner,
  signIn,
  type ApiCaller,
} from './harness.ts';
import { closeBrowserAndStop, launchBrowser, startServer, type RunningServer } from './support.ts';

const screenshots = new URL('../.tmp/e2e/', import.meta.url);
const run = Date.now();
const customers = [
  { waId: '5511944400001', name: `Keys Ana ${run}` },
  { waId: '5511944400002', name: `Keys Bruno ${run}` },
  { waId: '5511944400003', name: `Keys Carla ${run}` },
];
const labelName = `Drawer ${run}`;

interface Conversation {
  id: string;
  status: string;
  assigneeId: string | null;
  contact: { id: string; waId: string | null };
}

describe('keyboard-driven inbox, contact drawer and optimistic actions', () => {
  let server: RunningServer;
  let browser: Browser | undefined;
  let page: Page;
  let simUrl: string;
  let api: ApiCaller;
  let myId: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    server = await startServer();
    simUrl = /WhatsApp simulator \(chat as a customer\): (\S+?)\/?$/m.exec(server.output())?.[1] ?? '';
    api = await apiSignIn(server.url, demoOwner);
    const me = await api.get<{ id?: string; user?: { id: string } }>('/api/v1/me');
    myId = me.user?.id ?? me.id ?? '';
    expect((await api.send('POST', '/api/v1/labels', { name: labelName, color: '#0d9488' })).status).toBe(
      201,
    );
    const support = await demoNumber(api, 'Premium support');
    for (const c of customers) await customerWrites(simUrl, support, c, `Hello from ${c.name}`);
    // Stored by the server's intake worker: wait for all three.
    for (let i = 0; i < 150 && (await conversations()).length < customers.length; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });
  afterAll(async () => {
    expect(await closeBrowserAndStop(browser, server)).toBe(0);
  });

  async function conversations(): Promise<Conversation[]> {
    const { items } = await api.get<{ items: Conversation[] }>('/api/v1/conversations?status=all&limit=100');
    return items.filter((c) => customers.some((x) => x.waId === c.contact.waId));
  }
  const byCustomer = async (index: number) =>
    (await conversations()).filter((c) => c.contact.waId === customers[index]!.waId);
  const row = (name: string) => page.locator('li.conversation-item').filter({ hasText: name });
  const threadName = () => page.getByTestId('thread-contact').textContent();
  const focused = (selector: string) =>
    page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);

  it('opens the shortcuts dialog from its button, listing every shortcut', async () => {
    await signIn(page, server.url, demoOwner);
    await page.goto(`${server.url}/inbox?tab=all`);
    for (const c of customers) await row(c.name).waitFor();
    const button = page.getByRole('button', { name: 'Keyboard shortcuts' });
    await button.click();
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    for (const text of [
      'Open the next conversation',
      'Open the previous conversation',
      'Write a reply (focus the reply box)',
      'Write a private note',
      'Resolve the open conversation',
      'Assign the open conversation to me',
      'Snooze the open conversation',
      'Change the priority (next level)',
      'Labels of the open conversation',
      'Leave the composer (then the shortcuts work)',
      'Search messages and contacts',
    ]) {
      await dialog.getByText(text, { exact: true }).waitFor();
    }
    const keys = await dialog.locator('kbd').allTextContents();
    for (const key of ['j', 'k', 'r', 'n', 'e', 'a', 's', 'p', 'l', '?', '/', 'Esc'])
      expect(keys).toContain(key);
    await page.screenshot({ path: new URL('inbox-keys-dialog.png', screenshots).pathname });
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => button.evaluate((b) => b === document.activeElement)).toBe(true);
  });

  it('j/k open the next and previous conversation; a assigns to me; e resolves', async () => {
    // Newest first: Carla, Bruno, Ana. Nothing open: j opens the first row.
    await page.keyboard.press('j');
    await expect.poll(threadName).toBe(customers[2]!.name);
    expect(await row(customers[2]!.name).locator('a[aria-current="true"]').count()).toBe(1);
    await page.keyboard.press('j');
    await expect.poll(threadName).toBe(customers[1]!.name);
    await page.keyboard.press('j');
    await expect.poll(threadName).toBe(customers[0]!.name);
    await page.keyboard.press('k');
    await expect.poll(threadName).toBe(customers[1]!.name);
    const bruno = (await byCustomer(1))[0]!;
    expect(page.url()).toContain(`/inbox/${bruno.id}?tab=all`);

    // Shortcuts wait while the agent types: a j in the search box is a letter.
    await page.getByRole('searchbox').first().focus();
    await page.keyboard.press('j');
    expect(await threadName()).toBe(customers[1]!.name);
    await page.getByRole('searchbox').first().fill('');
    await page.locator('body').focus();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

    await page.keyboard.press('a');
    await expect.poll(() => page.getByLabel('Assignee').inputValue()).toBe('me');
    await expect.poll(async () => (await byCustomer(1))[0]?.assigneeId).toBe(myId);

    await page.keyboard.press('e');
    await expect.poll(() => page.getByTestId('conversation-status').textContent()).toBe('Resolved');
    // It leaves the Open list at once (optimistic), and the server has it resolved.
    await expect.poll(() => row(customers[1]!.name).count()).toBe(0);
    await expect.poll(async () => (await byCustomer(1))[0]?.status).toBe('resolved');
    await page.screenshot({ path: new URL('inbox-keys-resolved.png', screenshots).pathname });

    // j opens the row that took Bruno's place (Ana); k the one before it (Carla).
    await page.keyboard.press('j');
    await expect.poll(threadName).toBe(customers[0]!.name);
    await page.keyboard.press('k');
    await expect.poll(threadName).toBe(customers[2]!.name);
  });

  it('p raises the priority a level, l opens the labels and s the snooze form, focus inside', async () => {
    const priority = page
      .getByRole('region', { name: 'Conversation', exact: true })
      .getByLabel('Priority', { exact: true });
    const before = await priority.inputValue();
    await page.keyboard.press('p');
    await expect.poll(() => priority.inputValue()).not.toBe(before);
    const after = await priority.inputValue();
    const carla = (await byCustomer(2))[0]!;
    await expect
      .poll(async () => (await api.get<{ priority: string }>(`/api/v1/conversations/${carla.id}`)).priority)
      .toBe(after);

    await page.keyboard.press('l');
    const labels = page.getByRole('group', { name: 'Labels' });
    await labels.waitFor();
    await expect.poll(() => labels.evaluate((g) => g.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => labels.isVisible()).toBe(false);

    await page.keyboard.press('s');
    const until = page.getByLabel('Snooze until');
    await until.waitFor();
    await expect.poll(() => until.evaluate((i) => i === document.activeElement)).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => until.isVisible()).toBe(false);
  });

  it('r focuses the reply box, n the note box, Escape leaves the composer', async () => {
    await page.keyboard.press('r');
    await expect.poll(() => focused('[data-testid="reply-input"]')).toBe(true);
    await page.keyboard.type('jk');
    expect(await page.getByTestId('reply-input').inputValue()).toBe('jk');
    expect(await threadName()).toBe(customers[2]!.name);
    await page.keyboard.press('Escape');
    await expect.poll(() => focused('[data-testid="reply-input"]')).toBe(false);
    await page.getByTestId('reply-input').fill('');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

    await page.keyboard.press('n');
    await expect.poll(() => focused('[data-testid="note-input"]')).toBe(true);
    expect(await page.getByRole('tab', { name: 'Note' }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Escape');
    await expect.poll(() => focused('[data-testid="note-input"]')).toBe(false);
    await page.keyboard.press('r');
    await expect.poll(() => focused('[data-testid="reply-input"]')).toBe(true);
    await page.keyboard.press('Escape');
  });

  it('at tablet width opens the contact panel as a drawer, where a label can be added', async () => {
    await page.setViewportSize({ width: 1000, height: 800 });
    const toggle = page.getByRole('button', { name: 'Contact details', exact: true });
    await toggle.waitFor();
    expect(await page.locator('.inbox-contact-pane').count()).toBe(0);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    const controls = await toggle.getAttribute('aria-controls');

    await toggle.click();
    const drawer = page.getByRole('dialog', { name: 'Contact details' });
    await drawer.waitFor();
    expect(await drawer.getAttribute('id')).toBe(controls);
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    // A modal dialog: focus is inside, the page behind it is inert.
    expect(await drawer.evaluate((d) => d.contains(document.activeElement) && d.matches(':modal'))).toBe(
      true,
    );
    await drawer.getByTestId('contact-panel').waitFor();
    // The box follows the API's answer (contact labels are not optimistic).
    const box = drawer.getByRole('checkbox', { name: labelName });
    await box.click();
    await expect.poll(() => box.isChecked()).toBe(true);
    const carla = (await byCustomer(2))[0]!;
    await expect
      .poll(async () =>
        (await api.get<{ labels: { name: string }[] }>(`/api/v1/contacts/${carla.contact.id}`)).labels.map(
          (l) => l.name,
        ),
      )
      .toContain(labelName);
    await page.screenshot({ path: new URL('inbox-keys-drawer.png', screenshots).pathname });

    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.isVisible()).toBe(false);
    await expect.poll(() => toggle.evaluate((b) => b === document.activeElement)).toBe(true);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');

    // The close button closes it too.
    await toggle.click();
    await drawer.waitFor();
    await drawer.getByRole('button', { name: 'Close contact details' }).click();
    await expect.poll(() => drawer.isVisible()).toBe(false);
    await expect.poll(() => toggle.evaluate((b) => b === document.activeElement)).toBe(true);

    await page.setViewportSize({ width: 1400, height: 900 });
    await page.getByTestId('contact-panel').waitFor();
    expect(await toggle.count()).toBe(0);
  });

  it('puts a refused action back, with a human message', async () => {
    // The agent has Carla's conversation open; meanwhile the owner takes away their permission to
    // manage conversations. The agent's `e` shows it resolved at once, then the API's 403 puts it back.
    const { items: users } = await api.get<{ items: { id: string; email: string }[] }>('/api/v1/users');
    const agent = users.find((u) => u.email === demoAgent.email)!;
    const agentContext = await browser!.newContext({ viewport: { width: 1400, height: 900 } });
    const agentPage = await agentContext.newPage();
    await signIn(agentPage, server.url, demoAgent);
    const carla = (await byCustomer(2))[0]!;
    await agentPage.goto(`${server.url}/inbox/${carla.id}?tab=all`);
    const status = agentPage.getByTestId('conversation-status');
    await expect.poll(() => status.textContent()).toBe('Open');

    const readOnly = ['organization.read', 'users.read', 'conversations.read'];
    expect((await api.send('PATCH', `/api/v1/users/${agent.id}`, { permissions: readOnly })).status).toBe(
      200,
    );
    try {
      // Every text the status chip shows, to see the optimistic one go by.
      await status.evaluate((chip) => {
        const seen: string[] = [];
        (window as unknown as { seen: string[] }).seen = seen;
        new MutationObserver(() => seen.push(chip.textContent)).observe(chip, {
          childList: true,
          characterData: true,
          subtree: true,
        });
      });
      await agentPage.locator('body').click({ position: { x: 5, y: 5 } });
      await agentPage.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await agentPage.keyboard.press('e');
      const alert = agentPage.getByTestId('conversation-action-error').getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toBe(
        'The change was not saved and was undone: You do not have permission to do this.',
      );
      await expect.poll(() => status.textContent()).toBe('Open');
      expect(await agentPage.evaluate(() => (window as unknown as { seen: string[] }).seen)).toContain(
        'Resolved',
      );
      // The row is back in the agent's Open list, and the server never resolved it.
      await agentPage.locator('li.conversation-item').filter({ hasText: customers[2]!.name }).waitFor();
      expect((await byCustomer(2))[0]?.status).toBe('open');
      await agentPage.screenshot({ path: new URL('inbox-keys-rollback.png', screenshots).pathname });
    } finally {
      await api.send('PATCH', `/api/v1/users/${agent.id}`, {
        permissions: [...readOnly, 'conversations.manage'],
      });
      await agentContext.close();
    }
  });
});
