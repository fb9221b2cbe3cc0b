import { useEffect, useRef } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { emitInboxCommand } from '../inboxCommands';
import type { InboxFilters } from '../inboxFilters';
import { describeKeyEvent, neighbourConversation, shortcutFor } from '../shortcuts';
import { useConversationList } from './useInbox';

/**
 * The inbox's single-key shortcuts (shortcuts.ts decides which key means what): `j`/`k` open the
 * next or previous conversation of the list on screen, the others go to the open conversation's
 * actions and composer (inboxCommands), Escape leaves the composer.
 */
export function useInboxShortcuts(
  filters: InboxFilters,
  selectedId: string | undefined,
  /** False while search results replace the list: `j`/`k` then do nothing. */
  listShown: boolean,
) {
  const list = useConversationList(filters);
  const navigate = useNavigate();
  const location = useLocation();
  const ids = list.data?.pages.flatMap((p) => p.items.map((c) => c.id)) ?? [];
  const index = selectedId === undefined ? -1 : ids.indexOf(selectedId);

  // Where the open conversation was, so `j` still knows its place once it has left the list.
  const lastIndex = useRef<{ id: string; index: number }>(undefined);
  useEffect(() => {
    if (selectedId !== undefined && index >= 0) lastIndex.current = { id: selectedId, index };
  }, [selectedId, index]);

  const state = useRef({ ids, selectedId, search: location.search, listShown });
  useEffect(() => {
    state.current = { ids, selectedId, search: location.search, listShown };
  });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const { ids: rows, selectedId: current, search, listShown: hasList } = state.current;
      const action = shortcutFor(describeKeyEvent(event));
      if (action === undefined) return;
      event.preventDefault();
      if (action === 'leaveComposer') {
        (event.target as HTMLElement).blur();
        return;
      }
      if (action === 'next' || action === 'previous') {
        if (!hasList) return;
        const last = lastIndex.current?.id === current ? lastIndex.current?.index : undefined;
        const next = neighbourConversation(rows, current, action === 'next', last);
        if (next !== undefined && next !== current) void navigate({ pathname: `/inbox/${next}`, search });
        return;
      }
      emitInboxCommand(action);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [navigate]);
}
