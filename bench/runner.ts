// The benchmark runner's pure parts (bench/run.ts does the processes and files): the scenario
// registry, argument parsing, aggregating a scenario's runs (median and spread of each figure),
// comparing medians with targets, and rendering the summary of RESULTS.md.
import { meets, type Figure, type FigureFile, type Target } from './figures.ts';
import { UsageError } from './support.ts';

export interface Scenario {
  name: string;
  /** The script, relative to the repository root. */
  script: string;
  /** Arguments of every run (`--json <file>` and `--results` are added by the runner). */
  args: string[];
  /** Pass `--engine both|pglite` (both when PostgreSQL answers). */
  engines: boolean;
  /** The script takes `--results <path>|none` (it rewrites its own section of RESULTS.md). */
  results: boolean;
  /** Measured runs by default; chosen so that `all` fits in 30 minutes on a 2-core machine. */
  runs: number;
  /**
   * `script`: the script warms up itself before measuring, no extra run. Otherwise the runner
   * makes one uncounted run first, with these arguments instead of `args` when given (a shorter
   * version of the run), or the same run when `[]`.
   */
  warmup: 'script' | { args?: string[] };
  /** Before the first run: another script, e.g. a generator whose output the scenario reads. */
  setup?: { script: string; args: string[] };
  /** Roughly how long one run takes on the 2-core machine, seconds (for the plan and the timeout). */
  expectedSeconds: number;
  /** What the scenario measures, one line. */
  about: string;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'login',
    script: 'bench/platform.bench.ts',
    args: ['--duration', '3'],
    engines: true,
    results: true,
    runs: 2,
    warmup: 'script',
    expectedSeconds: 80,
    about: 'sign-in and the authenticated list against a bare-query floor',
  },
  {
    name: 'inbound',
    script: 'bench/inbound.bench.ts',
    args: ['--duration', '5'],
    engines: true,
    results: true,
    runs: 2,
    warmup: 'script',
    expectedSeconds: 70,
    about: 'webhook ingestion on both engines and webhook-to-agent latency',
  },
  {
    name: 'outbound',
    script: 'bench/outbound.bench.ts',
    args: [],
    engines: true,
    results: true,
    runs: 1,
    // The script measures from a fresh process; a short drain at 1,000 mps warms the machine first.
    warmup: { args: ['--only-1000', '--messages', '1000', '--clients', '25'] },
    expectedSeconds: 340,
    about: 'delivery at 80 and 1,000 mps through the simulator, send-to-sent latency',
  },
  {
    name: 'web-inbox',
    script: 'bench/web-inbox.bench.ts',
    args: ['--runs', '5'],
    engines: true,
    results: true,
    runs: 1,
    warmup: 'script',
    expectedSeconds: 110,
    about: 'the inbox and a 2,000-message thread in Chromium (each page load a sample)',
  },
  {
    name: 'simulator',
    script: 'bench/wa-sim.bench.ts',
    args: [],
    engines: false,
    results: false,
    runs: 2,
    warmup: { args: [] },
    expectedSeconds: 25,
    about: 'the WhatsApp simulator: signed webhooks/s and accepted sends/s',
  },
  {
    name: 'scale',
    script: 'bench/scale.bench.ts',
    args: [],
    engines: false,
    results: true,
    runs: 1,
    warmup: 'script',
    setup: { script: 'bench/large-tenant.ts', args: [] },
    expectedSeconds: 300,
    about:
      'read paths on a 1M-conversation tenant (bench/large-tenant.ts, kept between runs); p50-p99 over 200 requests each',
  },
  {
    name: 'fanout',
    script: 'bench/fanout.bench.ts',
    args: [],
    engines: false,
    results: true,
    runs: 1,
    warmup: 'script',
    expectedSeconds: 80,
    about:
      'realtime fan-out: every message to hundreds of agent sockets (latency, frames, memory per socket)',
  },
  {
    name: 'ingest-scale',
    script: 'bench/ingest-scale.bench.ts',
    args: [],
    engines: false,
    results: true,
    runs: 1,
    warmup: 'script',
    expectedSeconds: 90,
    about: 'ingestion through nginx, one instance against three',
  },
];

export const SCENARIO_NAMES = SCENARIOS.map((s) => s.name);

export interface RunnerOptions {
  scenarios: Scenario[];
  /** `--runs N`: measured runs for every chosen scenario instead of its default. */
  runs: number | undefined;
  /** `--results <path>|none`: RESULTS.md to update (summary, and each script's last run). */
  results: string;
  /** `--out <dir>`: where latest.json and the per-scenario files go. */
  out: string;
  /** `--no-warmup`: skip the runner's warm-up runs (development). */
  warmup: boolean;
  /** `--keep-sections`: every run gets `--results none`; only the summary is written. */
  keepSections: boolean;
}

export function usageLine(): string {
  return (
    `usage: npm run bench -- <scenario>...|all [--runs N] [--results <path>|none] [--out <dir>] [--no-warmup] [--keep-sections]; ` +
    `scenarios: ${SCENARIO_NAMES.join(', ')}`
  );
}

/** Parses the runner's arguments; throws UsageError (message: one line naming the valid scenarios). */
export function parseRunnerArgs(
  argv: readonly string[],
  defaults: { results: string; out: string },
): RunnerOptions {
  const names: string[] = [];
  let runs: number | undefined;
  let results = defaults.results;
  let out = defaults.out;
  let warmup = true;
  let keepSections = false;
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value. ${usageLine()}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--runs') {
      const v = value(i++, a);
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < 1 || n > 50) {
        throw new UsageError(`--runs must be a whole number 1..50 (got ${v}). ${usageLine()}`);
      }
      runs = n;
    } else if (a === '--results') {
      results = value(i++, a);
    } else if (a === '--out') {
      out = value(i++, a);
    } else if (a === '--no-warmup') {
      warmup = false;
    } else if (a === '--keep-sections') {
      keepSections = true;
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option ${a}. ${usageLine()}`);
    } else if (a === 'all') {
      names.push(...SCENARIO_NAMES);
    } else if (SCENARIO_NAMES.includes(a)) {
      names.push(a);
    } else {
      throw new UsageError(`unknown scenario ${a}. ${usageLine()}`);
    }
  }
  if (names.length === 0) throw new UsageError(`no scenario given. ${usageLine()}`);
  const chosen = [...new Set(names)].map((n) => SCENARIOS.find((s) => s.name === n) as Scenario);
  return { scenarios: chosen, runs, results, out, warmup, keepSections };
}

// ---------------------------------------------------------------------------------------------
// Aggregation
// ---------------------------------------------------------------------------------------------

/** Median (the mean of the middle two for an even count), NaN for none. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export interface Aggregate {
  name: string;
  unit: string;
  engine?: string;
  median: number;
  min: number;
  max: number;
  /** How many values the median is of: runs, or pooled samples when the script repeats itself. */
  n: number;
  /** `runs` (one value per run) or `samples` (the script's own repetitions, pooled over runs). */
  of: 'runs' | 'samples';
  /** Runs that did not produce this figure (or produced no finite value). */
  missing: number;
  floor?: number;
  target?: Target;
  /** Whether the median meets the target; undefined without a target. */
  met?: boolean;
  /** median ÷ target value (> 1 is over the value: good for `>=`, bad for `<=`). */
  ratio?: number;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** One aggregate per figure (by engine and name), in the order the figures first appear. */
export function aggregate(files: readonly FigureFile[]): Aggregate[] {
  const groups = new Map<string, Figure[]>();
  for (const file of files) {
    for (const f of file.figures) {
      const key = `${f.engine ?? ''}\u0000${f.name}`;
      const list = groups.get(key) ?? [];
      list.push(f);
      groups.set(key, list);
    }
  }
  const out: Aggregate[] = [];
  for (const figs of groups.values()) {
    const first = figs[0] as Figure;
    const pooled = figs.some((f) => Array.isArray(f.samples));
    const values = pooled
      ? figs.flatMap((f) => (f.samples ?? [f.value]).filter(finite))
      : figs.map((f) => f.value).filter(finite);
    const withValue = figs.filter((f) => finite(f.value) || (f.samples ?? []).some(finite)).length;
    const floors = figs.map((f) => f.floor).filter(finite);
    const target = figs.find((f) => f.target)?.target;
    const m = median(values);
    const a: Aggregate = {
      name: first.name,
      unit: first.unit,
      ...(first.engine ? { engine: first.engine } : {}),
      median: m,
      min: values.length ? Math.min(...values) : NaN,
      max: values.length ? Math.max(...values) : NaN,
      n: values.length,
      of: pooled ? 'samples' : 'runs',
      missing: files.length - withValue,
      ...(floors.length ? { floor: median(floors) } : {}),
    };
    if (target) {
      a.target = target;
      if (finite(m)) {
        a.met = meets(m, target);
        a.ratio = target.value === 0 ? NaN : m / target.value;
      } else {
        a.met = false;
      }
    }
    out.push(a);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Results (latest.json) and the summary
// ---------------------------------------------------------------------------------------------

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  postgres: string | undefined;
  pglite: string | undefined;
}

export interface RunRecord {
  /** 0 for the warm-up run. */
  index: number;
  warmup: boolean;
  seconds: number;
  exitCode: number | null;
  signal?: string;
  /** The last line the script wrote to stderr (or stdout) when it failed. */
  lastLine?: string;
}

export interface ScenarioResult {
  name: string;
  script: string;
  status: 'ok' | 'failed' | 'not available';
  /** Why, when not ok: the exit code and last stderr line, or the missing file. */
  reason?: string;
  startedAt: string;
  finishedAt: string;
  command: string;
  /** How the first run was treated: the script's own warm-up, or an uncounted run of the runner's. */
  warmup: string;
  /** Whether the last run rewrote the script's own section of RESULTS.md. */
  section: 'rewritten' | 'kept' | 'none';
  runs: RunRecord[];
  measuredRuns: number;
  figures: Aggregate[];
  machine: Machine;
  /** The machine's 1-minute load average when the scenario started and ended (others at work show). */
  load: { start: number; end: number };
}

export interface LatestFile {
  updatedAt: string;
  /** The latest result of every scenario run so far (a run of one scenario replaces only its own). */
  scenarios: ScenarioResult[];
}

/** Replaces the scenarios of `results` in `previous`, keeping the registry's order. */
export function mergeLatest(
  previous: LatestFile | undefined,
  results: ScenarioResult[],
  now: Date,
): LatestFile {
  const byName = new Map((previous?.scenarios ?? []).map((s) => [s.name, s] as const));
  for (const r of results) byName.set(r.name, r);
  const order = (n: string) => {
    const i = SCENARIO_NAMES.indexOf(n);
    return i < 0 ? SCENARIO_NAMES.length : i;
  };
  return {
    updatedAt: now.toISOString(),
    scenarios: [...byName.values()].sort((a, b) => order(a.name) - order(b.name)),
  };
}

/** Numbers as the rest of RESULTS.md writes them: 3 significant digits, thousands separated. */
export function num(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function machineLine(m: Machine): string {
  return [
    `CPU ${m.cpu}, ${m.cores} cores, ${num(m.memoryGiB)} GiB`,
    `Node ${m.node}`,
    m.os,
    m.postgres ? `PostgreSQL ${m.postgres}` : 'PostgreSQL not reachable',
    m.pglite ? `PGlite ${m.pglite}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

const sectionCell = {
  rewritten: 'rewritten by the last run',
  kept: 'not rewritten (--keep-sections)',
  none: '–',
} as const;

const sameMachine = (a: Machine, b: Machine) => machineLine(a) === machineLine(b);

function spread(a: Aggregate): string {
  if (a.n === 0) return '–';
  const pct = a.median !== 0 ? ((a.max - a.min) / 2 / Math.abs(a.median)) * 100 : NaN;
  return `${num(a.min)}–${num(a.max)}${Number.isFinite(pct) ? ` (±${pct.toFixed(0)}%)` : ''}`;
}

function targetCell(a: Aggregate): [string, string, string] {
  if (!a.target) return ['–', '–', '–'];
  const t = `${a.target.op === '>=' ? '≥' : '≤'} ${num(a.target.value)}`;
  const met = a.met ? 'met' : '**missed**';
  return [t, met, a.ratio === undefined || !Number.isFinite(a.ratio) ? '–' : `×${num(a.ratio)}`];
}

const runsCell = (r: ScenarioResult) => {
  const measured = r.runs.filter((x) => !x.warmup);
  const warm = r.runs.some((x) => x.warmup) ? ' + 1 warm-up' : '';
  return `${measured.length}${warm}`;
};

const secondsPerRun = (r: ScenarioResult) => {
  const measured = r.runs.filter((x) => !x.warmup);
  return measured.length ? `${num(median(measured.map((x) => x.seconds)))} s` : '–';
};

/** The summary block of RESULTS.md (between the summary markers). */
export function renderSummary(latest: LatestFile): string {
  const scenarios = latest.scenarios;
  const newest = [...scenarios].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))[0];
  if (!newest) return '_No run yet._';
  const lines: string[] = [];
  lines.push(
    `Updated ${latest.updatedAt.slice(0, 16).replace('T', ' ')} UTC. Machine: ${machineLine(newest.machine)}. ` +
      'A load average above 0 before a scenario starts means something else was running on the machine.',
  );
  lines.push('');
  lines.push(
    '| Scenario | Status | Runs | Per run (median) | Warm-up | Own section | Load avg start / end | Date (UTC) |',
  );
  lines.push('| --- | --- | ---: | ---: | --- | --- | --- | --- |');
  for (const r of scenarios) {
    const status = r.status === 'ok' ? 'ok' : `**${r.status}**${r.reason ? `: ${r.reason}` : ''}`;
    const other = sameMachine(r.machine, newest.machine) ? '' : ` (on ${machineLine(r.machine)})`;
    lines.push(
      `| ${r.name} | ${escapeCell(status)} | ${runsCell(r)} | ${secondsPerRun(r)} | ${escapeCell(r.warmup)} | ${sectionCell[r.section]} | ` +
        `${r.load.start.toFixed(1)} / ${r.load.end.toFixed(1)} | ` +
        `${r.finishedAt.slice(0, 16).replace('T', ' ')}${escapeCell(other)} |`,
    );
  }
  const rows = scenarios.flatMap((r) => r.figures.map((a) => ({ r, a })));
  if (rows.length) {
    lines.push('');
    lines.push(
      '| Scenario | Figure | Engine | Median | Min–max (spread) | n | Floor (median) | Target | Met | Median ÷ target |',
    );
    lines.push('| --- | --- | --- | ---: | --- | ---: | ---: | --- | --- | ---: |');
    for (const { r, a } of rows) {
      const [t, met, ratio] = targetCell(a);
      const n = `${a.n}${a.of === 'samples' ? (a.n === 1 ? ' sample' : ' samples') : ''}${a.missing ? ` (${a.missing} run(s) without it)` : ''}`;
      lines.push(
        `| ${r.name} | ${escapeCell(a.name)} | ${a.engine ?? '–'} | **${num(a.median)}** ${a.unit} | ${spread(a)} | ` +
          `${n} | ${a.floor === undefined ? '–' : `${num(a.floor)} ${a.unit}`} | ${t} | ${met} | ${ratio} |`,
      );
    }
  }
  const targets = rows.filter(({ a }) => a.target);
  if (targets.length) {
    const missed = targets.filter(({ a }) => !a.met);
    lines.push('');
    lines.push(
      `Targets: ${targets.length - missed.length} of ${targets.length} met` +
        (missed.length
          ? `; missed: ${missed.map(({ r, a }) => `${r.name} ${a.name}${a.engine ? ` (${a.engine})` : ''}`).join(', ')}.`
          : '.'),
    );
  }
  return lines.join('\n');
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export const SUMMARY_SECTION = '## Summary (npm run bench)';

export function summarySkeleton(): string {
  return [
    SUMMARY_SECTION,
    '',
    'Written by `npm run bench -- <scenario>...|all [--runs N]` (bench/run.ts) from bench/results/latest.json',
    '(bench/results/<scenario>.json per scenario). Each run of a scenario is its script in a fresh process with',
    '`--json`; every figure is the median of the measured runs (or of the page loads pooled over runs, "samples"),',
    'with min–max and ±half the range as a share of the median. "Floor" is the median of the same-run floor the',
    'script measures (its meaning is in the script’s own section below). A target is met when the median is on',
    'its side; "median ÷ target" > 1 is good for ≥ targets and bad for ≤ ones. Scripts whose own warm-up is',
    'part of each run get no extra run; the others get one uncounted run first (it warms the machine: files,',
    'tsx’s compile cache, PostgreSQL’s buffers, not the next process’s JIT). The scripts’ own sections below',
    'are rewritten by the last run of each scenario (not with --keep-sections; the table says which). A run of',
    'some scenarios replaces only their rows.',
    '',
    '<!-- summary:start -->',
    '<!-- summary:end -->',
  ].join('\n');
}

/** Puts the summary section before the first `## ` section when it is missing. */
export function withSummarySection(text: string): string {
  if (text.includes(SUMMARY_SECTION)) return text;
  const i = text.search(/^## /m);
  if (i < 0) return `${text.trimEnd()}\n\n${summarySkeleton()}\n`;
  return `${text.slice(0, i)}${summarySkeleton()}\n\n${text.slice(i)}`;
}

/** Replaces the text between the summary markers. */
export function replaceSummary(text: string, block: string): string {
  const withSection = withSummarySection(text);
  const start = '<!-- summary:start -->';
  const end = '<!-- summary:end -->';
  const i = withSection.indexOf(start);
  const j = withSection.indexOf(end);
  if (i < 0 || j < i) throw new Error('RESULTS.md: summary markers are missing');
  return `${withSection.slice(0, i + start.length)}\n${block}\n${withSection.slice(j)}`;
}

/** The last non-empty line of some output, trimmed to one table cell's worth. */
export function lastLine(output: string): string | undefined {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const l = lines.at(-1);
  return l === undefined ? undefined : l.length > 200 ? `${l.slice(0, 197)}…` : l;
}
