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
  const { inOffsets, inEdges } = network;
  const { edgeFrom, edgeTo, edgeModes, edgeLength } = d;
  const dist = new Float64Array(network.edgeCount).fill(Infinity);
  const isTarget = new Uint8Array(network.edgeCount);
  // binary heap of (metres, edge) in two parallel arrays
  const hm: number[] = [];
  const he: number[] = [];
  const push = (edge: number, m: number) => {
    if (dist[edge] <= m) return;
    dist[edge] = m;
    let i = hm.length;
    hm.push(m);
    he.push(edge);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (hm[p] <= m) break;
      hm[i] = hm[p];
      he[i] = he[p];
      i = p;
    }
    hm[i] = m;
    he[i] = edge;
  };
  const pop = (): number => {
    const top = he[0];
    const lm = hm.pop()!;
    const le = he.pop()!;
    const n = hm.length;
    if (n) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const c = l + 1 < n && hm[l + 1] < hm[l] ? l + 1 : l;
        if (hm[c] >= lm) break;
        hm[i] = hm[c];
        he[i] = he[c];
        i = c;
      }
      hm[i] = lm;
      he[i] = le;
    }
    return top;
  };
  for (const t of targets) {
    if (!Number.isInteger(t) || t < 0 || t >= network.edgeCount) continue;
    isTarget[t] = 1;
    push(t, 0);
  }
  const result = new Map<number, number>();
  while (hm.length) {
    const m = hm[0];
    const e = pop();
    if (m > dist[e] || result.has(e)) continue;
    result.set(e, m);
    // a target's own length is not between it and itself
    const next = m + (isTarget[e] ? 0 : edgeLength[e]);
    if (next > maxMetres) continue;
    const v = edgeFrom[e];
    const uTurnFrom = edgeTo[e];
    for (let k = inOffsets[v]; k < inOffsets[v + 1]; k++) {
      const p = inEdges[k];
      // every car edge entering e's tail, except the U-turn from e's own head
      if ((edgeModes[p] & MODE.car) !== 0 && edgeFrom[p] !== uTurnFrom) push(p, next);
    }
  }
  return result;
}
