// Email through a real SMTP server (smtp-server on loopback): the outbox row commits with the
// invitation, a job delivers it, and the delivered body is not kept.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { mailRepo } from './mail.repo.ts';
import { createTenant, createTestApp, engine, uniqueEmail } from '../../../test/harness.ts';

interface Received {
  to: string[];
  raw: string;
}

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe(`email over SMTP (${engine})`, () => {
  const received: Received[] = [];
  let rejectRecipients = new Set<string>();
  let app: SwitchboardApp;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(address, _session, callback) {
      if (rejectRecipients.has(address.address)) callback(new Error('550 mailbox unavailable'));
      else callback();
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString()));
      stream.on('end', () => {
        // Undo quoted-printable soft line breaks and `=3D`, enough to read links in the body.
        raw = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    app = await createTestApp({
      env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Switchboard <noreply@example.test>' },
    });
  });
  afterAll(async () => {
    await app.close();
    await new Promise<void>((resolve) => smtp.close(resolve));
  });

  it('delivers an invitation through SMTP and then forgets its body', async () => {
    const t = await createTenant(app);
    const email = uniqueEmail('smtp');
    const res = await t.owner.request({
      method: 'POST',
      url: '/api/v1/invitations',
      payload: { email, role: 'agent' },
    });
    expect(res.statusCode).toBe(201);
    const message = await waitFor(() => received.find((m) => m.to.includes(email)));
    expect(message.raw).toContain('Subject: You are invited to');
    expect(message.raw).toMatch(/accept-invitation\?token=[\w-]{20,}/);
    expect(message.raw).toContain('From: Switchboard <noreply@example.test>');
    const row = await waitFor(async () =>
      (await app.services.mail.listOutbox(200)).find((m) => m.to === email && m.status === 'sent'),
    );
    expect(row.textBody).toBeNull();
    expect(row.sentAt).toBeInstanceOf(Date);
  });

  it('records a refused delivery and retries it', async () => {
    const t = await createTenant(app);
    const email = uniqueEmail('bounce');
    rejectRecipients = new Set([email]);
    await t.owner.request({ method: 'POST', url: '/api/v1/invitations', payload: { email, role: 'agent' } });
    const row = await waitFor(async () =>
      (await app.services.mail.listOutbox(200)).find((m) => m.to === email && m.attempts >= 1),
    );
    expect(row.lastError).toMatch(/550|mailbox unavailable/);
    expect(row.status).toBe('queued');
    expect(received.some((m) => m.to.includes(email))).toBe(false);
    // The receiver recovers; the retry delivers.
    rejectRecipients = new Set();
    const delivered = await waitFor(() => received.find((m) => m.to.includes(email)), 20_000);
    expect(delivered.raw).toContain('accept-invitation');
  });

  it('resumes mail left queued by a process that died before dispatching it', async () => {
    const email = uniqueEmail('orphan');
    await app.database.system((tx) =>
      mailRepo(tx).insert({
        organizationId: null,
        to: email,
        subject: 'Left behind',
        textBody: 'This was committed but never handed to the job queue.',
        status: 'queued',
        createdAt: new Date(Date.now() - 5 * 60_000),
      }),
    );
    expect(await app.services.mail.resumeQueued()).toBeGreaterThanOrEqual(1);
    const message = await waitFor(() => received.find((m) => m.to.includes(email)));
    expect(message.raw).toContain('Subject: Left behind');
  });
});
