// What the delivery engine sends to `POST /{phone-number-id}/messages` for a stored outbound
// message (contract doc §4), and what Graph's answer means for the message.
import { GraphApiError, GraphNetworkError } from '../whatsapp/graph-http.ts';

type Json = Record<string, unknown>;

const compact = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** Our camelCase content of a media message as Graph's media object. */
function mediaObject(c: Json, graphMediaId: string | undefined): Json {
  return compact({
    id: graphMediaId,
    link: graphMediaId ? undefined : c['link'],
    caption: c['caption'],
    filename: c['filename'],
    voice: c['voice'] === true ? true : undefined,
  });
}

function header(h: Json | undefined, graphMediaId: string | undefined): Json | undefined {
  if (!h) return undefined;
  const type = String(h['type']);
  if (type === 'text') return { type, text: h['text'] };
  return { type, [type]: mediaObject(h, graphMediaId) };
}

function interactiveObject(i: Json, graphMediaId: string | undefined): Json {
  const type = String(i['type']);
  const common = compact({
    type,
    header: header(i['header'] as Json | undefined, graphMediaId),
    body: i['body'],
    footer: i['footer'],
  });
  switch (type) {
    case 'button':
      return {
        ...common,
        action: {
          buttons: (i['buttons'] as Json[]).map((b) => ({
            type: 'reply',
            reply: { id: b['id'], title: b['title'] },
          })),
        },
      };
    case 'list':
      return { ...common, action: { button: i['button'], sections: i['sections'] } };
    default: {
      const action = i['action'] as Json;
      return {
        ...common,
        action: { name: 'cta_url', parameters: { display_text: action['displayText'], url: action['url'] } },
      };
    }
  }
}

function contactCards(cards: Json[]): Json[] {
  return cards.map((card) => {
    const name = card['name'] as Json;
    return compact({
      name: compact({
        formatted_name: name['formattedName'],
        first_name: name['firstName'],
        last_name: name['lastName'],
      }),
      phones: (card['phones'] as Json[] | undefined)?.map((p) =>
        compact({ phone: p['phone'], type: p['type'], wa_id: p['waId'] }),
      ),
      emails: (card['emails'] as Json[] | undefined)?.map((e) =>
        compact({ email: e['email'], type: e['type'] }),
      ),
    });
  });
}

/** A template's media header names our attachment until it is uploaded: `{"id":"attachment:<uuid>"}`. */
export const ATTACHMENT_REF = 'attachment:';

/** The media object of a template's header (`components[type=header].parameters[0][kind]`), if any. */
function templateHeaderMedia(graph: unknown): Json | undefined {
  const components = (graph as Json | undefined)?.['components'];
  if (!Array.isArray(components)) return undefined;
  const header = (components as Json[]).find((c) => c['type'] === 'header');
  const parameter = (header?.['parameters'] as Json[] | undefined)?.[0];
  const kind = parameter?.['type'];
  const media = typeof kind === 'string' ? parameter?.[kind] : undefined;
  return media !== null && typeof media === 'object' ? (media as Json) : undefined;
}

/**
 * The template with its header's attachment reference replaced by Graph's media id. Only the
 * header's media id is a reference: a body or button value that looks like one is the client's text.
 */
function withHeaderMediaId(graph: Json, graphMediaId: string): Json {
  const components = graph['components'] as Json[];
  return {
    ...graph,
    components: components.map((c) => {
      if (c['type'] !== 'header') return c;
      return {
        ...c,
        parameters: (c['parameters'] as Json[]).map((p) => {
          const kind = String(p['type']);
          const media = p[kind] as Json | undefined;
          const id = media?.['id'];
          return typeof id === 'string' && id.startsWith(ATTACHMENT_REF)
            ? { ...p, [kind]: { ...media, id: graphMediaId } }
            : p;
        }),
      };
    }),
  };
}

/** The attachment a stored outbound message sends (its file, or its header's), if any. */
export function attachmentIdOf(message: SendableMessage): string | undefined {
  const c = message.content;
  const direct = c['attachmentId'] ?? (c['header'] as Json | undefined)?.['attachmentId'];
  if (typeof direct === 'string') return direct;
  if (message.type === 'template') {
    const id = templateHeaderMedia(c['graph'])?.['id'];
    return typeof id === 'string' && id.startsWith(ATTACHMENT_REF)
      ? id.slice(ATTACHMENT_REF.length)
      : undefined;
  }
  return undefined;
}

export interface SendableMessage {
  /** Our id, sent as `biz_opaque_callback_data`: Meta echoes it in the message's statuses. */
  id: string;
  type: string;
  content: Json;
  /** The quoted message's wamid, when the message replies to one. */
  replyToExternalId: string | null;
}

/**
 * The Cloud API send body. `to` is the client's WhatsApp id; `graphMediaId` is the id Graph gave
 * the message's uploaded file (media messages and media headers).
 */
export function graphSendBody(message: SendableMessage, to: string, graphMediaId?: string): Json {
  const c = message.content;
  const base: Json = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: message.type,
    biz_opaque_callback_data: message.id,
  };
  if (message.replyToExternalId && message.type !== 'reaction') {
    base['context'] = { message_id: message.replyToExternalId };
  }
  switch (message.type) {
    case 'text':
      return { ...base, text: { preview_url: c['previewUrl'] === true, body: c['body'] } };
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return { ...base, [message.type]: mediaObject(c, graphMediaId) };
    case 'location':
      return {
        ...base,
        location: compact({
          latitude: c['latitude'],
          longitude: c['longitude'],
          name: c['name'],
          address: c['address'],
        }),
      };
    case 'contacts':
      return { ...base, contacts: contactCards(c['contacts'] as Json[]) };
    case 'reaction':
      return { ...base, reaction: { message_id: c['targetExternalId'], emoji: c['emoji'] ?? '' } };
    case 'interactive':
      return { ...base, interactive: interactiveObject(c, graphMediaId) };
    case 'template':
      return {
        ...base,
        template: graphMediaId ? withHeaderMediaId(c['graph'] as Json, graphMediaId) : c['graph'],
      };
    default:
      throw new Error(`cannot send a message of type ${message.type}`);
  }
}

/** What becomes of a message after a failed attempt. */
export type SendFailure =
  /** Try again after `delayMs` (throughput, pair rate, Meta's 5xx, a request that never left). */
  | { kind: 'retry'; code: string; reason: string; delayMs: number }
  /** Failed for good: the code and a reason a person can read. */
  | { kind: 'failed'; code: string; reason: string }
  /** The request may have reached Meta: never resent automatically. */
  | { kind: 'unknown'; reason: string };

/** Human reasons for the permanent errors agents meet most (Graph's own title otherwise). */
const REASONS: Record<number, string> = {
  100: 'WhatsApp rejected a parameter of the message',
  190: "The number's access token was rejected; an admin must enter a new one",
  131026: 'The message could not be delivered (the client may not have WhatsApp, or has an old version)',
  131047: 'More than 24 hours have passed since the client last wrote; only a template can be sent',
  131050: 'The client has stopped marketing messages from this business',
  131051: 'WhatsApp does not support this message type',
  132000: "The template's parameters do not match its placeholders",
  132001: 'The template does not exist in this language, or is not approved',
  132015: 'The template is paused because of low quality',
  132016: 'The template has been disabled',
};

/** A reason a person can read for a WhatsApp error code, or the fallback (Meta's title). */
export function humanReason(code: number | string | undefined, fallback: string): string {
  return (code !== undefined && REASONS[Number(code)]) || fallback;
}

/** Throughput (130429), pair rate (131056), app/WABA rate limits, and Meta's transient errors. */
const RETRYABLE = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 131056, 131057]);

/** Exponential backoff with full jitter, from `baseMs`, capped. */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function classifySendFailure(err: unknown, attempt: number, random = Math.random): SendFailure {
  if (err instanceof GraphNetworkError) {
    return err.maybeDelivered
      ? { kind: 'unknown', reason: `No answer from WhatsApp: ${err.message}` }
      : {
          kind: 'retry',
          code: 'network',
          reason: err.message,
          delayMs: backoffMs(attempt, 1000, 60_000, random),
        };
  }
  if (err instanceof GraphApiError) {
    const code = err.code ?? err.httpStatus;
    const reason = humanReason(err.code, err.details ?? err.title);
    if (err.code === 131056) {
      // Meta: retry a pair-rate failure after 4^X seconds.
      return { kind: 'retry', code: String(code), reason, delayMs: Math.min(4 ** attempt, 600) * 1000 };
    }
    if ((err.code !== undefined && RETRYABLE.has(err.code)) || err.httpStatus >= 500) {
      return {
        kind: 'retry',
        code: String(code),
        reason,
        delayMs: backoffMs(attempt, 1000, 120_000, random),
      };
    }
    return { kind: 'failed', code: String(code), reason };
  }
  return { kind: 'unknown', reason: err instanceof Error ? err.message : String(err) };
}
