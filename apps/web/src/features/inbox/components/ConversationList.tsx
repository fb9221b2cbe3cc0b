import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useNow } from '../../../lib/useNow';
import { contactName } from '../../contacts/contactName';
import { useCan, useUsers } from '../../directory/hooks/useDirectory';
import { useConversationList } from '../hooks/useInbox';
import { listQuery, type InboxFilters } from '../inboxFilters';
import { noSelection, selectedInOrder, toggleAll, toggleRow, type RowSelection } from '../rowSelection';
import { BulkToolbar } from './BulkToolbar';
import { ConversationRow } from './ConversationRow';

/** The next page loads when the reader is this many rows from the end of what is loaded. */
const LOAD_MORE_WITHIN = 10;
const ROW_ESTIMATE_PX = 92;

/**
 * The conversation list, virtualized: only the rows near the viewport are in the DOM, so a list
 * of thousands stays fast. Scrolling down loads the next keyset page. Agents who may manage
 * conversations get a checkbox per row (shift-click for a range) and bulk actions.
 */
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
  const canManage = useCan('conversations.manage');
  const scroller = useRef<HTMLDivElement>(null);
  // A selection belongs to one list: changing tab or filters starts a new one.
  const listKey = JSON.stringify(listQuery(filters));
  const [selectionState, setSelection] = useState<{ key: string; selection: RowSelection }>({
    key: listKey,
    selection: noSelection,
  });
  const selection = selectionState.key === listKey ? selectionState.selection : noSelection;
  const update = (next: RowSelection) => setSelection({ key: listKey, selection: next });

  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const rowIds = items.map((c) => c.id);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;

  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_ESTIMATE_PX,
    getItemKey: (index) => items[index]?.id ?? index,
    overscan: 8,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems.at(-1)?.index ?? -1;
  const nearEnd = items.length > 0 && lastIndex >= items.length - LOAD_MORE_WITHIN;

  useEffect(() => {
    if (nearEnd && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [nearEnd, hasNextPage, isFetchingNextPage, fetchNextPage]);

  /** Focuses a row's link once the virtualizer has put it in the DOM. */
  function focusRow(index: number) {
    const focus = (attempt: number) => {
      const link = scroller.current?.querySelector<HTMLAnchorElement>(
        `[data-index="${index}"] a.conversation-row`,
      );
      if (link) link.focus();
      else if (attempt < 5) requestAnimationFrame(() => focus(attempt + 1));
    };
    focus(0);
  }

  /**
   * Arrow keys move focus between rows, scrolling the next one into the DOM; Enter opens one.
   * (`j`/`k` open the next or previous conversation from anywhere: useInboxShortcuts.)
   */
  function moveFocus(event: KeyboardEvent<HTMLUListElement>) {
    const forward = event.key === 'ArrowDown';
    if (!forward && event.key !== 'ArrowUp') return;
    const current = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-index]');
    if (current === null || current === undefined) return;
    const index = Number(current.dataset['index']);
    const next = Math.max(0, Math.min(items.length - 1, index + (forward ? 1 : -1)));
    event.preventDefault();
    virtualizer.scrollToIndex(next, { align: 'auto' });
    focusRow(next);
  }

  // The open conversation's row is scrolled into view when it changes (`j`/`k`), and takes the
  // focus when a row had it.
  const selectedIndex = selectedId === undefined ? -1 : rowIds.indexOf(selectedId);
  const followed = useRef<string>(undefined);
  useEffect(() => {
    if (selectedId === undefined || selectedIndex < 0 || followed.current === selectedId) return;
    followed.current = selectedId;
    virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
    if (scroller.current?.contains(document.activeElement) === true) focusRow(selectedIndex);
  });

  if (list.isPending) return <Skeleton lines={6} className="conversation-skeleton" />;
  if (list.isError) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  if (items.length === 0) return <p className="muted list-empty">{t('inbox.empty')}</p>;
  const selectedIds = selectedInOrder(selection, rowIds);

  return (
    <>
      {canManage ? (
        <BulkToolbar
          shown={items.length}
          selectedIds={selectedIds}
          onToggleAll={() => update(toggleAll(selection, rowIds))}
          onClear={() => update(noSelection)}
          onDone={(failed) => update({ ids: new Set(failed), anchor: undefined })}
        />
      ) : null}
      <div className="conversation-scroll" ref={scroller} data-testid="conversation-scroll">
        <ul
          className="conversation-list is-virtual"
          aria-label={t('inbox.conversations')}
          onKeyDown={moveFocus}
          data-testid="conversation-list"
          style={{ height: virtualizer.getTotalSize() }}
        >
          {virtualItems.map((item) => {
            const conversation = items[item.index];
            if (conversation === undefined) return null;
            const checked = selection.ids.has(conversation.id);
            return (
              <li
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                aria-setsize={hasNextPage ? -1 : items.length}
                aria-posinset={item.index + 1}
                className={`virtual-row conversation-item ${checked ? 'is-checked' : ''}`}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {canManage ? (
                  <input
                    type="checkbox"
                    className="row-check"
                    checked={checked}
                    aria-label={t('bulk.selectRow', {
                      name: contactName(conversation.contact, t('contact.unknown')),
                    })}
                    data-testid="row-select"
                    onChange={(e) =>
                      update(
                        toggleRow(
                          selection,
                          rowIds,
                          item.index,
                          e.target.checked,
                          (e.nativeEvent as MouseEvent).shiftKey,
                        ),
                      )
                    }
                  />
                ) : null}
                <ConversationRow
                  conversation={conversation}
                  selected={conversation.id === selectedId}
                  users={users.data ?? []}
                  now={now}
                />
              </li>
            );
          })}
        </ul>
        {isFetchingNextPage ? <Skeleton lines={2} /> : null}
      </div>
    </>
  );
}
