// The `switchboard` command. Every failure is one line on stderr and a non-zero exit.
import { parseArgs } from 'node:util';
import { ConfigError } from '../config.ts';
import { DataDirLockedError } from '../platform/db/data-dir-lock.ts';
import { AppError } from '../platform/errors.ts';
import { runDemoSeed, runMigrate, runOperatorCreate, runOrgCreate } from './commands.ts';
import { runStart } from './start.ts';

export class UsageError extends Error {}

const usage = `Usage: switchboard <command>
  start [--demo [--test-clock]] [--port N] [--host H] [--role R]
                                         run the server (--demo seeds a demo organization;
                                         --test-clock lets loopback callers move its clock forward
                                         through POST /_test/clock/advance: end-to-end tests only);
                                         R: all (default), or api, worker, scheduler, comma-separated
                                         (PostgreSQL only; also SWITCHBOARD_ROLE)
  migrate                                apply database migrations
  operator create --email E --password P [--name N]
  org create --name N --owner-email E --owner-password P [--owner-first-name F] [--owner-last-name L]
             [--legal-number X] [--plan free|starter|pro|enterprise] [--json]
  demo seed                              create the demo organization if missing`;

const options = {
  demo: { type: 'boolean' },
  'test-clock': { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
  role: { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  name: { type: 'string' },
  'owner-email': { type: 'string' },
  'owner-password': { type: 'string' },
  'owner-first-name': { type: 'string' },
  'owner-last-name': { type: 'string' },
  'legal-number': { type: 'string' },
  plan: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type CliFlags = ReturnType<
  typeof parseArgs<{ options: typeof options; allowPositionals: true }>
>['values'];

async function dispatch(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values: flags, positionals } = parsed;
  const command = positionals.join(' ');
  if (flags.help || command === '' || command === 'help') {
    process.stdout.write(`${usage}\n`);
    return;
  }
  switch (command) {
    case 'start':
      return runStart(flags);
    case 'migrate':
      return runMigrate();
    case 'operator create':
      return runOperatorCreate(flags);
    case 'org create':
      return runOrgCreate(flags);
    case 'demo seed':
      return runDemoSeed();
    default:
      throw new UsageError(`unknown command "${command}" (see switchboard --help)`);
  }
}

function oneLine(err: unknown): string {
  if (err instanceof ConfigError) return `invalid environment: ${err.problems.join('; ')}`;
  if (err instanceof AppError) {
    const fields = err.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
    return fields ? `${err.message} (${fields})` : err.message;
  }
  if (err instanceof UsageError || err instanceof DataDirLockedError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

export async function main(argv: string[]): Promise<void> {
  try {
    await dispatch(argv);
  } catch (err) {
    process.stderr.write(`switchboard: ${oneLine(err).replace(/\s*\n\s*/g, ' ')}\n`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  }
}
