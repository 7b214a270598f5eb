import type { RoadNetwork } from '../../core/graph/road-network.js';
import { MODE, type ModeName } from '../../core/graph/modes.js';
import { FOOT_SPEED_KMH, BIKE_SPEED_KMH } from '../../core/graph/road-classes.js';

/**
 * Per-mode edge costs as two typed arrays. An "arc" is an edge traversed in a direction:
 * code 2*e is edge e as drawn, 2*e+1 is e walked against its direction (foot only: pedestrians
 * may walk up one-way streets). Infinity marks an arc the mode may not use.
 */
export interface ArcWeights {
  fwd: Float64Array;
  /** null when no edge may be used backwards (every mode but foot) */
  rev: Float64Array | null;
}

export const arcEdge = (code: number): number => code >>> 1;
export const arcReversed = (code: number): boolean => (code & 1) === 1;

/** Modes whose costs follow live traffic. */
export function usesLiveTimes(mode: ModeName): boolean {
  return mode === 'car' || mode === 'truck';
}

/**
 * Fill (or create) the arc weights of a mode. `seconds` is the motor-vehicle time per edge
 * (live, forecast or free flow); bike and foot ignore it and use network.modeSeconds' rule.
 */
export function modeWeights(network: RoadNetwork, mode: ModeName, seconds: ArrayLike<number>, into?: ArcWeights): ArcWeights {
  const d = network.data;
  const m = d.edgeCount;
  const fwd = into?.fwd ?? new Float64Array(m);
  const rev = mode === 'foot' ? (into?.rev ?? new Float64Array(m)) : null;
  const bit = MODE[mode];
  const modes = d.edgeModes;
  if (mode === 'car' || mode === 'truck') {
    for (let e = 0; e < m; e++) fwd[e] = (modes[e] & bit) !== 0 ? seconds[e] : Infinity;
  } else if (mode === 'bike') {
    for (let e = 0; e < m; e++) {
      fwd[e] = (modes[e] & bit) !== 0 ? d.edgeLength[e] / (Math.min(BIKE_SPEED_KMH, d.edgeSpeedKmh[e] || BIKE_SPEED_KMH) / 3.6) : Infinity;
    }
  } else {
    const v = FOOT_SPEED_KMH / 3.6;
    for (let e = 0; e < m; e++) {
      const w = (modes[e] & bit) !== 0 ? d.edgeLength[e] / v : Infinity;
      fwd[e] = w;
      rev![e] = w;
    }
  }
  return { fwd, rev };
}

/** Copy of weights with blocked edges set to Infinity in both directions. */
export function applyBlocked(w: ArcWeights, blocked: Uint8Array | null): ArcWeights {
  if (!blocked) return w;
  const fwd = Float64Array.from(w.fwd);
  const rev = w.rev ? Float64Array.from(w.rev) : null;
  for (let e = 0; e < blocked.length; e++) {
    if (blocked[e]) {
      fwd[e] = Infinity;
      if (rev) rev[e] = Infinity;
    }
  }
  return { fwd, rev };
}

export function arcCost(w: ArcWeights, code: number): number {
  return code & 1 ? (w.rev ? w.rev[code >>> 1] : Infinity) : w.fwd[code >>> 1];
}

/** Start and end node of an arc. */
export function arcTail(network: RoadNetwork, code: number): number {
  const e = code >>> 1;
  return code & 1 ? network.data.edgeTo[e] : network.data.edgeFrom[e];
}

export function arcHead(network: RoadNetwork, code: number): number {
  const e = code >>> 1;
  return code & 1 ? network.data.edgeFrom[e] : network.data.edgeTo[e];
}
