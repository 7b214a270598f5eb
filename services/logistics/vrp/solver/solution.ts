import { KIND_SHIPMENT, type Problem } from './problem.js';
import { Route } from './route.js';

let generation = 1;

/**
 * A solution: one route per vehicle (empty when unused) plus the unassigned jobs. Cloning is copy-on-write:
 * a clone shares its routes until it changes one (mut), so a ruin-and-recreate step copies only what it touches.
 */
export class Solution {
  routes: Route[];
  /** vehicle serving each stop, -1 when unassigned */
  stopRoute: Int32Array;
  unassigned: number[];
  gen: number;

  constructor(
    readonly p: Problem,
    routes?: Route[],
    stopRoute?: Int32Array,
    unassigned?: number[],
  ) {
    this.gen = generation++;
    this.routes = routes ?? Array.from({ length: p.V }, (_, v) => new Route(p, v, this.gen));
    this.stopRoute = stopRoute ?? new Int32Array(p.S).fill(-1);
    this.unassigned = unassigned ?? Array.from({ length: p.J }, (_, j) => j);
  }

  clone(): Solution {
    return new Solution(this.p, this.routes.slice(), this.stopRoute.slice(), this.unassigned.slice());
  }

  /** the route of vehicle v, copied first when it is shared with another solution */
  mut(v: number): Route {
    let r = this.routes[v];
    if (r.gen !== this.gen) {
      r = r.clone(this.gen);
      this.routes[v] = r;
    }
    return r;
  }

  usedVehicles(): number {
    let n = 0;
    for (const r of this.routes) if (r.nodes.length > 0) n++;
    return n;
  }

  cost(): number {
    let c = 0;
    for (const r of this.routes) c += r.cost;
    return c;
  }

  distance(): number {
    let c = 0;
    for (const r of this.routes) c += r.dist;
    return c;
  }

  unassignedWeight(): number {
    let w = 0;
    for (const j of this.unassigned) w += this.p.jobWeight[j];
    return w;
  }

  /** insert job j into vehicle v at the positions a route's best* method reported */
  insert(j: number, v: number, pos: number, pos2: number): void {
    const p = this.p;
    const r = this.mut(v);
    const s = p.jobFirst[j];
    if (p.jobKind[j] === KIND_SHIPMENT) {
      r.insertPair(s, s + 1, pos, pos2);
      this.stopRoute[s] = v;
      this.stopRoute[s + 1] = v;
    } else {
      r.insertSingle(s, pos);
      this.stopRoute[s] = v;
    }
  }

  /** remove whole jobs (both legs of a shipment) from their routes; they join `unassigned` */
  removeJobs(jobs: number[], mark: Uint32Array, stamp: number): void {
    const p = this.p;
    const touched = new Set<number>();
    for (const j of jobs) {
      mark[j] = stamp;
      const s = p.jobFirst[j];
      const n = p.jobKind[j] === KIND_SHIPMENT ? 2 : 1;
      for (let k = 0; k < n; k++) {
        const v = this.stopRoute[s + k];
        if (v >= 0) touched.add(v);
        this.stopRoute[s + k] = -1;
      }
      this.unassigned.push(j);
    }
    for (const v of touched) this.mut(v).removeStops((s) => mark[p.stopJob[s]] === stamp);
  }

  /** stop lists per vehicle (for output and tests) */
  toRoutes(): { vehicle: number; stops: number[] }[] {
    return this.routes.filter((r) => r.nodes.length > 0).map((r) => ({ vehicle: r.v, stops: r.nodes.slice() }));
  }
}
