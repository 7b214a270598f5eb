import type { RoadNetwork } from '../../core/graph/index.js';
import type { Logger } from '../../core/log/index.js';
import { assignRoadNetwork, type BushState, type RoadDemand } from './assignment/index.js';
import type { TrafficConfig } from './config.js';

/**
 * The re-assignment job's default: user equilibrium (the assignment module's road-network
 * function) of the configured demand on the current capacities (an incident's lanes or closure
 * lower them), warm-started from the previous run so a small capacity change costs few
 * iterations. Its congested times become the estimator's prior for edges without observations.
 * Runs on the event loop: maxSeconds bounds how long one run may hold it.
 */
export function roadReassigner(network: RoadNetwork, demand: RoadDemand, cfg: TrafficConfig['assignment'], logger: Logger) {
  let warm: BushState | undefined;
  const cap = network.data.edgeCapacity;
  return async (capacityFactor: Float64Array): Promise<Float64Array> => {
    const capacities = new Float64Array(cap.length);
    for (let e = 0; e < cap.length; e++) capacities[e] = cap[e] * capacityFactor[e];
    const r = assignRoadNetwork(network, demand, { capacities, gap: cfg.gap, maxSeconds: cfg.maxSeconds, warmStart: warm });
    warm = r.warmStart;
    logger.info({ gap: r.gap, iterations: r.iterations, seconds: r.seconds, converged: r.converged, unreachableTrips: r.unreachableTrips }, 'traffic re-assignment');
    return r.costs;
  };
}
