import { describe, expect, it } from 'vitest';
import type { FigureFile } from './figures.ts';
import {
  aggregate,
  lastLine,
  median,
  mergeLatest,
  parseRunnerArgs,
  renderSummary,
  replaceSummary,
  SCENARIO_NAMES,
  SUMMARY_SECTION,
  type Machine,
  type ScenarioResult,
} from './runner.ts';
import { UsageError } from './support.ts';

const defaults = { results: '/r/RESULTS.md', out: '/r/results' };
const file = (figures: FigureFile['figures']): FigureFile => ({
  script: 's',
  startedAt: '2026-12-04T00:00:00.000Z',
  figures,
});

describe('parseRunnerArgs', () => {
  it('takes scenarios, all, and the flags', () => {
    const o = parseRunnerArgs(['login', 'inbound', '--runs', '2', '--results', 'none'], defaults);
    expect(o.scenarios.map((s) => s.name)).toEqual(['login', 'inbound']);
    expect(o.runs).toBe(2);
    expect(o.results).toBe('none');
    expect(o.out).toBe('/r/results');
    expect(o.warmup).toBe(true);
    const all = parseRunnerArgs(['all', 'login', '--no-warmup', '--out', 'x'], defaults);
    expect(all.scenarios.map((s) => s.name)).toEqual(SCENARIO_NAMES);
    expect(all.warmup).toBe(false);
    expect(all.out).toBe('x');
    expect(all.keepSections).toBe(false);
    expect(parseRunnerArgs(['login', '--keep-sections'], defaults).keepSections).toBe(true);
    expect(parseRunnerArgs(['login'], defaults).runs).toBeUndefined();
  });

  it('registers every scenario of issue 7, the other helpers’ by script path', () => {
    expect(SCENARIO_NAMES).toEqual([
      'login',
      'inbound',
      'outbound',
      'web-inbox',
      'simulator',
      'scale',
      'fanout',
      'ingest-scale',
    ]);
  });

  it.each([
    [['nope'], 'unknown scenario nope'],
    [[], 'no scenario given'],
    [['login', '--fast'], 'unknown option --fast'],
    [['login', '--runs'], '--runs needs a value'],
    [['login', '--runs', '0'], '--runs must be'],
    [['login', '--runs', '2.5'], '--runs must be'],
    [['login', '--runs', '--results'], '--runs needs a value'],
  ])('refuses %j with one line naming the scenarios', (argv, message) => {
    let error: unknown;
    try {
      parseRunnerArgs(argv, defaults);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    const text = (error as Error).message;
    expect(text).toContain(message);
    expect(text).toContain('login, inbound, outbound, web-inbox, simulator, scale, fanout, ingest-scale');
    expect(text).not.toContain('\n');
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });
});

describe('aggregate', () => {
  it('takes each figure’s median, min, max and n over runs, per engine, and compares with its target', () => {
    const t = { op: '>=' as const, value: 2000 };
    const runs = [1900, 2100, 2050].map((v, i) =>
      file([
        { name: 'ingest', value: v, unit: 'msg/s', engine: 'postgres', floor: 4000 + i, target: t },
        { name: 'ingest', value: v / 2, unit: 'msg/s', engine: 'pglite', target: { op: '>=', value: 800 } },
        { name: 'p99', value: 40 + i * 10, unit: 'ms', target: { op: '<=', value: 50 } },
      ]),
    );
    const [pg, lite, p99] = aggregate(runs);
    expect(pg).toMatchObject({
      name: 'ingest',
      engine: 'postgres',
      median: 2050,
      min: 1900,
      max: 2100,
      n: 3,
      of: 'runs',
      missing: 0,
      floor: 4001,
      met: true,
    });
    expect(pg?.ratio).toBeCloseTo(1.025);
    expect(lite).toMatchObject({ engine: 'pglite', median: 1025, met: true });
    expect(p99).toMatchObject({ median: 50, met: true, ratio: 1 });
    expect(p99?.engine).toBeUndefined();
  });

  it('reports a missed target, a figure missing from some runs, and NaN (null in JSON) values', () => {
    const runs = [
      file([{ name: 'ratio', value: 0.26, unit: 'ratio', target: { op: '>=', value: 0.95 } }]),
      file([{ name: 'ratio', value: Number.NaN, unit: 'ratio', target: { op: '>=', value: 0.95 } }]),
      file([]),
    ];
    const [a] = aggregate(runs);
    expect(a).toMatchObject({ median: 0.26, n: 1, missing: 2, met: false });
    expect(a?.ratio).toBeCloseTo(0.2737, 3);
    const [none] = aggregate([file([{ name: 'x', value: NaN, unit: 'ms', target: { op: '<=', value: 1 } }])]);
    expect(none).toMatchObject({ n: 0, met: false });
  });

  it('pools the samples of scripts that repeat a measure themselves', () => {
    const [a] = aggregate([
      file([{ name: 'inbox', value: 2, unit: 'ms', samples: [1, 2, 3] }]),
      file([{ name: 'inbox', value: 5, unit: 'ms', samples: [4, 5, 6] }]),
    ]);
    expect(a).toMatchObject({ median: 3.5, min: 1, max: 6, n: 6, of: 'samples' });
    expect(a?.target).toBeUndefined();
    expect(a?.met).toBeUndefined();
  });
});

const machine: Machine = {
  cpu: 'AMD EPYC',
  cores: 2,
  memoryGiB: 23.5,
  node: 'v20.20.2',
  os: 'Linux 6.18',
  postgres: '15.20',
  pglite: '0.5.16',
};

function result(name: string, over: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    name,
    script: `bench/${name}.bench.ts`,
    status: 'ok',
    startedAt: '2026-12-04T14:00:00.000Z',
    finishedAt: '2026-12-04T14:05:00.000Z',
    command: 'x',
    warmup: 'the script’s own (no extra run)',
    section: 'rewritten',
    runs: [
      { index: 1, warmup: false, seconds: 60, exitCode: 0 },
      { index: 2, warmup: false, seconds: 64, exitCode: 0 },
      { index: 3, warmup: false, seconds: 70, exitCode: 0 },
    ],
    measuredRuns: 3,
    figures: [],
    machine,
    load: { start: 0.1, end: 1.9 },
    ...over,
  };
}

describe('renderSummary', () => {
  const outbound = result('outbound', {
    warmup: 'one uncounted run',
    figures: aggregate(
      [0.25, 0.3].map((v) =>
        file([
          {
            name: 'achieved ÷ limit at 1000 mps',
            value: v,
            unit: 'ratio',
            engine: 'postgres',
            floor: 0.97,
            target: { op: '>=', value: 0.95 },
          },
          { name: 'send→sent p50 | paced', value: 50, unit: 'ms', engine: 'postgres' },
        ]),
      ),
    ),
    runs: [
      { index: 0, warmup: true, seconds: 20, exitCode: 0 },
      { index: 1, warmup: false, seconds: 250, exitCode: 0 },
      { index: 2, warmup: false, seconds: 270, exitCode: 0 },
    ],
  });
  const latest = mergeLatest(
    undefined,
    [
      outbound,
      result('scale', { status: 'not available', reason: 'bench/scale.bench.ts is missing', runs: [] }),
      result('login', {
        status: 'failed',
        reason: 'run 2/3 exited 1: Error: connect ECONNREFUSED',
        runs: [{ index: 1, warmup: false, seconds: 5, exitCode: 1, lastLine: 'Error: connect ECONNREFUSED' }],
      }),
    ],
    new Date('2026-12-04T15:00:00Z'),
  );
  const text = renderSummary(latest);

  it('lists scenarios in the registry’s order with status, runs, time per run and warm-up', () => {
    expect(latest.scenarios.map((s) => s.name)).toEqual(['login', 'outbound', 'scale']);
    expect(text).toContain('Updated 2026-12-04 15:00 UTC. Machine: CPU AMD EPYC, 2 cores, 23.5 GiB');
    expect(text).toContain('PostgreSQL 15.20, PGlite 0.5.16');
    expect(text).toContain(
      '| outbound | ok | 2 + 1 warm-up | 260 s | one uncounted run | rewritten by the last run | 0.1 / 1.9 | 2026-12-04 14:05 |',
    );
    expect(text).toContain('| scale | **not available**: bench/scale.bench.ts is missing | 0 |');
    expect(text).toContain('| login | **failed**: run 2/3 exited 1: Error: connect ECONNREFUSED | 1 |');
  });

  it('puts each figure’s median next to its target with min–max, n, floor, met and ratio', () => {
    expect(text).toContain(
      '| outbound | achieved ÷ limit at 1000 mps | postgres | **0.275** ratio | 0.250–0.300 (±9%) | 2 | 0.970 ratio | ≥ 0.950 | **missed** | ×0.289 |',
    );
    expect(text).toContain(
      '| outbound | send→sent p50 \\| paced | postgres | **50.0** ms | 50.0–50.0 (±0%) | 2 | – | – | – | – |',
    );
    expect(text).toContain('Targets: 0 of 1 met; missed: outbound achieved ÷ limit at 1000 mps (postgres).');
  });

  it('keeps other scenarios when a run covers only some', () => {
    const again = mergeLatest(latest, [result('login')], new Date('2026-12-04T16:00:00Z'));
    expect(again.scenarios.map((s) => [s.name, s.status])).toEqual([
      ['login', 'ok'],
      ['outbound', 'ok'],
      ['scale', 'not available'],
    ]);
  });
});

describe('RESULTS.md summary section', () => {
  const doc = '# Benchmark results\n\nIntro.\n\n## Platform\n\ntext\n';

  it('is added before the first section and rewritten in place', () => {
    const once = replaceSummary(doc, 'BLOCK-A');
    expect(once.indexOf(SUMMARY_SECTION)).toBeGreaterThan(once.indexOf('Intro.'));
    expect(once.indexOf(SUMMARY_SECTION)).toBeLessThan(once.indexOf('## Platform'));
    expect(once).toContain('<!-- summary:start -->\nBLOCK-A\n<!-- summary:end -->');
    const twice = replaceSummary(once, 'BLOCK-B');
    expect(twice).not.toContain('BLOCK-A');
    expect(twice.split(SUMMARY_SECTION)).toHaveLength(2);
    expect(twice.replace('BLOCK-B', 'BLOCK-A')).toBe(once);
  });
});

describe('lastLine', () => {
  it('is the last non-empty line, cut to 200 characters', () => {
    expect(lastLine('a\nError: boom\n\n')).toBe('Error: boom');
    expect(lastLine('')).toBeUndefined();
    expect(lastLine('x'.repeat(300))).toHaveLength(198);
  });
});
