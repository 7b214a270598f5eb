import type { ResolvedClass } from './demand.js';
import type { AssignmentNetwork } from './network.js';

/** The demand of one (class, origin zone) pair: what one bush or one AON tree carries. */
export interface OriginDemand {
  classIndex: number;
  zone: number;
  node: number;
  destNodes: Int32Array;
  destTrips: Float64Array;
  total: number;
}

export function originDemands(net: AssignmentNetwork, classes: readonly ResolvedClass[]): OriginDemand[] {
  const out: OriginDemand[] = [];
  const z = net.zoneCount;
  classes.forEach((c, ci) => {
    for (let o = 0; o < z; o++) {
      const byNode = new Map<number, number>();
      let total = 0;
      for (let d = 0; d < z; d++) {
        const trips = c.od[o * z + d];
        if (trips > 0 && d !== o) {
          const node = net.zoneNode[d];
          if (node === net.zoneNode[o]) continue; // same node: no travel
          byNode.set(node, (byNode.get(node) ?? 0) + trips);
          total += trips;
        }
      }
      if (total === 0) continue;
      out.push({
        classIndex: ci,
        zone: o,
        node: net.zoneNode[o],
        destNodes: Int32Array.from(byNode.keys()),
        destTrips: Float64Array.from(byNode.values()),
        total,
      });
    }
  });
  return out;
}
