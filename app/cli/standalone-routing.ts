import type { RoadNetwork } from '../../core/graph/index.js';
import { createMemoryBus } from '../../core/bus/index.js';
import { createMemoryStore } from '../../core/store/index.js';
import { systemClock } from '../../core/clock/index.js';
import { silentLogger } from '../../core/log/index.js';
import { createRoutingService, type RoutingService, type RoutingServiceDeps } from '../../services/routing/index.js';

/**
 * A routing service for one CLI run: in-memory bus and store, no logs, and the fast index
 * customised on demand (a one-shot command never sees a live change).
 */
export function createStandaloneRouting(network: RoadNetwork, extra: Pick<RoutingServiceDeps, 'transit'> = {}): RoutingService {
  return createRoutingService({
    network,
    live: network.live,
    bus: createMemoryBus(),
    store: createMemoryStore(),
    clock: systemClock,
    logger: silentLogger(),
    eagerCustomise: false,
    ...extra,
  });
}
