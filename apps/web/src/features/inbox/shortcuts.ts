// The inbox's keyboard shortcuts as a pure rule: a key press (and where it happened) -> the action
// it asks for, or nothing. Single keys without modifiers, like Zendesk, Front or Chatwoot; never
// while the agent types in a field (except Escape, which leaves the composer), never with Ctrl,
// Alt or Meta held (the browser's and the system's shortcuts stay theirs), never inside a dialog.
// `/` (search) and `?` (this list) are older and handled by their own components.

export type InboxAction =
  | 'next'
  | 'previous'
  | 'reply'
  | 'note'
  | 'resolve'
  | 'assignMe'
  | 'snooze'
  | 'priority'
  | 'labels'
  | 'leaveComposer';

/** What the rule needs to know about a keydown, read off the event by `describeKeyEvent`. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Another handler (a suggestion list, a menu) already used the key. */
  defaultPrevented: boolean;
  /** An IME composition is in progress. */
  isComposing: boolean;
  /** The target takes text: input, textarea, select or contenteditable. */
  typing: boolean;
  /** The target is the reply or note box. */
  inComposer: boolean;
  /** The target is inside a dialog (the shortcuts list, the contact drawer, a picker). */
  inDialog: boolean;
}

const singleKeys: Readonly<Record<string, InboxAction>> = {
  j: 'next',
  k: 'previous',
  r: 'reply',
  n: 'note',
  e: 'resolve',
  a: 'assignMe',
  s: 'snooze',
  p: 'priority',
  l: 'labels',
};

/** The shortcuts as the help dialog lists them (key, action). */
export const inboxShortcutKeys: readonly (readonly [string, InboxAction])[] = Object.entries(singleKeys);

export function shortcutFor(press: KeyPress): InboxAction | undefined {
  if (press.defaultPrevented || press.isComposing) return undefined;
  if (press.ctrlKey || press.metaKey || press.altKey) return undefined;
  if (press.key === 'Escape') return press.inComposer ? 'leaveComposer' : undefined;
  if (press.typing || press.inDialog) return undefined;
  // Exact keys: Shift+J gives 'J', which is not a shortcut (nor is Caps Lock's 'J').
  return Object.hasOwn(singleKeys, press.key) ? singleKeys[press.key] : undefined;
}

/** True for elements that take typed text. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  if (target.tagName !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  // Checkboxes, radios and buttons take no text: a shortcut after ticking a label still works.
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}

export function describeKeyEvent(event: KeyboardEvent): KeyPress {
  const target = event.target instanceof Element ? event.target : null;
  return {
    key: event.key,
    ctrlKey: event.ctrlKey,
    metaKey: event.metaKey,
    altKey: event.altKey,
    defaultPrevented: event.defaultPrevented,
    isComposing: event.isComposing,
    typing: isTypingTarget(event.target),
    inComposer: target?.closest('.composer') != null,
    inDialog: target?.closest('dialog, [role="dialog"], [aria-modal="true"]') != null,
  };
}

/**
 * The conversation `j` (forward) or `k` opens: the next or previous of the loaded list. When the
 * open one has left the list (resolved out of the Open filter), its old place is used: `j` opens
 * the row that took it, `k` the one before. With nothing open, either key opens the first.
 */
export function neighbourConversation(
  ids: readonly string[],
  currentId: string | undefined,
  forward: boolean,
  lastIndex: number | undefined,
): string | undefined {
  if (ids.length === 0) return undefined;
  const index = currentId === undefined ? -1 : ids.indexOf(currentId);
  if (index >= 0) return ids[Math.max(0, Math.min(ids.length - 1, index + (forward ? 1 : -1)))];
  if (currentId === undefined || lastIndex === undefined) return ids[0];
  const next = forward ? lastIndex : lastIndex - 1;
  return ids[Math.max(0, Math.min(ids.length - 1, next))];
}
