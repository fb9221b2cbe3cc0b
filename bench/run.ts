// One benchmark runner: `npm run bench -- <scenario>...|all [--runs N] [--results <path>|none]
// [--out <dir>] [--no-warmup]`. Runs each scenario's script (bench/runner.ts's registry) in a child
// process with `--json`, several times (a warm-up run first where the script has none of its own),
// aggregates every figure (median, min–max, n), compares medians with their targets, writes
// bench/results/latest.json and bench/results/<scenario>.json, and rewrites the summary section of
// bench/RESULTS.md. A scenario whose script is missing is "not available"; one that fails is
// reported with its exit code and last stderr line, and the runner exits 1 at the end.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FigureFile } from './figures.ts';
import {
  aggregate,
  lastLine,
  machineLine,
  mergeLatest,
  parseRunnerArgs,
  renderSummary,
  replaceSummary,
  type LatestFile,
  type Machine,
  type RunRecord,
  type Scenario,
  type ScenarioResult,
} from './runner.ts';
import { RESULTS_PATH, UsageError } from './support.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_OUT = fileURLToPath(new URL('results', import.meta.url));

async function postgresVersion(): Promise<string | undefined> {
  const url = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ v: string }>("select current_setting('server_version') as v");
    return rows[0]?.v;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function pgliteVersion(): string | undefined {
  try {
    const pkg = JSON.parse(
      readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'),
    ) as { version?: string };
    return pkg.version;
  } catch {
    return undefined;
  }
}

async function machine(): Promise<Machine> {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  return {
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    postgres: await postgresVersion(),
    pglite: pgliteVersion(),
  };
}

interface ChildOutcome {
  seconds: number;
  exitCode: number | null;
  signal: string | undefined;
  stderr: string;
  stdout: string;
}

/**
 * Runs a script under tsx (`node --import tsx`, as the bench scripts fork their clients) in its own
 * process group, echoing its output with a prefix; on timeout the whole group is killed.
 */
function runScript(script: string, args: string[], prefix: string, timeoutMs: number): Promise<ChildOutcome> {
  return new Promise((resolvePromise) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    const echo = (stream: NodeJS.WriteStream, keep: (s: string) => void) => {
      let partial = '';
      return (chunk: Buffer) => {
        const text = partial + chunk.toString('utf8');
        const lines = text.split('\n');
        partial = lines.pop() ?? '';
        for (const l of lines) stream.write(`${prefix} ${l}\n`);
        keep(chunk.toString('utf8'));
      };
    };
    // Only the tail matters (the last line, on failure); keep the last 64 KiB.
    const tail = (s: string) => (s.length > 65_536 ? s.slice(-65_536) : s);
    child.stdout.on(
      'data',
      echo(process.stdout, (s) => (stdout = tail(stdout + s))),
    );
    child.stderr.on(
      'data',
      echo(process.stderr, (s) => (stderr = tail(stderr + s))),
    );
    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      stderr += `\ntimed out after ${Math.round(timeoutMs / 1000)} s`;
      killGroup('SIGINT');
      setTimeout(() => killGroup('SIGKILL'), 15_000).unref();
    }, timeoutMs);
    // Ctrl-C reaches the runner only (the child has its own group): pass it on.
    const onSigint = () => killGroup('SIGINT');
    process.on('SIGINT', onSigint);
    child.on('error', (err) => {
      stderr += `\n${err.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      process.off('SIGINT', onSigint);
      resolvePromise({
        seconds: (performance.now() - t0) / 1000,
        exitCode: code,
        signal: signal ?? undefined,
        stdout,
        stderr,
      });
    });
  });
}

let interrupted = false;

async function runScenario(
  s: Scenario,
  opts: {
    runs: number | undefined;
    results: string;
    warmup: boolean;
    keepSections: boolean;
    engineFlag: string;
    machine: Machine;
  },
): Promise<ScenarioResult> {
  const startedAt = new Date();
  const measured = opts.runs ?? s.runs;
  const engineArgs = s.engines ? ['--engine', opts.engineFlag] : [];
  const command = ['node --import tsx', s.script, ...engineArgs, ...s.args].join(' ');
  const warmup =
    s.warmup === 'script'
      ? 'the script’s own (no extra run)'
      : !opts.warmup
        ? 'skipped (--no-warmup)'
        : s.warmup.args
          ? `one uncounted run with ${s.warmup.args.join(' ') || 'the same arguments'}`
          : 'one uncounted run';
  const base: Omit<
    ScenarioResult,
    'status' | 'finishedAt' | 'runs' | 'figures' | 'measuredRuns' | 'load' | 'section'
  > = {
    name: s.name,
    script: s.script,
    startedAt: startedAt.toISOString(),
    command,
    warmup,
    machine: opts.machine,
  };
  const loadStart = os.loadavg()[0] ?? NaN;
  const done = (
    rest: Pick<ScenarioResult, 'status' | 'runs' | 'figures' | 'measuredRuns'> & {
      reason?: string;
      section?: ScenarioResult['section'];
    },
  ): ScenarioResult => ({
    section: 'none',
    ...base,
    ...rest,
    finishedAt: new Date().toISOString(),
    load: { start: loadStart, end: os.loadavg()[0] ?? NaN },
  });
  if (!existsSync(join(ROOT, s.script))) {
    console.log(`\n[${s.name}] not available: ${s.script} is missing`);
    return done({
      status: 'not available',
      reason: `${s.script} is missing`,
      runs: [],
      figures: [],
      measuredRuns: 0,
    });
  }
  const timeoutMs = Math.max(300, s.expectedSeconds * 4) * 1000;
  if (s.setup) {
    if (!existsSync(join(ROOT, s.setup.script))) {
      const reason = `setup ${s.setup.script} is missing`;
      console.log(`\n[${s.name}] not available: ${reason}`);
      return done({ status: 'not available', reason, runs: [], figures: [], measuredRuns: 0 });
    }
    console.log(`\n[${s.name}] setup: ${s.setup.script} ${s.setup.args.join(' ')}`);
    const r = await runScript(s.setup.script, s.setup.args, `[${s.name} setup]`, 3_600_000);
    if (r.exitCode !== 0) {
      const reason = `setup ${s.setup.script} exited ${r.exitCode ?? r.signal}: ${lastLine(r.stderr) ?? lastLine(r.stdout) ?? ''}`;
      return done({ status: 'failed', reason, runs: [], figures: [], measuredRuns: 0 });
    }
  }
  // A script that has no RESULTS.md section of its own (no `results` option in its source) gets no flag.
  const takesResults = s.results && readFileSync(join(ROOT, s.script), 'utf8').includes('results');
  const sectionResults = opts.keepSections ? 'none' : opts.results;
  const tmp = mkdtempSync(join(os.tmpdir(), `switchboard-bench-${s.name}-`));
  const files: FigureFile[] = [];
  const runs: RunRecord[] = [];
  let failure: string | undefined;
  try {
    const plan: { warmup: boolean; args: string[] }[] = [];
    if (s.warmup !== 'script' && opts.warmup) plan.push({ warmup: true, args: s.warmup.args ?? s.args });
    for (let i = 0; i < measured; i++) plan.push({ warmup: false, args: s.args });
    for (const [i, step] of plan.entries()) {
      if (interrupted) {
        failure = 'interrupted';
        break;
      }
      const last = i === plan.length - 1;
      const json = join(tmp, `run-${i}.json`);
      // Only the last measured run rewrites the script's own section of RESULTS.md.
      const resultsArgs = takesResults ? ['--results', last && !step.warmup ? sectionResults : 'none'] : [];
      const args = [...engineArgs, ...step.args, ...resultsArgs, '--json', json];
      const label = step.warmup ? 'warm-up' : `run ${plan[0]?.warmup ? i : i + 1}/${measured}`;
      console.log(`\n[${s.name}] ${label}: node --import tsx ${s.script} ${args.join(' ')}`);
      const r = await runScript(s.script, args, `[${s.name} ${label}]`, timeoutMs);
      const record: RunRecord = {
        index: plan[0]?.warmup ? i : i + 1,
        warmup: step.warmup,
        seconds: r.seconds,
        exitCode: r.exitCode,
        ...(r.signal ? { signal: r.signal } : {}),
      };
      runs.push(record);
      console.log(`[${s.name}] ${label}: ${r.seconds.toFixed(1)} s, exit ${r.exitCode ?? r.signal}`);
      if (r.exitCode !== 0) {
        record.lastLine = lastLine(r.stderr) ?? lastLine(r.stdout) ?? '';
        failure = `${label} exited ${r.exitCode ?? r.signal}: ${record.lastLine}`;
        break;
      }
      if (step.warmup) continue;
      if (!existsSync(json)) {
        failure = `${label} wrote no --json file`;
        break;
      }
      files.push(JSON.parse(readFileSync(json, 'utf8')) as FigureFile);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return done({
    status: failure ? 'failed' : 'ok',
    ...(failure ? { reason: failure } : {}),
    runs,
    figures: aggregate(files),
    measuredRuns: files.length,
    section:
      !takesResults || opts.results === 'none'
        ? 'none'
        : opts.keepSections
          ? 'kept'
          : failure
            ? 'none'
            : 'rewritten',
  });
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

async function main(): Promise<number> {
  let opts;
  try {
    opts = parseRunnerArgs(process.argv.slice(2), { results: RESULTS_PATH, out: DEFAULT_OUT });
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  if (opts.results !== 'none') opts.results = resolve(opts.results);
  const m = await machine();
  const engineFlag = m.postgres ? 'both' : 'pglite';
  const planned = opts.scenarios.map((s) => {
    const runs = (opts.runs ?? s.runs) + (s.warmup !== 'script' && opts.warmup ? 1 : 0);
    return `${s.name} ${runs}×~${s.expectedSeconds} s`;
  });
  console.log(`Machine: ${machineLine(m)}`);
  if (!m.postgres) console.log('PostgreSQL did not answer: the engine scenarios run on PGlite only.');
  console.log(`Plan: ${planned.join(', ')}`);

  process.on('SIGINT', () => {
    interrupted = true;
    process.exitCode = 130;
  });
  const results: ScenarioResult[] = [];
  const out = resolve(opts.out);
  mkdirSync(out, { recursive: true });
  for (const s of opts.scenarios) {
    const r = await runScenario(s, {
      runs: opts.runs,
      results: opts.results,
      warmup: opts.warmup,
      keepSections: opts.keepSections,
      engineFlag,
      machine: m,
    });
    results.push(r);
    // Written as each scenario ends, so a long run that is stopped keeps what it got.
    writeJson(join(out, `${s.name}.json`), r);
    const latestPath = join(out, 'latest.json');
    const previous = existsSync(latestPath)
      ? (JSON.parse(readFileSync(latestPath, 'utf8')) as LatestFile)
      : undefined;
    const latest = mergeLatest(previous, [r], new Date());
    writeJson(latestPath, latest);
    if (opts.results !== 'none') {
      const text = existsSync(opts.results) ? readFileSync(opts.results, 'utf8') : '# Benchmark results\n';
      writeFileSync(opts.results, replaceSummary(text, renderSummary(latest)));
    }
    if (interrupted) break;
  }

  console.log('\nSummary');
  for (const r of results) {
    console.log(`  ${r.name}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`);
    for (const a of r.figures) {
      const t = a.target
        ? `  target ${a.target.op} ${a.target.value}: ${a.met ? 'met' : 'MISSED'} (×${a.ratio?.toFixed(3) ?? '–'})`
        : '';
      console.log(
        `    ${a.name}${a.engine ? ` [${a.engine}]` : ''}: median ${a.median.toFixed(3)} ${a.unit}, ` +
          `${a.min.toFixed(3)}–${a.max.toFixed(3)}, n ${a.n}${a.floor === undefined ? '' : `, floor ${a.floor.toFixed(3)}`}${t}`,
      );
    }
  }
  console.log(
    `\nWrote ${join(out, 'latest.json')}${opts.results !== 'none' ? ` and the summary in ${opts.results}` : ''}`,
  );
  return results.some((r) => r.status === 'failed') || interrupted ? 1 : 0;
}

process.exitCode = await main();
