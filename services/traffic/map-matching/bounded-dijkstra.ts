import { MinHeap } from '../../../core/graph/min-heap.js';
import { MODE, type RoadNetwork } from '../../../core/graph/index.js';

/**
 * Shortest road distances (metres, over car edges) from one node, stopping at a distance limit or
 * once every target is settled. Several searches of one HMM step keep their results side by side
 * (one "slot" each) so the winning transitions' paths can be read back afterwards. Typed arrays
 * with a generation stamp: nothing is cleared between searches, so a search costs only what it touches.
 */
export class BoundedDijkstra {
  private readonly dist: Float64Array[] = [];
  private readonly pred: Int32Array[] = [];
  private readonly stamp: Uint32Array[] = [];
  private readonly gen: number[] = [];
  private readonly heap = new MinHeap(256);
  private readonly settled: Uint32Array;
  private settledGen = 0;
  private readonly targetMark: Uint32Array;
  private targetGen = 0;

  constructor(private readonly network: RoadNetwork, slots: number) {
    const n = network.nodeCount;
    for (let i = 0; i < slots; i++) {
      this.dist.push(new Float64Array(n));
      this.pred.push(new Int32Array(n));
      this.stamp.push(new Uint32Array(n));
      this.gen.push(0);
    }
    this.settled = new Uint32Array(n);
    this.targetMark = new Uint32Array(n);
  }

  get slots(): number {
    return this.dist.length;
  }

  /**
   * Search from `source` (already at distance `start`) up to `limit`; stops early once all
   * `targets` are settled. Results stay readable through distance()/path() on this slot until the
   * slot is searched again.
   */
  search(slot: number, source: number, start: number, limit: number, targets: ArrayLike<number>, viaEdge = -1, uTurnPenalty = 0): void {
    const { outOffsets, outEdges } = this.network;
    const d = this.network.data;
    const dist = this.dist[slot];
    const pred = this.pred[slot];
    const stamp = this.stamp[slot];
    const g = ++this.gen[slot];
    const sg = ++this.settledGen;
    const tg = ++this.targetGen;
    let remaining = 0;
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i];
      if (this.targetMark[t] !== tg) {
        this.targetMark[t] = tg;
        remaining++;
      }
    }
    this.heap.clear();
    stamp[source] = g;
    dist[source] = start;
    pred[source] = -1;
    if (start > limit) return;
    this.heap.push(start, source);
    while (this.heap.size > 0) {
      const key = this.heap.peekKey();
      const u = this.heap.pop();
      if (this.settled[u] === sg) continue;
      this.settled[u] = sg;
      if (this.targetMark[u] === tg && --remaining === 0) break;
      // the edge we came in on: driving straight back along it is a U-turn and costs extra metres
      const inEdge = u === source ? viaEdge : pred[u];
      const back = inEdge >= 0 ? d.edgeFrom[inEdge] : -1;
      for (let k = outOffsets[u], end = outOffsets[u + 1]; k < end; k++) {
        const e = outEdges[k];
        if ((d.edgeModes[e] & MODE.car) === 0) continue;
        const v = d.edgeTo[e];
        const nd = key + d.edgeLength[e] + (v === back ? uTurnPenalty : 0);
        if (nd > limit) continue;
        if (stamp[v] !== g || nd < dist[v]) {
          stamp[v] = g;
          dist[v] = nd;
          pred[v] = e;
          this.heap.push(nd, v);
        }
      }
    }
  }

  /** distance to a node in this slot's last search; Infinity when not reached */
  distance(slot: number, node: number): number {
    return this.stamp[slot][node] === this.gen[slot] ? this.dist[slot][node] : Infinity;
  }

  /** the edge the search reached `node` over (-1 at the source or when not reached) */
  predEdge(slot: number, node: number): number {
    return this.stamp[slot][node] === this.gen[slot] ? this.pred[slot][node] : -1;
  }

  /** edges from the slot's source to `node`, in driving order (empty when node is the source) */
  path(slot: number, node: number): number[] {
    const out: number[] = [];
    if (this.stamp[slot][node] !== this.gen[slot]) return out;
    const pred = this.pred[slot];
    const edgeFrom = this.network.data.edgeFrom;
    let v = node;
    for (let guard = 0; guard < 100_000; guard++) {
      const e = pred[v];
      if (e < 0) break;
      out.push(e);
      v = edgeFrom[e];
    }
    return out.reverse();
  }

}
