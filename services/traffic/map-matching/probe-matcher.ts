import type { RoadNetwork } from '../../../core/graph/index.js';
import type { ProbePing } from '../../../core/contracts/traffic.js';
import type { TrafficConfig } from '../config.js';
import type { CandidateFinder } from './candidates.js';
import { HmmMatcher, type MatchedPoint, type VehicleTrack } from './hmm-matcher.js';
import { advanceTraversal, newTraversalState, type TraversalState, type TravelTimeObservation } from './traversals.js';

interface Vehicle {
  track: VehicleTrack;
  trav: TraversalState;
  /** time of the vehicle's last ping (its clock) */
  lastTime: number;
  /** server time the last ping arrived (idle eviction uses this, so a device clock running late is no reason) */
  receivedAt: number;
}

export interface ProbeBatchOutcome {
  accepted: number;
  stale: number;
  vehicles: number;
}

/**
 * All probe vehicles' matching state: pings in, travel-time observations out. Pings of one
 * vehicle are taken in time order; a ping not newer than the vehicle's last one is stale.
 */
export class ProbeMatcher {
  private readonly hmm: HmmMatcher;
  private readonly vehicles = new Map<string, Vehicle>();
  /** every decided point, for tests and diagnostics (off by default) */
  onMatched?: (vehicleId: string, p: MatchedPoint) => void;

  constructor(
    private readonly network: RoadNetwork,
    finder: CandidateFinder,
    private readonly cfg: TrafficConfig['matching'],
  ) {
    this.hmm = new HmmMatcher(network, finder, cfg);
  }

  /** pings that went through the HMM (not skipped as a standing vehicle's repeat) */
  get matchedPings(): number {
    return this.hmm.candidateQueries;
  }

  get breaks(): Readonly<{ gap: number; offRoad: number; unreachable: number }> {
    return this.hmm.breaks;
  }

  get vehicleCount(): number {
    return this.vehicles.size;
  }

  ingest(pings: readonly ProbePing[], out: (o: TravelTimeObservation) => void, now = Date.now()): ProbeBatchOutcome {
    // group per vehicle, keeping each vehicle's pings in time order (a batch may interleave vehicles)
    const groups = new Map<string, ProbePing[]>();
    for (const p of pings) {
      let g = groups.get(p.vehicleId);
      if (!g) groups.set(p.vehicleId, (g = []));
      g.push(p);
    }
    let accepted = 0;
    let stale = 0;
    for (const [id, g] of groups) {
      if (g.length > 1) g.sort((a, b) => a.time - b.time);
      let v = this.vehicles.get(id);
      if (!v) {
        v = { track: this.hmm.newTrack(), trav: newTraversalState(), lastTime: -Infinity, receivedAt: now };
        this.vehicles.set(id, v);
      }
      v.receivedAt = now;
      const veh = v;
      const emit = (m: MatchedPoint) => {
        this.onMatched?.(id, m);
        advanceTraversal(this.network, veh.trav, m, out);
      };
      for (const p of g) {
        if (!(p.time > veh.lastTime)) {
          stale++;
          continue;
        }
        veh.lastTime = p.time;
        this.hmm.push(veh.track, p.time, p.lon, p.lat, emit, p.heading, p.speed);
        accepted++;
      }
    }
    return { accepted, stale, vehicles: groups.size };
  }

  /** Decide and forget vehicles from which nothing arrived since `now - vehicleIdleSeconds` (server time). */
  evictIdle(now: number, out: (o: TravelTimeObservation) => void): number {
    const cutoff = now - this.cfg.vehicleIdleSeconds * 1000;
    let n = 0;
    for (const [id, v] of this.vehicles) {
      if (v.receivedAt >= cutoff) continue;
      this.hmm.flush(v.track, (m) => {
        this.onMatched?.(id, m);
        advanceTraversal(this.network, v.trav, m, out);
      });
      this.vehicles.delete(id);
      n++;
    }
    return n;
  }

  /** Decide every vehicle's pending steps now (end of a test trace, shutdown). */
  flushAll(out: (o: TravelTimeObservation) => void): void {
    for (const [id, v] of this.vehicles) {
      this.hmm.flush(v.track, (m) => {
        this.onMatched?.(id, m);
        advanceTraversal(this.network, v.trav, m, out);
      });
    }
  }
}
