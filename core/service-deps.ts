import type { RoadNetwork } from './graph/road-network.js';
import type { ReadonlyLiveWeights } from './graph/live-weights.js';
import type { EventBus } from './bus/event-bus.js';
import type { Store } from './store/store.js';
import type { Clock } from './clock/clock.js';
import type { Logger } from './log/logger.js';

/**
 * What the composition root hands every service. The network is read-only for everyone;
 * traffic additionally receives the LiveWeightsWriter in its own deps.
 */
export interface ServiceDeps {
  network: RoadNetwork;
  live: ReadonlyLiveWeights;
  bus: EventBus;
  store: Store;
  clock: Clock;
  logger: Logger;
}
