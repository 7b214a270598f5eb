import type { RoadNetwork } from '../../../core/graph/index.js';
import type { TimeOfDayProfile } from './profile.js';

/**
 * What an edge's travel time is believed to be without recent observations, in this order:
 * the learnt time-of-day profile when its bin has enough samples (history knows best), else the
 * last traffic assignment's travel time (demand on current capacities), else free flow.
 * Never below free flow.
 */
export class PriorModel {
  private assignment: Float64Array | null = null;
  private readonly logFree: Float64Array;

  constructor(private readonly network: RoadNetwork, private readonly profile: TimeOfDayProfile) {
    const ff = network.data.edgeFreeFlowSeconds;
    this.logFree = new Float64Array(ff.length);
    for (let e = 0; e < ff.length; e++) this.logFree[e] = Math.log(ff[e]);
  }

  /** travel times (seconds per edge) from the latest assignment; null forgets them */
  setAssignment(seconds: Float64Array | null): void {
    this.assignment = seconds;
  }

  get hasAssignment(): boolean {
    return this.assignment !== null;
  }

  logFreeFlow(edge: number): number {
    return this.logFree[edge];
  }

  logPrior(edge: number, t: number): number {
    const p = this.profile.logPrior(edge, t);
    const lf = this.logFree[edge];
    if (p !== undefined) return p > lf ? p : lf;
    const a = this.assignment;
    if (a) {
      const s = a[edge];
      if (s > 0 && s < Infinity) {
        const la = Math.log(s);
        return la > lf ? la : lf;
      }
    }
    return lf;
  }

  /**
   * The prior at two times from the same source, for the filter's decay between them. Mixing
   * sources (a learnt bin at t0, free flow at t1 because the next bin is still unlearnt) would turn
   * a measured jam into free flow at a bin boundary; with one source the deviation carries over.
   */
  logPriorPair(edge: number, t0: number, t1: number, out: [number, number]): void {
    const p0 = this.profile.logPrior(edge, t0);
    const p1 = p0 === undefined ? undefined : this.profile.logPrior(edge, t1);
    const lf = this.logFree[edge];
    if (p0 !== undefined && p1 !== undefined) {
      out[0] = p0 > lf ? p0 : lf;
      out[1] = p1 > lf ? p1 : lf;
      return;
    }
    let base = lf;
    const a = this.assignment;
    if (a) {
      const s = a[edge];
      if (s > 0 && s < Infinity) {
        const la = Math.log(s);
        if (la > lf) base = la;
      }
    }
    out[0] = base;
    out[1] = base;
  }

  /** edges whose prior can differ from free flow (profiled or assigned), to re-evaluate each tick */
  *nonFreeEdges(): Iterable<number> {
    const a = this.assignment;
    if (a) {
      const ff = this.network.data.edgeFreeFlowSeconds;
      for (let e = 0; e < a.length; e++) if (a[e] > ff[e] * 1.0001) yield e;
    }
    yield* this.profile.edges();
  }
}
