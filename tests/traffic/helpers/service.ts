import { createMemoryBus } from '../../../core/bus/index.js';
import { manualClock } from '../../../core/clock/index.js';
import type { BusEvents } from '../../../core/contracts/bus-events.js';
import type { RoadNetwork } from '../../../core/graph/index.js';
import type { EventBus } from '../../../core/bus/index.js';
import { silentLogger } from '../../../core/log/index.js';
import { createMemoryStore } from '../../../core/store/index.js';
import type { Store } from '../../../core/store/store.js';
import { createTrafficService, type TrafficConfigOverride, type TrafficServiceDeps } from '../../../services/traffic/index.js';

export const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

/** A traffic service on a network with in-memory store and bus, a manual clock and no cron. */
export function trafficHarness(network: RoadNetwork, opts: { store?: Store; bus?: EventBus; config?: TrafficConfigOverride; extra?: Partial<TrafficServiceDeps> } = {}) {
  const clock = manualClock(T0);
  const bus = opts.bus ?? createMemoryBus();
  const store = opts.store ?? createMemoryStore();
  const updates: BusEvents['traffic:update'][] = [];
  const incidents: BusEvents['traffic:incident'][] = [];
  bus.subscribe('traffic:update', (u) => updates.push(u));
  bus.subscribe('traffic:incident', (i) => incidents.push(i));
  const liveWriter = network.liveWriterForTraffic();
  liveWriter.reset();
  const service = createTrafficService({
    network,
    live: network.live,
    bus,
    store,
    clock,
    logger: silentLogger(),
    liveWriter,
    config: { ...opts.config, schedules: { enabled: false, ...opts.config?.schedules } },
    ...opts.extra,
  });
  return { service, clock, bus, store, updates, incidents, network };
}

/** let the in-memory bus deliver (it hands events over on the next microtask) */
export const settle = () => new Promise((r) => setTimeout(r, 0));
