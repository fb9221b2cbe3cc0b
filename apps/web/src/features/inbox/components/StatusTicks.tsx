import { useI18n } from '../../../lib/i18n/useI18n';
import type { Message } from '../api/types';
import { messageStatusLabels } from '../labels';

const symbols: Record<Message['status'], string> = {
  received: '',
  queued: '🕓',
  sent: '✓',
  delivered: '✓✓',
  read: '✓✓',
  failed: '⚠',
  unknown: '?',
};

/** Delivery state of an outbound message; a failure shows WhatsApp's reason. */
export function StatusTicks({ message }: { message: Message }) {
  const { t } = useI18n();
  const label = t(messageStatusLabels[message.status]);
  const reason =
    message.status === 'failed' && message.errorTitle !== null ? `${label}: ${message.errorTitle}` : label;
  return (
    <span
      className={`ticks ticks-${message.status}`}
      title={reason}
      data-testid="message-status"
      data-status={message.status}
    >
      <span aria-hidden="true">{symbols[message.status]}</span>
      <span className="visually-hidden">{reason}</span>
    </span>
  );
}
