import { GraphError, invalidParam } from '../graph-error.ts';

// Small assertion helpers shared by the send validators. They throw GraphErrors with Meta's codes:
// 100 for a missing top-level parameter, 131008 for a missing nested one, 131009 for a bad value.

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads an object at `path`; `missingCode` picks 100 (top level) or 131008 (nested). */
export function requireObject(parent: Json, key: string, path: string, missingCode = 131008): Json {
  const v = parent[key];
  if (v === undefined) throw missing(path, missingCode);
  if (!isObject(v)) throw invalidParam(`Parameter '${path}' must be an object`);
  return v;
}

export function optionalObject(parent: Json, key: string, path: string): Json | undefined {
  const v = parent[key];
  if (v === undefined) return undefined;
  if (!isObject(v)) throw invalidParam(`Parameter '${path}' must be an object`);
  return v;
}

interface StringRule {
  max?: number;
  missingCode?: number;
  allowEmpty?: boolean;
}

export function requireString(parent: Json, key: string, path: string, rule: StringRule = {}): string {
  const v = parent[key];
  if (v === undefined || v === null) throw missing(path, rule.missingCode ?? 131008);
  return checkString(v, path, rule);
}

export function optionalString(
  parent: Json,
  key: string,
  path: string,
  rule: StringRule = {},
): string | undefined {
  const v = parent[key];
  if (v === undefined) return undefined;
  return checkString(v, path, rule);
}

function checkString(v: unknown, path: string, rule: StringRule): string {
  if (typeof v !== 'string') throw invalidParam(`Parameter '${path}' must be a string`);
  if (!rule.allowEmpty && v.trim() === '') throw invalidParam(`Parameter '${path}' must not be empty`);
  if (rule.max !== undefined && countCodePoints(v) > rule.max) {
    throw invalidParam(`Parameter '${path}' is too long. Max length is ${rule.max}.`);
  }
  return v;
}

export function requireArray(parent: Json, key: string, path: string, min: number, max: number): unknown[] {
  const v = parent[key];
  if (v === undefined) throw missing(path, 131008);
  if (!Array.isArray(v)) throw invalidParam(`Parameter '${path}' must be an array`);
  if (v.length < min || v.length > max) {
    throw invalidParam(`Parameter '${path}' has ${v.length} items; it must have between ${min} and ${max}.`);
  }
  return v;
}

export function missing(path: string, code: number): GraphError {
  if (code === 100)
    return new GraphError(100, `The parameter ${path} is required.`, {
      message: `The parameter ${path} is required.`,
    });
  return new GraphError(code, `The parameter ${path} is required.`);
}

export function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Meta counts characters, not UTF-16 units: an emoji is one character of the limit. */
function countCodePoints(v: string): number {
  let n = 0;
  for (const _ of v) n++;
  return n;
}
