// The figures a benchmark script reports to the runner (bench/run.ts): with `--json <path>` a
// script writes one JSON file of its headline figures, each with its unit and, where the issue
// sets one, its target. The runner runs a script several times and reports each figure's median
// and spread next to its target. A value that could not be measured is written as NaN (null in
// the JSON) and counted as missing.
import { writeFileSync } from 'node:fs';
import type { Engine } from './support.ts';

export interface Target {
  /** `<=`: the figure must not exceed `value`; `>=`: it must reach it. */
  op: '<=' | '>=';
  value: number;
}

export interface Figure {
  /** Stable across runs and unique within a script, e.g. `inbox list p99 (tab all)`. */
  name: string;
  value: number;
  /** `ms`, `msg/s`, `ratio`, `KiB`, `s`, … */
  unit: string;
  engine?: Engine;
  target?: Target;
  /** A same-run floor the figure is compared against, when one applies (same unit). */
  floor?: number;
  /**
   * When the script repeats the measure itself (e.g. 7 page loads), every repetition's value; `value`
   * is then their median. The runner pools samples across its runs instead of taking one value each.
   */
  samples?: number[];
}

export interface FigureFile {
  script: string;
  startedAt: string;
  figures: Figure[];
}

/** The value of `--json <path>` in argv, if given. */
export function jsonPathFrom(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--json');
  if (i < 0) return undefined;
  const path = argv[i + 1];
  if (!path || path.startsWith('--')) throw new Error('--json needs a file path');
  return path;
}

/** Writes the figures when `--json <path>` was given; does nothing otherwise. */
export function writeFigures(
  argv: readonly string[],
  script: string,
  startedAt: Date,
  figures: Figure[],
): void {
  const path = jsonPathFrom(argv);
  if (!path) return;
  const file: FigureFile = { script, startedAt: startedAt.toISOString(), figures };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
}

/** Whether a value meets its target (true when there is none). */
export function meets(value: number, target: Target | undefined): boolean {
  if (!target) return true;
  return target.op === '<=' ? value <= target.value : value >= target.value;
}
