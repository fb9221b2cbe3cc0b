import { use, useEffect, useRef, useSyncExternalStore } from 'react';
import { RealtimeSendContext } from '../../../lib/realtime/RealtimeProvider';
import { useNow } from '../../../lib/useNow';
import { typersOf, typingStore } from '../typing';

/** Repeat "typing" this often while the agent types; stop after this long without a keystroke. */
const REPEAT_MS = 3000;
const IDLE_MS = 4000;

/** Tells colleagues this agent is typing in the conversation while `text` changes. */
export function useTypingSender(conversationId: string, text: string): void {
  const send = use(RealtimeSendContext);
  const lastSent = useRef(0);
  const typing = useRef(false);

  useEffect(() => {
    if (text === '') {
      if (typing.current) send({ type: 'typing', conversationId, isTyping: false });
      typing.current = false;
      return undefined;
    }
    const now = Date.now();
    if (!typing.current || now - lastSent.current > REPEAT_MS) {
      if (send({ type: 'typing', conversationId, isTyping: true })) {
        typing.current = true;
        lastSent.current = now;
      }
    }
    const idle = window.setTimeout(() => {
      if (typing.current) send({ type: 'typing', conversationId, isTyping: false });
      typing.current = false;
    }, IDLE_MS);
    return () => window.clearTimeout(idle);
  }, [text, conversationId, send]);

  useEffect(
    () => () => {
      if (typing.current) send({ type: 'typing', conversationId, isTyping: false });
    },
    [conversationId, send],
  );
}

/** The colleagues typing in the conversation now. */
export function useTypers(conversationId: string): string[] {
  const state = useSyncExternalStore(typingStore.subscribe, typingStore.get);
  const now = useNow(1000);
  return typersOf(state, conversationId, now.getTime());
}
