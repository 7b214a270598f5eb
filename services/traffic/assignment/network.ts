import { invalidInput } from '../../../core/errors/index.js';

/**
 * The compact network every assignment algorithm reads: flat typed arrays indexed by dense
 * node and link ids, CSR adjacency both ways. Costs are BPR: t = fft * (1 + alpha * (x/cap)^beta).
 * Units are whatever the source uses (TNTP file units, seconds for a RoadNetwork).
 */
export interface AssignmentNetwork {
  nodeCount: number;
  linkCount: number;
  linkFrom: Int32Array;
  linkTo: Int32Array;
  freeFlowTime: Float64Array;
  capacity: Float64Array;
  alpha: Float64Array;
  beta: Float64Array;
  length: Float64Array;
  toll: Float64Array;
  /** 1 = the link may not be used (e.g. capacity 0 after a closure) */
  closed: Uint8Array;
  outOffsets: Int32Array;
  outLinks: Int32Array;
  inOffsets: Int32Array;
  inLinks: Int32Array;
  /** 1 = paths may start or end here but not pass through (TNTP zones below FIRST THRU NODE, centroids) */
  noThrough: Uint8Array;
  zoneCount: number;
  /** node of each zone (zone index -> node id) */
  zoneNode: Int32Array;
  /** external label of each zone (TNTP zone number, caller's zone id) */
  zoneIds: (number | string)[];
  /** external label of each node (TNTP node number, RoadNetwork node id, -1 for centroids) */
  nodeExternalId: Float64Array;
  /** source of each link (TNTP: line order index; RoadNetwork: edge id; -1 for centroid connectors) */
  linkSource: Int32Array;
  /** generalized cost of the default class: time + tollFactor * toll + distanceFactor * length */
  tollFactor: number;
  distanceFactor: number;
}

export interface AssignmentNetworkSpec {
  nodeCount: number;
  linkFrom: ArrayLike<number>;
  linkTo: ArrayLike<number>;
  freeFlowTime: ArrayLike<number>;
  capacity: ArrayLike<number>;
  alpha?: ArrayLike<number>;
  beta?: ArrayLike<number>;
  length?: ArrayLike<number>;
  toll?: ArrayLike<number>;
  closed?: ArrayLike<number>;
  noThrough?: ArrayLike<number>;
  zoneNode: ArrayLike<number>;
  zoneIds?: (number | string)[];
  nodeExternalId?: ArrayLike<number>;
  linkSource?: ArrayLike<number>;
  tollFactor?: number;
  distanceFactor?: number;
}

export const DEFAULT_BPR_ALPHA = 0.15;
export const DEFAULT_BPR_BETA = 4;

/** Validates a spec and builds the CSR adjacency. Bad values are INVALID_INPUT naming the link. */
export function createAssignmentNetwork(spec: AssignmentNetworkSpec): AssignmentNetwork {
  const n = spec.nodeCount;
  const m = spec.linkFrom.length;
  const col = (src: ArrayLike<number> | undefined, def: number) => {
    const out = new Float64Array(m);
    if (src === undefined) out.fill(def);
    else for (let i = 0; i < m; i++) out[i] = src[i];
    return out;
  };
  const linkFrom = Int32Array.from(spec.linkFrom);
  const linkTo = Int32Array.from(spec.linkTo);
  const freeFlowTime = col(spec.freeFlowTime, 0);
  const capacity = col(spec.capacity, 0);
  const alpha = col(spec.alpha, DEFAULT_BPR_ALPHA);
  const beta = col(spec.beta, DEFAULT_BPR_BETA);
  const length = col(spec.length, 0);
  const toll = col(spec.toll, 0);
  const closed = new Uint8Array(m);
  if (spec.closed) for (let i = 0; i < m; i++) closed[i] = spec.closed[i] ? 1 : 0;
  for (let a = 0; a < m; a++) {
    if (!(linkFrom[a] >= 0 && linkFrom[a] < n && linkTo[a] >= 0 && linkTo[a] < n)) throw invalidInput(`link[${a}]`, `link ${a} has an end node outside 0..${n - 1}`);
    if (!(freeFlowTime[a] >= 0) || !(alpha[a] >= 0) || !(beta[a] >= 0) || !(length[a] >= 0) || !(toll[a] >= 0)) {
      throw invalidInput(`link[${a}]`, `link ${a}: free-flow time, alpha, beta, length and toll must be non-negative numbers`);
    }
    // a congestible link without capacity cannot carry anything: treat it as closed
    if (alpha[a] > 0 && !(capacity[a] > 0)) closed[a] = 1;
  }
  const zoneNode = Int32Array.from(spec.zoneNode);
  for (let z = 0; z < zoneNode.length; z++) if (!(zoneNode[z] >= 0 && zoneNode[z] < n)) throw invalidInput(`zone[${z}]`, `zone ${z} has node ${zoneNode[z]} outside 0..${n - 1}`);
  const [outOffsets, outLinks] = csr(n, linkFrom);
  const [inOffsets, inLinks] = csr(n, linkTo);
  const noThrough = new Uint8Array(n);
  if (spec.noThrough) for (let v = 0; v < n; v++) noThrough[v] = spec.noThrough[v] ? 1 : 0;
  const nodeExternalId = new Float64Array(n);
  if (spec.nodeExternalId) for (let v = 0; v < n; v++) nodeExternalId[v] = spec.nodeExternalId[v];
  else for (let v = 0; v < n; v++) nodeExternalId[v] = v;
  const linkSource = spec.linkSource ? Int32Array.from(spec.linkSource) : Int32Array.from({ length: m }, (_, i) => i);
  return {
    nodeCount: n,
    linkCount: m,
    linkFrom,
    linkTo,
    freeFlowTime,
    capacity,
    alpha,
    beta,
    length,
    toll,
    closed,
    outOffsets,
    outLinks,
    inOffsets,
    inLinks,
    noThrough,
    zoneCount: zoneNode.length,
    zoneNode,
    zoneIds: spec.zoneIds ?? Array.from(zoneNode, (_, z) => z + 1),
    nodeExternalId,
    linkSource,
    tollFactor: spec.tollFactor ?? 0,
    distanceFactor: spec.distanceFactor ?? 0,
  };
}

function csr(n: number, end: Int32Array): [Int32Array, Int32Array] {
  const off = new Int32Array(n + 1);
  for (let a = 0; a < end.length; a++) off[end[a] + 1]++;
  for (let v = 0; v < n; v++) off[v + 1] += off[v];
  const cur = off.slice(0, n);
  const links = new Int32Array(end.length);
  for (let a = 0; a < end.length; a++) links[cur[end[a]]++] = a;
  return [off, links];
}
