import type { CongestionLevel } from '../../../core/contracts/traffic.js';
import type { TrafficConfig } from '../config.js';

/** Level from the ratio speed / free-flow speed (= free-flow time / live time). A closed edge is jammed. */
export function congestionLevel(freeFlowSeconds: number, liveSeconds: number, t: TrafficConfig['levels']): CongestionLevel {
  if (!(liveSeconds < Infinity)) return 'jammed';
  const ratio = freeFlowSeconds / liveSeconds;
  if (ratio >= t.free) return 'free';
  if (ratio >= t.slow) return 'slow';
  if (ratio >= t.congested) return 'congested';
  return 'jammed';
}

const ORDER: Record<CongestionLevel, number> = { free: 0, slow: 1, congested: 2, jammed: 3 };

export function levelAtLeast(level: CongestionLevel, min: CongestionLevel): boolean {
  return ORDER[level] >= ORDER[min];
}

/**
 * Volume over capacity implied by a travel time through the BPR function
 * t = t0 (1 + alpha (v/c)^beta), inverted: v/c = ((t/t0 - 1) / alpha)^(1/beta). Used when no
 * detector counts the edge's flow; it says how loaded a road must be to be this slow.
 */
export function bprVolumeCapacity(freeFlowSeconds: number, liveSeconds: number, alpha: number, beta: number): number {
  if (!(liveSeconds < Infinity)) return 0;
  const excess = liveSeconds / freeFlowSeconds - 1;
  if (!(excess > 0) || !(alpha > 0) || !(beta > 0)) return 0;
  return Math.pow(excess / alpha, 1 / beta);
}
