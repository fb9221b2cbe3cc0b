// Who is typing in which conversation, from the realtime `typing` events. A colleague shows as
// typing until their `isTyping: false` or 6 s without news (ADR 0004's rule). A tiny external
// store, read through useSyncExternalStore.

export const TYPING_EXPIRY_MS = 6000;

/** conversationId → userId → until when (ms) */
export type TypingState = ReadonlyMap<string, ReadonlyMap<string, number>>;

export function applyTyping(
  state: TypingState,
  conversationId: string,
  userId: string,
  isTyping: boolean,
  now: number,
): TypingState {
  const next = new Map(state);
  const users = new Map(state.get(conversationId) ?? []);
  if (isTyping) users.set(userId, now + TYPING_EXPIRY_MS);
  else users.delete(userId);
  if (users.size === 0) next.delete(conversationId);
  else next.set(conversationId, users);
  return next;
}

export function typersOf(state: TypingState, conversationId: string, now: number): string[] {
  return [...(state.get(conversationId) ?? new Map<string, number>())]
    .filter(([, until]) => until > now)
    .map(([id]) => id);
}

let state: TypingState = new Map();
const listeners = new Set<() => void>();

export const typingStore = {
  get: (): TypingState => state,
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  apply: (conversationId: string, userId: string, isTyping: boolean): void => {
    state = applyTyping(state, conversationId, userId, isTyping, Date.now());
    for (const listener of listeners) listener();
  },
};
