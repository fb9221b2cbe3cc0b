// Inbound media end to end against the real simulator: a customer sends a file, the sim posts the
// signed webhook to our listening app, the download job fetches it through the sim's Graph media
// endpoint, and the media route serves the exact bytes.
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '@switchboard/wa-sim';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { createTenant, createTestApp, engine, type TestTenant } from '../../../test/harness.ts';
import { customer, findMessage, type StoredMessage } from '../../../test/inbox-support.ts';
import { waitFor } from '../../../test/whatsapp-support.ts';
import { whatsappNumbers } from './whatsapp.tables.ts';
import { messages } from '../conversations/conversations.tables.ts';
import { readSettledEvents } from '../../platform/realtime/realtime.repo.ts';

const bigId = () => `${randomInt(100_000, 999_999)}${randomInt(100_000_000, 999_999_999)}`;
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

describe(`inbound media through the simulator (${engine})`, () => {
  let app: SwitchboardApp;
  let sim: Simulator;
  let blobDir: string;
  const good = { wabaId: bigId(), phoneNumberId: bigId(), token: `good-${bigId()}` };
  const revoked = { wabaId: bigId(), phoneNumberId: bigId(), token: `revoked-${bigId()}` };
  let orgA: TestTenant;
  let orgC: TestTenant;
  let revokedNumberId: string;

  async function connect(tenant: TestTenant, biz: typeof good, accessToken: string): Promise<string> {
    const res = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/whatsapp/numbers',
      payload: {
        phoneNumberId: biz.phoneNumberId,
        wabaId: biz.wabaId,
        displayPhoneNumber: '+1 555 0100',
        accessToken,
        appSecret: sim.webhook.appSecret,
        verifyToken: sim.webhook.verifyToken,
        purpose: 'Media',
        graphBaseUrl: sim.url,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  }

  /** The customer sends; resolves once the download has settled (stored or failed). */
  async function send(
    tenant: TestTenant,
    phoneNumberId: string,
    media: Record<string, unknown>,
    type = 'image',
  ): Promise<StoredMessage> {
    const { id } = sim.inbound({
      phoneNumberId,
      from: customer(),
      name: 'Ana',
      type,
      [type]: media,
    } as never);
    return waitFor(async () => {
      const m = await findMessage(app, tenant.organizationId, id);
      return m && m.content['download'] !== 'pending' ? m : undefined;
    });
  }

  beforeAll(async () => {
    blobDir = mkdtempSync(join(tmpdir(), 'switchboard-blobs-'));
    app = await createTestApp({ env: { BLOB_DIR: blobDir } });
    const appUrl = await app.http.listen({ host: '127.0.0.1', port: 0 });
    sim = await startSimulator({
      port: 0,
      appSecret: `sim-secret-${bigId()}`,
      verifyToken: `sim-verify-${bigId()}`,
      businesses: [good, revoked].map((b) => ({
        wabaId: b.wabaId,
        name: 'Media Co',
        accessToken: b.token,
        phoneNumbers: [{ id: b.phoneNumberId, displayPhoneNumber: '15550100', verifiedName: 'Media Co' }],
      })),
    });
    orgA = await createTenant(app);
    orgC = await createTenant(app);
    await connect(orgA, good, good.token);
    revokedNumberId = await connect(orgC, revoked, 'a-token-graph-rejects');
    const state = await sim.setWebhook({
      url: `${appUrl}/webhooks/whatsapp`,
      appSecret: sim.webhook.appSecret,
      verifyToken: sim.webhook.verifyToken,
    });
    expect(state).toBe('verified');
  });

  afterAll(async () => {
    await sim.close();
    await app.close();
    rmSync(blobDir, { recursive: true, force: true });
  });

  it('downloads an image, stores it, and serves the exact bytes', async () => {
    const bytes = Buffer.concat([PNG, randomBytes(2048)]);
    const message = await send(orgA, good.phoneNumberId, {
      data: bytes.toString('base64'),
      mime_type: 'image/png',
      caption: 'my receipt',
    });
    expect(message.content).toMatchObject({ download: 'stored', size: bytes.length, downloadAttempts: 1 });
    expect(message.content['blobKey']).toMatch(
      new RegExp(`^${orgA.organizationId}/\\d{4}/\\d{2}/[0-9a-f-]{36}$`),
    );

    const res = await orgA.owner.request({ method: 'GET', url: `/api/v1/messages/${message.id}/media` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-disposition']).toBe('inline');
    expect(res.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    expect(res.rawPayload.equals(bytes)).toBe(true);

    // Agents are told: a message.updated event carries the stored state.
    const events = await readSettledEvents(app.database, orgA.organizationId);
    const updated = events
      .filter((e) => e.type === 'message.updated')
      .map((e) => e.data as { id: string; content: Record<string, unknown> })
      .filter((d) => d.id === message.id);
    expect(updated.at(-1)?.content['download']).toBe('stored');

    // Another organization cannot see it.
    const orgB = await createTenant(app);
    const other = await orgB.owner.request({ method: 'GET', url: `/api/v1/messages/${message.id}/media` });
    expect(other.statusCode).toBe(404);
  });

  it('serves a document as an attachment with a sanitized filename', async () => {
    const bytes = randomBytes(4096);
    const message = await send(
      orgA,
      good.phoneNumberId,
      { data: bytes.toString('base64'), mime_type: 'application/pdf', filename: '../../etc/"évil".pdf' },
      'document',
    );
    expect(message.content['download']).toBe('stored');
    const res = await orgA.owner.request({ method: 'GET', url: `/api/v1/messages/${message.id}/media` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="evil\.pdf"; filename\*=UTF-8''/,
    );
    expect(res.rawPayload.equals(bytes)).toBe(true);
  });

  it('fails on a sha256 mismatch, visibly, and the route says so', async () => {
    const first = await send(orgA, good.phoneNumberId, {
      data: PNG.toString('base64'),
      mime_type: 'image/png',
    });
    const tampered = await send(orgA, good.phoneNumberId, {
      id: first.content['mediaId'],
      mime_type: 'image/png',
      sha256: randomBytes(32).toString('base64'),
    });
    expect(tampered.content['download']).toBe('failed');
    expect(tampered.content['downloadError']).toMatch(/sha256 does not match/);
    const res = await orgA.owner.request({ method: 'GET', url: `/api/v1/messages/${tampered.id}/media` });
    expect(res.statusCode).toBe(404);
    expect(res.json<{ code?: string; detail: string }>().detail).toMatch(/could not be downloaded.*sha256/);
  });

  it('fails an oversize file without retrying', async () => {
    const big = randomBytes(5 * 1024 * 1024 + 1);
    const message = await send(orgA, good.phoneNumberId, {
      data: big.toString('base64'),
      mime_type: 'image/jpeg',
    });
    expect(message.content).toMatchObject({ download: 'failed', downloadAttempts: 1 });
    expect(message.content['downloadError']).toMatch(/too large/);
  });

  it('a rejected token (190) fails the download and flags the number', async () => {
    const message = await send(orgC, revoked.phoneNumberId, { mime_type: 'image/png' });
    expect(message.content).toMatchObject({ download: 'failed', downloadAttempts: 1 });
    expect(message.content['downloadError']).toMatch(/190/);
    const [number] = await app.database.tenant(orgC.organizationId, (tx) =>
      tx.select().from(whatsappNumbers).where(eq(whatsappNumbers.id, revokedNumberId)),
    );
    expect(number?.status).toBe('needs_attention');
  });

  it('answers 404 pending for a media message not downloaded yet', async () => {
    const message = await send(orgA, good.phoneNumberId, {}, 'sticker');
    expect(message.content['download']).toBe('stored');
    await app.database.tenant(orgA.organizationId, (tx) =>
      tx
        .update(messages)
        .set({ content: { ...message.content, download: 'pending' } })
        .where(eq(messages.id, message.id)),
    );
    const res = await orgA.owner.request({ method: 'GET', url: `/api/v1/messages/${message.id}/media` });
    expect(res.statusCode).toBe(404);
    expect(res.json<{ detail: string }>().detail).toMatch(/not been downloaded yet/);
  });
});
