import type { TntpNet } from '../../../core/tntp/index.js';
import { createAssignmentNetwork, type AssignmentNetwork } from './network.js';

/**
 * TNTP net -> assignment network. Node k is index k-1, zone z is node z-1, links keep the
 * file's order (so results line up with the flow file). Nodes numbered below FIRST THRU NODE
 * may not be passed through.
 */
export function assignmentNetworkFromTntp(net: TntpNet): AssignmentNetwork {
  const { metadata: md, links } = net;
  const noThrough = new Uint8Array(md.nodes);
  for (let v = 0; v < md.nodes; v++) if (v + 1 < md.firstThruNode) noThrough[v] = 1;
  return createAssignmentNetwork({
    nodeCount: md.nodes,
    linkFrom: links.map((l) => l.init - 1),
    linkTo: links.map((l) => l.term - 1),
    freeFlowTime: links.map((l) => l.freeFlowTime),
    capacity: links.map((l) => l.capacity),
    alpha: links.map((l) => l.b),
    beta: links.map((l) => l.power),
    length: links.map((l) => l.length),
    toll: links.map((l) => l.toll),
    noThrough,
    zoneNode: Array.from({ length: md.zones }, (_, z) => z),
    zoneIds: Array.from({ length: md.zones }, (_, z) => z + 1),
    nodeExternalId: Array.from({ length: md.nodes }, (_, v) => v + 1),
    tollFactor: md.tollFactor,
    distanceFactor: md.distanceFactor,
  });
}
