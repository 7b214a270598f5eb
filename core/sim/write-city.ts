import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UrbanflowError } from '../errors/index.js';
import { writeSnapshot } from '../graph/snapshot.js';
import { renderNetworkPng, type ImageMarker } from '../viz/network-image.js';
import { buildGtfsZip } from './gtfs.js';
import { formatTntpTrips } from './tntp-trips.js';
import { formatTntpNet } from './tntp-net.js';
import { writeNetworkGeoJson } from './geojson-writer.js';
import type { SimCity } from './types.js';

export interface WriteCityOptions {
  /** picture width in pixels; default 1600 */
  imageWidth?: number;
  /** skip files by name (e.g. ['city.geojson'] for a quick run) */
  skip?: string[];
  onProgress?: (fraction: number, note: string) => void;
}

export interface WrittenFile {
  name: string;
  path: string;
  bytes: number;
}

export const CITY_FILES = [
  'city.graph', 'city.geojson', 'gtfs.zip', 'demand_trips.tntp', 'city_net.tntp', 'city_node.tntp', 'zones.json', 'hubs.json', 'customers.json', 'city.json', 'city.png',
] as const;

/**
 * Writes the city into `dir`: the graph snapshot, GeoJSON edges, GTFS, TNTP demand, zones, hubs,
 * customers, a summary (city.json: bridges, river, bus-line edges, counts) and a picture.
 */
export async function writeCity(city: SimCity, dir: string, opts: WriteCityOptions = {}): Promise<WrittenFile[]> {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UrbanflowError('INVALID_INPUT', `cannot create output directory ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { field: 'out', cause: e });
  }
  const skip = new Set(opts.skip ?? []);
  const progress = opts.onProgress ?? (() => {});
  const written: WrittenFile[] = [];
  const record = (name: string) => {
    const path = join(dir, name);
    written.push({ name, path, bytes: statSync(path).size });
  };
  const json = (name: string, value: unknown) => {
    if (skip.has(name)) return;
    writeFileSync(join(dir, name), JSON.stringify(value, null, 1) + '\n');
    record(name);
  };
  const steps = CITY_FILES.length;
  let step = 0;
  const next = (name: string) => progress(step++ / steps, name);

  next('city.graph');
  if (!skip.has('city.graph')) {
    await writeSnapshot(city.network, join(dir, 'city.graph'));
    record('city.graph');
  }
  next('city.geojson');
  if (!skip.has('city.geojson')) {
    writeNetworkGeoJson(city.network, join(dir, 'city.geojson'), new Set(city.bridges));
    record('city.geojson');
  }
  next('gtfs.zip');
  if (!skip.has('gtfs.zip')) {
    writeFileSync(join(dir, 'gtfs.zip'), buildGtfsZip(city));
    record('gtfs.zip');
  }
  next('demand_trips.tntp');
  if (!skip.has('demand_trips.tntp')) {
    const comment = `urbanflow simulated city, seed ${city.seed}, size ${city.size}: peak-hour car trips between zones.\nzones.json maps each zone id to its road node in city.graph.`;
    writeFileSync(join(dir, 'demand_trips.tntp'), formatTntpTrips(city.zones.length, city.demand, comment));
    record('demand_trips.tntp');
  }
  next('city_net.tntp');
  if (!skip.has('city_net.tntp') || !skip.has('city_node.tntp')) {
    const comment = `urbanflow simulated city, seed ${city.seed}, size ${city.size}: the car network for TNTP tools.\nZone k is node k; link i is the i-th car edge of city.graph in edge-id order. Lengths in miles, times in minutes.`;
    const tntp = formatTntpNet(city.network, city.zones, comment);
    for (const [name, text] of [['city_net.tntp', tntp.net], ['city_node.tntp', tntp.nodes]] as const) {
      if (skip.has(name)) continue;
      writeFileSync(join(dir, name), text);
      record(name);
    }
  }
  next('zones.json');
  json('zones.json', city.zones);
  json('hubs.json', city.hubs);
  json('customers.json', city.customers);
  next('city.json');
  json('city.json', citySummary(city));
  next('city.png');
  if (!skip.has('city.png')) {
    // customers as dots small enough not to hide the streets of a big city
    const dot = city.customers.length > 300 ? 3 : 5;
    const markers: ImageMarker[] = [
      ...city.customers.map((c) => ({ lon: c.lon, lat: c.lat, colour: [150, 60, 170] as const, size: dot, shape: 'disc' as const })),
      ...city.hubs.map((h) => ({ lon: h.lon, lat: h.lat, colour: [20, 20, 20] as const, size: 11, outline: [255, 255, 255] as const })),
    ];
    const png = renderNetworkPng(city.network, {
      width: opts.imageWidth ?? 1600,
      underlays: [{ coords: city.river.centreline, colour: [110, 165, 230], widthMetres: city.river.widthMetres, minWidthPx: 4 }],
      markers,
    });
    writeFileSync(join(dir, 'city.png'), png);
    record('city.png');
  }
  progress(1, 'done');
  return written;
}

/** What city.json holds: the facts about the city that no other file carries. */
export function citySummary(city: SimCity) {
  return {
    generator: 'urbanflow core/sim',
    seed: city.seed,
    size: city.size,
    centre: city.centre,
    counts: {
      nodes: city.network.nodeCount,
      edges: city.network.edgeCount,
      zones: city.zones.length,
      odPairs: city.demand.length,
      trips: Math.round(city.demand.reduce((a, x) => a + x.trips, 0) * 10) / 10,
      busLines: city.busLines.length,
      busStops: new Set(city.busLines.flatMap((l) => l.stops.map((s) => s.id))).size,
      hubs: city.hubs.length,
      customers: city.customers.length,
      bridges: city.bridges.length,
    },
    layout: {
      gridSize: city.layout.gridSize,
      arterialSpacing: city.layout.arterialSpacing,
      gridNodeCount: city.layout.gridNodeCount,
      motorwayCount: city.layout.motorwayCount,
      turnRestrictions: city.layout.turnRestrictions,
      widthMetres: city.layout.widthMetres,
      heightMetres: city.layout.heightMetres,
      /** one byte per node (1 = north of the river), base64 */
      northBank: Buffer.from(city.layout.northBank.buffer, city.layout.northBank.byteOffset, city.layout.northBank.byteLength).toString('base64'),
      oneWayEdges: city.layout.oneWayEdges,
    },
    bridges: city.bridges,
    river: city.river,
    busLines: city.busLines,
  };
}
