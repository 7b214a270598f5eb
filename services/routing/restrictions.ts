import * as turf from '@turf/turf';
import type { Feature, LineString, MultiPolygon, Polygon } from 'geojson';
import type { RoadNetwork } from '../../core/graph/road-network.js';
import { getEdgeBboxIndex } from '../../core/graph/edge-bbox-index.js';
import { UrbanflowError } from '../../core/errors/index.js';
import type { AvoidPolygon, TruckProfile } from '../../core/contracts/routing.js';

export interface RestrictionInput {
  /** edge ids closed for this request */
  edges?: number[];
  areas?: AvoidPolygon[];
  truck?: TruckProfile;
}

/**
 * The per-request blocked edge set (closures, avoided areas, truck weight/height limits) as a
 * mask, or null when nothing is blocked. Areas: bounding-box candidates from the shared R-tree,
 * then turf's booleanIntersects on the edge shape, so an edge that only crosses a corner counts.
 */
export function buildBlocked(network: RoadNetwork, input: RestrictionInput, field = 'avoid'): Uint8Array | null {
  const d = network.data;
  let mask: Uint8Array | null = null;
  const block = (e: number) => {
    if (!mask) mask = new Uint8Array(d.edgeCount);
    mask[e] = 1;
  };
  input.edges?.forEach((e, i) => {
    if (!Number.isInteger(e) || e < 0 || e >= d.edgeCount) {
      throw new UrbanflowError('INVALID_INPUT', `${field}.edges[${i}] must be an edge id between 0 and ${d.edgeCount - 1}`, { field: `${field}.edges[${i}]` });
    }
    block(e);
  });
  const truck = input.truck;
  if (truck && (truck.weight > 0 || truck.height > 0)) {
    for (let e = 0; e < d.edgeCount; e++) {
      const mw = d.edgeMaxWeight[e];
      const mh = d.edgeMaxHeight[e];
      if ((truck.weight > 0 && mw > 0 && truck.weight > mw) || (truck.height > 0 && mh > 0 && truck.height > mh)) block(e);
    }
  }
  if (input.areas && input.areas.length > 0) {
    const index = getEdgeBboxIndex(network);
    input.areas.forEach((area, i) => {
      let poly: Feature<Polygon | MultiPolygon>;
      try {
        poly = turf.feature(area as Polygon | MultiPolygon);
        turf.booleanValid(poly);
      } catch (e) {
        throw new UrbanflowError('INVALID_INPUT', `${field}.areas[${i}] must be a valid GeoJSON polygon: ${(e as Error).message}`, { field: `${field}.areas[${i}]` });
      }
      const [minX, minY, maxX, maxY] = turf.bbox(poly);
      for (const e of index.search(minX, minY, maxX, maxY)) {
        const line: Feature<LineString> = turf.lineString(network.edgeGeometry(e));
        if (turf.booleanIntersects(line, poly)) block(e);
      }
    });
  }
  return mask;
}
