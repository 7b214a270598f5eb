import Flatbush from 'flatbush';
import type { RoadNetwork } from './road-network.js';

/**
 * Which edges' shapes fall in a lon/lat box, through a packed R-tree of edge bounding boxes.
 * Built once per network and shared (bbox queries from the gateway, traffic and signage).
 */
export class EdgeBboxIndex {
  private readonly index: Flatbush;

  constructor(network: RoadNetwork) {
    const { geomOffsets, geomCoords, edgeCount } = network.data;
    this.index = new Flatbush(Math.max(1, edgeCount));
    for (let e = 0; e < edgeCount; e++) {
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      for (let i = geomOffsets[e]; i < geomOffsets[e + 1]; i++) {
        const x = geomCoords[2 * i];
        const y = geomCoords[2 * i + 1];
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
      this.index.add(minX, minY, maxX, maxY);
    }
    if (edgeCount === 0) this.index.add(0, 0, 0, 0);
    this.index.finish();
    this.edgeCount = edgeCount;
  }

  private readonly edgeCount: number;

  /** edge ids whose bounding box meets the box, ascending */
  search(minLon: number, minLat: number, maxLon: number, maxLat: number): number[] {
    if (this.edgeCount === 0) return [];
    return this.index.search(minLon, minLat, maxLon, maxLat).sort((a, b) => a - b);
  }
}

const cache = new WeakMap<RoadNetwork, EdgeBboxIndex>();

export function getEdgeBboxIndex(network: RoadNetwork): EdgeBboxIndex {
  let idx = cache.get(network);
  if (!idx) {
    idx = new EdgeBboxIndex(network);
    cache.set(network, idx);
  }
  return idx;
}
