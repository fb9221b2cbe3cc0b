import { sendMessageRequestSchema } from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';
import { mediaKindOf, mediaMessage } from './attachments';

const id = '01900000-0000-7000-8000-000000000001';

describe('attachments', () => {
  it('sends a file as the media kind its type allows', () => {
    expect(mediaKindOf('image/PNG')).toBe('image');
    expect(mediaKindOf('image/webp')).toBe('sticker');
    expect(mediaKindOf('audio/ogg')).toBe('audio');
    expect(mediaKindOf('video/mp4')).toBe('video');
    expect(mediaKindOf('application/pdf')).toBe('document');
  });

  it('builds sends the API accepts, with a caption only where WhatsApp shows one', () => {
    const image = mediaMessage('image', id, { caption: ' receipt ', replyTo: id });
    expect(image).toEqual({ type: 'image', image: { attachmentId: id, caption: 'receipt' }, replyTo: id });
    expect(mediaMessage('audio', id, { caption: 'ignored' })).toEqual({
      type: 'audio',
      audio: { attachmentId: id, voice: false },
    });
    const doc = mediaMessage('document', id, { filename: 'invoice.pdf' });
    for (const send of [
      image,
      doc,
      mediaMessage('sticker', id),
      mediaMessage('video', id, { caption: '' }),
    ]) {
      expect(sendMessageRequestSchema.safeParse(send).success).toBe(true);
    }
  });
});
