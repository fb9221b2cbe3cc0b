import { useI18n } from '../../../lib/i18n/useI18n';
import { userName, useUsers } from '../../directory/hooks/useDirectory';
import { useTypers } from '../hooks/useTyping';

/** "Alex Agent is typing…": colleagues writing in this conversation right now. */
export function TypingLine({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const users = useUsers();
  const typers = useTypers(conversationId);
  const names = typers.map((id) => {
    const user = users.data?.find((u) => u.id === id);
    return user === undefined ? t('notifications.someone') : userName(user);
  });
  return (
    <p className="typing-line" aria-live="polite" data-testid="typing-line">
      {names.length === 0 ? '' : t('thread.typing', { names: names.join(', ') })}
    </p>
  );
}
