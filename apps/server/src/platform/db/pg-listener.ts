// LISTEN on a dedicated PostgreSQL connection (a pooled one would be handed to others). When the
// connection drops, it reconnects with exponential backoff and tells the caller, whose state may
// have missed notifications in between.
import pg from 'pg';
import type { NotificationHandlers } from './database.ts';

export interface ListenOptions {
  url: string;
  channel: string;
  handlers: NotificationHandlers;
  applicationName: string;
  minDelayMs?: number;
  maxDelayMs?: number;
}

export async function listenPostgres(options: ListenOptions): Promise<() => Promise<void>> {
  const { url, channel, handlers } = options;
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name: ${channel}`);
  const minDelay = options.minDelayMs ?? 100;
  const maxDelay = options.maxDelayMs ?? 5_000;
  let client: pg.Client | undefined;
  let stopped = false;
  let delay = minDelay;
  let timer: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    const c = new pg.Client({
      connectionString: url,
      application_name: options.applicationName,
      keepAlive: true,
    });
    c.on('notification', (m) => {
      if (m.channel === channel) handlers.onNotify(m.payload ?? '');
    });
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    } catch (err) {
      await c.end().catch(() => undefined);
      throw err;
    }
    if (stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    delay = minDelay;
  }

  function lost(c: pg.Client): void {
    if (client !== c || stopped) return;
    client = undefined;
    c.removeAllListeners('notification');
    c.end().catch(() => undefined);
    schedule();
  }

  function schedule(): void {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      connect().then(
        () => {
          if (!stopped) handlers.onReconnect();
        },
        () => {
          delay = Math.min(delay * 2, maxDelay);
          schedule();
        },
      );
    }, delay);
    timer.unref();
  }

  await connect();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const c = client;
    client = undefined;
    await c?.end().catch(() => undefined);
  };
}
