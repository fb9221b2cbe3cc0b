// Messages as the thread shows them: normalized from any source (history page, realtime event,
// note answer), ordered, grouped by day, and previewed for the conversation list.
import { localDayKey } from '../../lib/i18n/format';
import type { PlainMessageKey, Translate } from '../../lib/i18n/types';
import { messageStatuses, type Message, type MessageDirection, type MessageStatus } from './api/types';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

const directions: readonly string[] = ['inbound', 'outbound', 'note'];

/**
 * A Message from a realtime event's data or a note view, which carry fewer fields than the
 * history: what is missing gets its neutral value. Undefined when it is not a message at all.
 */
export function normalizeMessage(data: Record<string, unknown>): Message | undefined {
  const id = str(data['id']);
  const direction = str(data['direction']);
  const occurredAt = str(data['occurredAt']);
  if (id === null || direction === null || !directions.includes(direction) || occurredAt === null)
    return undefined;
  const status = str(data['status']);
  return {
    id,
    direction: direction as MessageDirection,
    type: str(data['type']) ?? 'unsupported',
    content: isRecord(data['content']) ? data['content'] : {},
    externalId: str(data['externalId']),
    status:
      status !== null && (messageStatuses as readonly string[]).includes(status)
        ? (status as MessageStatus)
        : 'received',
    errorCode: str(data['errorCode']),
    errorTitle: str(data['errorTitle']),
    replyToExternalId: str(data['replyToExternalId']),
    forwarded: data['forwarded'] === true,
    frequentlyForwarded: data['frequentlyForwarded'] === true,
    referral: isRecord(data['referral']) ? data['referral'] : null,
    reactions: isRecord(data['reactions'])
      ? Object.fromEntries(
          Object.entries(data['reactions']).filter((e): e is [string, string] => typeof e[1] === 'string'),
        )
      : {},
    senderUserId: str(data['senderUserId']),
    occurredAt,
    statusAt: str(data['statusAt']),
  };
}

/** Oldest first; equal instants by id (UUIDv7 ids grow with time), as the server pages them. */
export function compareMessages(a: Message, b: Message): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface DayGroup {
  day: string;
  /** An instant of the day, for its heading. */
  firstAt: string;
  messages: Message[];
}

/** Consecutive messages of the same local day, oldest day first. */
export function groupByDay(messages: readonly Message[]): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const message of messages) {
    const day = localDayKey(message.occurredAt);
    const last = groups.at(-1);
    if (last?.day === day) last.messages.push(message);
    else groups.push({ day, firstAt: message.occurredAt, messages: [message] });
  }
  return groups;
}

const PREVIEW_LENGTH = 120;

/** The conversation list's line for a message: the same rules as the server's `previewOf`. */
export function previewOf(type: string, content: Record<string, unknown>): string {
  const text = (k: string) => str(content[k]) ?? '';
  let preview: string;
  switch (type) {
    case 'text':
    case 'system':
      preview = text('body');
      break;
    case 'button':
    case 'order':
      preview = text('text');
      break;
    case 'interactive':
      preview = text('title') || text('body');
      break;
    case 'reaction':
      preview = text('emoji');
      break;
    case 'location':
      preview = text('name') || text('address');
      break;
    default:
      preview = text('caption') || text('filename');
  }
  return (preview || `[${type}]`).slice(0, PREVIEW_LENGTH);
}

const typeLabels: Readonly<Record<string, PlainMessageKey>> = {
  image: 'media.image',
  audio: 'media.audio',
  video: 'media.video',
  document: 'media.document',
  sticker: 'messageType.sticker',
  location: 'message.location',
  contacts: 'message.sharedContacts',
  template: 'messageType.template',
  interactive: 'messageType.interactive',
  button: 'messageType.button',
  order: 'messageType.order',
  reaction: 'messageType.reaction',
};

/** A message type in words ("Image", "Sticker"), for a message with no text to show. */
export function messageTypeLabel(type: string, t: Translate): string {
  return t(typeLabels[type] ?? 'messageType.other');
}

/**
 * A preview as the user reads it: the server and `previewOf` put `[type]` when a message has no
 * text (a photo without a caption), which is shown as the type's label in the user's language.
 */
export function displayPreview(type: string, preview: string, t: Translate): string {
  return preview === '' || preview === `[${type}]` ? messageTypeLabel(type, t) : preview;
}

/** `previewOf` for the screen: quotes and the reply bar. */
export function localizedPreviewOf(type: string, content: Record<string, unknown>, t: Translate): string {
  return displayPreview(type, previewOf(type, content), t);
}
