import type { RoadNetwork } from '../../../core/graph/road-network.js';
import type { BushState } from './algorithm-b.js';
import { assign, type AssignmentAlgorithm, type IterationInfo } from './assign.js';
import { demandFromTriples, type OdTriple } from './demand.js';
import { assignmentNetworkFromRoad, type RoadZone } from './road-network-adapter.js';

export interface RoadDemand {
  zones: readonly RoadZone[];
  /** trips between zone ids */
  trips: readonly OdTriple[];
}

export interface AssignRoadNetworkOptions {
  /** current capacity per edge (vehicles/hour); default the network's; <= 0 closes an edge */
  capacities?: Float64Array;
  /** target relative gap; default 1e-4 */
  gap?: number;
  maxIterations?: number;
  maxSeconds?: number;
  algorithm?: AssignmentAlgorithm;
  /** the `warmStart` of an earlier result on the same network, zones and trips */
  warmStart?: BushState;
  onIteration?: (info: IterationInfo) => void;
}

export interface RoadAssignmentResult {
  /** vehicles per RoadNetwork edge id (0 for edges cars may not use) */
  volumes: Float64Array;
  /** congested travel time per edge id, seconds (free-flow time for unused edges, Infinity for closed ones) */
  costs: Float64Array;
  gap: number;
  iterations: number;
  converged: boolean;
  seconds: number;
  beckmannObjective: number;
  totalSystemTravelTime: number;
  unreachableTrips: number;
  /** pass as `warmStart` to re-assign after capacities change */
  warmStart?: BushState;
}

/**
 * User equilibrium on a RoadNetwork (car edges) for zone-to-zone trips, the entry point for
 * live re-assignment with current capacities.
 */
export function assignRoadNetwork(network: RoadNetwork, demand: RoadDemand, opts: AssignRoadNetworkOptions = {}): RoadAssignmentResult {
  const net = assignmentNetworkFromRoad(network, demand.zones, { capacities: opts.capacities });
  const r = assign(net, demandFromTriples(net, demand.trips), {
    algorithm: opts.algorithm ?? 'b',
    gap: opts.gap ?? 1e-4,
    maxIterations: opts.maxIterations,
    maxSeconds: opts.maxSeconds,
    warmStart: opts.warmStart,
    onIteration: opts.onIteration,
  });
  const m = network.data.edgeCount;
  const volumes = new Float64Array(m);
  const costs = new Float64Array(m);
  costs.set(network.data.edgeFreeFlowSeconds);
  for (let a = 0; a < net.linkCount; a++) {
    const e = net.linkSource[a];
    if (e < 0) continue;
    volumes[e] = r.volumes[a];
    costs[e] = net.closed[a] ? Infinity : r.costs[a];
  }
  return {
    volumes,
    costs,
    gap: r.relativeGap,
    iterations: r.iterations,
    converged: r.converged,
    seconds: r.seconds,
    beckmannObjective: r.beckmannObjective,
    totalSystemTravelTime: r.totalSystemTravelTime,
    unreachableTrips: r.unreachableTrips,
    warmStart: r.state,
  };
}
