import { invalidInput } from '../../../core/errors/index.js';
import { AlgorithmB, type BushState } from './algorithm-b.js';
import { beckmann } from './bpr.js';
import { resolveClasses, type AssignmentDemand } from './demand.js';
import { FrankWolfe } from './frank-wolfe.js';
import type { AssignmentNetwork } from './network.js';
import { originDemands } from './origins.js';

export type AssignmentAlgorithm = 'b' | 'bfw' | 'fw';

export interface AssignOptions {
  /** 'b' = Algorithm B (bush-based, default), 'bfw' = biconjugate Frank-Wolfe, 'fw' = Frank-Wolfe */
  algorithm?: AssignmentAlgorithm;
  /** stop when the relative gap (TSTT - SPTT) / SPTT is below this; default 1e-6 */
  gap?: number;
  /** default 1000 (b) / 10000 (bfw, fw) */
  maxIterations?: number;
  /** wall-clock limit; default none */
  maxSeconds?: number;
  /** Algorithm B only: the `state` of an earlier result on the same network and demand */
  warmStart?: BushState;
  /** called after every iteration (progress) */
  onIteration?: (info: IterationInfo) => void;
  /** checked after every iteration: return true to stop early (cancellation, CPU budgets); the result is still valid */
  shouldStop?: () => boolean;
}

export interface IterationInfo {
  iteration: number;
  relativeGap: number;
  seconds: number;
}

export interface AssignResult {
  algorithm: AssignmentAlgorithm;
  iterations: number;
  /** (TSTT - SPTT) / SPTT in generalized cost, of the returned flows */
  relativeGap: number;
  converged: boolean;
  /** sum over links of the integral of t from 0 to the link's flow (time part only) */
  beckmannObjective: number;
  /** sum over links of flow * time */
  totalSystemTravelTime: number;
  /** generalized-cost TSTT and SPTT behind relativeGap */
  tstt: number;
  sptt: number;
  seconds: number;
  /** total flow per link, pce */
  volumes: Float64Array;
  /** travel time per link at those volumes */
  costs: Float64Array;
  /** flow per class per link, vehicles */
  classVolumes: Float64Array[];
  /** trips whose destination cannot be reached (not assigned) */
  unreachableTrips: number;
  history: IterationInfo[];
  /** Algorithm B: bush flows for a warm start of a later run */
  state?: BushState;
}

/** Algorithm B effort per main iteration: Newton passes per bush after its update, then whole sweeps over all bushes. */
const B_PASSES = 2;
const B_SWEEPS = 8;
/** shift flow only where two paths differ by more than this fraction of the average excess cost per trip */
const B_TOL_FRACTION = 0.25;

/** Static deterministic user equilibrium on an assignment network. */
export function assign(net: AssignmentNetwork, demand: AssignmentDemand, opts: AssignOptions = {}): AssignResult {
  const algorithm = opts.algorithm ?? 'b';
  if (algorithm !== 'b' && algorithm !== 'bfw' && algorithm !== 'fw') throw invalidInput('algorithm', `unknown algorithm '${String(algorithm)}' (b, bfw, fw)`);
  const target = opts.gap ?? 1e-6;
  if (!(target >= 0)) throw invalidInput('gap', 'gap must be a non-negative number');
  const maxIterations = opts.maxIterations ?? (algorithm === 'b' ? 1000 : 10000);
  if (!(maxIterations >= 1)) throw invalidInput('maxIterations', 'maxIterations must be at least 1');
  const classes = resolveClasses(net, demand);
  const origins = originDemands(net, classes);
  const start = performance.now();
  const elapsed = () => (performance.now() - start) / 1000;
  const history: IterationInfo[] = [];
  const note = (iteration: number, relativeGap: number) => {
    const info = { iteration, relativeGap, seconds: elapsed() };
    history.push(info);
    opts.onIteration?.(info);
  };
  const rel = (tstt: number, sptt: number) => (sptt > 0 ? (tstt - sptt) / sptt : 0);
  const totalTrips = origins.reduce((s, o) => s + o.total, 0);
  const timeUp = () => (opts.maxSeconds !== undefined && elapsed() > opts.maxSeconds) || (opts.shouldStop?.() ?? false);

  if (algorithm === 'b') {
    const solver = new AlgorithmB(net, classes, origins, opts.warmStart);
    let { tstt, sptt } = solver.measure();
    let gap = rel(tstt, sptt);
    let iterations = 0;
    let lastTol = Infinity;
    while (gap > target && iterations < maxIterations && !timeUp()) {
      // shift only where paths differ by more than a fraction of the average excess cost; at least halve the
      // threshold every iteration, or the remaining excess can sit in many small differences below it and stall
      const excess = totalTrips > 0 ? Math.max(0, tstt - sptt) / totalTrips : 0;
      const tol = Math.max(Math.min(excess * B_TOL_FRACTION, lastTol / 2), (sptt / Math.max(totalTrips, 1)) * target * 1e-3, 1e-15);
      lastTol = tol;
      solver.iterate(tol, B_PASSES);
      for (let k = 0; k < B_SWEEPS; k++) if (solver.sweep(tol, 2) <= tol) break;
      solver.syncFlows();
      iterations++;
      ({ tstt, sptt } = solver.measure());
      gap = rel(tstt, sptt);
      note(iterations, gap);
    }
    return finish(net, solver.x, solver.t, solver.classFlows(), { algorithm, iterations, relativeGap: gap, converged: gap <= target, tstt, sptt, seconds: elapsed(), unreachableTrips: solver.unreachableTrips, history, state: solver.state() });
  }

  const solver = new FrankWolfe(net, classes, origins, algorithm);
  let gap = Infinity;
  let iterations = 0;
  let tstt = 0;
  let sptt = 0;
  while (iterations < maxIterations && !timeUp()) {
    // iterate() measures the gap of the current flows before moving; stop there when it is small enough
    const before = { y: solver.y.slice(), x: solver.x.slice(), t: solver.t.slice() };
    ({ tstt, sptt } = solver.iterate());
    gap = rel(tstt, sptt);
    if (gap <= target) {
      solver.y.set(before.y);
      solver.x.set(before.x);
      solver.t.set(before.t);
      note(iterations, gap);
      break;
    }
    iterations++;
    note(iterations, gap);
  }
  if (gap > target) {
    // report the gap of the flows actually returned
    tstt = solver.tstt();
    sptt = solver.iterateMeasureOnly();
    gap = rel(tstt, sptt);
  }
  return finish(net, solver.x, solver.t, solver.classFlows(), { algorithm, iterations, relativeGap: gap, converged: gap <= target, tstt, sptt, seconds: elapsed(), unreachableTrips: solver.unreachableTrips, history });
}

function finish(
  net: AssignmentNetwork,
  x: Float64Array,
  t: Float64Array,
  classVolumes: Float64Array[],
  r: Omit<AssignResult, 'volumes' | 'costs' | 'classVolumes' | 'beckmannObjective' | 'totalSystemTravelTime'>,
): AssignResult {
  let tt = 0;
  for (let a = 0; a < net.linkCount; a++) tt += x[a] * t[a];
  return { ...r, volumes: x.slice(), costs: t.slice(), classVolumes, beckmannObjective: beckmann(net, x), totalSystemTravelTime: tt };
}
