// Frames of GET /api/v1/realtime (ADR 0004). The server's shapes are documented in its OpenAPI
// description; they are not in @switchboard/contracts yet, so they are read defensively here.

export const durableEventTypes = [
  'message.created',
  'message.updated',
  'conversation.created',
  'conversation.updated',
  'conversation.assigned',
  'note.created',
  'notification.created',
] as const;
export type DurableEventType = (typeof durableEventTypes)[number];

export interface RealtimeEvent {
  seq: number | null;
  type: DurableEventType | 'typing';
  conversationId: string | null;
  data: Record<string, unknown>;
  occurredAt: string;
}

export type RealtimeFrame =
  | { kind: 'event'; event: RealtimeEvent }
  | { kind: 'ready'; seq: number }
  | { kind: 'resync'; seq: number }
  | { kind: 'error'; code: string }
  | { kind: 'ignored' };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const eventTypes: ReadonlySet<string> = new Set([...durableEventTypes, 'typing']);

/** Parses one text frame; anything unexpected is `ignored`, never thrown. */
export function parseFrame(text: string): RealtimeFrame {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'ignored' };
  }
  if (!isRecord(json) || typeof json['type'] !== 'string') return { kind: 'ignored' };
  const { type, seq } = json;
  if ((type === 'ready' || type === 'resync') && typeof seq === 'number') return { kind: type, seq };
  if (type === 'error') return { kind: 'error', code: typeof json['code'] === 'string' ? json['code'] : '' };
  if (!eventTypes.has(type)) return { kind: 'ignored' };
  return {
    kind: 'event',
    event: {
      seq: typeof seq === 'number' ? seq : null,
      type: type as RealtimeEvent['type'],
      conversationId: typeof json['conversationId'] === 'string' ? json['conversationId'] : null,
      data: isRecord(json['data']) ? json['data'] : {},
      occurredAt: typeof json['occurredAt'] === 'string' ? json['occurredAt'] : '',
    },
  };
}
