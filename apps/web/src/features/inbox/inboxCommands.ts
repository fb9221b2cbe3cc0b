// A tiny bus from the inbox's keyboard shortcuts to the components that carry them out (the open
// conversation's actions, the composer): the shortcut hook knows the key, the component its state.
import { useEffect, useRef } from 'react';
import type { InboxAction } from './shortcuts';

export type InboxCommand = Exclude<InboxAction, 'next' | 'previous' | 'leaveComposer'>;

type Listener = (command: InboxCommand) => void;
const listeners = new Set<Listener>();

export function emitInboxCommand(command: InboxCommand): void {
  for (const listener of [...listeners]) listener(command);
}

/** Calls the latest `handler` for every command while the component is mounted. */
export function useInboxCommand(handler: Listener): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    const listener: Listener = (command) => latest.current(command);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
}
