import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { formatDayHeading } from '../../../lib/i18n/format';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useNow } from '../../../lib/useNow';
import { useUsers } from '../../directory/hooks/useDirectory';
import { threadMessages } from '../api/cacheUpdates';
import type { Message } from '../api/types';
import { useMessages } from '../hooks/useInbox';
import { estimateRowHeight, threadRows } from '../threadRows';
import { useKeepPlace } from '../hooks/useKeepPlace';
import { MessageBubble, messageElementId } from './MessageBubble';

/**
 * Room above the oldest message for the notice there (loading older pages, or the start of the
 * conversation). It is padding, not a row: at the very top the reader's anchor is then the first
 * message, which moves down as older pages are prepended, so the scroll position follows it.
 */
const TOP_PX = 48;
/** Older pages load when the reader is this many rows from the top. */
const LOAD_OLDER_WITHIN = 3;

/**
 * The thread, oldest at the top, virtualized: only the rows near the viewport are in the DOM,
 * measured as they render (messages vary in height). Scrolling up loads older pages, which are
 * prepended with the reader's place kept (the virtualizer anchors to the end); new messages at
 * the bottom are followed when the reader was at the bottom.
 */
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
  const atEndOnce = useRef(false);
  const messages = threadMessages(query.data);
  const rows = threadRows(messages);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => estimateRowHeight(rows[index], scroller.current?.clientWidth ?? 720),
    getItemKey: (index) => rows[index]?.key ?? index,
    paddingStart: TOP_PX,
    overscan: 6,
    anchorTo: 'end',
    followOnAppend: true,
  });

  // Opened at the newest message.
  useLayoutEffect(() => {
    if (atEndOnce.current || rows.length === 0 || scroller.current === null) return;
    atEndOnce.current = true;
    virtualizer.scrollToEnd();
  });

  const scrollToKey = useCallback(
    (key: string) => {
      const index = rows.findIndex((r) => messageElementId(r.key) === key);
      if (index >= 0) virtualizer.scrollToIndex(index, { align: 'start' });
    },
    [rows, virtualizer],
  );
  const capturePlace = useKeepPlace(
    scroller,
    'article[id]',
    messages[0]?.id,
    messages.at(-1)?.id,
    scrollToKey,
  );

  const items = virtualizer.getVirtualItems();
  const nearTop = (items[0]?.index ?? Number.POSITIVE_INFINITY) <= LOAD_OLDER_WITHIN;
  useEffect(() => {
    if (!atEndOnce.current || !nearTop || !hasNextPage || isFetchingNextPage) return;
    // The range can lag a prepend by a render; the DOM's position is current.
    const el = scroller.current;
    if (el !== null && el.scrollTop > el.clientHeight) return;
    capturePlace();
    void fetchNextPage();
  }, [nearTop, hasNextPage, isFetchingNextPage, fetchNextPage, capturePlace]);

  const jumpTo = useCallback(
    (messageId: string) => {
      const index = rows.findIndex((r) => r.key === messageId);
      if (index < 0) return;
      virtualizer.scrollToIndex(index, { align: 'center' });
      requestAnimationFrame(() =>
        requestAnimationFrame(() =>
          document.getElementById(messageElementId(messageId))?.focus({ preventScroll: true }),
        ),
      );
    },
    [rows, virtualizer],
  );

  if (query.isPending) return <Skeleton lines={6} className="thread-scroll" />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;

  const byExternalId = new Map(
    messages.flatMap((m) => (m.externalId === null ? [] : [[m.externalId, m] as const])),
  );

  return (
    <div
      className="thread-scroll is-virtual"
      ref={scroller}
      tabIndex={0}
      role="log"
      aria-label={t('thread.label')}
      data-testid="thread"
    >
      <div className="virtual-canvas" style={{ height: virtualizer.getTotalSize() }}>
        <div className="thread-top" style={{ height: TOP_PX }}>
          {hasNextPage ? (
            isFetchingNextPage ? (
              <Skeleton lines={1} />
            ) : null
          ) : (
            <p className="muted thread-start">{t('thread.start')}</p>
          )}
        </div>
        {items.map((item) => {
          const row = rows[item.index];
          if (row === undefined) return null;
          return (
            <div
              key={item.key}
              ref={virtualizer.measureElement}
              data-index={item.index}
              className="virtual-row"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              {row.kind === 'day' ? (
                <h3 className="day-heading">
                  <span>{formatDayHeading(row.firstAt, now, locale)}</span>
                </h3>
              ) : (
                <MessageBubble
                  conversationId={conversationId}
                  onReply={onReply}
                  onJump={jumpTo}
                  message={row.message}
                  quoted={
                    row.message.replyToExternalId === null
                      ? undefined
                      : byExternalId.get(row.message.replyToExternalId)
                  }
                  users={users.data ?? []}
                />
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
