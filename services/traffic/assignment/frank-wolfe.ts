import { linkTime, linkTimeDerivative } from './bpr.js';
import type { ResolvedClass } from './demand.js';
import type { AssignmentNetwork } from './network.js';
import type { OriginDemand } from './origins.js';
import { loadAllOrNothing, ShortestPathTree } from './shortest-path.js';

/**
 * Link-based Frank-Wolfe family: plain FW, and biconjugate FW (Mitradjieva & Lindberg 2013),
 * the usual industry baseline (AequilibraE's default). Class flows are stacked (class-major)
 * so several vehicle classes share one direction; the Hessian is diag(t'(x)) on total pce flow.
 */
export class FrankWolfe {
  /** class flows, stacked: classFlow[c * L + a] */
  readonly y: Float64Array;
  /** total pce flow */
  readonly x: Float64Array;
  readonly t: Float64Array;
  private readonly aon: Float64Array;
  private readonly s1: Float64Array;
  private readonly s2: Float64Array;
  private readonly dir: Float64Array;
  private readonly tree: ShortestPathTree;
  private readonly nodeLoad: Float64Array;
  private tau1 = 1;
  private tau2 = 1;
  private iteration = 0;
  unreachableTrips = 0;
  lastSptt = 0;

  constructor(
    readonly net: AssignmentNetwork,
    readonly classes: readonly ResolvedClass[],
    readonly origins: readonly OriginDemand[],
    readonly variant: 'fw' | 'bfw',
  ) {
    const m = net.linkCount;
    const k = classes.length * m;
    this.y = new Float64Array(k);
    this.aon = new Float64Array(k);
    this.s1 = new Float64Array(k);
    this.s2 = new Float64Array(k);
    this.dir = new Float64Array(k);
    this.x = new Float64Array(m);
    this.t = new Float64Array(m);
    this.tree = new ShortestPathTree(net);
    this.nodeLoad = new Float64Array(net.nodeCount);
    this.updateTimes();
    const r = this.allOrNothing(this.y);
    this.unreachableTrips = r.unreachable;
    this.totals();
    this.updateTimes();
  }

  private totals(): void {
    const m = this.net.linkCount;
    this.x.fill(0);
    this.classes.forEach((c, ci) => {
      for (let a = 0; a < m; a++) this.x[a] += c.pce * this.y[ci * m + a];
    });
  }

  private updateTimes(): void {
    for (let a = 0; a < this.net.linkCount; a++) this.t[a] = linkTime(this.net, a, this.x[a]);
  }

  private allOrNothing(target: Float64Array): { sptt: number; unreachable: number } {
    target.fill(0);
    const m = this.net.linkCount;
    let sptt = 0;
    let unreachable = 0;
    for (const o of this.origins) {
      const c = this.classes[o.classIndex];
      this.tree.run(o.node, this.t, c.fixed, c.allowed);
      const view = target.subarray(o.classIndex * m, (o.classIndex + 1) * m);
      const r = loadAllOrNothing(this.net, this.tree, o.destNodes, o.destTrips, this.nodeLoad, view);
      sptt += r.sptt;
      unreachable += r.unreachable;
    }
    return { sptt, unreachable };
  }

  /** SPTT at the current costs without moving (for the final report). */
  iterateMeasureOnly(): number {
    return this.allOrNothing(this.aon).sptt;
  }

  /** Generalized total cost of the current flows. */
  tstt(): number {
    const m = this.net.linkCount;
    let s = 0;
    this.classes.forEach((c, ci) => {
      for (let a = 0; a < m; a++) s += this.y[ci * m + a] * (this.t[a] + c.fixed[a]);
    });
    return s;
  }

  /**
   * One iteration: AON on current costs (which also gives SPTT, so the gap of the current flows),
   * the search direction, a line search, the move. Returns the gap measured before the move.
   */
  iterate(): { tstt: number; sptt: number } {
    const { net, classes } = this;
    const m = net.linkCount;
    const tstt = this.tstt();
    const { sptt } = this.allOrNothing(this.aon);
    this.lastSptt = sptt;
    this.iteration++;
    const target = this.target();
    for (let i = 0; i < this.dir.length; i++) this.dir[i] = target[i] - this.y[i];
    // total direction in pce
    const dx = new Float64Array(m);
    classes.forEach((c, ci) => {
      for (let a = 0; a < m; a++) dx[a] += c.pce * this.dir[ci * m + a];
    });
    let fixedSlope = 0;
    classes.forEach((c, ci) => {
      for (let a = 0; a < m; a++) if (c.fixed[a] !== 0) fixedSlope += c.fixed[a] * this.dir[ci * m + a];
    });
    const tau = this.lineSearch(dx, fixedSlope);
    for (let i = 0; i < this.y.length; i++) this.y[i] += tau * this.dir[i];
    for (let a = 0; a < m; a++) this.x[a] = Math.max(0, this.x[a] + tau * dx[a]);
    this.updateTimes();
    if (this.variant === 'bfw') {
      this.s2.set(this.s1);
      this.s1.set(target);
      this.tau2 = this.tau1;
      this.tau1 = tau;
    }
    return { tstt, sptt };
  }

  /** FW: the AON point. BFW: a combination of it and the two previous targets, conjugate w.r.t. the Hessian. */
  private target(): Float64Array {
    if (this.variant === 'fw' || this.iteration <= 2 || this.tau1 >= 1 - 1e-12 || this.tau2 >= 1 - 1e-12) return this.aon.slice();
    const { net, classes, y, aon, s1, s2 } = this;
    const m = net.linkCount;
    const tot = (v: Float64Array, a: number) => {
      let s = 0;
      for (let c = 0; c < classes.length; c++) s += classes[c].pce * v[c * m + a];
      return s;
    };
    const tau = this.tau1;
    let n1 = 0;
    let d1 = 0;
    let n2 = 0;
    let d2 = 0;
    for (let a = 0; a < m; a++) {
      const h = linkTimeDerivative(net, a, this.x[a]);
      if (h === 0) continue;
      const xa = tot(y, a);
      const ya = tot(aon, a) - xa;
      const s1a = tot(s1, a);
      const s2a = tot(s2, a);
      // previous direction d_{k-1}, expressed from the current point: tau*s1 + (1-tau)*s2 - x
      const prev = tau * s1a + (1 - tau) * s2a - xa;
      n1 += h * prev * ya;
      d1 += h * prev * (s2a - s1a);
      const dd = s1a - xa;
      n2 += h * dd * ya;
      d2 += h * dd * dd;
    }
    if (d1 === 0 || d2 === 0 || !Number.isFinite(n1 + n2 + d1 + d2)) return aon.slice();
    const mu = Math.max(0, -n1 / d1);
    const nu = Math.max(0, (mu * tau) / (1 - tau) - n2 / d2);
    const b0 = 1 / (1 + mu + nu);
    const b1 = nu * b0;
    const b2 = mu * b0;
    const out = new Float64Array(aon.length);
    for (let i = 0; i < out.length; i++) out[i] = b0 * aon[i] + b1 * s1[i] + b2 * s2[i];
    // must be a descent direction; otherwise fall back to plain FW this iteration
    let slope = 0;
    classes.forEach((c, ci) => {
      for (let a = 0; a < m; a++) slope += (this.t[a] + c.fixed[a]) * (out[ci * m + a] - y[ci * m + a]);
    });
    return slope < 0 ? out : aon.slice();
  }

  /** Minimise the objective along x + tau*dx on [0, 1] (Newton with bisection safeguard). */
  private lineSearch(dx: Float64Array, fixedSlope: number): number {
    const { net, x } = this;
    const m = net.linkCount;
    const slope = (tau: number): [number, number] => {
      let g = fixedSlope;
      let h = 0;
      for (let a = 0; a < m; a++) {
        const d = dx[a];
        if (d === 0) continue;
        const v = x[a] + tau * d;
        g += linkTime(net, a, v > 0 ? v : 0) * d;
        h += linkTimeDerivative(net, a, v > 0 ? v : 0) * d * d;
      }
      return [g, h];
    };
    let lo = 0;
    let hi = 1;
    const [g0] = slope(0);
    if (g0 >= 0) return 0;
    const [g1] = slope(1);
    if (g1 <= 0) return 1;
    let tau = 0.5;
    for (let it = 0; it < 60; it++) {
      const [g, h] = slope(tau);
      if (g > 0) hi = tau;
      else lo = tau;
      let next = h > 0 ? tau - g / h : (lo + hi) / 2;
      if (!(next > lo && next < hi)) next = (lo + hi) / 2;
      if (Math.abs(next - tau) < 1e-15 || hi - lo < 1e-15) {
        tau = next;
        break;
      }
      tau = next;
    }
    return tau;
  }

  classFlows(): Float64Array[] {
    const m = this.net.linkCount;
    return this.classes.map((_, ci) => this.y.slice(ci * m, (ci + 1) * m));
  }
}
