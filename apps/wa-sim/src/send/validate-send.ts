import { GraphError, invalidParam } from '../graph-error.ts';
import { MEDIA_KINDS, mimeFitsKind, type MediaKind } from '../media.ts';
import type { Store, Template } from '../store.ts';
import {
  isHttpUrl,
  isObject,
  missing,
  optionalObject,
  optionalString,
  requireArray,
  requireObject,
  requireString,
  type Json,
} from './checks.ts';
import { validateInteractive } from './validate-interactive.ts';
import { validateTemplate } from './validate-template.ts';

// Validates `POST /{phone-number-id}/messages` bodies the way Meta does, returning a parsed send or
// throwing a GraphError carrying Meta's code.

export type ParsedSend =
  | { kind: 'read'; messageId: string; typing: boolean }
  | {
      kind: 'message';
      to: string;
      input: string;
      recipientType: 'individual' | 'group';
      type: string;
      content: Json;
      contextId: string | undefined;
      bizOpaque: string | undefined;
      template: Template | undefined;
    };

const TYPES = new Set([
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'reaction',
  'interactive',
  'template',
]);

export function validateSend(body: unknown, wabaId: string, phoneNumberId: string, store: Store): ParsedSend {
  if (!isObject(body)) throw new GraphError(100, 'Request body must be a JSON object');
  if (body['messaging_product'] !== 'whatsapp') {
    if (body['messaging_product'] === undefined) throw missing('messaging_product', 100);
    throw new GraphError(100, "Parameter 'messaging_product' must be 'whatsapp'");
  }
  if (body['status'] === 'read') {
    const messageId = requireString(body, 'message_id', 'message_id', { missingCode: 100 });
    const typing = optionalObject(body, 'typing_indicator', 'typing_indicator');
    if (typing && typing['type'] !== 'text')
      throw invalidParam("Parameter 'typing_indicator.type' must be 'text'");
    const msg = store.inbox.get(messageId);
    if (msg?.phoneNumberId !== phoneNumberId)
      throw invalidParam(`Message ${messageId} was not received by this number`);
    return { kind: 'read', messageId, typing: typing !== undefined };
  }
  const recipientType = body['recipient_type'] ?? 'individual';
  if (recipientType !== 'individual' && recipientType !== 'group') {
    throw invalidParam("Parameter 'recipient_type' must be 'individual' or 'group'");
  }
  const input = requireString(body, 'to', 'to', { missingCode: 100 });
  const to = recipientType === 'group' ? input : normalizeNumber(input);
  if (recipientType === 'group' && !store.groups.has(to)) throw invalidParam(`Group ${to} does not exist`);
  const type = (body['type'] ?? 'text') as unknown;
  if (typeof type !== 'string' || !TYPES.has(type)) {
    throw new GraphError(131051, `Message type '${String(type)}' is not supported.`);
  }
  let content: Json;
  if (type === 'contacts') {
    validateContactsArray(body);
    content = { contacts: body['contacts'] };
  } else content = requireObject(body, type, type, 100);
  const context = optionalObject(body, 'context', 'context');
  const contextId = context ? requireString(context, 'message_id', 'context.message_id') : undefined;
  if (contextId !== undefined && type === 'reaction') throw invalidParam('Reactions cannot carry a context');
  const bizOpaque = optionalString(body, 'biz_opaque_callback_data', 'biz_opaque_callback_data', {
    max: 512,
  });
  let template: Template | undefined;
  if (type === 'template') template = validateTemplate(content, wabaId, store);
  else if (type !== 'contacts') validateContent(type, content, store);
  return { kind: 'message', to, input, recipientType, type, content, contextId, bizOpaque, template };
}

/** Accepts `+`, `-`, `()` and spaces as Meta does, and returns the bare digits (the `wa_id`). */
export function normalizeNumber(input: string): string {
  const digits = input.replace(/[\s()+-]/g, '');
  if (!/^\d{7,15}$/.test(digits))
    throw new GraphError(100, `Parameter 'to' is not a valid phone number: ${input}`);
  return digits;
}

function validateContent(type: string, content: Json, store: Store): void {
  if ((MEDIA_KINDS as readonly string[]).includes(type)) {
    validateMedia(type as MediaKind, content, store);
    return;
  }
  switch (type) {
    case 'text':
      requireString(content, 'body', "text['body']", { max: 4096, missingCode: 100 });
      if (content['preview_url'] !== undefined && typeof content['preview_url'] !== 'boolean') {
        throw invalidParam("Parameter 'text.preview_url' must be a boolean");
      }
      return;
    case 'location':
      for (const key of ['latitude', 'longitude']) {
        const v = content[key];
        if (v === undefined) throw missing(`location['${key}']`, 131008);
        if (typeof v !== 'number' && !(typeof v === 'string' && Number.isFinite(Number(v)))) {
          throw invalidParam(`Parameter 'location.${key}' must be a number`);
        }
      }
      optionalString(content, 'name', 'location.name', { max: 1000 });
      optionalString(content, 'address', 'location.address', { max: 1000 });
      return;
    case 'reaction':
      requireString(content, 'message_id', "reaction['message_id']", { missingCode: 100 });
      // "" removes a reaction, so only a missing emoji is an error.
      if (typeof content['emoji'] !== 'string') throw missing("reaction['emoji']", 100);
      return;
    case 'interactive':
      validateInteractive(content);
      return;
    default:
      throw new GraphError(131051, `Message type '${type}' is not supported.`);
  }
}

/** `contacts` is an array at the top level, so it is validated by its own entry point. */
export function validateContactsArray(body: Json): void {
  const list = requireArray(body, 'contacts', 'contacts', 1, 257);
  list.forEach((c: unknown, i) => {
    if (!isObject(c)) throw invalidParam(`Parameter 'contacts[${i}]' must be an object`);
    const name = requireObject(c, 'name', `contacts[${i}].name`);
    requireString(name, 'formatted_name', `contacts[${i}].name.formatted_name`);
  });
}

function validateMedia(kind: MediaKind, content: Json, store: Store): void {
  const id = optionalString(content, 'id', `${kind}.id`);
  const link = optionalString(content, 'link', `${kind}.link`);
  if (id === undefined && link === undefined) {
    throw new GraphError(131008, `Parameter '${kind}' requires either 'id' or 'link'.`);
  }
  if (id !== undefined && link !== undefined)
    throw invalidParam(`Parameter '${kind}' must not have both 'id' and 'link'.`);
  if (link !== undefined && !isHttpUrl(link))
    throw invalidParam(`Parameter '${kind}.link' must be an http(s) URL`);
  if (id !== undefined) {
    const media = store.media.get(id);
    if (!media) throw invalidParam(`Media id ${id} does not exist or has expired`);
    if (!mimeFitsKind(media.mimeType, kind)) {
      throw new GraphError(131053, `Media of type ${media.mimeType} cannot be sent as ${kind}.`);
    }
  }
  if (kind === 'image' || kind === 'video' || kind === 'document') {
    optionalString(content, 'caption', `${kind}.caption`, { max: 1024, allowEmpty: true });
  }
  if (kind === 'document') optionalString(content, 'filename', 'document.filename', { max: 240 });
  if (kind === 'audio' && content['voice'] !== undefined && typeof content['voice'] !== 'boolean') {
    throw invalidParam("Parameter 'audio.voice' must be a boolean");
  }
}
