import type { AssignmentNetwork } from './network.js';

/**
 * One-to-all Dijkstra on the assignment network with a binary heap on flat arrays.
 * Honours closed links, a per-class link mask and the no-through rule (a no-through node's
 * out-links are used only when it is the origin). After run(), `order[0..settled)` lists the
 * settled nodes by increasing distance, which AON loading walks backwards.
 */
export class ShortestPathTree {
  readonly dist: Float64Array;
  readonly pred: Int32Array;
  readonly order: Int32Array;
  settled = 0;
  private readonly heap: Int32Array;
  private readonly heapPos: Int32Array;
  private heapSize = 0;

  constructor(private readonly net: AssignmentNetwork) {
    const n = net.nodeCount;
    this.dist = new Float64Array(n);
    this.pred = new Int32Array(n);
    this.order = new Int32Array(n);
    this.heap = new Int32Array(n);
    this.heapPos = new Int32Array(n);
  }

  run(origin: number, cost: Float64Array, fixed: Float64Array | null, allowed: Uint8Array | null): void {
    const { net, dist, pred, order, heapPos } = this;
    const { outOffsets, outLinks, linkTo, closed, noThrough } = net;
    dist.fill(Infinity);
    pred.fill(-1);
    heapPos.fill(-1);
    this.heapSize = 0;
    this.settled = 0;
    dist[origin] = 0;
    this.push(origin);
    while (this.heapSize > 0) {
      const v = this.pop();
      order[this.settled++] = v;
      heapPos[v] = -2;
      if (noThrough[v] && v !== origin) continue;
      const dv = dist[v];
      for (let k = outOffsets[v]; k < outOffsets[v + 1]; k++) {
        const a = outLinks[k];
        if (closed[a] || (allowed !== null && !allowed[a])) continue;
        const w = linkTo[a];
        if (heapPos[w] === -2) continue;
        const nd = dv + cost[a] + (fixed === null ? 0 : fixed[a]);
        if (nd < dist[w]) {
          dist[w] = nd;
          pred[w] = a;
          if (heapPos[w] === -1) this.push(w);
          else this.up(heapPos[w]);
        }
      }
    }
  }

  private push(v: number): void {
    const i = this.heapSize++;
    this.heap[i] = v;
    this.heapPos[v] = i;
    this.up(i);
  }

  private pop(): number {
    const { heap, heapPos } = this;
    const top = heap[0];
    const last = heap[--this.heapSize];
    if (this.heapSize > 0) {
      heap[0] = last;
      heapPos[last] = 0;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const { heap, heapPos, dist } = this;
    const v = heap[i];
    const d = dist[v];
    while (i > 0) {
      const p = (i - 1) >> 1;
      const u = heap[p];
      if (dist[u] <= d) break;
      heap[i] = u;
      heapPos[u] = i;
      i = p;
    }
    heap[i] = v;
    heapPos[v] = i;
  }

  private down(i: number): void {
    const { heap, heapPos, dist } = this;
    const n = this.heapSize;
    const v = heap[i];
    const d = dist[v];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && dist[heap[c + 1]] < dist[heap[c]]) c++;
      const u = heap[c];
      if (dist[u] >= d) break;
      heap[i] = u;
      heapPos[u] = i;
      i = c;
    }
    heap[i] = v;
    heapPos[v] = i;
  }
}

/**
 * All-or-nothing loading of one origin's demand on the tree just computed: adds
 * scale * trips to `target` per link; returns sum of trips * distance (the shortest-path
 * cost of this origin) and the trips that could not reach their destination.
 */
export function loadAllOrNothing(
  net: AssignmentNetwork,
  tree: ShortestPathTree,
  destNodes: Int32Array,
  destTrips: Float64Array,
  nodeLoad: Float64Array,
  target: Float64Array,
  scale = 1,
): { sptt: number; unreachable: number } {
  let sptt = 0;
  let unreachable = 0;
  for (let k = 0; k < destNodes.length; k++) {
    const v = destNodes[k];
    const d = tree.dist[v];
    if (d === Infinity) {
      unreachable += destTrips[k];
      continue;
    }
    sptt += destTrips[k] * d;
    nodeLoad[v] += destTrips[k];
  }
  // settled nodes in reverse distance order: every node's load goes onto its pred link
  for (let i = tree.settled - 1; i > 0; i--) {
    const v = tree.order[i];
    const load = nodeLoad[v];
    if (load === 0) continue;
    nodeLoad[v] = 0;
    const a = tree.pred[v];
    target[a] += scale * load;
    nodeLoad[net.linkFrom[a]] += load;
  }
  nodeLoad[tree.order[0]] = 0;
  return { sptt, unreachable };
}
