import type { CongestionLevel, EdgeState } from '../../../core/contracts/traffic.js';
import type { BusEvents } from '../../../core/contracts/bus-events.js';
import type { LiveWeightsWriter, RoadNetwork } from '../../../core/graph/index.js';
import type { TrafficConfig } from '../config.js';
import type { DetectorRegistry } from './detectors.js';
import type { EdgeFilter } from './edge-filter.js';
import type { IncidentManager } from '../incidents/incident-manager.js';
import { bprVolumeCapacity, congestionLevel } from './levels.js';

type UpdateEdge = BusEvents['traffic:update']['edges'][number];

/**
 * Turns filter state, incidents and detector counts into each edge's live state, and writes the
 * live travel times. Invariant: live time >= free-flow time, always. Routing's A* / CH lower
 * bounds are computed on free-flow times; a live time below them would make those searches
 * return wrong (non-optimal) routes. Faster-than-free-flow observations are therefore clamped,
 * and a closed edge is Infinity.
 */
export class LiveState {
  private readonly tmp = { mean: 0, variance: 0 };
  private readonly ff: Float64Array;

  constructor(
    private readonly network: RoadNetwork,
    private readonly writer: LiveWeightsWriter,
    private readonly filter: EdgeFilter,
    private readonly incidents: IncidentManager,
    private readonly detectors: DetectorRegistry,
    private readonly cfg: TrafficConfig,
  ) {
    this.ff = network.data.edgeFreeFlowSeconds;
  }

  /** live travel time of an edge at time t, as it should be written */
  seconds(edge: number, t: number): number {
    const eff = this.incidents.effect(edge);
    if (eff?.closed) return Infinity;
    this.filter.predict(edge, t, this.tmp);
    const est = Math.exp(this.tmp.mean);
    const ff = this.ff[edge];
    // exp(log(ff)) is not always ff to the last bit: snap near-free-flow estimates to ff exactly
    let s = est > ff * (1 + 1e-9) ? est : ff;
    if (eff) {
      // an incident sets a floor; probes crossing the edge already measure its effect, so no double count
      const floor = ff * eff.factor;
      if (floor > s) s = floor;
    }
    return s;
  }

  state(edge: number, t: number): EdgeState {
    const d = this.network.data;
    const ff = this.ff[edge];
    const s = this.seconds(edge, t);
    const closed = s === Infinity;
    const eff = this.incidents.effect(edge);
    const capFactor = eff && !closed ? 1 / eff.factor : 1;
    const flow = this.detectors.recentFlow(edge, t);
    const cap = d.edgeCapacity[edge] * capFactor;
    let vc: number;
    if (closed) vc = 0;
    else if (flow !== undefined && cap > 0) vc = flow / cap;
    else vc = bprVolumeCapacity(ff, s, d.edgeBprAlpha[edge] || 0.15, d.edgeBprBeta[edge] || 4);
    const lu = this.filter.lastUpdate[edge];
    return {
      edge,
      speedKmh: closed ? 0 : round((d.edgeLength[edge] / s) * 3.6, 2),
      travelTimeSeconds: closed ? null : round(s, 3),
      freeFlowSeconds: round(ff, 3),
      freeFlowSpeedKmh: round((d.edgeLength[edge] / ff) * 3.6, 2),
      volumeCapacity: round(vc, 3),
      level: congestionLevel(ff, s, this.cfg.levels),
      closed,
      confidence: round(this.filter.confidence(edge, t), 3),
      lastUpdate: Number.isNaN(lu) ? null : lu,
      source: this.filter.sourceOf(edge),
      observations: this.filter.observations[edge],
      incidentIds: eff ? [...eff.ids] : [],
    };
  }

  level(edge: number, t: number): CongestionLevel {
    return congestionLevel(this.ff[edge], this.seconds(edge, t), this.cfg.levels);
  }

  /**
   * Re-evaluate `edges` at time t; stage and commit those that moved past the publish threshold
   * (relative AND absolute, or a closure change). Returns the bus payload of what changed.
   */
  refresh(edges: Iterable<number>, t: number): BusEvents['traffic:update'] | undefined {
    const cur = this.writer.seconds;
    const { relativeThreshold, absoluteSecondsThreshold } = this.cfg.publish;
    const staged: number[] = [];
    for (const e of edges) {
      const s = this.seconds(e, t);
      const old = cur[e];
      if (s === old) continue;
      const closureChange = (s === Infinity) !== (old === Infinity);
      if (!closureChange) {
        const delta = Math.abs(s - old);
        if (delta <= relativeThreshold * old || delta <= absoluteSecondsThreshold) {
          // back to free flow exactly is always written, so recovered edges do not linger just above it
          if (!(s === this.ff[e] && old !== s)) continue;
        }
      }
      this.writer.set(e, s);
      staged.push(e);
    }
    if (staged.length === 0) return undefined;
    const changed = this.writer.commit();
    if (changed.length === 0) return undefined;
    const len = this.network.data.edgeLength;
    const out: UpdateEdge[] = [];
    for (const e of changed) {
      const s = cur[e];
      const closed = s === Infinity;
      out.push({
        edge: e,
        seconds: s,
        speedKmh: closed ? 0 : round((len[e] / s) * 3.6, 2),
        level: congestionLevel(this.ff[e], s, this.cfg.levels),
        ...(closed ? { closed: true } : {}),
      });
    }
    return { version: this.writer.version, at: t, edges: out };
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
