// Turns one inbound `messages[]` item of a Cloud API webhook into what we store: a type, a
// normalized content object, and the envelope facts (reply, forwarding, ad referral, time).
// Unknown shapes are kept (raw) and shown as unsupported, never dropped.

type Json = Record<string, unknown>;

export interface NormalizedInbound {
  externalId: string;
  /** Sender's WhatsApp id (digits) as Meta sends it; may be empty with business-scoped ids. */
  from: string;
  type: string;
  content: Json;
  replyToExternalId: string | null;
  forwarded: boolean;
  frequentlyForwarded: boolean;
  referral: Json | null;
  occurredAt: Date;
  raw: Json;
}

const obj = (v: unknown): Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined =>
  typeof v === 'number'
    ? v
    : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
      ? Number(v)
      : undefined;

/** Drops undefined members, so stored content has only what Meta sent. */
function compact(o: Record<string, unknown>): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);

function media(type: string, m: Json): Json {
  return compact({
    mediaId: str(m['id']),
    mimeType: str(m['mime_type']),
    sha256: str(m['sha256']),
    caption: str(m['caption']),
    filename: str(m['filename']),
    voice: type === 'audio' ? m['voice'] === true || /opus/.test(str(m['mime_type']) ?? '') : undefined,
    animated: type === 'sticker' ? m['animated'] === true : undefined,
    url: str(m['url']),
    download: 'pending',
  });
}

function interactive(i: Json, errors: unknown): Json {
  const kind = str(i['type']) ?? 'unknown';
  switch (kind) {
    case 'button_reply': {
      const r = obj(i['button_reply']);
      return { kind: 'button_reply', id: str(r['id']) ?? '', title: str(r['title']) ?? '' };
    }
    case 'list_reply': {
      const r = obj(i['list_reply']);
      return compact({
        kind: 'list_reply',
        id: str(r['id']) ?? '',
        title: str(r['title']) ?? '',
        description: str(r['description']),
      });
    }
    case 'nfm_reply': {
      const r = obj(i['nfm_reply']);
      let response: unknown = str(r['response_json']);
      try {
        response = JSON.parse(String(response));
      } catch {
        // keep the string as sent
      }
      return compact({ kind: 'flow_reply', name: str(r['name']), body: str(r['body']), response });
    }
    default:
      return compact({ kind, errors });
  }
}

/** Content by type. Returns `unsupported` for anything we do not understand yet. */
function contentOf(type: string, m: Json): { type: string; content: Json } {
  const body = obj(m[type]);
  if (MEDIA_TYPES.has(type)) return { type, content: media(type, body) };
  switch (type) {
    case 'text':
      return { type, content: { body: str(body['body']) ?? '' } };
    case 'location':
      return {
        type,
        content: compact({
          latitude: num(body['latitude']),
          longitude: num(body['longitude']),
          name: str(body['name']),
          address: str(body['address']),
          url: str(body['url']),
        }),
      };
    case 'contacts':
      return { type, content: { contacts: Array.isArray(m['contacts']) ? m['contacts'] : [] } };
    case 'interactive':
      return { type, content: interactive(body, m['errors']) };
    case 'button':
      return { type, content: { payload: str(body['payload']) ?? '', text: str(body['text']) ?? '' } };
    case 'reaction': {
      const emoji = str(body['emoji']);
      return {
        type,
        content: { targetExternalId: str(body['message_id']) ?? '', emoji: emoji ? emoji : null },
      };
    }
    case 'order':
      return {
        type,
        content: compact({
          catalogId: str(body['catalog_id']),
          text: str(body['text']),
          items: Array.isArray(body['product_items']) ? body['product_items'] : [],
        }),
      };
    case 'system':
      return {
        type,
        content: compact({
          body: str(body['body']),
          systemType: str(body['type']),
          newWaId: str(body['wa_id']),
          identity: m['identity'],
        }),
      };
    case 'revoke':
      return { type, content: { targetExternalId: str(obj(m['revoke'])['original_message_id']) ?? '' } };
    case 'edit': {
      const edit = obj(m['edit']);
      const inner = obj(edit['message']);
      const innerType = str(inner['type']) ?? 'unsupported';
      return {
        type,
        content: {
          targetExternalId: str(edit['original_message_id']) ?? '',
          message: contentOf(innerType, inner),
        },
      };
    }
    default:
      return {
        type: 'unsupported',
        content: compact({
          unsupportedType: str(obj(m['unsupported'])['type']) ?? type,
          errors: m['errors'],
        }),
      };
  }
}

export function normalizeInbound(message: Json): NormalizedInbound {
  const context = obj(message['context']);
  const ts = num(message['timestamp']);
  const { type, content } = contentOf(str(message['type']) ?? 'unsupported', message);
  return {
    externalId: str(message['id']) ?? '',
    from: str(message['from']) ?? '',
    type,
    content,
    replyToExternalId: type === 'reaction' ? null : (str(context['id']) ?? null),
    forwarded: context['forwarded'] === true || context['frequently_forwarded'] === true,
    frequentlyForwarded: context['frequently_forwarded'] === true,
    referral: message['referral'] ? obj(message['referral']) : null,
    occurredAt: ts === undefined ? new Date(0) : new Date(ts * 1000),
    raw: message,
  };
}
