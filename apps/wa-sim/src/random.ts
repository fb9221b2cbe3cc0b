import { randomInt } from 'node:crypto';

// One seedable random source feeds ids and fault injection, so a seed reproduces a whole run.

export interface Random {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Integer in [0, max). */
  int(max: number): number;
  readonly seed: number;
}

/** Creates a mulberry32 generator: tiny, fast and good enough for simulation (not for secrets). */
export function createRandom(seed?: number): Random {
  const initial = seed ?? randomInt(0, 2 ** 31);
  let state = initial >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { seed: initial, next, int: (max) => Math.floor(next() * max) };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const HEX = '0123456789abcdef';

export interface IdSource {
  /** A message id shaped like Meta's: `wamid.` + base64. */
  wamid(): string;
  /** A numeric Graph object id (media, template, WABA, phone number). */
  numeric(digits?: number): string;
  hex(length: number): string;
  /** A business-scoped user id, as in the 2026 username rollout (`US.` + digits). */
  userId(prefix?: string): string;
}

/** Creates an id source drawing from `random`, so seeded runs get the same ids. */
export function createIdSource(random: Random): IdSource {
  const digits = (n: number): string => {
    let s = String(1 + random.int(9));
    for (let i = 1; i < n; i++) s += String(random.int(10));
    return s;
  };
  return {
    wamid() {
      // Real wamids are base64 of a protobuf-ish blob that starts with "HBgL"/"HBgM"; clients treat them
      // as opaque, so only the alphabet and rough length matter.
      let s = 'wamid.HBgM';
      for (let i = 0; i < 44; i++) s += BASE64[random.int(64)] ?? 'A';
      return `${s}=`;
    },
    numeric: (n = 15) => digits(n),
    hex(length) {
      let s = '';
      for (let i = 0; i < length; i++) s += HEX[random.int(16)] ?? '0';
      return s;
    },
    userId: (prefix = 'US.') => `${prefix}${digits(19)}`,
  };
}
