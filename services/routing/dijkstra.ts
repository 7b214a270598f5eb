import type { RoadNetwork } from '../../core/graph/road-network.js';
import { MinHeap } from '../../core/graph/min-heap.js';
import type { ArcWeights } from './weights.js';

/** A place a search starts from or ends at: a node plus the partial-edge cost to/from it. */
export interface Terminal {
  node: number;
  seconds: number;
  metres: number;
}

export interface SearchOptions {
  /** extra per-request blocked edges (both directions) */
  blocked?: Uint8Array | null;
  /** time-dependent cost: seconds to traverse an arc entered `t` seconds after departure */
  costAt?: (code: number, t: number) => number;
  /** stop settling once labels exceed this many seconds (one-to-all searches) */
  limit?: number;
  /** search against the arcs (labels = seconds TO the sources); pathTo() is then meaningless */
  backward?: boolean;
}

export interface PathResult {
  seconds: number;
  /** arc codes from the first source node to the last target node */
  arcs: number[];
  source: number;
  target: number;
}

/**
 * Plain Dijkstra on the CSR adjacency with a typed-array binary heap; the exact fallback used
 * when a request blocks edges the fast index does not know about, for time-dependent departures,
 * isochrones and alternatives. Workspaces are reused between calls (stamped, never cleared).
 */
export class DijkstraSearch {
  readonly dist: Float64Array;
  readonly pred: Int32Array;
  private readonly stamp: Uint32Array;
  private readonly settledStamp: Uint32Array;
  private round = 0;
  private readonly heap = new MinHeap(4096);

  constructor(private readonly network: RoadNetwork) {
    const n = network.nodeCount;
    this.dist = new Float64Array(n);
    this.pred = new Int32Array(n);
    this.stamp = new Uint32Array(n);
    this.settledStamp = new Uint32Array(n);
  }

  /** distance label of a node from the last run (Infinity when not reached) */
  distance(v: number): number {
    return this.stamp[v] === this.round ? this.dist[v] : Infinity;
  }

  settled(v: number): boolean {
    return this.settledStamp[v] === this.round;
  }

  /**
   * Run from the sources. With targets, stops once the cheapest target is final and returns the
   * path; without, runs to exhaustion (or `limit`) and returns null; read labels with distance().
   */
  run(w: ArcWeights, sources: Terminal[], targets: Terminal[] | null, opts: SearchOptions = {}): PathResult | null {
    const net = this.network;
    const back = opts.backward === true;
    // backward: an arc is followed from its head to its tail, so the two adjacency lists swap
    const outOffsets = back ? net.inOffsets : net.outOffsets;
    const outEdges = back ? net.inEdges : net.outEdges;
    const inOffsets = back ? net.outOffsets : net.inOffsets;
    const inEdges = back ? net.outEdges : net.inEdges;
    const edgeTo = back ? net.data.edgeFrom : net.data.edgeTo;
    const edgeFrom = back ? net.data.edgeTo : net.data.edgeFrom;
    const fwd = w.fwd;
    const rev = w.rev;
    const blocked = opts.blocked ?? null;
    const costAt = opts.costAt;
    const limit = opts.limit ?? Infinity;
    const dist = this.dist;
    const pred = this.pred;
    const stamp = this.stamp;
    const settled = this.settledStamp;
    const heap = this.heap;
    heap.clear();
    this.round++;
    if (this.round === 0xffffffff) {
      this.round = 1;
      stamp.fill(0);
      settled.fill(0);
    }
    const round = this.round;
    for (const s of sources) {
      if (!(s.seconds < Infinity)) continue;
      if (stamp[s.node] !== round || s.seconds < dist[s.node]) {
        stamp[s.node] = round;
        dist[s.node] = s.seconds;
        pred[s.node] = -1;
        heap.push(s.seconds, s.node);
      }
    }
    let targetExtra: Map<number, number> | null = null;
    if (targets) {
      targetExtra = new Map();
      for (const t of targets) {
        const old = targetExtra.get(t.node);
        if (old === undefined || t.seconds < old) targetExtra.set(t.node, t.seconds);
      }
    }
    let best = Infinity;
    let bestNode = -1;
    while (heap.size > 0) {
      const k = heap.peekKey();
      const v = heap.pop();
      if (settled[v] === round || k > dist[v]) continue;
      if (k >= best || k > limit) break;
      settled[v] = round;
      if (targetExtra) {
        const extra = targetExtra.get(v);
        if (extra !== undefined && k + extra < best) {
          best = k + extra;
          bestNode = v;
        }
      }
      for (let i = outOffsets[v], end = outOffsets[v + 1]; i < end; i++) {
        const e = outEdges[i];
        if (blocked !== null && blocked[e] === 1) continue;
        let c = fwd[e];
        if (c === Infinity) continue;
        if (costAt) c = costAt(2 * e, k);
        const u = edgeTo[e];
        const nd = k + c;
        if (stamp[u] !== round || nd < dist[u]) {
          stamp[u] = round;
          dist[u] = nd;
          pred[u] = 2 * e;
          heap.push(nd, u);
        }
      }
      if (rev !== null) {
        for (let i = inOffsets[v], end = inOffsets[v + 1]; i < end; i++) {
          const e = inEdges[i];
          if (blocked !== null && blocked[e] === 1) continue;
          let c = rev[e];
          if (c === Infinity) continue;
          if (costAt) c = costAt(2 * e + 1, k);
          const u = edgeFrom[e];
          const nd = k + c;
          if (stamp[u] !== round || nd < dist[u]) {
            stamp[u] = round;
            dist[u] = nd;
            pred[u] = 2 * e + 1;
            heap.push(nd, u);
          }
        }
      }
    }
    if (!targetExtra || bestNode < 0) return null;
    if (back) return { seconds: best, arcs: [], source: -1, target: bestNode };
    return { seconds: best, arcs: this.pathTo(bestNode), source: this.sourceOf(bestNode), target: bestNode };
  }

  /** arc codes leading to v from its source in the last run */
  pathTo(v: number): number[] {
    const out: number[] = [];
    const { edgeFrom, edgeTo } = this.network.data;
    let u = v;
    while (this.pred[u] >= 0) {
      const code = this.pred[u];
      out.push(code);
      const e = code >>> 1;
      u = code & 1 ? edgeTo[e] : edgeFrom[e];
    }
    return out.reverse();
  }

  private sourceOf(v: number): number {
    const { edgeFrom, edgeTo } = this.network.data;
    let u = v;
    while (this.pred[u] >= 0) {
      const code = this.pred[u];
      const e = code >>> 1;
      u = code & 1 ? edgeTo[e] : edgeFrom[e];
    }
    return u;
  }
}
