import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UrbanflowError } from '../errors/index.js';
import { readSnapshot } from '../graph/snapshot.js';
import { parseTntpTrips, tripsToTriples } from '../tntp/index.js';
import type { SimBusLine, SimCity, SimCustomer, SimHub, SimRiver, SimZone } from './types.js';

const MODULE = 'core/sim/read-city';

async function text(dir: string, name: string): Promise<string> {
  try {
    return await readFile(join(dir, name), 'utf8');
  } catch (e) {
    throw new UrbanflowError('INVALID_FILE', `${join(dir, name)}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { field: name, module: MODULE, cause: e });
  }
}

async function json<T>(dir: string, name: string, check: (v: unknown) => boolean, what: string): Promise<T> {
  let v: unknown;
  try {
    v = JSON.parse(await text(dir, name));
  } catch (e) {
    if (e instanceof UrbanflowError) throw e;
    throw new UrbanflowError('INVALID_FILE', `${join(dir, name)}: not valid JSON (${(e as Error).message})`, { field: name, module: MODULE, cause: e });
  }
  if (!check(v)) throw new UrbanflowError('INVALID_FILE', `${join(dir, name)}: expected ${what}`, { field: name, module: MODULE });
  return v as T;
}

interface CityJson {
  seed: number;
  size: number;
  centre: [number, number];
  layout: SimCity['layout'] & { northBank: string };
  bridges: number[];
  river: SimRiver;
  busLines: SimBusLine[];
}

/**
 * Loads a city written by writeCity (city.graph, city.json, zones/hubs/customers JSON and the
 * TNTP demand) back into a SimCity, e.g. to serve a big generated city without regenerating it.
 * A missing or malformed file is INVALID_FILE naming it.
 */
export async function readCity(dir: string): Promise<SimCity> {
  const network = await readSnapshot(join(dir, 'city.graph'));
  const summary = await json<CityJson>(dir, 'city.json', (v) => typeof v === 'object' && v !== null && Array.isArray((v as CityJson).bridges) && typeof (v as CityJson).layout === 'object', 'a city summary written by writeCity');
  const zones = await json<SimZone[]>(dir, 'zones.json', Array.isArray, 'an array of zones');
  const hubs = await json<SimHub[]>(dir, 'hubs.json', Array.isArray, 'an array of hubs');
  const customers = await json<SimCustomer[]>(dir, 'customers.json', Array.isArray, 'an array of customers');
  const trips = parseTntpTrips(await text(dir, 'demand_trips.tntp'), join(dir, 'demand_trips.tntp'));
  if (trips.zones !== zones.length) {
    throw new UrbanflowError('INVALID_FILE', `${join(dir, 'demand_trips.tntp')}: ${trips.zones} zones but zones.json has ${zones.length}`, { field: 'demand_trips.tntp', module: MODULE });
  }
  for (const z of zones) {
    if (!Number.isInteger(z.node) || z.node < 0 || z.node >= network.nodeCount) {
      throw new UrbanflowError('INVALID_FILE', `${join(dir, 'zones.json')}: zone ${z.id} names node ${z.node}, which city.graph does not have`, { field: 'zones.json', module: MODULE });
    }
  }
  const { northBank, ...layout } = summary.layout;
  const bank = new Uint8Array(Buffer.from(northBank ?? '', 'base64'));
  if (bank.length !== network.nodeCount) {
    throw new UrbanflowError('INVALID_FILE', `${join(dir, 'city.json')}: northBank has ${bank.length} nodes, city.graph ${network.nodeCount}`, { field: 'city.json', module: MODULE });
  }
  return {
    network,
    zones,
    demand: tripsToTriples(trips),
    busLines: summary.busLines,
    hubs,
    customers,
    bridges: summary.bridges,
    river: summary.river,
    seed: summary.seed,
    size: summary.size,
    centre: summary.centre,
    layout: { ...layout, northBank: bank },
  };
}
