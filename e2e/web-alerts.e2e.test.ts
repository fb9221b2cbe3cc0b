// Alerts in a real browser: the demo agent is asked for desktop notifications only when they click
// for it, then gets one for a new conversation and one when the owner assigns it to them, sees the
// unread count in the tab's title, and hears a chime (kept on across a reload) when the customer
// writes again. The browser's Notification and AudioContext are replaced by recorders, and the
// window reports no focus, as when the agent works in another application.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { signIn } from './harness.ts';
import { closeBrowserAndStop, launchBrowser, startServer, type RunningServer } from './support.ts';

const agent = { email: 'agent@switchboard.local', password: 'switchboard-demo' };
const owner = { email: 'demo@switchboard.local', password: 'switchboard-demo' };
const customer = { waId: '5511955554444', name: 'Carla Nunes' };

interface Recorded {
  asked: number;
  shown: { title: string; body: string; tag: string }[];
  chimes: number;
}

function installRecorders() {
  const w = window as unknown as { __alerts: Recorded } & Record<string, unknown>;
  w.__alerts = { asked: 0, shown: [], chimes: 0 };
  let permission: NotificationPermission = 'default';
  class FakeNotification {
    onclick: (() => void) | null = null;
    static get permission() {
      return permission;
    }
    static requestPermission() {
      w.__alerts.asked += 1;
      permission = 'granted';
      return Promise.resolve(permission);
    }
    constructor(title: string, options: NotificationOptions = {}) {
      w.__alerts.shown.push({ title, body: options.body ?? '', tag: options.tag ?? '' });
    }
    close() {}
  }
  class FakeAudioContext {
    state = 'running';
    currentTime = 0;
    destination = {};
    resume() {
      return Promise.resolve();
    }
    createOscillator() {
      return {
        type: '',
        frequency: { value: 0 },
        connect: (node: unknown) => node,
        start: () => {
          w.__alerts.chimes += 1;
        },
        stop: () => {},
      };
    }
    createGain() {
      return {
        gain: { setValueAtTime: () => {}, exponentialRampToValueAtTime: () => {} },
        connect: (node: unknown) => node,
      };
    }
  }
  w['Notification'] = FakeNotification;
  w['AudioContext'] = FakeAudioContext;
  document.hasFocus = () => false;
}

describe('alerts in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let simUrl = '';
  const recorded = () => page.evaluate(() => (window as unknown as { __alerts: Recorded }).__alerts);
  const openPanel = () => page.getByRole('button', { name: /^Notifications/ }).click();

  async function inbound(text: string) {
    const numbers = await page.evaluate(async () => {
      const res = await fetch('/api/v1/whatsapp/numbers');
      return ((await res.json()) as { items: { phoneNumberId: string; purpose: string }[] }).items;
    });
    const sales = numbers.find((n) => n.purpose === 'Pre-sales');
    const sent = await fetch(`${simUrl}/_sim/v1/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        phoneNumberId: sales?.phoneNumberId,
        from: customer.waId,
        name: customer.name,
        type: 'text',
        text: { body: text },
      }),
    });
    expect(sent.status).toBe(200);
  }

  /** The owner, through the API, assigns the customer's conversation to `userId`. */
  async function assignAsOwner(userId: string) {
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify(owner),
    });
    expect(login.status).toBe(200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const headers = { cookie, origin: server.url, 'x-csrf-token': csrfToken };
    const list = await fetch(`${server.url}/api/v1/conversations?status=all`, { headers });
    const { items } = (await list.json()) as { items: { id: string; contact: { waId: string | null } }[] };
    const conversation = items.find((c) => c.contact.waId === customer.waId);
    expect(conversation).toBeDefined();
    const assigned = await fetch(`${server.url}/api/v1/conversations/${conversation?.id}`, {
      method: 'PATCH',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ assigneeId: userId }),
    });
    expect(assigned.status).toBe(200);
  }

  beforeAll(async () => {
    server = await startServer();
    simUrl = /WhatsApp simulator \(chat as a customer\): (\S+?)\/?$/m.exec(server.output())?.[1] ?? '';
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(installRecorders);
    page = await context.newPage();
    await signIn(page, server.url, agent);
  });
  afterAll(async () => {
    expect(await closeBrowserAndStop(browser, server)).toBe(0);
  });

  it('keeps the sound toggle across a reload, and plays the chime when it is turned on', async () => {
    await page.goto(`${server.url}/account`);
    await openPanel();
    const sound = page.getByLabel('Sound for new messages');
    expect(await sound.isChecked()).toBe(false);
    await sound.check();
    expect((await recorded()).chimes).toBeGreaterThan(0);
    await page.reload();
    await page.getByTestId('org-name').waitFor();
    await openPanel();
    expect(await page.getByLabel('Sound for new messages').isChecked()).toBe(true);
  });

  it('asks for desktop notifications only when the user clicks for them', async () => {
    expect((await recorded()).asked).toBe(0);
    await page.getByRole('button', { name: 'Turn on desktop notifications' }).click();
    await expect.poll(async () => (await recorded()).asked).toBe(1);
    expect(await page.getByLabel('Desktop notifications').isChecked()).toBe(true);
    await page.keyboard.press('Escape');
  });

  it('notifies of a new conversation', async () => {
    await inbound('Hello, is the blue one in stock?');
    await expect
      .poll(async () => (await recorded()).shown.map((n) => n.title), { timeout: 15_000 })
      .toContain('New conversation');
    // Not assigned to the agent: no chime (the page was reloaded since the toggle's own chime).
    expect((await recorded()).chimes).toBe(0);
    // The number has no default team, so every agent is notified: the bell and the title count it.
    await expect.poll(() => page.title()).toMatch(/^\(1\) /);
  });

  it('notifies of an assignment to me and counts it in the title', async () => {
    const me = await page.evaluate(async () => {
      const res = await fetch('/api/v1/me');
      return ((await res.json()) as { user: { id: string } }).user.id;
    });
    await assignAsOwner(me);
    await expect
      .poll(async () => (await recorded()).shown.map((n) => n.title).join('\n'), { timeout: 15_000 })
      .toMatch(/assigned you a conversation/);
    await expect.poll(() => page.title()).toMatch(/^\(2\) /);
  });

  it('chimes when the customer writes again in my conversation', async () => {
    const before = (await recorded()).chimes;
    await inbound('Also, do you deliver on Saturdays?');
    await expect.poll(async () => (await recorded()).chimes, { timeout: 15_000 }).toBeGreaterThan(before);
  });
});
