import { useQuery } from '@tanstack/react-query';
import { listCannedResponses } from '../../canned-responses/api/cannedApi';
import { useSession } from '../../auth/hooks/useMe';
import { useUsers, userName } from '../../directory/hooks/useDirectory';
import { matchPeople, mentionAt, shortcutAt, type Mentionable, type Token } from '../composerText';
import type { Suggestion } from '../components/Suggestions';

export type SuggestionKind = 'mention' | 'canned';

export interface ActiveSuggestions {
  kind: SuggestionKind;
  token: Token;
  items: (Suggestion & { value: string })[];
}

/** What to suggest at the caret: colleagues after `@` (notes only), canned responses for `/…`. */
export function useComposerSuggestions(
  text: string,
  caret: number,
  allowMentions: boolean,
): ActiveSuggestions | undefined {
  const { user } = useSession();
  const users = useUsers();
  const shortcut = shortcutAt(text, caret);
  const mention = allowMentions ? mentionAt(text, caret) : undefined;
  const canned = useQuery({
    queryKey: ['canned-responses', 'search', shortcut?.query ?? ''],
    queryFn: ({ signal }) => listCannedResponses(shortcut?.query, signal),
    enabled: shortcut !== undefined,
    staleTime: 30_000,
  });

  if (shortcut !== undefined) {
    const items = (canned.data ?? []).slice(0, 8).map((r) => ({
      id: r.id,
      value: r.id,
      primary: `/${r.shortCode}`,
      secondary: r.content.length > 80 ? `${r.content.slice(0, 80)}…` : r.content,
    }));
    return items.length === 0 ? undefined : { kind: 'canned', token: shortcut, items };
  }
  if (mention !== undefined) {
    const people: Mentionable[] = (users.data ?? [])
      .filter((u) => u.status === 'active' && u.id !== user.id)
      .map((u) => ({ id: u.id, name: userName(u) }));
    const items = matchPeople(people, mention.query).map((p) => ({
      id: p.id,
      value: p.name,
      primary: p.name,
    }));
    return items.length === 0 ? undefined : { kind: 'mention', token: mention, items };
  }
  return undefined;
}
