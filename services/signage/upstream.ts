import type { RoadNetwork } from '../../core/graph/index.js';
import { MODE } from '../../core/graph/index.js';

/**
 * Distances (metres) from edges to a set of target edges, searching backwards along the
 * network (inOffsets/inEdges) up to `maxMetres`: an edge's distance runs from its head to the
 * start of the nearest target, and a target is at 0. The search is edge-based so it can refuse
 * U-turns: traffic on the other carriageway of the same road has already passed the spot and
 * must not be warned. Only car-usable edges count.
 */
export function upstreamEdges(network: RoadNetwork, targets: Iterable<number>, maxMetres: number): Map<number, number> {
  const d = network.data;
  const dist = new Map<number, number>();
  const heap: [number, number][] = [];
  const push = (edge: number, m: number) => {
    const old = dist.get(edge);
    if (old !== undefined && old <= m) return;
    dist.set(edge, m);
    heap.push([m, edge]);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p][0] <= heap[i][0]) break;
      [heap[p], heap[i]] = [heap[i], heap[p]];
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
        const l = 2 * i + 1;
        const r = l + 1;
        let s = i;
        if (l < heap.length && heap[l][0] < heap[s][0]) s = l;
        if (r < heap.length && heap[r][0] < heap[s][0]) s = r;
        if (s === i) break;
        [heap[s], heap[i]] = [heap[i], heap[s]];
        i = s;
      }
    }
    return top;
  };
  const car = (e: number) => (d.edgeModes[e] & MODE.car) !== 0;
  /** every car edge entering the tail of `e`, except the U-turn from e's own head */
  const feeders = function* (e: number) {
    const v = d.edgeFrom[e];
    for (let k = network.inOffsets[v]; k < network.inOffsets[v + 1]; k++) {
      const p = network.inEdges[k];
      if (car(p) && d.edgeFrom[p] !== d.edgeTo[e]) yield p;
    }
  };
  const targetSet = new Set<number>();
  for (const t of targets) if (Number.isInteger(t) && t >= 0 && t < network.edgeCount) targetSet.add(t);
  for (const t of targetSet) push(t, 0);
  const result = new Map<number, number>();
  while (heap.length) {
    const [m, e] = pop();
    if (m > (dist.get(e) ?? Infinity)) continue;
    result.set(e, m);
    // a target's own length is not between it and itself
    const through = targetSet.has(e) ? 0 : d.edgeLength[e];
    for (const p of feeders(e)) {
      const next = m + through;
      if (next <= maxMetres) push(p, next);
    }
  }
  return result;
}
