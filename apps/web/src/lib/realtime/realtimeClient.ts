// One WebSocket to GET /api/v1/realtime that stays connected: it remembers the last `seq` it was
// given and reconnects with `?cursor=<seq>` after any drop, with a growing delay, so no event is
// missed. The socket and timers are injected, so the reconnection rules are unit-tested.
import { parseFrame, type RealtimeEvent } from './frames';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface SocketLike {
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(text: string): void;
  close(code?: number): void;
}

export interface RealtimeHandlers {
  onEvent: (event: RealtimeEvent) => void;
  /** Too many events were missed: refetch everything. */
  onResync: () => void;
  /** The session behind the socket ended (close code 4001). */
  onUnauthenticated: () => void;
  onStateChange?: (state: ConnectionState) => void;
}

export interface RealtimeClientOptions {
  url: (cursor: number | undefined) => string;
  createSocket: (url: string) => SocketLike;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export const CLOSE_UNAUTHENTICATED = 4001;
/** Delays before reconnecting, in order; the last one repeats. */
export const RECONNECT_DELAYS_MS = [500, 1000, 2000, 5000, 10_000] as const;

export function reconnectDelay(attempt: number): number {
  return RECONNECT_DELAYS_MS[Math.min(attempt, RECONNECT_DELAYS_MS.length - 1)] ?? 10_000;
}

export function createRealtimeClient(options: RealtimeClientOptions, handlers: RealtimeHandlers) {
  const setTimer = options.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((t: unknown) => clearTimeout(t as ReturnType<typeof setTimeout>));
  let cursor: number | undefined;
  let socket: SocketLike | undefined;
  let timer: unknown;
  let attempt = 0;
  let stopped = false;
  let state: ConnectionState = 'closed';

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    handlers.onStateChange?.(next);
  };

  function connect(): void {
    if (stopped) return;
    setState(attempt === 0 ? 'connecting' : 'reconnecting');
    const current = options.createSocket(options.url(cursor));
    socket = current;
    current.onmessage = (message) => {
      if (typeof message.data !== 'string') return;
      const frame = parseFrame(message.data);
      switch (frame.kind) {
        case 'ready':
          cursor = frame.seq;
          attempt = 0;
          setState('open');
          break;
        case 'resync':
          cursor = frame.seq;
          handlers.onResync();
          break;
        case 'event':
          if (frame.event.seq !== null) {
            if (cursor !== undefined && frame.event.seq <= cursor) return;
            cursor = frame.event.seq;
          }
          handlers.onEvent(frame.event);
          break;
        case 'error':
        case 'ignored':
          break;
      }
    };
    current.onclose = (event) => {
      if (socket !== current) return;
      socket = undefined;
      if (stopped) return;
      if (event.code === CLOSE_UNAUTHENTICATED) {
        setState('closed');
        handlers.onUnauthenticated();
        return;
      }
      setState('reconnecting');
      timer = setTimer(connect, reconnectDelay(attempt));
      attempt += 1;
    };
    current.onerror = () => {
      // A close event always follows; reconnection is decided there.
    };
  }

  return {
    start(): void {
      stopped = false;
      if (socket === undefined) connect();
    },
    /** Sends a client frame (typing) while connected; dropped otherwise (typing is ephemeral). */
    send(frame: object): boolean {
      if (state !== 'open' || socket === undefined) return false;
      socket.send(JSON.stringify(frame));
      return true;
    },
    stop(): void {
      stopped = true;
      clearTimer(timer);
      const current = socket;
      socket = undefined;
      current?.close(1000);
      setState('closed');
    },
    /** For tests and diagnostics. */
    get cursor(): number | undefined {
      return cursor;
    },
    get state(): ConnectionState {
      return state;
    },
  };
}

export type RealtimeClient = ReturnType<typeof createRealtimeClient>;

/** `ws(s)://<this origin>/api/v1/realtime[?cursor=]` */
export function realtimeUrl(
  location: Pick<Location, 'protocol' | 'host'>,
  cursor: number | undefined,
): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = cursor === undefined ? '' : `?cursor=${cursor}`;
  return `${scheme}//${location.host}/api/v1/realtime${query}`;
}
