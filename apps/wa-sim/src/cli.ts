import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { simConfigSchema, type SimConfigInput } from './config.ts';
import { startSimulator } from './index.ts';

// `wa-sim --port P --webhook-url U --app-secret S --verify-token T [--config FILE] [--seed N]`.
// The first stdout line is JSON describing the businesses, so scripts can read ids and tokens from it.
// Errors print one line to stderr and exit non-zero.

function fail(message: string): never {
  process.stderr.write(`wa-sim: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(2);
}

function readConfig(path: string): SimConfigInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    fail(`cannot read config ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    fail(`config ${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = simConfigSchema.safeParse(json);
  if (!parsed.success) {
    fail(
      `invalid config ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return json as SimConfigInput;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        'webhook-url': { type: 'string' },
        'app-secret': { type: 'string' },
        'verify-token': { type: 'string' },
        config: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  if (values.help) {
    process.stdout.write(
      'usage: wa-sim --port P --webhook-url U --app-secret S --verify-token T [--config FILE] [--seed N]\n',
    );
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port must be an integer 0-65535, got ${values.port}`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed))
    fail(`--seed must be an integer, got ${values.seed ?? ''}`);
  const url = values['webhook-url'];
  if (url !== undefined && !URL.canParse(url)) fail(`--webhook-url is not a URL: ${url}`);
  const config = values.config ? readConfig(values.config) : {};
  const sim = await startSimulator({
    ...config,
    port,
    ...(seed !== undefined ? { seed } : {}),
    ...(url !== undefined ? { webhookUrl: url } : {}),
    ...(values['app-secret'] !== undefined ? { appSecret: values['app-secret'] } : {}),
    ...(values['verify-token'] !== undefined ? { verifyToken: values['verify-token'] } : {}),
  }).catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
  process.stdout.write(`${JSON.stringify({ url: sim.url, port: sim.port, businesses: sim.businesses })}\n`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
