import { earliestStart, latestStart, KIND_DELIVERY, type Problem } from './problem.js';
import type { Rng } from './rng.js';

/**
 * One vehicle's route with the caches that make insertion checks O(1): forward earliest service start, backward
 * latest service start (time-window slack), load after each position with prefix and suffix maxima.
 * Position 0 is the start hub, 1..m the stops, m+1 the end hub.
 */
export class Route {
  nodes: number[];
  /**
   * all caches in one buffer (one allocation per clone): fwd[0..cap), bwd at oB, load / prefix max / suffix max
   * (cap×D each) at oL / oP / oS
   */
  buf!: Float64Array;
  cap = 0;
  oB = 0;
  oL = 0;
  oP = 0;
  oS = 0;
  cost = 0;
  dist = 0;
  jobs = 0;
  gen: number;

  constructor(
    readonly p: Problem,
    readonly v: number,
    gen: number,
    from?: Route,
  ) {
    this.gen = gen;
    if (from) {
      this.nodes = from.nodes.slice();
      this.layout(Math.max(8, (from.nodes.length + 2) * 2));
      // copy only the live part of each cache
      const m2 = from.nodes.length + 2;
      const D = p.D;
      const b = this.buf;
      const f = from.buf;
      b.set(f.subarray(0, m2), 0);
      b.set(f.subarray(from.oB, from.oB + m2), this.oB);
      b.set(f.subarray(from.oL, from.oL + m2 * D), this.oL);
      b.set(f.subarray(from.oP, from.oP + m2 * D), this.oP);
      b.set(f.subarray(from.oS, from.oS + m2 * D), this.oS);
      this.cost = from.cost;
      this.dist = from.dist;
      this.jobs = from.jobs;
      return;
    }
    this.nodes = [];
    this.layout(8);
    this.update();
  }

  private layout(cap: number): void {
    const D = this.p.D;
    this.cap = cap;
    this.buf = new Float64Array(cap * (2 + 3 * D));
    this.oB = cap;
    this.oL = 2 * cap;
    this.oP = 2 * cap + cap * D;
    this.oS = 2 * cap + 2 * cap * D;
  }

  clone(gen: number): Route {
    const r = new Route(this.p, this.v, gen, this);
    return r;
  }

  get m(): number {
    return this.nodes.length;
  }

  private loc(pos: number): number {
    return pos === 0 ? this.p.vehStart[this.v] : pos === this.nodes.length + 1 ? this.p.vehEnd[this.v] : this.p.stopLoc[this.nodes[pos - 1]];
  }

  private svc(pos: number): number {
    return pos === 0 || pos === this.nodes.length + 1 ? 0 : this.p.stopService[this.nodes[pos - 1]];
  }

  /** recompute every cache after a change (O(m·D)) */
  update(): void {
    const p = this.p;
    const v = this.v;
    const D = p.D;
    const m = this.nodes.length;
    if (this.cap < m + 2) this.layout(Math.max(m + 2, this.cap * 2));
    const buf = this.buf;
    const oB = this.oB;
    const oL = this.oL;
    const oP = this.oP;
    const oS = this.oS;
    const T = p.vehTime[v];
    const C = p.vehCost[v];
    const Dm = p.vehDist[v];
    const n = p.nLoc;
    let cost = 0;
    let dist = 0;
    let jobs = 0;
    // forward
    buf[0] = p.vehShiftA[v];
    let prevLoc = p.vehStart[v];
    let t = p.vehShiftA[v];
    for (let k = 1; k <= m; k++) {
      const s = this.nodes[k - 1];
      const l = p.stopLoc[s];
      const st = earliestStart(p, s, t + T[prevLoc * n + l]);
      buf[k] = st; // NaN marks an infeasible route; callers never build one
      t = st + p.stopService[s];
      cost += C[prevLoc * n + l];
      dist += Dm[prevLoc * n + l];
      prevLoc = l;
    }
    const endLoc = p.vehEnd[v];
    buf[m + 1] = t + T[prevLoc * n + endLoc];
    if (m > 0) {
      cost += C[prevLoc * n + endLoc] + p.vehFixed[v];
      dist += Dm[prevLoc * n + endLoc];
    }
    // backward
    buf[oB + m + 1] = p.vehLatestEnd[v];
    let nextLoc = endLoc;
    for (let k = m; k >= 1; k--) {
      const s = this.nodes[k - 1];
      const l = p.stopLoc[s];
      buf[oB + k] = latestStart(p, s, buf[oB + k + 1] - T[l * n + nextLoc] - p.stopService[s]);
      nextLoc = l;
    }
    buf[oB + 0] = buf[oB + 1] - (m > 0 ? T[p.vehStart[v] * n + nextLoc] : 0);
    if (m === 0) buf[oB + 0] = p.vehLatestEnd[v] - T[p.vehStart[v] * n + endLoc];
    // loads
    for (let d = 0; d < D; d++) {
      let l0 = 0;
      for (let k = 0; k < m; k++) {
        const s = this.nodes[k];
        if (p.jobKind[p.stopJob[s]] === KIND_DELIVERY) l0 -= p.stopDelta[s * D + d];
      }
      buf[oL + d] = l0;
      for (let k = 1; k <= m; k++) buf[oL + k * D + d] = buf[oL + (k - 1) * D + d] + p.stopDelta[this.nodes[k - 1] * D + d];
      buf[oP + d] = buf[oL + d];
      for (let k = 1; k <= m; k++) buf[oP + k * D + d] = Math.max(buf[oP + (k - 1) * D + d], buf[oL + k * D + d]);
      buf[oS + m * D + d] = buf[oL + m * D + d];
      for (let k = m - 1; k >= 0; k--) buf[oS + k * D + d] = Math.max(buf[oS + (k + 1) * D + d], buf[oL + k * D + d]);
    }
    for (let k = 0; k < m; k++) {
      const s = this.nodes[k];
      // a shipment counts once, at its pickup
      if (s === p.jobFirst[p.stopJob[s]]) jobs++;
    }
    this.cost = cost;
    this.dist = dist;
    this.jobs = jobs;
  }

  /** skills match and the amount fits at all (cheap pre-filter) */
  canTake(job: number): boolean {
    const p = this.p;
    if ((p.jobSkills[job] & ~p.vehSkills[this.v]) !== 0) return false;
    if (p.jobAllowed !== null && p.jobAllowed[job * p.V + this.v] === 0) return false;
    const D = p.D;
    for (let d = 0; d < D; d++) if (p.jobAmount[job * D + d] > p.vehCap[this.v * D + d]) return false;
    return true;
  }

  /**
   * Cheapest feasible position for a single-stop job (delivery from / pickup to the hub). Returns the cost delta
   * (Infinity when none) and the position in this.bestPos (insert after position bestPos).
   */
  bestPos = -1;
  bestPos2 = -1;

  bestSingle(s: number, rng: Rng | null, blink: number, near: Uint32Array | null = null, stamp = 0): number {
    const p = this.p;
    const D = p.D;
    const v = this.v;
    const m = this.nodes.length;
    const T = p.vehTime[v];
    const C = p.vehCost[v];
    const n = p.nLoc;
    const isDelivery = p.jobKind[p.stopJob[s]] === KIND_DELIVERY;
    const ls = p.stopLoc[s];
    const svc = p.stopService[s];
    let best = Infinity;
    this.bestPos = -1;
    let prevLoc = p.vehStart[v];
    for (let pos = 0; pos <= m; pos++) {
      const nextLoc = pos === m ? p.vehEnd[v] : p.stopLoc[this.nodes[pos]];
      // granular positions: only next to one of the stop's nearest neighbours (or a hub)
      if (near !== null && pos > 0 && pos < m && near[this.nodes[pos - 1]] !== stamp && near[this.nodes[pos]] !== stamp) {
        prevLoc = nextLoc;
        continue;
      }
      if (rng !== null && blink > 0 && rng.next() < blink) {
        prevLoc = nextLoc;
        continue;
      }
      // capacity: a delivery raises loads at positions 0..pos, a pickup at pos..m
      let ok = true;
      for (let d = 0; d < D; d++) {
        const a = isDelivery ? -p.stopDelta[s * D + d] : p.stopDelta[s * D + d];
        const mx = isDelivery ? this.buf[this.oP + pos * D + d] : this.buf[this.oS + pos * D + d];
        if (mx + a > p.vehCap[v * D + d] + 1e-9) {
          ok = false;
          break;
        }
      }
      if (ok) {
        const delta = C[prevLoc * n + ls] + C[ls * n + nextLoc] - C[prevLoc * n + nextLoc];
        if (delta < best) {
          const st = earliestStart(p, s, this.buf[pos] + this.svc(pos) + T[prevLoc * n + ls]);
          if (st === st && st + svc + T[ls * n + nextLoc] <= this.buf[this.oB + pos + 1] + 1e-9) {
            best = delta;
            this.bestPos = pos;
          }
        }
      }
      prevLoc = nextLoc;
    }
    if (best < Infinity && m === 0) best += p.vehFixed[v];
    return best;
  }

  /** Cheapest feasible pickup/delivery positions for a shipment (pickup stop sp, delivery stop sd = sp + 1). */
  bestPair(sp: number, sd: number, rng: Rng | null, blink: number): number {
    const p = this.p;
    const v = this.v;
    const m = this.nodes.length;
    const T = p.vehTime[v];
    const C = p.vehCost[v];
    const n = p.nLoc;
    const lp = p.stopLoc[sp];
    const ld = p.stopLoc[sd];
    const svcP = p.stopService[sp];
    const svcD = p.stopService[sd];
    let best = Infinity;
    this.bestPos = -1;
    this.bestPos2 = -1;
    for (let i = 0; i <= m; i++) {
      if (rng !== null && blink > 0 && rng.next() < blink) continue;
      if (!this.fits(sp, i)) continue;
      const li = this.loc(i);
      const lnext = this.loc(i + 1);
      const startP = earliestStart(p, sp, this.buf[i] + this.svc(i) + T[li * n + lp]);
      if (startP !== startP) continue;
      const depP = startP + svcP;
      // delivery right after the pickup
      {
        const startD = earliestStart(p, sd, depP + T[lp * n + ld]);
        if (startD === startD && startD + svcD + T[ld * n + lnext] <= this.buf[this.oB + i + 1] + 1e-9) {
          const delta = C[li * n + lp] + C[lp * n + ld] + C[ld * n + lnext] - C[li * n + lnext];
          if (delta < best) {
            best = delta;
            this.bestPos = i;
            this.bestPos2 = i;
          }
        }
      }
      const costP = C[li * n + lp] + C[lp * n + lnext] - C[li * n + lnext];
      if (costP >= best) continue;
      let t = depP;
      let prevLoc = lp;
      for (let k = i + 1; k <= m; k++) {
        const s = this.nodes[k - 1];
        const lk = p.stopLoc[s];
        const st = earliestStart(p, s, t + T[prevLoc * n + lk]);
        if (st !== st || st > this.buf[this.oB + k] + 1e-9) break;
        if (!this.fits(sp, k)) break;
        t = st + p.stopService[s];
        prevLoc = lk;
        const lk1 = this.loc(k + 1);
        const delta = costP + C[lk * n + ld] + C[ld * n + lk1] - C[lk * n + lk1];
        if (delta < best) {
          const startD = earliestStart(p, sd, t + T[lk * n + ld]);
          if (startD === startD && startD + svcD + T[ld * n + lk1] <= this.buf[this.oB + k + 1] + 1e-9) {
            best = delta;
            this.bestPos = i;
            this.bestPos2 = k;
          }
        }
      }
    }
    if (best < Infinity && m === 0) best += p.vehFixed[v];
    return best;
  }

  /** the shipment's amount fits on top of the load after position pos */
  private fits(sp: number, pos: number): boolean {
    const p = this.p;
    const D = p.D;
    for (let d = 0; d < D; d++) {
      if (this.buf[this.oL + pos * D + d] + p.stopDelta[sp * D + d] > p.vehCap[this.v * D + d] + 1e-9) return false;
    }
    return true;
  }

  insertSingle(s: number, pos: number): void {
    this.nodes.splice(pos, 0, s);
    this.update();
  }

  insertPair(sp: number, sd: number, i: number, k: number): void {
    // delivery after original position k: after inserting the pickup, that is index k + 1
    this.nodes.splice(i, 0, sp);
    this.nodes.splice(k + 1, 0, sd);
    this.update();
  }

  /** remove the given stops (a Set-like membership test) */
  removeStops(isRemoved: (s: number) => boolean): void {
    this.nodes = this.nodes.filter((s) => !isRemoved(s));
    this.update();
  }

  feasible(): boolean {
    const m = this.nodes.length;
    for (let k = 1; k <= m + 1; k++) if (!(this.buf[k] <= this.buf[this.oB + k] + 1e-6)) return false;
    return true;
  }
}
