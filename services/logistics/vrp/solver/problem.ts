import { UrbanflowError } from '../../../../core/errors/index.js';
import { MAX_PRIORITY, type VrpInstance } from '../types.js';

/**
 * The instance compiled to flat typed arrays for the hot loops. Stops are numbered 0..S-1 (a shipment has two
 * consecutive stops: pickup then delivery), jobs 0..J-1, vehicles 0..V-1.
 */
export type Objective = 'vehicles-distance' | 'distance';

export const KIND_DELIVERY = 0;
export const KIND_PICKUP = 1;
export const KIND_SHIPMENT = 2;

export interface Problem {
  inst: VrpInstance;
  objective: Objective;
  S: number;
  J: number;
  V: number;
  D: number;
  nLoc: number;
  stopLoc: Int32Array;
  stopService: Float64Array;
  /** windows of stop s are twA/twB[twOff[s] .. twOff[s+1]) */
  twOff: Int32Array;
  twA: Float64Array;
  twB: Float64Array;
  stopJob: Int32Array;
  /** load change at the stop, S×D */
  stopDelta: Float64Array;
  jobKind: Uint8Array;
  jobFirst: Int32Array;
  jobAmount: Float64Array;
  jobSkills: Int32Array;
  jobPriority: Int32Array;
  /** weight of leaving the job unassigned: 100^priority, exact in doubles */
  jobWeight: Float64Array;
  /** J×V: 1 when vehicle v may serve job j; null when every job may use every vehicle */
  jobAllowed: Uint8Array | null;
  vehStart: Int32Array;
  vehEnd: Int32Array;
  vehShiftA: Float64Array;
  /** latest arrival at the end: min(shift end, shift start + max duration) */
  vehLatestEnd: Float64Array;
  vehCap: Float64Array;
  vehSkills: Int32Array;
  vehFixed: Float64Array;
  /** vehicles with equal start, end, shift, capacity, skills and costs share a class: one empty one is enough to try */
  vehClass: Int32Array;
  /** per vehicle: travel time matrix and arc cost matrix (cost/dist × dist + cost/time × time) */
  vehTime: Float64Array[];
  vehCost: Float64Array[];
  vehDist: Float64Array[];
  /** K nearest other stops of each stop (S×K), by the first profile's distance */
  neighbors: Int32Array;
  K: number;
}

export function compileProblem(inst: VrpInstance, objective: Objective, neighborCount = 40): Problem {
  const D = inst.dims;
  const J = inst.jobs.length;
  const V = inst.vehicles.length;
  const nLoc = inst.matrices[0]?.n ?? 0;
  for (const [k, m] of inst.matrices.entries()) {
    if (m.n !== nLoc || m.time.length !== nLoc * nLoc || m.dist.length !== nLoc * nLoc) {
      throw new UrbanflowError('INVALID_INPUT', `matrix ${k} must be ${nLoc}×${nLoc}`, { field: 'matrices' });
    }
  }
  let S = 0;
  for (const j of inst.jobs) S += j.stops.length;
  const stopLoc = new Int32Array(S);
  const stopService = new Float64Array(S);
  const twOff = new Int32Array(S + 1);
  const twAList: number[] = [];
  const twBList: number[] = [];
  const stopJob = new Int32Array(S);
  const stopDelta = new Float64Array(S * D);
  const jobKind = new Uint8Array(J);
  const jobFirst = new Int32Array(J);
  const jobAmount = new Float64Array(J * D);
  const jobSkills = new Int32Array(J);
  const jobPriority = new Int32Array(J);
  const jobWeight = new Float64Array(J);
  let s = 0;
  inst.jobs.forEach((job, j) => {
    const kind = job.kind === 'delivery' ? KIND_DELIVERY : job.kind === 'pickup' ? KIND_PICKUP : KIND_SHIPMENT;
    if (job.stops.length !== (kind === KIND_SHIPMENT ? 2 : 1)) {
      throw new UrbanflowError('INVALID_INPUT', `job ${job.id}: a ${job.kind} has ${kind === KIND_SHIPMENT ? 2 : 1} stop(s)`, { field: 'stops' });
    }
    jobKind[j] = kind;
    jobFirst[j] = s;
    jobSkills[j] = job.skills;
    const prio = Math.max(0, Math.min(MAX_PRIORITY, Math.round(job.priority)));
    jobPriority[j] = prio;
    jobWeight[j] = 100 ** prio;
    for (let d = 0; d < D; d++) jobAmount[j * D + d] = job.amount[d] ?? 0;
    job.stops.forEach((st, leg) => {
      if (!(st.loc >= 0 && st.loc < nLoc)) throw new UrbanflowError('INVALID_INPUT', `job ${job.id}: stop location ${st.loc} outside the matrix`, { field: 'loc' });
      stopLoc[s] = st.loc;
      stopService[s] = st.service;
      stopJob[s] = j;
      twOff[s] = twAList.length;
      if (st.windows.length === 0) {
        twAList.push(-Infinity);
        twBList.push(Infinity);
      } else {
        for (const [a, b] of st.windows) {
          twAList.push(a);
          twBList.push(b);
        }
      }
      const sign = kind === KIND_DELIVERY || (kind === KIND_SHIPMENT && leg === 1) ? -1 : 1;
      for (let d = 0; d < D; d++) stopDelta[s * D + d] = sign * (job.amount[d] ?? 0);
      s++;
    });
  });
  twOff[S] = twAList.length;
  let jobAllowed: Uint8Array | null = null;
  if (inst.jobs.some((j) => j.vehicles !== undefined)) {
    jobAllowed = new Uint8Array(J * V);
    inst.jobs.forEach((job, j) => {
      if (job.vehicles === undefined) jobAllowed!.fill(1, j * V, (j + 1) * V);
      else for (const v of job.vehicles) if (v >= 0 && v < V) jobAllowed![j * V + v] = 1;
    });
  }

  const vehStart = new Int32Array(V);
  const vehEnd = new Int32Array(V);
  const vehShiftA = new Float64Array(V);
  const vehLatestEnd = new Float64Array(V);
  const vehCap = new Float64Array(V * D);
  const vehSkills = new Int32Array(V);
  const vehFixed = new Float64Array(V);
  const vehClass = new Int32Array(V);
  const vehTime: Float64Array[] = [];
  const vehCost: Float64Array[] = [];
  const vehDist: Float64Array[] = [];
  const costCache = new Map<string, Float64Array>();
  const classKeys = new Map<string, number>();
  inst.vehicles.forEach((v, i) => {
    const m = inst.matrices[v.profile];
    if (!m) throw new UrbanflowError('INVALID_INPUT', `vehicle ${v.id}: no travel matrix for profile ${v.profile}`, { field: 'profile' });
    vehStart[i] = v.startLoc;
    vehEnd[i] = v.endLoc;
    vehShiftA[i] = v.shift[0];
    vehLatestEnd[i] = Math.min(v.shift[1], v.shift[0] + v.maxDuration);
    for (let d = 0; d < D; d++) vehCap[i * D + d] = v.capacity[d] ?? 0;
    vehSkills[i] = v.skills;
    vehFixed[i] = v.fixedCost;
    const key = `${v.profile}|${v.costPerDistance}|${v.costPerTime}`;
    let c = costCache.get(key);
    if (!c) {
      c = new Float64Array(nLoc * nLoc);
      for (let k = 0; k < c.length; k++) c[k] = v.costPerDistance * m.dist[k] + v.costPerTime * m.time[k];
      costCache.set(key, c);
    }
    vehTime.push(m.time);
    vehDist.push(m.dist);
    vehCost.push(c);
    const ck = `${key}|${v.startLoc}|${v.endLoc}|${v.shift[0]}|${v.shift[1]}|${v.maxDuration}|${v.capacity.join(',')}|${v.skills}|${v.fixedCost}`;
    if (!classKeys.has(ck)) classKeys.set(ck, classKeys.size);
    vehClass[i] = classKeys.get(ck)!;
  });

  // neighbours by distance between stop locations (ties broken by index for determinism)
  const K = Math.min(neighborCount, Math.max(0, S - 1));
  const neighbors = new Int32Array(S * K);
  const dist0 = inst.matrices[0]?.dist ?? new Float64Array(0);
  const idx = Array.from({ length: S }, (_, i) => i);
  for (let a = 0; a < S && K > 0; a++) {
    const la = stopLoc[a];
    const cand = idx.filter((b) => b !== a);
    const key = new Float64Array(S);
    for (const b of cand) key[b] = Math.min(dist0[la * nLoc + stopLoc[b]], dist0[stopLoc[b] * nLoc + la]);
    cand.sort((x, y) => key[x] - key[y] || x - y);
    for (let k = 0; k < K; k++) neighbors[a * K + k] = cand[k];
  }

  return {
    inst, objective, S, J, V, D, nLoc,
    stopLoc, stopService, twOff, twA: Float64Array.from(twAList), twB: Float64Array.from(twBList), stopJob, stopDelta,
    jobKind, jobFirst, jobAmount, jobSkills, jobPriority, jobWeight, jobAllowed,
    vehStart, vehEnd, vehShiftA, vehLatestEnd, vehCap, vehSkills, vehFixed, vehClass, vehTime, vehCost, vehDist,
    neighbors, K,
  };
}

/** earliest service start at stop s for arrival t, NaN when every window has closed */
export function earliestStart(p: Problem, s: number, t: number): number {
  const end = p.twOff[s + 1];
  for (let w = p.twOff[s]; w < end; w++) {
    if (t <= p.twB[w]) return t > p.twA[w] ? t : p.twA[w];
  }
  return NaN;
}

/** latest service start at s not after t, -Infinity when no window opens before t */
export function latestStart(p: Problem, s: number, t: number): number {
  const begin = p.twOff[s];
  for (let w = p.twOff[s + 1] - 1; w >= begin; w--) {
    if (p.twA[w] <= t) return t < p.twB[w] ? t : p.twB[w];
  }
  return -Infinity;
}
