import { z } from 'zod';
import { createMediaObject, sampleMedia, type MediaKind } from './media.ts';
import type { Json } from './store.ts';

// The control API's inbound body: `{phoneNumberId, from, name?, type, ...type fields as in Meta's
// webhook}`. The simulator fills what only WhatsApp knows (message id, timestamp, media id/hash, the
// context sender) and leaves everything else exactly as given.

const obj = z.looseObject({});

export const INBOUND_TYPES = [
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'reaction',
  'order',
  'system',
  'unsupported',
] as const;

const mediaInput = z.looseObject({
  id: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  mime_type: z.string().optional(),
  /** File content (base64); without it and without `id`, a tiny sample file of the right kind is used. */
  data: z.string().optional(),
  voice: z.boolean().optional(),
  animated: z.boolean().optional(),
});

export const inboundSchema = z.object({
  phoneNumberId: z.string().min(1),
  from: z.string().regex(/^\d{5,20}$/, 'digits only, no +'),
  name: z.string().optional(),
  type: z.enum(INBOUND_TYPES),
  id: z.string().optional(),
  timestamp: z.union([z.number().int(), z.string().regex(/^\d+$/)]).optional(),
  /** `{id}` quotes a message, `{forwarded:true}`/`{frequently_forwarded:true}` marks a forward; null: none. */
  context: obj.nullable().optional(),
  referral: obj.optional(),
  /** Override the `bsuid` setting (business-scoped user ids in contacts) for this message. */
  bsuid: z.boolean().optional(),
  /** Also send `from_user_id` on the message (BSUID rollout). */
  withUserId: z.boolean().optional(),
  /** Value-level `errors[]` next to the message (Meta's "unsupported webhook payload" case). */
  valueErrors: z.array(obj).optional(),
  /** Override `inboundMediaUrl` for this message. */
  mediaUrl: z.boolean().optional(),
  text: z.object({ body: z.string() }).optional(),
  image: mediaInput.optional(),
  audio: mediaInput.optional(),
  video: mediaInput.optional(),
  document: mediaInput.optional(),
  sticker: mediaInput.optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number() }).optional(),
  contacts: z.array(obj).min(1).optional(),
  interactive: z.looseObject({ type: z.string() }).optional(),
  button: z.object({ payload: z.string(), text: z.string() }).optional(),
  reaction: z.looseObject({ message_id: z.string(), emoji: z.string().optional() }).optional(),
  order: obj.optional(),
  system: z
    .looseObject({
      type: z.string().default('user_changed_number'),
      wa_id: z.string().optional(),
      body: z.string().optional(),
    })
    .optional(),
  identity: obj.optional(),
  unsupported: z.object({ type: z.string() }).optional(),
});
export type InboundInput = z.output<typeof inboundSchema>;

export interface InboundContext {
  now: number;
  newMediaId(): string;
  storeMedia(media: ReturnType<typeof createMediaObject>): void;
  mediaUrl(id: string): string | undefined;
  /** Resolves who sent a quoted message: the business display number or the customer. */
  contextFrom(messageId: string): string;
  /** The latest business message of `type` to this customer, for replies that must quote it. */
  lastBusinessMessage(type: 'interactive' | 'template'): string | undefined;
  displayNumber: string;
  customerName: string;
  userId: string;
}

/** Builds the webhook `messages[]` object; throws a message (→ HTTP 400) when the type's field is missing. */
export function buildInboundMessage(input: InboundInput, id: string, ctx: InboundContext): Json {
  const m: Json = {};
  const context = buildContext(input, ctx);
  if (context) m['context'] = context;
  m['from'] = input.from;
  if (input.withUserId) m['from_user_id'] = ctx.userId;
  m['id'] = id;
  m['timestamp'] = String(input.timestamp ?? Math.floor(ctx.now / 1000));
  m['type'] = input.type;
  const t = input.type;
  switch (t) {
    case 'image':
    case 'audio':
    case 'video':
    case 'document':
    case 'sticker':
      m[t] = buildMedia(t, input[t] ?? {}, input, ctx);
      break;
    case 'unsupported':
      m['errors'] = [
        {
          code: 131051,
          title: 'Message type unknown',
          message: 'Message type unknown',
          error_data: { details: 'Message type is currently not supported.' },
        },
      ];
      if (input.unsupported) m['unsupported'] = input.unsupported;
      break;
    case 'system':
      m['system'] = buildSystem(input, ctx);
      if (input.identity || m['system'] !== undefined) {
        const sys = m['system'] as Json;
        if (sys['type'] === 'customer_identity_changed') {
          m['identity'] = input.identity ?? {
            acknowledged: true,
            created_timestamp: m['timestamp'],
            hash: id.slice(-12),
          };
        }
      }
      break;
    case 'interactive':
      // Meta sometimes sends an interactive message without its object plus a value-level error.
      if (input.interactive) m['interactive'] = input.interactive;
      break;
    case 'text':
    case 'location':
    case 'contacts':
    case 'button':
    case 'reaction':
    case 'order':
      m[t] = required(input[t], t);
      break;
  }
  if (input.referral) m['referral'] = input.referral;
  return m;
}

function required<T>(v: T | undefined, type: string): T {
  if (v === undefined) throw new Error(`type '${type}' needs a '${type}' field`);
  return v;
}

function buildContext(input: InboundInput, ctx: InboundContext): Json | undefined {
  if (input.context === null) return undefined;
  if (input.context) {
    const c: Json = { ...input.context };
    if (typeof c['id'] === 'string' && c['from'] === undefined) {
      return { from: ctx.contextFrom(c['id']), ...c };
    }
    return c;
  }
  // Button and list replies always quote the message that carried the UI.
  const quoted =
    input.type === 'interactive'
      ? ctx.lastBusinessMessage('interactive')
      : input.type === 'button'
        ? ctx.lastBusinessMessage('template')
        : undefined;
  return quoted ? { from: ctx.displayNumber, id: quoted } : undefined;
}

function buildSystem(input: InboundInput, ctx: InboundContext): Json {
  const sys = input.system ?? { type: 'user_changed_number' };
  if (sys.type === 'customer_identity_changed') return { body: sys.body ?? 'User identity changed', ...sys };
  const newId = sys.wa_id ?? required<string>(undefined, 'system.wa_id');
  return {
    body: sys.body ?? `User ${ctx.customerName} changed from ${input.from} to ${newId}`,
    wa_id: newId,
    type: sys.type,
  };
}

const VOICE_MIME = 'audio/ogg; codecs=opus';

function buildMedia(
  kind: MediaKind,
  given: z.output<typeof mediaInput>,
  input: InboundInput,
  ctx: InboundContext,
): Json {
  const sample = sampleMedia(kind);
  let id = given.id;
  let mime = given.mime_type ?? (kind === 'audio' && given.voice ? VOICE_MIME : sample.mime);
  let sha256 = typeof given['sha256'] === 'string' ? given['sha256'] : undefined;
  if (id === undefined) {
    const bytes = given.data !== undefined ? Buffer.from(given.data, 'base64') : sample.bytes;
    id = ctx.newMediaId();
    const media = createMediaObject(
      id,
      input.phoneNumberId,
      mime,
      bytes,
      given.filename ?? sample.filename,
      ctx.now,
    );
    ctx.storeMedia(media);
    sha256 = media.sha256Base64;
  }
  sha256 ??= '';
  mime = mime.trim();
  const out: Json = {};
  if (given.caption !== undefined && kind !== 'audio' && kind !== 'sticker') out['caption'] = given.caption;
  if (kind === 'document') out['filename'] = given.filename ?? sample.filename ?? 'file';
  out['mime_type'] = mime;
  out['sha256'] = sha256;
  out['id'] = id;
  const url = ctx.mediaUrl(id);
  if (url !== undefined) out['url'] = url;
  if (kind === 'audio') out['voice'] = given.voice ?? false;
  if (kind === 'sticker') out['animated'] = given.animated ?? false;
  return out;
}
