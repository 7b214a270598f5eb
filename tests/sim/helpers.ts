import type { RoadNetwork } from '../../core/graph/road-network.js';
import { MODE } from '../../core/graph/modes.js';
import type { SimCity } from '../../core/sim/index.js';

/** Nodes reachable from `start` over edges allowing `modeBit` (forward, or backward when reverse). */
export function reachable(network: RoadNetwork, start: number, modeBit: number, opts: { reverse?: boolean; blocked?: Set<number> } = {}): Uint8Array {
  const d = network.data;
  const seen = new Uint8Array(d.nodeCount);
  const stack = [start];
  seen[start] = 1;
  const offsets = opts.reverse ? network.inOffsets : network.outOffsets;
  const edges = opts.reverse ? network.inEdges : network.outEdges;
  const other = opts.reverse ? d.edgeFrom : d.edgeTo;
  while (stack.length) {
    const v = stack.pop()!;
    for (let p = offsets[v]; p < offsets[v + 1]; p++) {
      const e = edges[p];
      if (!(d.edgeModes[e] & modeBit) || opts.blocked?.has(e)) continue;
      const w = other[e];
      if (!seen[w]) {
        seen[w] = 1;
        stack.push(w);
      }
    }
  }
  return seen;
}

/** Nodes touched by at least one edge allowing the mode. */
export function modeNodes(network: RoadNetwork, modeBit: number): Uint8Array {
  const d = network.data;
  const out = new Uint8Array(d.nodeCount);
  for (let e = 0; e < d.edgeCount; e++) if (d.edgeModes[e] & modeBit) out[d.edgeFrom[e]] = out[d.edgeTo[e]] = 1;
  return out;
}

/** All-or-nothing assignment of the city's demand on free-flow car times (a plain Dijkstra per origin). */
export function allOrNothing(city: SimCity): Float64Array {
  const net = city.network;
  const d = net.data;
  const vol = new Float64Array(d.edgeCount);
  const byOrigin = new Map<number, { dest: number; trips: number }[]>();
  for (const x of city.demand) {
    let list = byOrigin.get(x.origin);
    if (!list) byOrigin.set(x.origin, (list = []));
    list.push({ dest: x.destination, trips: x.trips });
  }
  const dist = new Float64Array(d.nodeCount);
  const pred = new Int32Array(d.nodeCount);
  for (const [o, list] of byOrigin) {
    dist.fill(Infinity);
    pred.fill(-1);
    const s = city.zones[o - 1].node;
    dist[s] = 0;
    const heap: [number, number][] = [[0, s]];
    const push = (item: [number, number]) => {
      heap.push(item);
      let i = heap.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heap[p][0] <= heap[i][0]) break;
        [heap[i], heap[p]] = [heap[p], heap[i]];
        i = p;
      }
    };
    const pop = (): [number, number] => {
      const top = heap[0];
      const last = heap.pop()!;
      if (heap.length) {
        heap[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1, r = l + 1;
          let m = i;
          if (l < heap.length && heap[l][0] < heap[m][0]) m = l;
          if (r < heap.length && heap[r][0] < heap[m][0]) m = r;
          if (m === i) break;
          [heap[i], heap[m]] = [heap[m], heap[i]];
          i = m;
        }
      }
      return top;
    };
    while (heap.length) {
      const [du, u] = pop();
      if (du > dist[u]) continue;
      for (let p = net.outOffsets[u]; p < net.outOffsets[u + 1]; p++) {
        const e = net.outEdges[p];
        if (!(d.edgeModes[e] & MODE.car)) continue;
        const v = d.edgeTo[e];
        const nd = du + d.edgeFreeFlowSeconds[e];
        if (nd < dist[v]) {
          dist[v] = nd;
          pred[v] = e;
          push([nd, v]);
        }
      }
    }
    for (const { dest, trips } of list) {
      let v = city.zones[dest - 1].node;
      while (v !== s) {
        const e = pred[v];
        if (e < 0) throw new Error(`zone ${dest} unreachable from zone ${o}`);
        vol[e] += trips;
        v = d.edgeFrom[e];
      }
    }
  }
  return vol;
}

export function quantile(values: number[], q: number): number {
  const s = values.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}
