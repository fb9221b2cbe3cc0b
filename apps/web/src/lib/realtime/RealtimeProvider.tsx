import { useQueryClient } from '@tanstack/react-query';
import { createContext, useEffect, useState, type ReactNode } from 'react';
import { meQueryKey } from '../../features/auth/hooks/useMe';
import { createInboxRealtimeSync } from '../../features/inbox/realtimeSync';
import type { RealtimeEvent } from './frames';
import { createRealtimeClient, realtimeUrl, type ConnectionState, type SocketLike } from './realtimeClient';

/** The browser's WebSocket behind the client's small socket interface. */
function browserSocket(url: string): SocketLike {
  const ws = new WebSocket(url);
  const socket: SocketLike = {
    onmessage: null,
    onclose: null,
    onerror: null,
    send: (text) => ws.send(text),
    close: (code) => ws.close(code),
  };
  ws.onmessage = (event: MessageEvent) => socket.onmessage?.({ data: event.data });
  ws.onclose = (event) => socket.onclose?.({ code: event.code });
  ws.onerror = (event) => socket.onerror?.(event);
  return socket;
}

export const RealtimeStateContext = createContext<ConnectionState>('closed');

/** Sends a client frame on the socket (typing); false when not connected. */
export const RealtimeSendContext = createContext<(frame: object) => boolean>(() => false);

type EventListener = (event: RealtimeEvent) => void;

/** Adds a listener for every realtime event after the cache is updated; returns its removal. */
export const RealtimeEventsContext = createContext<(listener: EventListener) => () => void>(() => () => {});

/** Keeps one realtime socket open while signed in and feeds its events into the query cache. */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<ConnectionState>('connecting');
  const [send, setSend] = useState<(frame: object) => boolean>(() => () => false);
  const [listeners] = useState(() => new Set<EventListener>());
  const [subscribe] = useState(() => (listener: EventListener) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  });

  useEffect(() => {
    const sync = createInboxRealtimeSync(queryClient);
    const client = createRealtimeClient(
      {
        url: (cursor) => realtimeUrl(window.location, cursor),
        createSocket: browserSocket,
      },
      {
        onEvent: (event) => {
          sync.apply(event);
          for (const listener of listeners) listener(event);
        },
        onResync: () => void queryClient.invalidateQueries(),
        onUnauthenticated: () => void queryClient.invalidateQueries({ queryKey: meQueryKey }),
        onStateChange: setState,
      },
    );
    client.start();
    setSend(() => (frame: object) => client.send(frame));
    return () => {
      client.stop();
      sync.dispose();
    };
  }, [queryClient, listeners]);

  return (
    <RealtimeStateContext value={state}>
      <RealtimeSendContext value={send}>
        <RealtimeEventsContext value={subscribe}>{children}</RealtimeEventsContext>
      </RealtimeSendContext>
    </RealtimeStateContext>
  );
}
