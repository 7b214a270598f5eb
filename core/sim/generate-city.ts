import { invalidInput } from '../errors/index.js';
import { createRandom, normaliseSeed } from './random.js';
import { gridSizeFor, planLayout } from './layout.js';
import { buildRoads } from './roads.js';
import { buildZones } from './zones.js';
import { buildBusLines } from './transit.js';
import { buildCustomers, buildHubs } from './logistics.js';
import type { GenerateCityOptions, SimCity } from './types.js';

export const DEFAULT_CENTRE: [number, number] = [0, 45];
export const MIN_SIZE = 100;
export const MAX_SIZE = 5_000_000;

/**
 * A seeded, deterministic simulated city: the same size, seed and centre always give the same
 * network, zones, demand, bus lines, hubs and customers (byte for byte once written).
 * `size` is the approximate number of directed edges.
 */
export function generateCity(opts: GenerateCityOptions): SimCity {
  const { size, seed } = opts;
  if (typeof size !== 'number' || !Number.isFinite(size) || size < MIN_SIZE || size > MAX_SIZE) {
    throw invalidInput('size', `size must be a number of edges between ${MIN_SIZE} and ${MAX_SIZE}, got ${String(size)}`);
  }
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw invalidInput('seed', `seed must be a finite number, got ${String(seed)}`);
  const centre = opts.centre ?? DEFAULT_CENTRE;
  if (!Array.isArray(centre) || centre.length !== 2 || !centre.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw invalidInput('centre', 'centre must be [lon, lat]');
  }
  // the city spans up to ~100 km: keep it off the antimeridian and the poles
  if (centre[0] < -170 || centre[0] > 170) throw invalidInput('centre', `centre longitude must be between -170 and 170, got ${centre[0]}`);
  if (centre[1] < -75 || centre[1] > 75) throw invalidInput('centre', `centre latitude must be between -75 and 75, got ${centre[1]}`);
  const progress = opts.onProgress ?? (() => {});
  const s = normaliseSeed(seed);
  const rnd = createRandom(s);

  progress(0, 'layout');
  const n = gridSizeFor(size);
  const layout = planLayout(n, rnd);
  progress(0.05, 'roads');
  const roads = buildRoads(layout, rnd, [centre[0], centre[1]], (f, note) => progress(0.05 + 0.65 * f, note));
  progress(0.7, 'zones and demand');
  const { zones, demand } = buildZones(layout, roads.network, roads.carNode, rnd);
  progress(0.85, 'bus lines');
  const busLines = buildBusLines(layout, roads.network, rnd);
  progress(0.9, 'hubs and customers');
  const hubs = buildHubs(layout, roads.network, roads.carNode, roads.rampNodes, rnd);
  const customers = buildCustomers(layout, roads.network, roads.carNode, hubs, size, rnd);
  progress(1, 'done');

  return {
    network: roads.network,
    zones,
    demand,
    busLines,
    hubs,
    customers,
    bridges: roads.bridges,
    river: { centreline: roads.river, widthMetres: 60 },
    seed,
    size,
    centre: [centre[0], centre[1]],
    layout: {
      gridSize: n,
      arterialSpacing: layout.k,
      gridNodeCount: n * n,
      oneWayEdges: roads.oneWayEdges,
      motorwayCount: roads.motorwayCount,
      turnRestrictions: roads.turnRestrictions,
      northBank: roads.northBank,
      widthMetres: layout.xs[n - 1] - layout.xs[0] + 2 * layout.ringMargin,
      heightMetres: layout.ys[n - 1] - layout.ys[0] + 2 * layout.ringMargin,
    },
  };
}
