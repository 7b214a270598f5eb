import { RoadNetworkBuilder, MODE, type RoadNetwork } from '../../core/graph/index.js';

/**
 * A small two-way street grid for tests that need a network but not a whole city
 * (n x n junctions, ~110 m blocks around lon 8.0 / lat 49.0).
 */
export function gridNetwork(n = 5): RoadNetwork {
  const b = new RoadNetworkBuilder();
  const step = 0.0015;
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) b.addNode(8 + x * step, 49 + y * step);
  const all = MODE.car | MODE.truck | MODE.bike | MODE.foot;
  const id = (x: number, y: number) => y * n + x;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (x + 1 < n) {
        b.addEdge({ from: id(x, y), to: id(x + 1, y), roadClass: 'residential', modes: all, name: `Street ${y}` });
        b.addEdge({ from: id(x + 1, y), to: id(x, y), roadClass: 'residential', modes: all, name: `Street ${y}` });
      }
      if (y + 1 < n) {
        b.addEdge({ from: id(x, y), to: id(x, y + 1), roadClass: 'secondary', modes: all, name: `Avenue ${x}` });
        b.addEdge({ from: id(x, y + 1), to: id(x, y), roadClass: 'secondary', modes: all, name: `Avenue ${x}` });
      }
    }
  }
  return b.build({ source: `grid ${n}x${n}` });
}
