import type { ExternalSolution, VrpInstance } from '../types.js';
import { compileProblem, KIND_SHIPMENT, type Objective, type Problem } from './problem.js';
import { Route } from './route.js';
import { construct, search, type SearchOptions } from './search.js';
import type { Solution } from './solution.js';

export interface SolveOptions extends Omit<SearchOptions, 'initial'> {
  objective?: Objective;
  /** construction heuristic only (the benchmark's baseline) */
  constructOnly?: boolean;
}

export interface SolveResult extends ExternalSolution {
  vehicles: number;
  distance: number;
  cost: number;
  iterations: number;
  seconds: number;
}

/** Solve an instance and translate the result back to the instance's own stop refs and job ids. */
export function solveInstance(inst: VrpInstance, opts: SolveOptions = {}): SolveResult {
  const t0 = performance.now();
  const p = compileProblem(inst, opts.objective ?? 'vehicles-distance');
  let sol: Solution;
  let iterations = 0;
  if (opts.constructOnly || (opts.iterations === undefined && opts.timeLimitMs === undefined)) {
    sol = construct(p, opts.seed ?? 1);
  } else {
    const r = search(p, opts);
    sol = r.best;
    iterations = r.iterations;
  }
  return { ...toExternal(p, sol), vehicles: sol.usedVehicles(), distance: sol.distance(), cost: sol.cost(), iterations, seconds: (performance.now() - t0) / 1000 };
}

export function toExternal(p: Problem, sol: Solution): ExternalSolution {
  const inst = p.inst;
  const refOf: (number | string)[] = [];
  for (const job of inst.jobs) for (const s of job.stops) refOf.push(s.ref);
  return {
    routes: sol.toRoutes().map((r) => ({ vehicle: inst.vehicles[r.vehicle].id, stops: r.stops.map((s) => refOf[s]) })),
    unassigned: sol.unassigned
      .slice()
      .sort((a, b) => a - b)
      .map((j) => ({ job: inst.jobs[j].id, reason: unassignedReason(p, j) })),
  };
}

/** Why a job could not be served: tried alone on every vehicle, so the reason names the first hard obstacle. */
export function unassignedReason(p: Problem, j: number): string {
  const D = p.D;
  let skills = false;
  let capacity = false;
  let allowed = false;
  for (let v = 0; v < p.V; v++) {
    if (p.jobAllowed !== null && p.jobAllowed[j * p.V + v] === 0) continue;
    allowed = true;
    if ((p.jobSkills[j] & ~p.vehSkills[v]) !== 0) continue;
    skills = true;
    let fits = true;
    for (let d = 0; d < D; d++) if (p.jobAmount[j * D + d] > p.vehCap[v * D + d]) fits = false;
    if (!fits) continue;
    capacity = true;
    const r = new Route(p, v, 0);
    const s = p.jobFirst[j];
    const delta = p.jobKind[j] === KIND_SHIPMENT ? r.bestPair(s, s + 1, null, 0) : r.bestSingle(s, null, 0);
    if (delta < Infinity) return 'not enough vehicles, capacity or time left to serve it together with the other jobs';
  }
  if (p.V === 0 || !allowed) return 'no vehicle available for it';
  if (!skills) return 'no vehicle has the required skills';
  if (!capacity) return 'load larger than any vehicle with the required skills can carry';
  return 'no vehicle can reach it within its time windows and the vehicle shift';
}
