import type { Random } from './random.js';

/**
 * The plan of the simulated city before any edge exists: grid size, block lengths, which rows and
 * columns are arterials or one-way pairs, where the river runs, where the motorways go. All in
 * local metres (x east, y north, origin at the city centre).
 */

export const STREET = { residential: 0, primary: 1, secondary: 2, oneway: 3 } as const;
export type StreetKind = (typeof STREET)[keyof typeof STREET];

export interface CityLayout {
  /** junctions per side */
  n: number;
  /** blocks between arterials */
  k: number;
  xs: Float64Array;
  ys: Float64Array;
  colKind: Uint8Array;
  rowKind: Uint8Array;
  /** +1 north/east only, -1 south/west only, 0 two-way (only for one-way streets) */
  colDir: Int8Array;
  rowDir: Int8Array;
  /** the river runs between row riverRow[c] and riverRow[c] + 1 at column c */
  riverRow: Int32Array;
  riverMin: number;
  riverMax: number;
  /** arterial columns whose river segment is a road bridge */
  bridgeCols: Set<number>;
  /** residential columns with a foot and cycle bridge */
  footbridgeCols: Set<number>;
  /** N-S motorway between columns motorwayCol and motorwayCol + 1 (always present) */
  motorwayCol: number;
  /** E-W motorway between rows motorwayRow and motorwayRow + 1; -1 when the city is too small */
  motorwayRow: number;
  /** distance from the grid to the ring road, metres */
  ringMargin: number;
  colNames: string[];
  rowNames: string[];
}

/** Blocks between arterials for a grid of n junctions per side. */
export function arterialSpacing(n: number): number {
  return n < 12 ? 3 : 4;
}

export function isArterialIndex(i: number, k: number): boolean {
  return i % k === Math.floor(k / 2);
}

/** Rough count of directed edges for a grid of n (the choice of n only needs to be close). */
export function estimateEdges(n: number): number {
  const k = arterialSpacing(n);
  let arterials = 0;
  for (let i = 0; i < n; i++) if (isArterialIndex(i, k)) arterials++;
  const grid = 4 * n * (n - 1);
  const ringNodes = 4 * arterials + (n >= 16 ? 4 : 2);
  const ring = 2 * ringNodes + 2 * 4 * arterials;
  const interchanges = Math.ceil(arterials / (n >= 40 ? 2 : 1));
  const motorway = (8 * interchanges + 8) * (n >= 16 ? 2 : 1);
  return grid + ring + motorway;
}

export function gridSizeFor(size: number): number {
  let n = 5;
  while (estimateEdges(n + 1) <= size) n++;
  // take the closer of n and n + 1
  return Math.abs(estimateEdges(n + 1) - size) < Math.abs(estimateEdges(n) - size) ? n + 1 : n;
}

export function ordinal(i: number): string {
  const t = i % 100;
  const suffix = t >= 11 && t <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[i % 10] ?? 'th';
  return `${i}${suffix}`;
}

export function planLayout(n: number, rnd: Random): CityLayout {
  const k = arterialSpacing(n);
  const r = rnd.stream('layout');
  const xs = blockPositions(n, r);
  const ys = blockPositions(n, r);
  const colKind = new Uint8Array(n);
  const rowKind = new Uint8Array(n);
  const colDir = new Int8Array(n);
  const rowDir = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    if (isArterialIndex(i, k)) {
      const rank = (i - Math.floor(k / 2)) / k;
      colKind[i] = rowKind[i] = rank % 2 === 0 ? STREET.primary : STREET.secondary;
    }
  }

  // the river: a gentle meander across the middle rows, never jumping more than one row per column
  const riverRow = new Int32Array(n);
  const mid = Math.floor((n - 1) / 2);
  const amp = r.uniform(0, n / 10);
  const period = r.uniform(0.8, 1.6) * n;
  const phase = r.uniform(0, 2 * Math.PI);
  for (let c = 0; c < n; c++) {
    let g = Math.round(mid + amp * Math.sin((2 * Math.PI * c) / period + phase));
    if (c > 0) g = Math.max(riverRow[c - 1] - 1, Math.min(riverRow[c - 1] + 1, g));
    riverRow[c] = Math.max(1, Math.min(n - 3, g));
  }
  let riverMin = n;
  let riverMax = 0;
  for (let c = 0; c < n; c++) {
    riverMin = Math.min(riverMin, riverRow[c]);
    riverMax = Math.max(riverMax, riverRow[c]);
  }

  // one-way pairs: two neighbouring residential streets inside an arterial band, opposite ways;
  // never beside the river (a one-way street cut by the river would leave dead ends)
  const nearRiverRow = (i: number) => i >= riverMin - 1 && i <= riverMax + 2;
  const placePairs = (kind: Uint8Array, dir: Int8Array, avoid: (i: number) => boolean, label: string) => {
    const rr = r.stream(label);
    let placed = 0;
    const candidates: number[] = [];
    for (let i = 2; i + 1 <= n - 3; i++) {
      if (kind[i] !== STREET.residential || kind[i + 1] !== STREET.residential) continue;
      if (i > 0 && kind[i - 1] === STREET.oneway) continue;
      if (avoid(i) || avoid(i + 1)) continue;
      if (!isArterialIndex(i - 1, k)) continue; // pairs start right after an arterial
      candidates.push(i);
    }
    for (const i of candidates) {
      if (!rr.chance(0.3)) continue;
      placed++;
      kind[i] = kind[i + 1] = STREET.oneway;
      const d = rr.chance(0.5) ? 1 : -1;
      dir[i] = d as 1 | -1;
      dir[i + 1] = -d as 1 | -1;
    }
    if (placed === 0 && candidates.length > 0) {
      const i = candidates[Math.floor(candidates.length / 2)];
      kind[i] = kind[i + 1] = STREET.oneway;
      dir[i] = 1;
      dir[i + 1] = -1;
    }
  };
  placePairs(rowKind, rowDir, nearRiverRow, 'oneway-rows');
  placePairs(colKind, colDir, () => false, 'oneway-cols');

  // road bridges on the primary arterial columns (only some arterials continue across the river)
  const arterialCols: number[] = [];
  for (let c = 0; c < n; c++) if (colKind[c] === STREET.primary || colKind[c] === STREET.secondary) arterialCols.push(c);
  const bridgeCols = new Set<number>(arterialCols.filter((c) => colKind[c] === STREET.primary));
  if (bridgeCols.size === 0 && arterialCols.length > 0) bridgeCols.add(arterialCols[0]);
  const footbridgeCols = new Set<number>();
  const residentialCols: number[] = [];
  for (let c = 1; c < n - 1; c++) if (colKind[c] === STREET.residential) residentialCols.push(c);
  const rf = r.stream('footbridges');
  const wantFoot = Math.max(1, Math.round(arterialCols.length / 3));
  for (let t = 0; t < wantFoot * 4 && footbridgeCols.size < wantFoot && residentialCols.length > 0; t++) footbridgeCols.add(rf.pick(residentialCols));

  // motorways run mid-block, between two grid lines, and cross the streets on overpasses
  const motorwayCol = Math.min(n - 2, r.int(Math.round(0.25 * n), Math.max(Math.round(0.25 * n), Math.round(0.4 * n))));
  let motorwayRow = -1;
  if (n >= 16) {
    const cand = r.int(Math.round(0.15 * n), Math.round(0.25 * n));
    if (cand + 1 < riverMin - 1) motorwayRow = cand;
  }

  const centreCol = Math.floor(n / 2);
  const colNames: string[] = [];
  const rowNames: string[] = [];
  for (let i = 0; i < n; i++) {
    colNames.push(`${ordinal(i + 1)} Avenue`);
    rowNames.push(`${ordinal(i + 1)} Street`);
  }
  // the central arterials get the names people expect
  const nearestArterial = (kind: Uint8Array, around: number) => {
    let best = -1;
    for (let i = 0; i < n; i++) if (kind[i] === STREET.primary && (best < 0 || Math.abs(i - around) < Math.abs(best - around))) best = i;
    return best;
  };
  const mainCol = nearestArterial(colKind, centreCol);
  if (mainCol >= 0) colNames[mainCol] = 'Central Avenue';
  const mainRow = nearestArterial(rowKind, Math.max(0, riverMin - 2));
  if (mainRow >= 0) rowNames[mainRow] = 'Main Street';

  return {
    n, k, xs, ys, colKind, rowKind, colDir, rowDir, riverRow, riverMin, riverMax, bridgeCols, footbridgeCols,
    motorwayCol, motorwayRow, ringMargin: 400, colNames, rowNames,
  };
}

/** n positions 100-200 m apart (wider every so often, as real blocks are), centred on 0. */
function blockPositions(n: number, r: Random): Float64Array {
  const p = new Float64Array(n);
  for (let i = 1; i < n; i++) p[i] = p[i - 1] + Math.round(r.uniform(100, 200));
  const shift = p[n - 1] / 2;
  for (let i = 0; i < n; i++) p[i] -= shift;
  return p;
}

/** y of the river centre line at x: halfway between the rows it separates, linear between columns. */
export function riverYAt(layout: CityLayout, x: number): number {
  const { xs, ys, riverRow, n } = layout;
  const yAt = (c: number) => (ys[riverRow[c]] + ys[riverRow[c] + 1]) / 2;
  if (x <= xs[0]) return yAt(0);
  if (x >= xs[n - 1]) return yAt(n - 1);
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const m = (lo + hi) >> 1;
    if (xs[m] <= x) lo = m;
    else hi = m;
  }
  const t = (x - xs[lo]) / (xs[hi] - xs[lo]);
  return yAt(lo) + t * (yAt(hi) - yAt(lo));
}
