import { RoadNetwork } from './road-network.js';
import { TURN_RESTRICTION_STRIDE, type RoadNetworkData } from './road-network-data.js';
import { MODE, MODE_NAMES, type ModeName } from './modes.js';

export interface SccResult {
  /** component id per node; -1 for nodes that no edge of this mode touches */
  componentOf: Int32Array;
  /** node count per component id */
  sizes: number[];
}

export interface ModeComponentStats {
  /** edges allowing the mode before filtering */
  edgesBefore: number;
  /** strongly connected components among the nodes the mode's edges touch */
  components: number;
  largestNodes: number;
  largestEdges: number;
  /** node count of the second largest component (0 when there is one) */
  secondNodes: number;
}

/**
 * Strongly connected components of the subgraph of edges allowing `mode` (iterative Tarjan over
 * the CSR adjacency, so a long road chain cannot overflow the call stack).
 */
export function stronglyConnectedComponents(network: RoadNetwork, mode: ModeName): SccResult {
  const n = network.nodeCount;
  const { edgeTo, edgeFrom, edgeModes } = network.data;
  const { outOffsets, outEdges } = network;
  const bit = MODE[mode];
  const touched = new Uint8Array(n);
  for (let e = 0; e < edgeModes.length; e++) if (edgeModes[e] & bit) touched[edgeFrom[e]] = touched[edgeTo[e]] = 1;

  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const csNode = new Int32Array(n);
  const csPos = new Uint32Array(n);
  const componentOf = new Int32Array(n).fill(-1);
  const sizes: number[] = [];
  let sp = 0;
  let counter = 0;

  for (let s = 0; s < n; s++) {
    if (!touched[s] || index[s] >= 0) continue;
    let top = 0;
    csNode[0] = s;
    csPos[0] = outOffsets[s];
    index[s] = low[s] = counter++;
    stack[sp++] = s;
    onStack[s] = 1;
    while (top >= 0) {
      const v = csNode[top];
      const p = csPos[top];
      if (p < outOffsets[v + 1]) {
        csPos[top] = p + 1;
        const e = outEdges[p];
        if (!(edgeModes[e] & bit)) continue;
        const w = edgeTo[e];
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          top++;
          csNode[top] = w;
          csPos[top] = outOffsets[w];
        } else if (onStack[w] && index[w] < low[v]) low[v] = index[w];
      } else {
        if (low[v] === index[v]) {
          const id = sizes.length;
          let size = 0;
          let x: number;
          do {
            x = stack[--sp];
            onStack[x] = 0;
            componentOf[x] = id;
            size++;
          } while (x !== v);
          sizes.push(size);
        }
        top--;
        if (top >= 0) {
          const u = csNode[top];
          if (low[v] < low[u]) low[u] = low[v];
        }
      }
    }
  }
  return { componentOf, sizes };
}

/**
 * Keeps, for every mode, only the edges inside that mode's largest strongly connected component
 * (the mode bit is cleared elsewhere), then drops edges with no mode left and nodes with no edge,
 * renumbering both densely. Without this, a route request snapped onto a cut-off fragment
 * (a private driveway network, an island of one-way streets at the extract border) would have
 * no route to anywhere.
 */
export function keepLargestComponents(network: RoadNetwork, modes: readonly ModeName[] = MODE_NAMES): { network: RoadNetwork; stats: Partial<Record<ModeName, ModeComponentStats>> } {
  const d = network.data;
  const newModes = Uint8Array.from(d.edgeModes);
  const stats: Partial<Record<ModeName, ModeComponentStats>> = {};
  for (const mode of modes) {
    const bit = MODE[mode];
    const { componentOf, sizes } = stronglyConnectedComponents(network, mode);
    let largest = -1;
    for (let c = 0; c < sizes.length; c++) if (largest < 0 || sizes[c] > sizes[largest]) largest = c;
    const sorted = sizes.slice().sort((a, b) => b - a);
    let edgesBefore = 0;
    let largestEdges = 0;
    for (let e = 0; e < d.edgeCount; e++) {
      if (!(d.edgeModes[e] & bit)) continue;
      edgesBefore++;
      if (largest >= 0 && componentOf[d.edgeFrom[e]] === largest && componentOf[d.edgeTo[e]] === largest) largestEdges++;
      else newModes[e] &= ~bit;
    }
    stats[mode] = { edgesBefore, components: sizes.length, largestNodes: sorted[0] ?? 0, largestEdges, secondNodes: sorted[1] ?? 0 };
  }
  const data = subsetNetworkData(d, newModes);
  data.meta = { ...data.meta, components: stats };
  return { network: new RoadNetwork(data), stats };
}

/**
 * A copy of the columns keeping the edges whose entry in `edgeModes` is non-zero (with those
 * modes) and the nodes they touch, renumbered densely in their old order. Turn restrictions
 * follow their edges.
 */
export function subsetNetworkData(d: RoadNetworkData, edgeModes: Uint8Array): RoadNetworkData {
  const nodeMap = new Int32Array(d.nodeCount).fill(-1);
  const edgeMap = new Int32Array(d.edgeCount).fill(-1);
  let m = 0;
  for (let e = 0; e < d.edgeCount; e++) {
    if (!edgeModes[e]) continue;
    edgeMap[e] = m++;
    nodeMap[d.edgeFrom[e]] = 0;
    nodeMap[d.edgeTo[e]] = 0;
  }
  let n = 0;
  for (let v = 0; v < d.nodeCount; v++) if (nodeMap[v] === 0) nodeMap[v] = n++;
  const keptNodes = new Uint32Array(n);
  for (let v = 0; v < d.nodeCount; v++) if (nodeMap[v] >= 0) keptNodes[nodeMap[v]] = v;
  const keptEdges = new Uint32Array(m);
  for (let e = 0; e < d.edgeCount; e++) if (edgeMap[e] >= 0) keptEdges[edgeMap[e]] = e;

  const pick = <T extends Float64Array | Float32Array | Uint32Array | Uint8Array>(src: T, idx: Uint32Array): T => {
    const out = new (src.constructor as { new (len: number): T })(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = src[idx[i]];
    return out;
  };

  const geomOffsets = new Uint32Array(m + 1);
  let points = 0;
  for (let i = 0; i < m; i++) {
    const e = keptEdges[i];
    geomOffsets[i] = points;
    points += d.geomOffsets[e + 1] - d.geomOffsets[e];
  }
  geomOffsets[m] = points;
  const geomCoords = new Float64Array(2 * points);
  for (let i = 0; i < m; i++) {
    const e = keptEdges[i];
    geomCoords.set(d.geomCoords.subarray(2 * d.geomOffsets[e], 2 * d.geomOffsets[e + 1]), 2 * geomOffsets[i]);
  }

  const edgeFrom = new Uint32Array(m);
  const edgeTo = new Uint32Array(m);
  const modes = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    const e = keptEdges[i];
    edgeFrom[i] = nodeMap[d.edgeFrom[e]];
    edgeTo[i] = nodeMap[d.edgeTo[e]];
    modes[i] = edgeModes[e];
  }

  const tr: number[] = [];
  const src = d.turnRestrictions ?? new Uint32Array(0);
  for (let k = 0; k + TURN_RESTRICTION_STRIDE <= src.length; k += TURN_RESTRICTION_STRIDE) {
    const f = edgeMap[src[k]];
    const t = edgeMap[src[k + 2]];
    const bits = src[k + 3] & (f >= 0 ? modes[f] : 0) & (t >= 0 ? modes[t] : 0);
    if (f >= 0 && t >= 0 && bits) tr.push(f, nodeMap[src[k + 1]], t, bits);
  }

  return {
    nodeCount: n,
    edgeCount: m,
    nodeLon: pick(d.nodeLon, keptNodes),
    nodeLat: pick(d.nodeLat, keptNodes),
    nodeExternalId: pick(d.nodeExternalId, keptNodes),
    edgeFrom,
    edgeTo,
    edgeLength: pick(d.edgeLength, keptEdges),
    edgeFreeFlowSeconds: pick(d.edgeFreeFlowSeconds, keptEdges),
    edgeSpeedKmh: pick(d.edgeSpeedKmh, keptEdges),
    edgeLanes: pick(d.edgeLanes, keptEdges),
    edgeCapacity: pick(d.edgeCapacity, keptEdges),
    edgeModes: modes,
    edgeRoadClass: pick(d.edgeRoadClass, keptEdges),
    edgeMaxWeight: pick(d.edgeMaxWeight, keptEdges),
    edgeMaxHeight: pick(d.edgeMaxHeight, keptEdges),
    edgeName: pick(d.edgeName, keptEdges),
    edgeRef: pick(d.edgeRef, keptEdges),
    edgeBprAlpha: pick(d.edgeBprAlpha, keptEdges),
    edgeBprBeta: pick(d.edgeBprBeta, keptEdges),
    edgeToll: pick(d.edgeToll, keptEdges),
    edgeExternalId: pick(d.edgeExternalId, keptEdges),
    geomOffsets,
    geomCoords,
    turnRestrictions: Uint32Array.from(tr),
    strings: d.strings,
    meta: { ...d.meta },
  };
}
