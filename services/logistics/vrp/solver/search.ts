import { KIND_DELIVERY, KIND_PICKUP, type Problem } from './problem.js';
import { better, DEFAULT_PARAMS, keyOf, Sisr, type Key, type SisrParams } from './sisr.js';
import { Solution } from './solution.js';

/**
 * The anytime driver. Budget: an iteration count (deterministic for a seed: the same seed and iteration budget
 * give the same solution on any machine) and/or a wall-clock limit, checked only between iterations. With a time
 * limit and no iteration budget, the annealing schedule follows elapsed time, so results vary with machine load.
 */
export interface SearchOptions {
  seed?: number;
  iterations?: number;
  timeLimitMs?: number;
  /** share of the budget for fleet minimisation (hierarchical objective only) */
  fleetShare?: number;
  /** share of the budget for annealing before fleet minimisation (hierarchical objective only) */
  warmShare?: number;
  params?: Partial<SisrParams>;
  /** start from this solution instead of the construction heuristic */
  initial?: Solution;
  onProgress?: (fraction: number, best: Key) => void;
  now?: () => number;
}

export interface SearchResult {
  best: Solution;
  iterations: number;
  fleetIterations: number;
  elapsedMs: number;
}

/** Baseline construction: cheapest insertion, farthest jobs first, no randomness. */
export function construct(p: Problem, seed = 1): Solution {
  // every route and position is tried (no granular restriction): the baseline is plain cheapest insertion
  const sisr = new Sisr(p, seed, { ...DEFAULT_PARAMS, granular: 0 });
  const sol = new Solution(p);
  sisr.recreate(sol, Infinity, 0, 'far');
  return sol;
}

/** lower bound on vehicles: hub-loaded (or hub-bound) amounts over the largest capacity */
export function vehicleLowerBound(p: Problem): number {
  let lb = 1;
  for (let d = 0; d < p.D; d++) {
    let maxCap = 0;
    for (let v = 0; v < p.V; v++) maxCap = Math.max(maxCap, p.vehCap[v * p.D + d]);
    let del = 0;
    let pick = 0;
    for (let j = 0; j < p.J; j++) {
      if (p.jobKind[j] === KIND_DELIVERY) del += p.jobAmount[j * p.D + d];
      if (p.jobKind[j] === KIND_PICKUP) pick += p.jobAmount[j * p.D + d];
    }
    if (maxCap > 0) lb = Math.max(lb, Math.ceil(del / maxCap - 1e-9), Math.ceil(pick / maxCap - 1e-9));
  }
  return lb;
}

export function search(p: Problem, opts: SearchOptions = {}): SearchResult {
  const now = opts.now ?? (() => performance.now());
  const t0 = now();
  const params = { ...DEFAULT_PARAMS, ...opts.params };
  const sisr = new Sisr(p, opts.seed ?? 1, params);
  const N = opts.iterations;
  const limit = opts.timeLimitMs;
  if (N === undefined && limit === undefined) throw new Error('search needs an iteration budget or a time limit');
  const progress = (it: number): number => {
    const a = N !== undefined ? it / N : 0;
    const b = limit !== undefined ? (now() - t0) / limit : 0;
    return Math.max(a, b);
  };

  let cur = opts.initial ? opts.initial.clone() : construct(p, opts.seed ?? 1);
  let best = cur;
  let bestKey = keyOf(best);
  let it = 0;

  // phase 1: a short annealing first, so fleet minimisation starts from good routes (C201: 591.56 at once)
  const warm = p.objective === 'vehicles-distance' ? (opts.warmShare ?? params.warmShare) : 0;
  if (warm > 0) {
    anneal(cur, warm);
    cur = best;
  }

  // phase 2: fleet minimisation (absence-guided, Christiaens & Vanden Berghe section 6)
  let fleetIterations = 0;
  if (p.objective === 'vehicles-distance' && cur.unassigned.length === 0) {
    const share = warm + (opts.fleetShare ?? 0.4);
    const lb = vehicleLowerBound(p);
    const absences = new Float64Array(p.J);
    const sumAbs = (s: Solution) => {
      let a = 0;
      for (const j of s.unassigned) a += absences[j];
      return a;
    };
    const dropRoute = (s: Solution) => {
      // tournament of three: drop the route with the fewest jobs
      let pick = -1;
      for (let k = 0; k < 3; k++) {
        const used = s.routes.filter((r) => r.nodes.length > 0);
        const r = used[sisr.rng.int(used.length)];
        if (pick < 0 || r.jobs < s.routes[pick].jobs) pick = r.v;
      }
      const jobs = [...new Set(s.routes[pick].nodes.map((st) => p.stopJob[st]))];
      s.removeJobs(jobs, new Uint32Array(p.J), 1);
    };
    let fm = cur.clone();
    if (fm.usedVehicles() > lb) dropRoute(fm);
    let fleetSize = fm.usedVehicles();
    while (best.usedVehicles() > lb && fm.usedVehicles() > 0) {
      if (progress(it) >= share) break;
      const cand = fm.clone();
      sisr.ruin(cand, params.fleetAvgRemoved);
      sisr.recreate(cand, fleetSize);
      for (const j of cand.unassigned) absences[j]++;
      // accepting ties lets the search drift across plateaus (measured: RC101 reaches 14 routes far more often)
      const nc = cand.unassigned.length;
      const nf = fm.unassigned.length;
      const ac = sumAbs(cand);
      const af = sumAbs(fm);
      if (nc < nf || ac < af || (nc === nf && ac === af)) fm = cand;
      if (fm.unassigned.length === 0) {
        best = fm;
        bestKey = keyOf(best);
        fm = fm.clone();
        if (fm.usedVehicles() > lb) dropRoute(fm);
        fleetSize = fm.usedVehicles();
      }
      it++;
      fleetIterations++;
      if ((it & 255) === 0) opts.onProgress?.(progress(it), bestKey);
    }
    cur = best;
  }

  /** simulated annealing on cost from `start` until the progress reaches endFrac; updates best */
  function anneal(start: Solution, endFrac: number): Solution {
    let cur = start;
    const arcs = p.S + cur.usedVehicles();
    const avgArc = arcs > 0 ? Math.max(cur.cost(), 1e-9) / arcs : 1;
    const T0 = params.t0 * avgArc;
    const Tf = params.tf * avgArc;
    let curKey = keyOf(cur);
    const itStart = it;
    let lastBest = it;
    const stallStep = params.stallIterations;
    const vehW = params.vehicleWeight * T0;
    const stalledVehW = params.stalledVehicleWeight * T0;
    let drift = 0;
    const driftLimit = params.driftIterations;
    const startFrac = progress(it);
    const byIterations = N !== undefined && limit === undefined;
    const itEnd = byIterations ? Math.round(endFrac * N) : 0;
    for (;;) {
      const f = progress(it);
      if (f >= endFrac || (byIterations && it >= itEnd)) break;
      const phaseF = byIterations ? (it - itStart) / Math.max(1, itEnd - itStart) : (f - startFrac) / Math.max(1e-9, endFrac - startFrac);
      const T = T0 * Math.pow(Tf / T0, Math.min(1, phaseF));
      const cand = cur.clone();
      // adaptive ruin size: the longer the best has not improved, the larger the ruin (up to a third of the stops)
      const grow = Math.floor((it - lastBest) / stallStep);
      sisr.ruin(cand, grow > 0 ? Math.min(params.avgRemoved * (1 + grow), Math.max(params.avgRemoved, p.S / 3)) : params.avgRemoved);
      sisr.recreate(cand, Infinity);
      const k = keyOf(cand);
      let accept: boolean;
      // optionally one more vehicle costs vehW in the annealing (not in `best`, which stays lexicographic), so the
      // search may pass through a solution with an extra route; off by default (the warm-up phase made it unneeded)
      // when stalled, the annealing may pass through solutions with one more route (weight stalledVehW)
      const w = it - lastBest > stallStep ? stalledVehW : vehW;
      if (k.w !== curKey.w) accept = k.w < curKey.w;
      else if (!Number.isFinite(w) && k.veh !== curKey.veh) accept = k.veh < curKey.veh;
      else {
        const extra = Number.isFinite(w) ? w * (k.veh - curKey.veh) : 0;
        accept = k.cost + extra < curKey.cost - T * Math.log(sisr.rng.next());
      }
      if (accept) {
        cur = cand;
        curKey = k;
        if (better(k, bestKey)) {
          best = cand;
          bestKey = k;
          lastBest = it;
        }
      }
      // an excursion with an extra route must come back soon, or the search returns to the best
      if (curKey.veh > bestKey.veh) {
        if (++drift > driftLimit) {
          cur = best;
          curKey = bestKey;
          drift = 0;
        }
      } else drift = 0;
      it++;
      if ((it & 255) === 0) opts.onProgress?.(progress(it), bestKey);
    }
    return cur;
  }

  // phase 3: simulated annealing on cost with the fleet found
  anneal(cur, 1);
  return { best, iterations: it, fleetIterations, elapsedMs: now() - t0 };
}
