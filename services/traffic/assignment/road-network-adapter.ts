import { invalidInput } from '../../../core/errors/index.js';
import { MODE } from '../../../core/graph/modes.js';
import type { RoadNetwork } from '../../../core/graph/road-network.js';
import { createAssignmentNetwork, DEFAULT_BPR_ALPHA, DEFAULT_BPR_BETA, type AssignmentNetwork } from './network.js';

/**
 * A zone on a road network: either one road node (`node`, trips start and end there and the
 * node stays an ordinary junction) or a centroid joined by zero-cost connectors, both ways,
 * to several road nodes (`nodes`; the centroid may not be passed through).
 */
export interface RoadZone {
  id: number | string;
  node?: number;
  nodes?: number[];
}

export interface RoadAssignmentNetworkOptions {
  /** per RoadNetwork edge, vehicles/hour; replaces edgeCapacity (live capacities); <= 0 closes the edge */
  capacities?: Float64Array;
  /** mode bit an edge must allow; default MODE.car */
  modeBit?: number;
}

/**
 * RoadNetwork (core/graph) -> assignment network: the edges that allow cars, free-flow
 * seconds, capacity, BPR alpha/beta, toll and length from the network's columns; linkSource
 * maps each link back to its edge id (-1 for centroid connectors).
 */
export function assignmentNetworkFromRoad(network: RoadNetwork, zones: readonly RoadZone[], opts: RoadAssignmentNetworkOptions = {}): AssignmentNetwork {
  const d = network.data;
  const modeBit = opts.modeBit ?? MODE.car;
  const caps = opts.capacities;
  if (caps && caps.length !== d.edgeCount) throw invalidInput('capacities', `capacities must have one entry per edge (${d.edgeCount}), got ${caps.length}`);
  if (zones.length === 0) throw invalidInput('zones', 'at least one zone is needed');
  const from: number[] = [];
  const to: number[] = [];
  const fft: number[] = [];
  const cap: number[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  const len: number[] = [];
  const toll: number[] = [];
  const closed: number[] = [];
  const source: number[] = [];
  for (let e = 0; e < d.edgeCount; e++) {
    if ((d.edgeModes[e] & modeBit) === 0) continue;
    const c = caps ? caps[e] : d.edgeCapacity[e];
    const al = Number.isFinite(d.edgeBprAlpha[e]) ? d.edgeBprAlpha[e] : DEFAULT_BPR_ALPHA;
    const be = Number.isFinite(d.edgeBprBeta[e]) ? d.edgeBprBeta[e] : DEFAULT_BPR_BETA;
    from.push(d.edgeFrom[e]);
    to.push(d.edgeTo[e]);
    fft.push(Math.max(0, d.edgeFreeFlowSeconds[e]));
    cap.push(c > 0 ? c : 0);
    alpha.push(al);
    beta.push(be);
    len.push(d.edgeLength[e]);
    toll.push(d.edgeToll[e] || 0);
    closed.push(c > 0 || al === 0 ? 0 : 1);
    source.push(e);
  }
  const n0 = d.nodeCount;
  let n = n0;
  const zoneNode: number[] = [];
  const noThrough: number[] = [];
  const nodeExternal: number[] = Array.from({ length: n0 }, (_, v) => v);
  const seen = new Set<number | string>();
  zones.forEach((z, i) => {
    if (seen.has(z.id)) throw invalidInput(`zones[${i}].id`, `zone id '${z.id}' appears twice`);
    seen.add(z.id);
    const checkNode = (v: number) => {
      if (!Number.isInteger(v) || v < 0 || v >= n0) throw invalidInput(`zones[${i}]`, `zone '${z.id}': node ${v} is not a node of the network (0..${n0 - 1})`);
    };
    if (z.nodes && z.nodes.length > 0) {
      const centroid = n++;
      noThrough[centroid] = 1;
      nodeExternal.push(-1);
      for (const v of z.nodes) {
        checkNode(v);
        for (const [a, b] of [[centroid, v], [v, centroid]]) {
          from.push(a);
          to.push(b);
          fft.push(0);
          cap.push(0);
          alpha.push(0);
          beta.push(0);
          len.push(0);
          toll.push(0);
          closed.push(0);
          source.push(-1);
        }
      }
      zoneNode.push(centroid);
    } else if (z.node !== undefined) {
      checkNode(z.node);
      zoneNode.push(z.node);
    } else {
      throw invalidInput(`zones[${i}]`, `zone '${z.id}' needs a node or a list of nodes`);
    }
  });
  const nt = new Uint8Array(n);
  noThrough.forEach((v, i) => (nt[i] = v ?? 0));
  return createAssignmentNetwork({
    nodeCount: n,
    linkFrom: from,
    linkTo: to,
    freeFlowTime: fft,
    capacity: cap,
    alpha,
    beta,
    length: len,
    toll,
    closed,
    noThrough: nt,
    zoneNode,
    zoneIds: zones.map((z) => z.id),
    nodeExternalId: nodeExternal,
    linkSource: source,
  });
}
