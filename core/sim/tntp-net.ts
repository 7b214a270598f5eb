import type { RoadNetwork } from '../graph/road-network.js';
import { MODE } from '../graph/modes.js';
import type { SimZone } from './types.js';

const MILE = 1609.344;

export interface TntpNetFiles {
  /** `_net.tntp` text: lengths in miles (the TNTP habit and core/graph's importer default), times in minutes */
  net: string;
  /** `_node.tntp` text: `Node X Y ;` with X = longitude, Y = latitude */
  nodes: string;
  /** TNTP node number (1-based) of each road node; 0 for nodes cars do not use */
  tntpNode: Int32Array;
  /** road edge id of each link, in file order */
  linkEdges: Uint32Array;
}

const POW = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7];
// rounding by multiplication is several times faster than toFixed on a million lines
const fmt = (x: number, digits: number) => String(Math.round(x * POW[digits]) / POW[digits]);

/**
 * The car network of a city as a TNTP net and node file, so the TNTP tools (`urbanflow assign`)
 * run on it with the city's demand_trips.tntp. TNTP wants zones to be nodes 1..Z: zone k's road
 * node becomes node k, the other car nodes follow in id order from Z+1. Links are the car edges in
 * edge-id order. Zones are ordinary junctions, so <FIRST THRU NODE> is 1. Turn restrictions do not
 * travel (TNTP has none).
 */
export function formatTntpNet(network: RoadNetwork, zones: readonly SimZone[], comment?: string): TntpNetFiles {
  const d = network.data;
  const tntpNode = new Int32Array(d.nodeCount);
  for (const z of zones) tntpNode[z.node] = z.id;
  const car = new Uint8Array(d.nodeCount);
  let links = 0;
  for (let e = 0; e < d.edgeCount; e++) {
    if (!(d.edgeModes[e] & MODE.car)) continue;
    car[d.edgeFrom[e]] = car[d.edgeTo[e]] = 1;
    links++;
  }
  let next = zones.length + 1;
  for (let v = 0; v < d.nodeCount; v++) if (car[v] && tntpNode[v] === 0) tntpNode[v] = next++;
  const nodeCount = next - 1;
  const linkEdges = new Uint32Array(links);
  const out: string[] = [];
  if (comment) for (const line of comment.split('\n')) out.push(`~ ${line}`);
  out.push(
    `<NUMBER OF ZONES> ${zones.length}`,
    `<NUMBER OF NODES> ${nodeCount}`,
    '<FIRST THRU NODE> 1',
    `<NUMBER OF LINKS> ${links}`,
    '<END OF METADATA>',
    '',
    '',
    '~\tinit_node\tterm_node\tcapacity\tlength\tfree_flow_time\tb\tpower\tspeed\ttoll\tlink_type\t;',
  );
  let k = 0;
  for (let e = 0; e < d.edgeCount; e++) {
    if (!(d.edgeModes[e] & MODE.car)) continue;
    linkEdges[k++] = e;
    out.push(
      `\t${tntpNode[d.edgeFrom[e]]}\t${tntpNode[d.edgeTo[e]]}\t${fmt(d.edgeCapacity[e], 3)}\t${fmt(d.edgeLength[e] / MILE, 6)}\t${fmt(d.edgeFreeFlowSeconds[e] / 60, 6)}` +
        `\t${fmt(d.edgeBprAlpha[e], 4)}\t${fmt(d.edgeBprBeta[e], 4)}\t${fmt(d.edgeSpeedKmh[e] / 1.609344, 3)}\t${fmt(d.edgeToll[e], 3)}\t${d.edgeRoadClass[e] + 1}\t;`,
    );
  }
  const nodeLines = ['Node\tX\tY\t;'];
  const order = new Int32Array(nodeCount + 1).fill(-1);
  for (let v = 0; v < d.nodeCount; v++) if (tntpNode[v] > 0) order[tntpNode[v]] = v;
  for (let t = 1; t <= nodeCount; t++) nodeLines.push(`${t}\t${fmt(d.nodeLon[order[t]], 7)}\t${fmt(d.nodeLat[order[t]], 7)}\t;`);
  return { net: out.join('\n') + '\n', nodes: nodeLines.join('\n') + '\n', tntpNode, linkEdges };
}
