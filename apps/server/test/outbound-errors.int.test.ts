// The outbound engine's error paths, driven through the real WhatsApp simulator: Graph refusing the
// upload of a message's file (for a while, or for good), templates whose media header is an
// uploaded file, and Graph refusing a read receipt. The simulator's scripted errors (`failNext`)
// answer in Meta's error bodies; its Graph call log says what reached "Meta".
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, engine } from './harness.ts';
import { simCustomer } from './sim-support.ts';
import { waitFor } from './whatsapp-support.ts';
import {
  clientWrites,
  closeWindow,
  messageReaches,
  outboxTo,
  pngBytes,
  sendMessage,
  startOutboundRig,
  uploadAttachment,
  type OutboundRig,
} from './outbound-support.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe(`outbound error paths (${engine})`, () => {
  let rig: OutboundRig;
  let phoneNumberId: string;

  beforeAll(async () => {
    rig = await startOutboundRig();
    phoneNumberId = rig.business.phoneNumberId;
  });
  afterAll(async () => {
    await rig.close();
  });

  /** Graph calls of `kind` for the rig's number so far. */
  const calls = (kind: 'message' | 'read' | 'media') => rig.sim.graphCalls({ kind, phoneNumberId });

  describe('uploading a message’s file to Graph', () => {
    it('retries an upload Graph refuses for a while (131000 HTTP 500, then 130429), then sends the message once by the uploaded id', async () => {
      const bytes = pngBytes();
      const attachmentId = await uploadAttachment(rig, bytes, 'image/png', 'retry.png');
      const customer = simCustomer();
      const conversationId = await clientWrites(rig, customer);
      const mediaBefore = calls('media').length;
      const sendsBefore = calls('message').length;
      const retriedBefore = rig.app.services.delivery.counters.retried;
      rig.sim.failNext({ kind: 'media', code: 131000, phoneNumberId });
      rig.sim.failNext({ kind: 'media', code: 130429, phoneNumberId });

      const queued = await sendMessage(rig, conversationId, {
        type: 'image',
        image: { attachmentId, caption: 'After two refusals' },
      });
      const sent = await messageReaches(rig, queued.id, ['sent', 'delivered', 'read'], 30_000);

      // Three uploads reached Graph: the two refused, then the one it took.
      expect(
        calls('media')
          .slice(mediaBefore)
          .map((c) => [c.status, c.code ?? null]),
      ).toEqual([
        [500, 131000],
        [400, 130429],
        [200, null],
      ]);
      expect(rig.app.services.delivery.counters.retried - retriedBefore).toBeGreaterThanOrEqual(2);
      // One send, by Graph's id for our bytes.
      expect(calls('message').slice(sendsBefore)).toHaveLength(1);
      const outbox = outboxTo(rig, customer);
      expect(outbox).toHaveLength(1);
      expect(outbox[0]?.id).toBe(sent.externalId);
      const image = outbox[0]?.request['image'] as { id: string; caption: string };
      expect(image).toEqual({ id: expect.stringMatching(/^\d+$/), caption: 'After two refusals' });
      expect(rig.sim.core.store.media.get(image.id)?.bytes.equals(bytes)).toBe(true);
      expect(sent.errorCode).toBeNull();
    }, 60_000);

    it('fails the message with the code and a readable reason when Graph refuses the file for good (131053), sending nothing', async () => {
      const attachmentId = await uploadAttachment(rig, PDF, 'application/pdf', 'corrupt.pdf');
      const customer = simCustomer();
      const conversationId = await clientWrites(rig, customer);
      const mediaBefore = calls('media').length;
      const sendsBefore = calls('message').length;
      rig.sim.failNext({
        kind: 'media',
        code: 131053,
        phoneNumberId,
        details: 'Uploaded media is corrupt or of an unsupported format.',
        // More than enough to fail every retry, were there any.
        times: 5,
      });
      try {
        const queued = await sendMessage(rig, conversationId, {
          type: 'document',
          document: { attachmentId },
        });
        const failed = await messageReaches(rig, queued.id, ['failed']);
        expect(failed.errorCode).toBe('131053');
        expect(failed.errorTitle).toBe(
          'WhatsApp refused the file: Uploaded media is corrupt or of an unsupported format.',
        );
        expect(failed.externalId).toBeNull();
        // One upload, refused; no retry; no request to /messages at all.
        await new Promise((r) => setTimeout(r, 1500));
        expect(
          calls('media')
            .slice(mediaBefore)
            .map((c) => [c.status, c.code]),
        ).toEqual([[400, 131053]]);
        expect(calls('message').slice(sendsBefore)).toEqual([]);
        expect(outboxTo(rig, customer)).toEqual([]);
      } finally {
        await fetch(`${rig.sim.url}/_sim/v1/fail-next`, { method: 'DELETE' });
      }
    }, 60_000);

    it('fails the message with 100 and its reason when Graph refuses the upload as an invalid parameter; a resend uploads again and sends once', async () => {
      const attachmentId = await uploadAttachment(rig, pngBytes(), 'image/png', 'invalid.png');
      const customer = simCustomer();
      const conversationId = await clientWrites(rig, customer);
      const sendsBefore = calls('message').length;
      rig.sim.failNext({ kind: 'media', code: 100, phoneNumberId });
      const queued = await sendMessage(rig, conversationId, { type: 'image', image: { attachmentId } });
      const failed = await messageReaches(rig, queued.id, ['failed']);
      expect(failed.errorCode).toBe('100');
      expect(failed.errorTitle).toBe(
        'WhatsApp refused the file: WhatsApp rejected a parameter of the message',
      );
      expect(calls('message').slice(sendsBefore)).toEqual([]);

      const again = await rig.tenant.owner.request({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/messages/${queued.id}/resend`,
      });
      expect(again.statusCode, again.body).toBe(202);
      const sent = await messageReaches(rig, queued.id, ['sent', 'delivered', 'read']);
      const outbox = outboxTo(rig, customer);
      expect(outbox.map((e) => e.id)).toEqual([sent.externalId]);
      expect(rig.sim.core.store.media.has((outbox[0]?.request['image'] as { id: string }).id)).toBe(true);
      expect(calls('message').slice(sendsBefore)).toHaveLength(1);
    }, 60_000);
  });

  describe('templates with a media header sent by attachment', () => {
    const suffix = String(Date.now()).slice(-6);
    const imageTemplate = `receipt_img_${suffix}`;
    const documentTemplate = `invoice_doc_${suffix}`;

    beforeAll(async () => {
      const base = `/api/v1/whatsapp/numbers/${rig.numberId}/templates`;
      const body = {
        type: 'BODY',
        text: 'Hi {{1}}, here is your {{2}}.',
        example: { body_text: [['Ana', 'receipt']] },
      };
      for (const [name, format] of [
        [imageTemplate, 'IMAGE'],
        [documentTemplate, 'DOCUMENT'],
      ] as const) {
        const created = await rig.tenant.owner.request({
          method: 'POST',
          url: base,
          payload: {
            name,
            language: 'en',
            category: 'UTILITY',
            components: [{ type: 'HEADER', format, example: { header_handle: ['4::aGFuZGxl'] } }, body],
          },
        });
        expect(created.statusCode, created.body).toBe(201);
      }
      await waitFor(async () => {
        const res = await rig.tenant.owner.request({ url: `${base}?status=APPROVED&q=${suffix}` });
        return res.json<{ items: unknown[] }>().items.length >= 2 ? true : undefined;
      }, 60_000);
    }, 90_000);

    it('sends an IMAGE header by the uploaded Graph media id, leaving body text that looks like a reference alone', async () => {
      const bytes = pngBytes();
      const attachmentId = await uploadAttachment(rig, bytes, 'image/png', 'receipt.png');
      const customer = simCustomer();
      const conversationId = await clientWrites(rig, customer);
      await closeWindow(rig, conversationId);
      const mediaBefore = calls('media').length;
      // A body value that starts like our internal reference to an attachment is the client's text.
      const lookalike = `attachment:${attachmentId}`;
      const queued = await sendMessage(rig, conversationId, {
        type: 'template',
        template: {
          name: imageTemplate,
          language: 'en',
          parameters: { header: { type: 'image', attachmentId }, body: ['Ana', lookalike] },
        },
      });
      const sent = await messageReaches(rig, queued.id, ['sent', 'delivered', 'read']);

      expect(
        calls('media')
          .slice(mediaBefore)
          .map((c) => c.status),
      ).toEqual([200]);
      const [entry, ...more] = outboxTo(rig, customer);
      expect(more).toEqual([]);
      expect(entry?.id).toBe(sent.externalId);
      const template = entry?.request['template'] as {
        components: { type: string; parameters: Record<string, { id?: string }>[] }[];
      };
      const mediaId = template.components[0]?.parameters[0]?.['image']?.id ?? '';
      expect(rig.sim.core.store.media.get(mediaId)?.bytes.equals(bytes)).toBe(true);
      expect(template).toEqual({
        name: imageTemplate,
        language: { code: 'en' },
        components: [
          { type: 'header', parameters: [{ type: 'image', image: { id: mediaId } }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ana' },
              { type: 'text', text: lookalike },
            ],
          },
        ],
      });
    });

    it('sends a DOCUMENT header by the uploaded id with its file name, uploading a file used twice only once', async () => {
      const attachmentId = await uploadAttachment(rig, PDF, 'application/pdf', 'invoice.pdf');
      const customer = simCustomer();
      const conversationId = await clientWrites(rig, customer);
      const mediaBefore = calls('media').length;
      const ids: string[] = [];
      for (const word of ['invoice', 'copy']) {
        const queued = await sendMessage(rig, conversationId, {
          type: 'template',
          template: {
            name: documentTemplate,
            language: 'en',
            parameters: {
              header: { type: 'document', attachmentId, filename: 'invoice-42.pdf' },
              body: ['Ana', word],
            },
          },
        });
        ids.push(queued.id);
      }
      for (const id of ids) await messageReaches(rig, id, ['sent', 'delivered', 'read']);
      expect(calls('media').slice(mediaBefore)).toHaveLength(1);
      const headers = outboxTo(rig, customer).map(
        (e) =>
          (e.request['template'] as { components: { type: string; parameters: unknown[] }[] }).components[0],
      );
      expect(headers).toHaveLength(2);
      const mediaId = (headers[0]?.parameters[0] as { document: { id: string } }).document.id;
      expect(rig.sim.core.store.media.get(mediaId)?.bytes.equals(PDF)).toBe(true);
      for (const header of headers) {
        expect(header).toEqual({
          type: 'header',
          parameters: [{ type: 'document', document: { id: mediaId, filename: 'invoice-42.pdf' } }],
        });
      }
    });

    it('answers 422 naming body.template.parameters.header.attachmentId for an unknown, foreign or unfit file, queuing nothing', async () => {
      const customer = simCustomer();
      const conversationId = await clientWrites(rig, customer);
      const pdf = await uploadAttachment(rig, PDF, 'application/pdf', 'not-an-image.pdf');
      const other = await createTenant(rig.app);
      const foreign = await uploadAttachment(rig, pngBytes(), 'image/png', 'theirs.png', other.owner);
      const send = (attachmentId: string) =>
        rig.tenant.owner.request({
          method: 'POST',
          url: `/api/v1/conversations/${conversationId}/messages`,
          payload: {
            type: 'template',
            template: {
              name: imageTemplate,
              language: 'en',
              parameters: { header: { type: 'image', attachmentId }, body: ['Ana', 'receipt'] },
            },
          },
        });
      for (const [attachmentId, message] of [
        [randomUUID(), /No uploaded file/],
        [foreign, /No uploaded file/],
        [pdf, /application\/pdf cannot be sent as image/],
      ] as const) {
        const res = await send(attachmentId);
        expect(res.statusCode, res.body).toBe(422);
        expect(res.json()).toMatchObject({
          code: 'unprocessable_content',
          errors: [
            { path: 'body.template.parameters.header.attachmentId', message: expect.stringMatching(message) },
          ],
        });
      }
      const malformed = await send('not-a-uuid');
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain(
        'body.template.parameters.header.attachmentId',
      );
      const history = await rig.tenant.owner.request({
        url: `/api/v1/conversations/${conversationId}/messages`,
      });
      expect(
        history.json<{ items: { direction: string }[] }>().items.filter((m) => m.direction === 'outbound'),
      ).toEqual([]);
      expect(outboxTo(rig, customer)).toEqual([]);
    });
  });

  describe('read receipts Graph refuses', () => {
    /** The read-receipt jobs of a conversation (pg-boss), with how often each was retried. */
    const receiptJobs = async (conversationId: string) =>
      (
        await rig.app.database.executeSql(
          `select state, retry_count from pgboss.job where name = 'whatsapp.read-receipt' and singleton_key = $1`,
          [conversationId],
        )
      ).rows as { state: string; retry_count: number }[];
    const latestInbound = async (conversationId: string) =>
      (await rig.tenant.owner.request({ url: `/api/v1/conversations/${conversationId}/messages` }))
        .json<{ items: { direction: string; status: string; externalId: string }[] }>()
        .items.find((m) => m.direction === 'inbound');
    const open = async (conversationId: string) => {
      const res = await rig.tenant.owner.request({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/read`,
      });
      expect(res.statusCode).toBe(204);
    };
    /** A client writes: their conversation, its inbound message, and how many receipts Graph had before. */
    const clientWritesIn = async () => {
      const conversationId = await clientWrites(rig, simCustomer());
      return {
        conversationId,
        inbound: await latestInbound(conversationId),
        readsBefore: calls('read').length,
      };
    };
    /** Waits until the conversation's inbound message shows as read. */
    const shownRead = (conversationId: string) =>
      waitFor(
        async () => ((await latestInbound(conversationId))?.status === 'read' ? true : undefined),
        30_000,
      );
    /** The read receipts Graph had after the first `before`. */
    const readsAfter = (before: number) => calls('read').slice(before);

    it('retries a receipt Graph answers with 131000 (HTTP 500), and it reaches Graph once accepted', async () => {
      const { conversationId, inbound, readsBefore } = await clientWritesIn();
      rig.sim.failNext({ kind: 'read', code: 131000, phoneNumberId });
      await open(conversationId);
      await shownRead(conversationId);

      expect(readsAfter(readsBefore).map((c) => [c.status, c.code ?? null])).toEqual([
        [500, 131000],
        [200, null],
      ]);
      expect(rig.sim.core.store.inbox.get(inbound?.externalId ?? '')?.readByBusiness).toBe(true);
      const jobs = await waitFor(async () => {
        const rows = await receiptJobs(conversationId);
        return rows.every((j) => j.state === 'completed') && rows.length > 0 ? rows : undefined;
      });
      expect(jobs).toEqual([{ state: 'completed', retry_count: 1 }]);
    }, 60_000);

    it('gives up at once on a receipt Graph refuses for good (100), without retrying it', async () => {
      const { conversationId, inbound, readsBefore } = await clientWritesIn();
      // Were the receipt retried, every retry would be refused too.
      rig.sim.failNext({ kind: 'read', code: 100, phoneNumberId, times: 10 });
      try {
        await open(conversationId);
        const jobs = await waitFor(async () => {
          const rows = await receiptJobs(conversationId);
          return rows.length > 0 && rows.every((j) => j.state === 'completed' || j.state === 'failed')
            ? rows
            : undefined;
        }, 30_000);
        // Settled without a retry: pg-boss will not run it again.
        expect(jobs).toEqual([{ state: 'completed', retry_count: 0 }]);
        expect(readsAfter(readsBefore).map((c) => [c.status, c.code])).toEqual([[400, 100]]);
        expect((await latestInbound(conversationId))?.status).toBe('received');
        expect(rig.sim.core.store.inbox.get(inbound?.externalId ?? '')?.readByBusiness).toBe(false);
      } finally {
        await fetch(`${rig.sim.url}/_sim/v1/fail-next`, { method: 'DELETE' });
      }

      // Opening the conversation again later tries again, and Graph now takes it.
      await open(conversationId);
      await shownRead(conversationId);
      expect(readsAfter(readsBefore).map((c) => c.status)).toEqual([400, 200]);
    }, 60_000);
  });
});
