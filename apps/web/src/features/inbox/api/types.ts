// The API's Conversation and Message views (GET /api/v1/conversations…). The server defines them
// in its route files, not in @switchboard/contracts yet, so they are mirrored here; the shared
// pieces (labels) come from the contracts.
import type { LabelSummary } from '@switchboard/contracts';

export const conversationStatuses = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];
export const priorities = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];
export type MessageDirection = 'inbound' | 'outbound' | 'note';
export const messageStatuses = [
  'received',
  'queued',
  'sent',
  'delivered',
  'read',
  'failed',
  'unknown',
] as const;
export type MessageStatus = (typeof messageStatuses)[number];

export interface ConversationContact {
  id: string;
  name: string | null;
  profileName: string | null;
  waId: string | null;
  phoneE164: string | null;
}

export interface Conversation {
  id: string;
  status: ConversationStatus;
  snoozedUntil: string | null;
  priority: Priority;
  assigneeId: string | null;
  teamId: string | null;
  lastMessageAt: string;
  windowExpiresAt: string | null;
  resolvedAt: string | null;
  createdAt: string;
  updatedAt: string;
  unreadCount: number;
  labels: LabelSummary[];
  contact: ConversationContact;
  number: { id: string; purpose: string; displayPhoneNumber: string } | null;
  lastMessage: {
    id: string;
    direction: MessageDirection;
    type: string;
    preview: string;
    occurredAt: string;
  } | null;
}

export interface Message {
  id: string;
  direction: MessageDirection;
  type: string;
  content: Record<string, unknown>;
  externalId: string | null;
  status: MessageStatus;
  errorCode: string | null;
  errorTitle: string | null;
  replyToExternalId: string | null;
  forwarded: boolean;
  frequentlyForwarded?: boolean;
  referral?: Record<string, unknown> | null;
  reactions: Record<string, string>;
  senderUserId: string | null;
  occurredAt: string;
  statusAt: string | null;
  createdAt?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ConversationCounts {
  mine: number | null;
  unassigned: number;
  all: number;
  unread: number;
}

export interface ConversationPatch {
  status?: ConversationStatus;
  snoozedUntil?: string;
  assigneeId?: string | null;
  teamId?: string | null;
  priority?: Priority;
}
