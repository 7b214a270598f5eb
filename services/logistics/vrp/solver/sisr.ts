import { KIND_SHIPMENT, type Problem } from './problem.js';
import { Rng } from './rng.js';
import { Solution } from './solution.js';

/**
 * Slack Induction by String Removals (Christiaens & Vanden Berghe, Transportation Science 2020): ruin removes a
 * few strings of consecutive stops from routes near a random seed stop; recreate re-inserts the removed jobs
 * greedily in a random order with "blinks"; simulated annealing accepts. A fleet-minimisation phase first
 * removes whole routes and drives the unassigned jobs back in, guided by how often each was left out.
 */
export interface SisrParams {
  /** average number of removed stops */
  avgRemoved: number;
  /** the same during fleet minimisation (measured on RC101: 8 reaches 14 routes more often and sooner than 10) */
  fleetAvgRemoved: number;
  /** longest string */
  maxString: number;
  /** the same once the best has not improved for stallIterations */
  stalledVehicleWeight: number;
  /** share of the budget annealed before fleet minimisation */
  warmShare: number;
  /** annealing weight of one vehicle, in multiples of the start temperature (hierarchical objective; Infinity = strictly fewer vehicles first) */
  vehicleWeight: number;
  /** an excursion with more vehicles than the best returns to the best after this many iterations */
  driftIterations: number;
  /** after this many iterations without a new best, the ruin grows by avgRemoved (0 disables) */
  stallIterations: number;
  /** probability of the split-string variant */
  splitRate: number;
  /** split depth */
  splitDepth: number;
  /** probability of skipping a position during recreate */
  blink: number;
  /** recreate tries only routes holding one of the job's this many nearest stops (0 = every route) */
  granular: number;
  /** single-stop jobs are inserted only next to one of this many nearest stops (0 = anywhere) */
  granularPositions: number;
  /** start and final temperature, as multiples of the average arc cost of the first solution */
  t0: number;
  tf: number;
}

export const DEFAULT_PARAMS: SisrParams = {
  avgRemoved: 10,
  fleetAvgRemoved: 8,
  stallIterations: 3000,
  // measured with the warm-up phase (5 instances × 5 seeds, 40k iterations): excursions cost more than they gain
  vehicleWeight: Infinity,
  stalledVehicleWeight: 3,
  warmShare: 0.2,
  driftIterations: 200,
  maxString: 10,
  splitRate: 0.5,
  splitDepth: 0.01,
  blink: 0.01,
  granular: 20,
  granularPositions: 0,
  t0: 3,
  tf: 0.03,
};

/** Lexicographic key: unassigned weight, then vehicles (hierarchical objective only), then cost. */
export interface Key {
  w: number;
  veh: number;
  cost: number;
}

export function keyOf(s: Solution): Key {
  return { w: s.unassignedWeight(), veh: s.p.objective === 'vehicles-distance' ? s.usedVehicles() : 0, cost: s.cost() };
}

export function better(a: Key, b: Key): boolean {
  if (a.w !== b.w) return a.w < b.w;
  if (a.veh !== b.veh) return a.veh < b.veh;
  return a.cost < b.cost - 1e-9;
}

export class Sisr {
  readonly rng: Rng;
  private readonly mark: Uint32Array;
  private stamp = 1;
  private readonly classStamp: Uint32Array;
  private readonly routeStamp: Uint32Array;
  private readonly depotDist: Float64Array;
  private readonly width: Float64Array;
  private readonly demand: Float64Array;
  private readonly hasWindows: boolean;
  private readonly classVehicles: number[][] = [];

  constructor(
    readonly p: Problem,
    seed: number,
    readonly params: SisrParams = DEFAULT_PARAMS,
  ) {
    this.rng = new Rng(seed);
    this.mark = new Uint32Array(p.J);
    this.near = new Uint32Array(p.S);
    this.classStamp = new Uint32Array(p.V + 1);
    this.routeStamp = new Uint32Array(p.V);
    // per job: distance from the (first) vehicle's start hub, window width, relative demand: recreate sort keys
    this.depotDist = new Float64Array(p.J);
    this.width = new Float64Array(p.J);
    this.demand = new Float64Array(p.J);
    const start = p.V > 0 ? p.vehStart[0] : 0;
    const dist = p.vehDist[0] ?? new Float64Array(p.nLoc * p.nLoc);
    let maxCap = 0;
    for (let v = 0; v < p.V; v++) maxCap = Math.max(maxCap, p.vehCap[v * p.D]);
    let windows = false;
    for (let j = 0; j < p.J; j++) {
      const s = p.jobFirst[j];
      this.depotDist[j] = dist[start * p.nLoc + p.stopLoc[s]];
      let w = 0;
      const legs = p.jobKind[j] === KIND_SHIPMENT ? 2 : 1;
      for (let k = 0; k < legs; k++) {
        const a = p.twA[p.twOff[s + k]];
        const b = p.twB[p.twOff[s + k + 1] - 1];
        w += Math.min(b - a, 1e15);
        if (Number.isFinite(a) || Number.isFinite(b)) windows = true;
      }
      this.width[j] = w;
      for (let d = 0; d < p.D; d++) this.demand[j] += p.jobAmount[j * p.D + d] / Math.max(1e-9, p.vehCap[d]);
    }
    void maxCap;
    this.hasWindows = windows;
    for (let v = 0; v < p.V; v++) (this.classVehicles[p.vehClass[v]] ??= []).push(v);
  }

  private nextStamp(): number {
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.mark.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  // scratch of the current insertion search
  private bV = -1;
  private bOpen = true;
  private bCost = Infinity;
  private bPos = -1;
  private bPos2 = -1;
  private readonly cand: number[] = [];
  /** stops among the current job's nearest neighbours (granular positions) */
  private readonly near: Uint32Array;
  private nearStamp = 0;
  private nearOn = false;

  private tryRoute(sol: Solution, v: number, j: number, s: number, shipment: boolean, open: boolean, rng: Rng | null, blink: number, countVeh: boolean): void {
    const r = sol.routes[v];
    if (!r.canTake(j)) return;
    const delta = shipment ? r.bestPair(s, s + 1, rng, blink) : r.bestSingle(s, rng, blink, this.nearOn ? this.near : null, this.nearStamp);
    if (delta === Infinity) return;
    // hierarchical objective: any existing route beats opening a new one
    const wins = countVeh && open !== this.bOpen && this.bCost < Infinity ? !open : delta < this.bCost;
    if (wins) {
      this.bCost = delta;
      this.bV = v;
      this.bOpen = open;
      this.bPos = r.bestPos;
      this.bPos2 = r.bestPos2;
    }
  }

  /** best feasible insertion of job j; returns false when none exists */
  insertBest(sol: Solution, j: number, allowOpen: boolean, blink: number): boolean {
    const p = this.p;
    const rng = blink > 0 ? this.rng : null;
    const countVeh = p.objective === 'vehicles-distance';
    const cstamp = this.nextStamp();
    const s = p.jobFirst[j];
    const shipment = p.jobKind[j] === KIND_SHIPMENT;
    this.bV = -1;
    this.bOpen = true;
    this.bCost = Infinity;
    const cand = this.cand;
    cand.length = 0;
    const G = Math.min(this.params.granular, p.K);
    const GP = Math.min(this.params.granularPositions, p.K);
    this.nearOn = GP > 0 && !shipment;
    if (this.nearOn) {
      this.nearStamp = cstamp;
      const base = s * p.K;
      for (let q = 0; q < GP; q++) this.near[p.neighbors[base + q]] = cstamp;
    }
    if (G > 0) {
      // granular: only routes holding one of the job's nearest stops (both legs for a shipment)
      const legs = shipment ? 2 : 1;
      for (let k = 0; k < legs; k++) {
        const base = (s + k) * p.K;
        for (let q = 0; q < G; q++) {
          const v = sol.stopRoute[p.neighbors[base + q]];
          if (v >= 0 && this.routeStamp[v] !== cstamp) {
            this.routeStamp[v] = cstamp;
            cand.push(v);
          }
        }
      }
    } else {
      for (let v = 0; v < p.V; v++) if (sol.routes[v].nodes.length > 0) cand.push(v);
    }
    for (const v of cand) this.tryRoute(sol, v, j, s, shipment, false, rng, blink, countVeh);
    if (this.bV < 0 && (G > 0 || this.nearOn)) {
      // nothing near fits: fall back to every position of every route before opening one
      this.nearOn = false;
      for (let v = 0; v < p.V; v++) {
        if (sol.routes[v].nodes.length > 0) this.tryRoute(sol, v, j, s, shipment, false, rng, blink, countVeh);
      }
    }
    if (allowOpen && (!countVeh || this.bV < 0)) {
      // one empty vehicle per class is enough
      for (const list of this.classVehicles) {
        for (const v of list) {
          if (sol.routes[v].nodes.length === 0) {
            this.tryRoute(sol, v, j, s, shipment, true, rng, blink, countVeh);
            break;
          }
        }
      }
    }
    if (this.bV < 0) return false;
    sol.insert(j, this.bV, this.bPos, this.bPos2);
    return true;
  }

  /** SISR ruin: remove strings from up to k_s routes around a random seed stop */
  ruin(sol: Solution, avgRemoved = this.params.avgRemoved): void {
    const p = this.p;
    const prm = this.params;
    let routed = 0;
    let used = 0;
    for (const r of sol.routes) {
      if (r.nodes.length > 0) {
        used++;
        routed += r.nodes.length;
      }
    }
    if (used === 0) return;
    const avgCard = routed / used;
    const lsMax = Math.min(prm.maxString, avgCard);
    const ksMax = (4 * avgRemoved) / (1 + lsMax) - 1;
    const ks = Math.floor(this.rng.next() * ksMax) + 1;
    // random routed seed stop
    let seed = -1;
    for (let tries = 0; tries < 50 && seed < 0; tries++) {
      const s = this.rng.int(p.S);
      if (sol.stopRoute[s] >= 0) seed = s;
    }
    if (seed < 0) return;
    const rstamp = this.nextStamp();
    const removed: number[] = [];
    let ruined = 0;
    const K = p.K;
    for (let k = -1; k < K && ruined < ks; k++) {
      const c = k < 0 ? seed : p.neighbors[seed * K + k];
      const v = sol.stopRoute[c];
      if (v < 0 || this.routeStamp[v] === rstamp) continue;
      this.routeStamp[v] = rstamp;
      ruined++;
      const nodes = sol.routes[v].nodes;
      const len = nodes.length;
      const lMax = Math.min(len, lsMax);
      const l = Math.floor(this.rng.next() * lMax) + 1;
      const at = nodes.indexOf(c);
      if (this.rng.next() < prm.splitRate && l < len) {
        // split string: a string of l + m stops, of which m consecutive ones stay
        let m = 1;
        while (l + m < len && this.rng.next() > prm.splitDepth) m++;
        const total = l + m;
        const lo = Math.max(0, at - total + 1);
        const hi = Math.min(at, len - total);
        const start = lo + this.rng.int(hi - lo + 1);
        const keepAt = start + this.rng.int(l + 1);
        for (let q = start; q < start + total; q++) if (q < keepAt || q >= keepAt + m) removed.push(p.stopJob[nodes[q]]);
      } else {
        const lo = Math.max(0, at - l + 1);
        const hi = Math.min(at, len - l);
        const start = lo + this.rng.int(hi - lo + 1);
        for (let q = start; q < start + l; q++) removed.push(p.stopJob[nodes[q]]);
      }
    }
    const mstamp = this.nextStamp();
    const uniq: number[] = [];
    for (const j of removed) {
      if (this.mark[j] !== mstamp) {
        this.mark[j] = mstamp;
        uniq.push(j);
      }
    }
    sol.removeJobs(uniq, this.mark, this.nextStamp());
  }

  /** SISR recreate: sort the absent jobs, insert each at its cheapest feasible place (with blinks) */
  recreate(sol: Solution, maxVehicles: number, blink = this.params.blink, order?: 'random' | 'demand' | 'far' | 'close' | 'window'): void {
    const p = this.p;
    const absent = sol.unassigned;
    sol.unassigned = [];
    const which = order ?? this.pickOrder();
    if (which === 'random') {
      for (let i = absent.length - 1; i > 0; i--) {
        const k = this.rng.int(i + 1);
        const t = absent[i];
        absent[i] = absent[k];
        absent[k] = t;
      }
    } else if (which === 'demand') absent.sort((a, b) => this.demand[b] - this.demand[a] || a - b);
    else if (which === 'far') absent.sort((a, b) => this.depotDist[b] - this.depotDist[a] || a - b);
    else if (which === 'close') absent.sort((a, b) => this.depotDist[a] - this.depotDist[b] || a - b);
    else absent.sort((a, b) => this.width[a] - this.width[b] || a - b);
    // higher priorities first (stable)
    absent.sort((a, b) => p.jobPriority[b] - p.jobPriority[a]);
    const capped = maxVehicles < p.V;
    for (const j of absent) {
      const allowOpen = !capped || sol.usedVehicles() < maxVehicles;
      if (!this.insertBest(sol, j, allowOpen, blink)) sol.unassigned.push(j);
    }
  }

  private pickOrder(): 'random' | 'demand' | 'far' | 'close' | 'window' {
    const r = this.rng.next() * (this.hasWindows ? 13 : 11);
    if (r < 4) return 'random';
    if (r < 8) return 'demand';
    if (r < 10) return 'far';
    if (r < 11) return 'close';
    return 'window';
  }
}
