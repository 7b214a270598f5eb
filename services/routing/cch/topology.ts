import type { RoadNetwork } from '../../../core/graph/road-network.js';
import { nestedDissectionOrder } from './order.js';

/**
 * The metric-independent part of a CCH: the order, the chordal supergraph ("contracted graph")
 * as upward CSR in rank space, its elimination tree, and where every original edge lands.
 * Built once per network; every mode and every live metric is then only a customisation.
 */
export interface CchTopology {
  n: number;
  /** rank[v] of network node v; order[r] the node of rank r */
  rank: Int32Array;
  order: Int32Array;
  /** arcs of rank r (to higher ranks, ascending): upHead[upOff[r] .. upOff[r+1]) */
  upOff: Uint32Array;
  upHead: Uint32Array;
  /** tail (lower rank) of each arc */
  arcTail: Uint32Array;
  /** elimination-tree parent (lowest upward neighbour) in rank space, -1 for roots */
  parent: Int32Array;
  /** CCH arc of each original edge, -1 for self loops; edgeUp[e] = 1 when edgeFrom is the lower rank */
  edgeArc: Int32Array;
  edgeUp: Uint8Array;
  arcCount: number;
}

export function buildCchTopology(network: RoadNetwork, rank = nestedDissectionOrder(network)): CchTopology {
  const n = network.nodeCount;
  const d = network.data;
  const order = new Int32Array(n);
  for (let v = 0; v < n; v++) order[rank[v]] = v;
  // upward neighbour lists in rank space, grown by fill-in as vertices are eliminated
  const up: number[][] = new Array(n);
  for (let r = 0; r < n; r++) up[r] = [];
  for (let e = 0; e < d.edgeCount; e++) {
    const a = rank[d.edgeFrom[e]];
    const b = rank[d.edgeTo[e]];
    if (a === b) continue;
    if (a < b) up[a].push(b);
    else up[b].push(a);
  }
  const parent = new Int32Array(n).fill(-1);
  let arcCount = 0;
  for (let r = 0; r < n; r++) {
    let list = up[r];
    if (list.length > 1) {
      list.sort((p, q) => p - q);
      let k = 1;
      for (let i = 1; i < list.length; i++) if (list[i] !== list[k - 1]) list[k++] = list[i];
      list.length = k;
    }
    up[r] = list;
    arcCount += list.length;
    if (list.length === 0) continue;
    const p = list[0];
    parent[r] = p;
    // eliminating r makes its upper neighbours a clique: hand them to the lowest one
    const pl = up[p];
    for (let i = 1; i < list.length; i++) pl.push(list[i]);
    if (pl.length > 4 * 1024) {
      // keep long lists from growing with duplicates
      pl.sort((a, b) => a - b);
      let k = 1;
      for (let i = 1; i < pl.length; i++) if (pl[i] !== pl[k - 1]) pl[k++] = pl[i];
      pl.length = k;
    }
    list = [];
  }
  const upOff = new Uint32Array(n + 1);
  const upHead = new Uint32Array(arcCount);
  const arcTail = new Uint32Array(arcCount);
  let k = 0;
  for (let r = 0; r < n; r++) {
    upOff[r] = k;
    for (const h of up[r]) {
      upHead[k] = h;
      arcTail[k] = r;
      k++;
    }
    up[r] = [];
  }
  upOff[n] = k;
  const edgeArc = new Int32Array(d.edgeCount).fill(-1);
  const edgeUp = new Uint8Array(d.edgeCount);
  for (let e = 0; e < d.edgeCount; e++) {
    const a = rank[d.edgeFrom[e]];
    const b = rank[d.edgeTo[e]];
    if (a === b) continue;
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    edgeArc[e] = findArc(upOff, upHead, lo, hi);
    edgeUp[e] = a < b ? 1 : 0;
  }
  return { n, rank, order, upOff, upHead, arcTail, parent, edgeArc, edgeUp, arcCount };
}

/** arc id of {lo, hi} (lo < hi in rank), -1 when absent; binary search in lo's sorted list */
export function findArc(upOff: Uint32Array, upHead: Uint32Array, lo: number, hi: number): number {
  let a = upOff[lo];
  let b = upOff[lo + 1] - 1;
  while (a <= b) {
    const m = (a + b) >>> 1;
    const h = upHead[m];
    if (h === hi) return m;
    if (h < hi) a = m + 1;
    else b = m - 1;
  }
  return -1;
}
