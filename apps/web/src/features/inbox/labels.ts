// Message keys for the inbox's closed vocabularies.
import type { PlainMessageKey } from '../../lib/i18n/types';
import type { ConversationStatus, MessageStatus, Priority } from './api/types';

export const statusLabels: Record<ConversationStatus, PlainMessageKey> = {
  open: 'status.open',
  pending: 'status.pending',
  snoozed: 'status.snoozed',
  resolved: 'status.resolved',
};

export const priorityLabels: Record<Priority, PlainMessageKey> = {
  none: 'priority.none',
  low: 'priority.low',
  medium: 'priority.medium',
  high: 'priority.high',
  urgent: 'priority.urgent',
};

export const messageStatusLabels: Record<MessageStatus, PlainMessageKey> = {
  received: 'messageStatus.received',
  queued: 'messageStatus.queued',
  sent: 'messageStatus.sent',
  delivered: 'messageStatus.delivered',
  read: 'messageStatus.read',
  failed: 'messageStatus.failed',
  unknown: 'messageStatus.unknown',
};
