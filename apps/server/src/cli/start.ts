import type { AddressInfo } from 'node:net';
import { createApp } from '../app.ts';
import { roleName } from '../config.ts';
import { ShiftedClock } from '../platform/clock.ts';
import { openRuntime } from '../runtime.ts';
import { UsageError, type CliFlags } from './cli.ts';
import { seedDemo } from './demo-seed.ts';
import { startDemoSimulator, wireDemoSimulator } from './demo-simulator.ts';

/**
 * `switchboard start`: run until SIGTERM/SIGINT, then shut down gracefully. The roles (ADR 0007)
 * say what this process does: `api` serves HTTP and WebSocket, `worker` works jobs and queues,
 * `scheduler` fires timed jobs; only a process with the api role listens.
 */
export async function runStart(flags: CliFlags): Promise<void> {
  // A movable clock is for tests: tied to the demo, so no real deployment can switch it on alone.
  if (flags['test-clock'] && !flags.demo) throw new UsageError('--test-clock runs only with --demo');
  const runtime = await openRuntime({
    ...(flags.port === undefined ? {} : { PORT: flags.port }),
    ...(flags.host === undefined ? {} : { HOST: flags.host }),
    ...(flags.role === undefined ? {} : { SWITCHBOARD_ROLE: flags.role }),
  });
  const { config } = runtime;
  const role = roleName(config.roles);
  if (flags.demo && role !== 'all') {
    await runtime.release();
    throw new UsageError('--demo runs only with the role all');
  }
  let app;
  let simulator;
  try {
    app = await createApp({
      config,
      database: runtime.database,
      secretKey: runtime.secretKey,
      ...(flags['test-clock'] ? { testClock: new ShiftedClock() } : {}),
    });
    simulator = flags.demo ? await startDemoSimulator() : undefined;
  } catch (err) {
    await runtime.release();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    stopping ??= (async () => {
      app.log.info({ signal }, 'shutting down');
      try {
        await simulator?.close();
        await app.close();
      } finally {
        await runtime.release();
      }
    })();
    return stopping;
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  try {
    await app.start();
    if (!config.roles.api) {
      process.stdout.write(`Switchboard is running as ${role} (no HTTP; SIGTERM to stop)\n`);
      return;
    }
    const demo = flags.demo ? await seedDemo(app) : undefined;
    await app.http.listen({ host: config.host, port: config.port });
    const { port } = app.http.server.address() as AddressInfo;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    const lines = [`Switchboard is running at ${url}`, `  API docs:  ${url}/api/docs`];
    // The simulator posts to this server over loopback whatever address it listens on.
    const localUrl = ['0.0.0.0', '::'].includes(config.host) ? `http://127.0.0.1:${port}` : url;
    if (demo && simulator) await wireDemoSimulator(app, demo.organizationId, simulator, localUrl);
    if (demo) lines.push(`  Demo login: ${demo.email} / ${demo.password}`);
    if (simulator) lines.push(`  WhatsApp simulator (chat as a customer): ${simulator.url}/`);
    if (role !== 'all') lines.push(`  Role: ${role}`);
    if (flags['test-clock']) lines.push('  Test clock: on (POST /_test/clock/advance; never in production)');
    if (config.database.kind === 'pglite')
      lines.push(`  Data: embedded database in ${config.dataDir} (use PostgreSQL for production)`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } catch (err) {
    await stop('startup-failure');
    throw err;
  }
}
