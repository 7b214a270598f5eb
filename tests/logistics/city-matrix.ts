import { UrbanflowError } from '../../core/errors/index.js';
import { MODE } from '../../core/graph/modes.js';
import type { RoadNetwork } from '../../core/graph/road-network.js';

/**
 * A travel matrix over a road network for tests: snap each point to the nearest node usable by the mode
 * (NOT_ON_NETWORK beyond maxSnapMetres), then one Dijkstra per source on the live edge seconds, summing metres
 * along the fastest path. What the composition root wires from routing, built here without importing a service.
 */
export function cityMatrix(network: RoadNetwork, maxSnapMetres = 400) {
  const d = network.data;
  const calls: { n: number; mode: string }[] = [];
  const fn = async (points: [number, number][], mode: 'car' | 'truck') => {
    calls.push({ n: points.length, mode });
    const bit = MODE[mode];
    const snapped = points.map((p, i) => {
      let best = -1;
      let bestD = Infinity;
      const kx = 111320 * Math.cos((p[1] * Math.PI) / 180);
      for (let v = 0; v < d.nodeCount; v++) {
        if (network.outOffsets[v + 1] === network.outOffsets[v]) continue;
        let usable = false;
        for (let k = network.outOffsets[v]; k < network.outOffsets[v + 1]; k++) if (d.edgeModes[network.outEdges[k]] & bit) usable = true;
        if (!usable) continue;
        const dd = Math.hypot((d.nodeLon[v] - p[0]) * kx, (d.nodeLat[v] - p[1]) * 110540);
        if (dd < bestD) {
          bestD = dd;
          best = v;
        }
      }
      if (best < 0 || bestD > maxSnapMetres) throw new UrbanflowError('NOT_ON_NETWORK', `points[${i}] is ${Math.round(bestD)} m from the network`, { field: `points[${i}]` });
      return best;
    });
    const n = points.length;
    const seconds = new Float64Array(n * n);
    const metres = new Float64Array(n * n);
    const live = network.live.seconds;
    const dist = new Float64Array(d.nodeCount);
    const len = new Float64Array(d.nodeCount);
    for (let i = 0; i < n; i++) {
      dist.fill(Infinity);
      dist[snapped[i]] = 0;
      len[snapped[i]] = 0;
      const heap: [number, number][] = [[0, snapped[i]]];
      while (heap.length) {
        // simple binary heap
        const top = heap[0];
        const last = heap.pop()!;
        if (heap.length) {
          heap[0] = last;
          let k = 0;
          for (;;) {
            const l = 2 * k + 1;
            const r = l + 1;
            let m = k;
            if (l < heap.length && heap[l][0] < heap[m][0]) m = l;
            if (r < heap.length && heap[r][0] < heap[m][0]) m = r;
            if (m === k) break;
            [heap[k], heap[m]] = [heap[m], heap[k]];
            k = m;
          }
        }
        const [du, u] = top;
        if (du > dist[u]) continue;
        for (let k = network.outOffsets[u]; k < network.outOffsets[u + 1]; k++) {
          const e = network.outEdges[k];
          if (!(d.edgeModes[e] & bit)) continue;
          const w = live[e];
          if (!Number.isFinite(w)) continue;
          const v = d.edgeTo[e];
          const nd = du + w;
          if (nd < dist[v]) {
            dist[v] = nd;
            len[v] = len[u] + d.edgeLength[e];
            heap.push([nd, v]);
            let c = heap.length - 1;
            while (c > 0) {
              const p = (c - 1) >> 1;
              if (heap[p][0] <= heap[c][0]) break;
              [heap[p], heap[c]] = [heap[c], heap[p]];
              c = p;
            }
          }
        }
      }
      for (let j = 0; j < n; j++) {
        seconds[i * n + j] = dist[snapped[j]];
        metres[i * n + j] = len[snapped[j]];
      }
    }
    return { seconds, metres };
  };
  return Object.assign(fn, { calls });
}
