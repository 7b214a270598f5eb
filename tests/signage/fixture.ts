import { RoadNetworkBuilder, MODE, type RoadNetwork } from '../../core/graph/index.js';
import { createMemoryStore, type Store } from '../../core/store/index.js';
import { createMemoryBus, type EventBus } from '../../core/bus/index.js';
import { manualClock } from '../../core/clock/index.js';
import { silentLogger } from '../../core/log/index.js';
import { createSignageService, type SignageDeps } from '../../services/signage/index.js';

/**
 * A two-way road of 8 junctions running east along latitude 49.5 (about 720 m apart):
 * edges 0-6 go east (i -> i+1), edges 7-13 go west (i+1 -> i).
 */
export const LAT = 49.5;
export const lonOf = (i: number) => 8.4 + i * 0.01;

export function lineNetwork(): RoadNetwork {
  const b = new RoadNetworkBuilder();
  for (let i = 0; i < 8; i++) b.addNode(lonOf(i), LAT);
  for (let i = 0; i < 7; i++) b.addEdge({ from: i, to: i + 1, roadClass: 'primary', modes: MODE.car | MODE.truck, name: 'Ring', ref: 'B37' });
  for (let i = 0; i < 7; i++) b.addEdge({ from: i + 1, to: i, roadClass: 'primary', modes: MODE.car | MODE.truck, name: 'Ring', ref: 'B37' });
  return b.build();
}

export const east = (i: number) => i;
export const west = (i: number) => 7 + i; // i+1 -> i

export function makeService(opts: { store?: Store; bus?: EventBus; travelTime?: SignageDeps['travelTime']; config?: SignageDeps['config']; network?: RoadNetwork; clockStart?: number } = {}) {
  const network = opts.network ?? lineNetwork();
  const store = opts.store ?? createMemoryStore();
  const bus = opts.bus ?? createMemoryBus();
  const clock = manualClock(opts.clockStart ?? Date.UTC(2026, 10, 23, 12, 0));
  const service = createSignageService({
    network,
    live: network.live,
    bus,
    store,
    clock,
    logger: silentLogger(),
    travelTime: opts.travelTime ?? (async () => undefined),
    config: opts.config,
  });
  return { service, network, store, bus, clock };
}

export const admin = { role: 'admin', sub: 'alice', ip: '127.0.0.1' };
export const operator = { role: 'operator', sub: 'bob', ip: '127.0.0.1' };
export const operator2 = { role: 'operator', sub: 'carol', ip: '127.0.0.1' };
export const viewer = { role: 'viewer', sub: 'vic' };

/** a 96x27 full-matrix sign on the eastbound edge `edge` */
export function signBody(id: string, edge: number, extra: Record<string, unknown> = {}) {
  return { id, name: `Sign ${id}`, lon: lonOf(edge) + 0.005, lat: LAT, type: 'full' as const, width: 96, height: 27, groups: ['travel-time'], edge, ...extra };
}
