import type { RoadNetwork } from '../../core/graph/road-network.js';
import { createMemoryBus } from '../../core/bus/index.js';
import { createMemoryStore } from '../../core/store/index.js';
import { manualClock } from '../../core/clock/clock.js';
import { silentLogger } from '../../core/log/index.js';
import { createRoutingService, type RoutingServiceDeps } from '../../services/routing/index.js';

/** A routing service on a network whose live-weights writer the test holds. */
export function routingFixture(network: RoadNetwork, extra: Partial<RoutingServiceDeps> = {}) {
  const bus = createMemoryBus();
  const clock = manualClock(Date.UTC(2026, 10, 23, 8, 0, 0));
  const writer = network.liveWriterForTraffic();
  const service = createRoutingService({
    network,
    live: network.live,
    bus,
    store: createMemoryStore(),
    clock,
    logger: silentLogger(),
    eagerCustomise: false,
    ...extra,
  });
  return { service, bus, clock, writer, network };
}

export function nodePoint(network: RoadNetwork, v: number): { lon: number; lat: number } {
  return { lon: network.data.nodeLon[v], lat: network.data.nodeLat[v] };
}

/** A point part-way along an edge's shape (fraction of its points). */
export function alongEdge(network: RoadNetwork, e: number, f: number): { lon: number; lat: number } {
  const g = network.edgeGeometry(e);
  const a = g[0];
  const b = g[g.length - 1];
  return { lon: a[0] + f * (b[0] - a[0]), lat: a[1] + f * (b[1] - a[1]) };
}
