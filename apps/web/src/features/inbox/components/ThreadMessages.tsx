import { useEffect, useLayoutEffect, useRef } from 'react';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { formatDayHeading } from '../../../lib/i18n/format';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useNow } from '../../../lib/useNow';
import { useUsers } from '../../directory/hooks/useDirectory';
import { threadMessages } from '../api/cacheUpdates';
import type { Message } from '../api/types';
import { useMessages } from '../hooks/useInbox';
import { groupByDay } from '../messageModel';
import { MessageBubble } from './MessageBubble';

/** Close enough to the bottom that a new message should scroll into view. */
const STICK_PX = 120;

/** The thread, oldest at the top; scrolling up loads older pages and keeps the reader's place. */
export function ThreadMessages({
  conversationId,
  onReply,
}: {
  conversationId: string;
  onReply: (message: Message) => void;
}) {
  const { t, locale } = useI18n();
  const now = useNow(60_000);
  const users = useUsers();
  const query = useMessages(conversationId);
  const scroller = useRef<HTMLDivElement>(null);
  const top = useRef<HTMLDivElement>(null);
  const previous = useRef({ height: 0, firstId: '', lastId: '', atBottom: true });
  const messages = threadMessages(query.data);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;

  // Older pages grow the top: keep what the reader sees still. New messages at the bottom: follow
  // them when the reader was at the bottom.
  useLayoutEffect(() => {
    const el = scroller.current;
    const firstId = messages[0]?.id;
    const lastId = messages.at(-1)?.id;
    if (el === null || firstId === undefined || lastId === undefined) return;
    const before = previous.current;
    if (before.lastId === '') el.scrollTop = el.scrollHeight;
    else if (firstId !== before.firstId && lastId === before.lastId)
      el.scrollTop += el.scrollHeight - before.height;
    else if (lastId !== before.lastId && before.atBottom) el.scrollTop = el.scrollHeight;
    previous.current = { height: el.scrollHeight, firstId, lastId, atBottom: before.atBottom };
  });

  useEffect(() => {
    const el = scroller.current;
    if (el === null) return undefined;
    const onScroll = () => {
      previous.current.atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [query.isPending]);

  useEffect(() => {
    const target = top.current;
    if (target === null || !hasNextPage) return undefined;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { root: scroller.current },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, query.isPending]);

  if (query.isPending) return <Skeleton lines={6} className="thread-scroll" />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;

  const byExternalId = new Map(
    messages.flatMap((m) => (m.externalId === null ? [] : [[m.externalId, m] as const])),
  );

  return (
    <div
      className="thread-scroll"
      ref={scroller}
      tabIndex={0}
      role="log"
      aria-label={t('thread.label')}
      data-testid="thread"
    >
      <div ref={top} className="thread-top">
        {hasNextPage ? (
          isFetchingNextPage ? (
            <Skeleton lines={2} />
          ) : null
        ) : (
          <p className="muted thread-start">{t('thread.start')}</p>
        )}
      </div>
      {groupByDay(messages).map((group) => (
        <section key={group.day} aria-label={formatDayHeading(group.firstAt, now, locale)}>
          <h3 className="day-heading">
            <span>{formatDayHeading(group.firstAt, now, locale)}</span>
          </h3>
          {group.messages.map((message) => (
            <MessageBubble
              key={message.id}
              conversationId={conversationId}
              onReply={onReply}
              message={message}
              quoted={
                message.replyToExternalId === null ? undefined : byExternalId.get(message.replyToExternalId)
              }
              users={users.data ?? []}
            />
          ))}
        </section>
      ))}
    </div>
  );
}
