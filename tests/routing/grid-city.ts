import { mulberry32 } from '../../core/sim/random.js';
import { RoadNetworkBuilder } from '../../core/graph/road-network-builder.js';
import { MODE } from '../../core/graph/modes.js';
import type { RoadNetwork } from '../../core/graph/road-network.js';

/** seeded PRNG (mulberry32, shared with the simulated city) */
export const rng = mulberry32;

export interface GridCityOptions {
  cols: number;
  rows: number;
  seed: number;
  /** metres between junctions */
  spacing?: number;
  /** share of streets that are one-way */
  oneway?: number;
  /** share of edges with a 7.5 t weight limit / 3.5 m height limit */
  limited?: number;
}

/**
 * A grid city built through RoadNetworkBuilder (until core/sim lands): jittered junctions,
 * arterials every 5th row/column (faster, named "Main n" / "Ring n"), one-way streets, foot-only
 * paths, truck limits, a few missing links. Node id = row * cols + col.
 */
export function gridCity(o: GridCityOptions): RoadNetwork {
  const r = rng(o.seed);
  const spacing = o.spacing ?? 150;
  const lat0 = 49.45;
  const lon0 = 8.45;
  const dLat = spacing / 111_200;
  const dLon = spacing / (111_320 * Math.cos((lat0 * Math.PI) / 180));
  const b = new RoadNetworkBuilder();
  for (let y = 0; y < o.rows; y++) {
    for (let x = 0; x < o.cols; x++) {
      b.addNode(lon0 + (x + (r() - 0.5) * 0.2) * dLon, lat0 + (y + (r() - 0.5) * 0.2) * dLat);
    }
  }
  const id = (x: number, y: number) => y * o.cols + x;
  const all = MODE.car | MODE.truck | MODE.bike | MODE.foot;
  const street = (a: number, c: number, arterial: boolean, name: string) => {
    if (r() < 0.03) return; // missing link
    const footOnly = !arterial && r() < 0.04;
    const modes = footOnly ? MODE.foot | MODE.bike : all;
    const roadClass = arterial ? 'primary' : footOnly ? 'path' : 'residential';
    const speedKmh = arterial ? 50 + Math.floor(r() * 3) * 10 : 30;
    const limited = r() < (o.limited ?? 0.03);
    const maxWeight = limited && r() < 0.5 ? 7.5 : 0;
    const maxHeight = limited && maxWeight === 0 ? 3.5 : 0;
    const oneway = !arterial && !footOnly && r() < (o.oneway ?? 0.15);
    const common = { roadClass, speedKmh, name, maxWeight, maxHeight };
    if (oneway && r() < 0.5) {
      b.addEdge({ from: c, to: a, modes, ...common });
      return;
    }
    b.addEdge({ from: a, to: c, modes, ...common });
    if (!oneway) b.addEdge({ from: c, to: a, modes, ...common });
    else if (modes & MODE.foot) {
      // nothing: pedestrians may still walk against the one-way (routing allows it)
    }
  };
  for (let y = 0; y < o.rows; y++) {
    for (let x = 0; x < o.cols; x++) {
      if (x + 1 < o.cols) street(id(x, y), id(x + 1, y), y % 5 === 0, y % 5 === 0 ? `Main ${y}` : `Row ${y}`);
      if (y + 1 < o.rows) street(id(x, y), id(x, y + 1), x % 5 === 0, x % 5 === 0 ? `Ring ${x}` : `Col ${x}`);
    }
  }
  return b.build({ source: 'gridCity', seed: o.seed });
}
