// Media sends: an agent uploads a file to us, sends it by attachment id, and the delivery engine
// uploads it to Graph once per number and sends it by Graph's media id (contract §5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, engine } from './harness.ts';
import { simCustomer } from './sim-support.ts';
import {
  clientWrites,
  messageReaches,
  outboxTo,
  pngBytes,
  sendMessage,
  startOutboundRig,
  type OutboundRig,
} from './outbound-support.ts';

describe(`media sends by attachment (${engine})`, () => {
  let rig: OutboundRig;

  beforeAll(async () => {
    rig = await startOutboundRig();
  });
  afterAll(async () => {
    await rig.close();
  });

  const upload = (bytes: Buffer, type: string, filename?: string, caller = rig.tenant.owner) =>
    caller.request({
      method: 'POST',
      url: `/api/v1/attachments${filename ? `?filename=${encodeURIComponent(filename)}` : ''}`,
      headers: { 'content-type': type },
      payload: bytes,
    });

  it('uploads a file, sends it as an image twice, and Graph gets the file only once', async () => {
    const bytes = pngBytes();
    const res = await upload(bytes, 'image/png', 'shop.png');
    expect(res.statusCode, res.body).toBe(201);
    const attachment = res.json<{ id: string; size: number; mimeType: string; filename: string }>();
    expect(attachment).toMatchObject({ size: bytes.length, mimeType: 'image/png', filename: 'shop.png' });
    const download = await rig.tenant.owner.request({ url: `/api/v1/attachments/${attachment.id}` });
    expect(download.rawPayload.equals(bytes)).toBe(true);

    const customer = simCustomer();
    const conversationId = await clientWrites(rig, customer);
    const mediaBefore = rig.sim.core.store.media.size;
    const first = await sendMessage(rig, conversationId, {
      type: 'image',
      image: { attachmentId: attachment.id, caption: 'Our shop' },
    });
    expect(first.content).toMatchObject({
      attachmentId: attachment.id,
      caption: 'Our shop',
      mimeType: 'image/png',
    });
    await messageReaches(rig, first.id, ['sent', 'delivered', 'read']);
    const second = await sendMessage(rig, conversationId, {
      type: 'image',
      image: { attachmentId: attachment.id },
    });
    await messageReaches(rig, second.id, ['sent', 'delivered', 'read']);

    const [a, b] = outboxTo(rig, customer);
    const mediaId = (a?.request['image'] as { id: string }).id;
    expect(a?.request['image']).toEqual({ id: mediaId, caption: 'Our shop' });
    expect(b?.request['image']).toEqual({ id: mediaId });
    // One upload to Graph for both, holding exactly our bytes.
    expect(rig.sim.core.store.media.size - mediaBefore).toBe(1);
    expect(rig.sim.core.store.media.get(mediaId)?.bytes.equals(bytes)).toBe(true);
  });

  it('sends a document with its file name', async () => {
    const res = await upload(Buffer.from('%PDF-1.4\n%…\n'), 'application/pdf', 'invoice 42.pdf');
    const { id } = res.json<{ id: string }>();
    const customer = simCustomer();
    const conversationId = await clientWrites(rig, customer);
    const sent = await sendMessage(rig, conversationId, { type: 'document', document: { attachmentId: id } });
    await messageReaches(rig, sent.id, ['sent', 'delivered', 'read']);
    expect(outboxTo(rig, customer)[0]?.request['document']).toEqual({
      id: expect.any(String),
      filename: 'invoice 42.pdf',
    });
  });

  it('refuses files WhatsApp cannot carry, empty files, a file of the wrong kind and an unknown or foreign id', async () => {
    const exe = await upload(Buffer.from('MZ'), 'application/x-msdownload');
    expect(exe.statusCode).toBe(415);
    const empty = await upload(Buffer.alloc(0), 'image/png');
    expect(empty.statusCode).toBe(400);

    const pdf = (await upload(Buffer.from('%PDF-1.4'), 'application/pdf')).json<{ id: string }>().id;
    const customer = simCustomer();
    const conversationId = await clientWrites(rig, customer);
    const send = (payload: object) =>
      rig.tenant.owner.request({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/messages`,
        payload,
      });
    const wrongKind = await send({ type: 'image', image: { attachmentId: pdf } });
    expect(wrongKind.statusCode).toBe(422);
    expect(wrongKind.json()).toMatchObject({
      errors: [
        {
          path: 'body.image.attachmentId',
          message: expect.stringMatching(/type application\/pdf cannot be sent as image/),
        },
      ],
    });

    // Another organization's upload is no file of ours.
    const other = await createTenant(rig.app);
    const foreign = (await upload(pngBytes(), 'image/png', 'x.png', other.owner)).json<{ id: string }>().id;
    const stolen = await send({ type: 'image', image: { attachmentId: foreign } });
    expect(stolen.statusCode).toBe(422);
    expect(stolen.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('body.image.attachmentId');
    expect((await rig.tenant.owner.request({ url: `/api/v1/attachments/${foreign}` })).statusCode).toBe(404);
    expect(outboxTo(rig, customer)).toEqual([]);
  });
});
