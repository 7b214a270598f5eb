import type { RoadNetwork } from '../../../core/graph/road-network.js';
import type { ArcWeights } from '../weights.js';
import type { CchTopology } from './topology.js';

/**
 * One customisation of a CCH: per arc the cost upward (tail -> head, i.e. low -> high rank)
 * and downward, the metres of the path behind each, and how to unpack it. Unpacking per
 * direction: xA[a] >= 0 means a shortcut through the two arcs xA[a] (walked downward) and
 * xB[a] (walked upward); xA[a] < 0 means the original arc code -xA[a]-1.
 */
export interface CchMetric {
  wUp: Float64Array;
  wDown: Float64Array;
  lenUp: Float64Array;
  lenDown: Float64Array;
  upA: Int32Array;
  upB: Int32Array;
  downA: Int32Array;
  downB: Int32Array;
}

export function allocMetric(topo: CchTopology): CchMetric {
  const m = topo.arcCount;
  return {
    wUp: new Float64Array(m),
    wDown: new Float64Array(m),
    lenUp: new Float64Array(m),
    lenDown: new Float64Array(m),
    upA: new Int32Array(m),
    upB: new Int32Array(m),
    downA: new Int32Array(m),
    downB: new Int32Array(m),
  };
}

/**
 * Basic customisation: load the original arc costs (parallel edges: keep the cheaper), then
 * walk the vertices bottom-up and relax every lower triangle (z < x < y: x -> z -> y and back).
 * A triangle's two lower arcs are final when z is reached, so one pass is exact. Runs in time
 * linear in the number of triangles; no priority queue, no witness searches.
 */
export function customize(topo: CchTopology, network: RoadNetwork, w: ArcWeights, into?: CchMetric): CchMetric {
  const mt = into ?? allocMetric(topo);
  loadEdges(topo, network, w, mt);
  relaxTriangles(topo, mt, 0, topo.n);
  return mt;
}

/**
 * The same customisation in slices, for large networks: call step() until it returns true,
 * yielding to the event loop in between. Works on its own weight copy so the live array may
 * move meanwhile (the result then belongs to the version the copy was taken at).
 */
export class SlicedCustomization {
  private z = 0;
  private loaded = false;
  readonly metric: CchMetric;

  constructor(
    private readonly topo: CchTopology,
    private readonly network: RoadNetwork,
    private readonly weights: ArcWeights,
    into?: CchMetric,
  ) {
    this.metric = into ?? allocMetric(topo);
  }

  /** work until `budgetMs` has passed; true when finished */
  step(budgetMs: number): boolean {
    const t0 = performance.now();
    if (!this.loaded) {
      loadEdges(this.topo, this.network, this.weights, this.metric);
      this.loaded = true;
    }
    const n = this.topo.n;
    while (this.z < n) {
      const end = Math.min(n, this.z + 2048);
      relaxTriangles(this.topo, this.metric, this.z, end);
      this.z = end;
      if (performance.now() - t0 >= budgetMs) break;
    }
    return this.z >= n;
  }
}

function loadEdges(topo: CchTopology, network: RoadNetwork, w: ArcWeights, mt: CchMetric): void {
  const { wUp, wDown, lenUp, lenDown, upA, upB, downA, downB } = mt;
  wUp.fill(Infinity);
  wDown.fill(Infinity);
  lenUp.fill(0);
  lenDown.fill(0);
  upA.fill(-1);
  downA.fill(-1);
  upB.fill(-1);
  downB.fill(-1);
  const { edgeArc, edgeUp } = topo;
  const len = network.data.edgeLength;
  const fwd = w.fwd;
  const rev = w.rev;
  for (let e = 0; e < edgeArc.length; e++) {
    const a = edgeArc[e];
    if (a < 0) continue;
    const up = edgeUp[e] === 1;
    const cf = fwd[e];
    if (cf < Infinity) {
      if (up) {
        if (cf < wUp[a]) { wUp[a] = cf; lenUp[a] = len[e]; upA[a] = -(2 * e) - 1; }
      } else if (cf < wDown[a]) { wDown[a] = cf; lenDown[a] = len[e]; downA[a] = -(2 * e) - 1; }
    }
    if (rev) {
      const cr = rev[e];
      if (cr < Infinity) {
        if (!up) {
          if (cr < wUp[a]) { wUp[a] = cr; lenUp[a] = len[e]; upA[a] = -(2 * e + 1) - 1; }
        } else if (cr < wDown[a]) { wDown[a] = cr; lenDown[a] = len[e]; downA[a] = -(2 * e + 1) - 1; }
      }
    }
  }
}

/** lower-triangle relaxation for vertices [from, to); must run in ascending order */
function relaxTriangles(topo: CchTopology, mt: CchMetric, from: number, to: number): void {
  const { wUp, wDown, lenUp, lenDown, upA, upB, downA, downB } = mt;
  const { upOff, upHead } = topo;
  for (let z = from; z < to; z++) {
    const s = upOff[z];
    const end = upOff[z + 1];
    for (let i = s; i < end; i++) {
      const dzi = wDown[i]; // x -> z
      const uzi = wUp[i]; // z -> x
      if (dzi === Infinity && uzi === Infinity) continue;
      const x = upHead[i];
      let p = upOff[x];
      for (let j = i + 1; j < end; j++) {
        const y = upHead[j];
        while (upHead[p] !== y) p++; // chordal: y is an upper neighbour of x
        const c1 = dzi + wUp[j]; // x -> z -> y
        if (c1 < wUp[p]) {
          wUp[p] = c1;
          lenUp[p] = lenDown[i] + lenUp[j];
          upA[p] = i;
          upB[p] = j;
        }
        const c2 = wDown[j] + uzi; // y -> z -> x
        if (c2 < wDown[p]) {
          wDown[p] = c2;
          lenDown[p] = lenDown[j] + lenUp[i];
          downA[p] = j;
          downB[p] = i;
        }
      }
    }
  }
}

/** Append the original arc codes behind CCH arc `a` walked upward (up=true) or downward. */
export function unpackArc(mt: CchMetric, a: number, up: boolean, out: number[]): void {
  const stackA: number[] = [a];
  const stackUp: boolean[] = [up];
  while (stackA.length > 0) {
    const arc = stackA.pop()!;
    const u = stackUp.pop()!;
    const first = u ? mt.upA[arc] : mt.downA[arc];
    if (first < 0) {
      out.push(-first - 1);
      continue;
    }
    const second = u ? mt.upB[arc] : mt.downB[arc];
    // first is walked downward, then second upward: push in reverse
    stackA.push(second, first);
    stackUp.push(true, false);
  }
}
