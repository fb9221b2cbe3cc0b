// Files an agent sends: which WhatsApp media kind a file goes as, and the send built from an upload.
import type { SendMessageRequest } from '@switchboard/contracts';

export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker';

/** JPEG and PNG are images, WebP a sticker, audio and video by type; anything else a document. */
export function mediaKindOf(mimeType: string): MediaKind {
  const type = mimeType.toLowerCase();
  if (type === 'image/jpeg' || type === 'image/png') return 'image';
  if (type === 'image/webp') return 'sticker';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  return 'document';
}

/** Images, videos and documents carry a caption; audio and stickers do not. */
export const takesCaption = (kind: MediaKind) => kind === 'image' || kind === 'video' || kind === 'document';

export function mediaMessage(
  kind: MediaKind,
  attachmentId: string,
  options: { caption?: string; filename?: string; replyTo?: string } = {},
): SendMessageRequest {
  const caption = options.caption?.trim() ?? '';
  const withCaption = takesCaption(kind) && caption !== '' ? { caption } : {};
  const reply = options.replyTo === undefined ? {} : { replyTo: options.replyTo };
  switch (kind) {
    case 'image':
      return { type: 'image', image: { attachmentId, ...withCaption }, ...reply };
    case 'video':
      return { type: 'video', video: { attachmentId, ...withCaption }, ...reply };
    case 'document':
      return {
        type: 'document',
        document: {
          attachmentId,
          ...withCaption,
          ...(options.filename === undefined ? {} : { filename: options.filename.slice(0, 240) }),
        },
        ...reply,
      };
    case 'audio':
      return { type: 'audio', audio: { attachmentId, voice: false }, ...reply };
    case 'sticker':
      return { type: 'sticker', sticker: { attachmentId }, ...reply };
  }
}
