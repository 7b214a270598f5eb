/**
 * A small seeded PRNG (mulberry32) so the simulated city is the same on every machine for the
 * same seed. Each part of the city draws from its own stream (`stream(label)`), so changing
 * how many numbers one part draws does not reshuffle the others.
 */
export interface Random {
  /** uniform in [0, 1) */
  next(): number;
  /** uniform in [a, b) */
  uniform(a: number, b: number): number;
  /** integer in [a, b] (both included) */
  int(a: number, b: number): number;
  /** true with probability p */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** a new independent stream derived from this generator's seed and a label */
  stream(label: string): Random;
}

/** splitmix32-style finaliser: spreads nearby seeds (1, 2, 3 ...) over the whole state space */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function hashLabel(seed: number, label: string): number {
  let h = seed ^ 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return mix32(h >>> 0);
}

/** The bare mulberry32 stream from a seed, uniform in [0, 1): tests and benchmarks draw from it directly. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createRandom(seed: number): Random {
  const base = mix32(seed >>> 0);
  const next = mulberry32(base);
  return {
    next,
    uniform: (a, b) => a + (b - a) * next(),
    int: (a, b) => a + Math.floor(next() * (b - a + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    stream: (label) => createRandom(hashLabel(base, label)),
  };
}

/** Turns any finite seed (negative, fractional, > 2^32) into a 32-bit one, deterministically. */
export function normaliseSeed(seed: number): number {
  if (Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff) return seed;
  const lo = Math.floor(Math.abs(seed)) >>> 0;
  const hi = Math.floor(Math.abs(seed) / 4294967296) >>> 0;
  return mix32(lo ^ mix32(hi ^ (seed < 0 ? 1 : 0)));
}
