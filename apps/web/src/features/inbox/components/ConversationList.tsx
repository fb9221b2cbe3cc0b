import { useEffect, useRef, type KeyboardEvent } from 'react';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useNow } from '../../../lib/useNow';
import { useUsers } from '../../directory/hooks/useDirectory';
import { useConversationList } from '../hooks/useInbox';
import type { InboxFilters } from '../inboxFilters';
import { ConversationRow } from './ConversationRow';

/** Arrow keys (and j/k) move between rows; Enter opens one. */
function moveFocus(event: KeyboardEvent<HTMLUListElement>) {
  const forward = event.key === 'ArrowDown' || event.key === 'j';
  const backward = event.key === 'ArrowUp' || event.key === 'k';
  if (!forward && !backward) return;
  const links = [...event.currentTarget.querySelectorAll<HTMLAnchorElement>('a.conversation-row')];
  const index = links.indexOf(document.activeElement as HTMLAnchorElement);
  const next = links[Math.max(0, Math.min(links.length - 1, index + (forward ? 1 : -1)))];
  if (next === undefined) return;
  event.preventDefault();
  next.focus();
}

export function ConversationList({
  filters,
  selectedId,
}: {
  filters: InboxFilters;
  selectedId: string | undefined;
}) {
  const { t } = useI18n();
  const list = useConversationList(filters);
  const users = useUsers();
  const now = useNow();
  const sentinel = useRef<HTMLLIElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;

  useEffect(() => {
    const target = sentinel.current;
    if (target === null || !hasNextPage) return undefined;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (list.isPending) return <Skeleton lines={6} className="conversation-skeleton" />;
  if (list.isError) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  const items = list.data.pages.flatMap((p) => p.items);
  if (items.length === 0) return <p className="muted list-empty">{t('inbox.empty')}</p>;

  return (
    <ul
      className="conversation-list"
      aria-label={t('inbox.conversations')}
      onKeyDown={moveFocus}
      data-testid="conversation-list"
    >
      {items.map((conversation) => (
        <li key={conversation.id}>
          <ConversationRow
            conversation={conversation}
            selected={conversation.id === selectedId}
            users={users.data ?? []}
            now={now}
          />
        </li>
      ))}
      {hasNextPage ? (
        <li ref={sentinel} className="list-sentinel">
          {isFetchingNextPage ? <Skeleton lines={2} /> : null}
        </li>
      ) : null}
    </ul>
  );
}
