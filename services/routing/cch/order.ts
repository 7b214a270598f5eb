import type { RoadNetwork } from '../../../core/graph/road-network.js';

/**
 * Metric-independent vertex order for the Customizable Contraction Hierarchy, by geometric
 * nested dissection: split the node set at the median of one of four directions (E-W, N-S and
 * the two diagonals), take as separator the smaller of the two boundary sets (nodes on one side
 * with a neighbour on the other), keep the direction with the smallest separator, recurse.
 * Separators get the highest ranks of their part, so the order never depends on travel times
 * and one order serves every mode and every live metric. Road networks are near-planar, so
 * coordinate cuts give small separators without a max-flow (inertial-flow without the flow).
 */
/** each side of a cut keeps at least this share of the part */
const BALANCE = 0.3;

export function nestedDissectionOrder(network: RoadNetwork, leafSize = 24): Int32Array {
  const n = network.nodeCount;
  const d = network.data;
  // undirected adjacency without self loops (duplicates are harmless here)
  const deg = new Uint32Array(n + 1);
  for (let e = 0; e < d.edgeCount; e++) {
    const a = d.edgeFrom[e];
    const b = d.edgeTo[e];
    if (a === b) continue;
    deg[a + 1]++;
    deg[b + 1]++;
  }
  for (let v = 0; v < n; v++) deg[v + 1] += deg[v];
  const adj = new Uint32Array(deg[n]);
  const cur = deg.slice(0, n);
  for (let e = 0; e < d.edgeCount; e++) {
    const a = d.edgeFrom[e];
    const b = d.edgeTo[e];
    if (a === b) continue;
    adj[cur[a]++] = b;
    adj[cur[b]++] = a;
  }
  const lat0 = n > 0 ? d.nodeLat.reduce((s, v) => s + v, 0) / n : 0;
  const kx = Math.cos((lat0 * Math.PI) / 180);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    x[v] = d.nodeLon[v] * kx;
    y[v] = d.nodeLat[v];
  }
  const rank = new Int32Array(n).fill(-1);
  // label[v] = id of the part v currently belongs to; separators and ranked nodes get -1
  const label = new Int32Array(n);
  let nextLabel = 1;
  const proj = new Float64Array(n);
  const pos = new Int32Array(n);
  const DIRS: [number, number][] = [
    [1, 0],
    [0, 1],
    [Math.SQRT1_2, Math.SQRT1_2],
    [Math.SQRT1_2, -Math.SQRT1_2],
  ];
  const stack: { nodes: Int32Array; hi: number }[] = [{ nodes: Int32Array.from({ length: n }, (_, i) => i), hi: n - 1 }];
  const side = new Int8Array(n);
  const cutDeg = new Int32Array(n);
  const covered = new Uint8Array(n);
  /** smallest of: boundary on side 0, boundary on side 1, a greedy vertex cover of the cut edges */
  const separatorOf = (nodes: Int32Array, side: Int8Array, lab: number): number[] => {
    const bA: number[] = [];
    const bB: number[] = [];
    const touched: number[] = [];
    for (const v of nodes) {
      let c = 0;
      for (let j = deg[v]; j < deg[v + 1]; j++) {
        const u = adj[j];
        if (label[u] === lab && side[u] !== side[v]) c++;
      }
      if (c > 0) {
        (side[v] === 0 ? bA : bB).push(v);
        cutDeg[v] = c;
        touched.push(v);
      }
    }
    // greedy cover: highest cut degree first, take a node while it still covers an uncovered cut edge
    touched.sort((a, b) => cutDeg[b] - cutDeg[a]);
    const cover: number[] = [];
    for (const v of touched) {
      let needed = false;
      for (let j = deg[v]; j < deg[v + 1] && !needed; j++) {
        const u = adj[j];
        if (label[u] === lab && side[u] !== side[v] && !covered[u]) needed = true;
      }
      if (needed) {
        covered[v] = 1;
        cover.push(v);
      }
    }
    for (const v of touched) {
      covered[v] = 0;
      cutDeg[v] = 0;
    }
    let best = bA.length <= bB.length ? bA : bB;
    if (cover.length < best.length) best = cover;
    return best;
  };
  while (stack.length > 0) {
    const { nodes, hi } = stack.pop()!;
    const size = nodes.length;
    if (size <= leafSize) {
      // small part: lower-degree nodes first (a cheap min-degree flavour)
      const sorted = Array.from(nodes).sort((a, b) => deg[b + 1] - deg[b] - (deg[a + 1] - deg[a]));
      let r = hi;
      for (const v of sorted) rank[v] = r--;
      continue;
    }
    const lab = nextLabel++;
    for (const v of nodes) label[v] = lab;
    let bestSep: number[] | null = null;
    let bestSide: Int8Array | null = null;
    const kLo = Math.floor(size * BALANCE);
    const kHi = Math.ceil(size * (1 - BALANCE));
    for (const [dx, dy] of DIRS) {
      for (let i = 0; i < size; i++) proj[i] = x[nodes[i]] * dx + y[nodes[i]] * dy;
      const idx = Array.from({ length: size }, (_, i) => i).sort((a, b) => proj[a] - proj[b]);
      for (let i = 0; i < size; i++) pos[nodes[idx[i]]] = i;
      // cut(k) = edges between positions < k and >= k, for every k at once (difference array)
      const diff = new Int32Array(size + 2);
      for (const v of nodes) {
        const pv = pos[v];
        for (let j = deg[v]; j < deg[v + 1]; j++) {
          const u = adj[j];
          if (label[u] !== lab) continue;
          const pu = pos[u];
          if (pu > pv) {
            diff[pv + 1]++;
            diff[pu + 1]--;
          }
        }
      }
      let run = 0;
      let bestK = size >> 1;
      let bestCut = Infinity;
      for (let k = 1; k < size; k++) {
        run += diff[k];
        if (k < kLo || k > kHi) continue;
        if (run < bestCut || (run === bestCut && Math.abs(k - size / 2) < Math.abs(bestK - size / 2))) {
          bestCut = run;
          bestK = k;
        }
      }
      for (const v of nodes) side[v] = pos[v] < bestK ? 0 : 1;
      const sep = separatorOf(nodes, side, lab);
      if (!bestSep || sep.length < bestSep.length) {
        bestSep = sep;
        bestSide = Int8Array.from(nodes, (v) => side[v]);
      }
    }
    const sep = bestSep!;
    for (let i = 0; i < size; i++) side[nodes[i]] = bestSide![i];
    let r = hi;
    for (const v of sep) {
      rank[v] = r--;
      label[v] = -1;
    }
    const a: number[] = [];
    const b: number[] = [];
    for (const v of nodes) {
      if (label[v] !== lab) continue;
      (side[v] === 0 ? a : b).push(v);
    }
    // the part with higher ranks is processed later; ranks are disjoint ranges
    stack.push({ nodes: Int32Array.from(a), hi: r });
    stack.push({ nodes: Int32Array.from(b), hi: r - a.length });
  }
  return rank;
}
