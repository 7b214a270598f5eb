import type { TrafficConfig } from '../config.js';
import type { PriorModel } from './prior.js';

export type ObservationSource = 'probe' | 'detector';
export type ObserveOutcome = 'accepted' | 'rejected' | 'reset' | 'implausible';

const SRC_BIT: Record<ObservationSource, number> = { probe: 1, detector: 2 };

/**
 * One scalar Kalman filter per edge on the log of the travel time, with the edge's prior as an
 * Ornstein-Uhlenbeck mean: between observations the deviation from the prior decays as
 * exp(-dt/tau) and the variance relaxes towards the prior's, so an edge nobody reports on
 * drifts back to its prior and loses confidence, exactly as the filter's own predict step says.
 * Log space makes errors multiplicative (a 20 % probe error is the same on a 10 s and a 100 s edge)
 * and keeps travel times positive.
 *
 * Outliers: an observation whose innovation exceeds `gateSigmas` standard deviations of the
 * innovation is rejected. If `resetAfterRejections` consecutive observations are gated on the
 * same side, the road really changed (a jam formed or cleared): the filter restarts from their
 * mean. One bad reading therefore never moves an edge; a persistent change does within a few.
 *
 * State lives in typed arrays indexed by edge; an edge gets state when first observed.
 */
export class EdgeFilter {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  /** time (ms) mean/variance refer to; NaN = no state (the prior) */
  readonly at: Float64Array;
  /** time of the last accepted observation, NaN when none */
  readonly lastUpdate: Float64Array;
  readonly observations: Uint32Array;
  readonly sources: Uint8Array;
  private readonly streak: Int16Array;
  private readonly streakSum: Float64Array;
  private readonly priorVar: number;
  private readonly invTau: number;
  readonly active = new Set<number>();
  private readonly pair: [number, number] = [0, 0];

  constructor(
    private readonly freeFlowSeconds: Float64Array,
    private readonly prior: PriorModel,
    private readonly cfg: TrafficConfig['filter'],
  ) {
    const m = freeFlowSeconds.length;
    this.mean = new Float64Array(m);
    this.variance = new Float64Array(m);
    this.at = new Float64Array(m).fill(NaN);
    this.lastUpdate = new Float64Array(m).fill(NaN);
    this.observations = new Uint32Array(m);
    this.sources = new Uint8Array(m);
    this.streak = new Int16Array(m);
    this.streakSum = new Float64Array(m);
    this.priorVar = cfg.priorSigmaLog * cfg.priorSigmaLog;
    this.invTau = 1 / cfg.decaySeconds;
  }

  /** Predicted log mean and variance of an edge at time t (no state change). */
  predict(edge: number, t: number, out: { mean: number; variance: number }): void {
    const at = this.at[edge];
    if (Number.isNaN(at)) {
      out.mean = this.prior.logPrior(edge, t);
      out.variance = this.priorVar;
      return;
    }
    const dt = Math.max(0, (t - at) / 1000);
    const pair = this.pair;
    this.prior.logPriorPair(edge, at, t, pair);
    const k = Math.exp(-dt * this.invTau);
    out.mean = pair[1] + (this.mean[edge] - pair[0]) * k;
    out.variance = this.variance[edge] * k * k + this.priorVar * (1 - k * k);
  }

  /** confidence 0..1 at time t: how much the variance is below the prior's */
  confidence(edge: number, t: number): number {
    const p = { mean: 0, variance: 0 };
    this.predict(edge, t, p);
    return clamp01(1 - p.variance / this.priorVar);
  }

  /** Fold one travel-time observation (seconds) with log-space noise sigma into the edge. */
  observe(edge: number, t: number, seconds: number, sigmaLog: number, source: ObservationSource): ObserveOutcome {
    const ff = this.freeFlowSeconds[edge];
    const maxRatio = source === 'detector' ? this.cfg.detectorMaxSpeedOverFreeFlow : this.cfg.maxSpeedOverFreeFlow;
    if (!(seconds > 0) || !Number.isFinite(seconds) || seconds < ff / maxRatio) return 'implausible';
    const p = { mean: 0, variance: 0 };
    // late observations (older than the state) update the current state without rewinding it
    const at = this.at[edge];
    const tt = Number.isNaN(at) ? t : Math.max(t, at);
    this.predict(edge, tt, p);
    const z = Math.log(seconds);
    const r = sigmaLog * sigmaLog;
    const y = z - p.mean;
    const s = p.variance + r;
    const gate = this.cfg.gateSigmas;
    this.active.add(edge);
    if (y * y > gate * gate * s) {
      const side = y > 0 ? 1 : -1;
      const st = this.streak[edge];
      if (st * side > 0) {
        this.streak[edge] = st + side;
        this.streakSum[edge] += z;
      } else {
        this.streak[edge] = side;
        this.streakSum[edge] = z;
      }
      this.mean[edge] = p.mean;
      this.variance[edge] = p.variance;
      this.at[edge] = tt;
      const n = Math.abs(this.streak[edge]);
      if (n < this.cfg.resetAfterRejections) return 'rejected';
      // the road changed: restart from the gated observations
      this.mean[edge] = this.streakSum[edge] / n;
      this.variance[edge] = Math.max(r / n, r * 0.25);
      this.streak[edge] = 0;
      this.streakSum[edge] = 0;
      this.mark(edge, tt, source);
      return 'reset';
    }
    const k = p.variance / s;
    this.mean[edge] = p.mean + k * y;
    this.variance[edge] = (1 - k) * p.variance;
    this.at[edge] = tt;
    this.streak[edge] = 0;
    this.streakSum[edge] = 0;
    this.mark(edge, tt, source);
    return 'accepted';
  }

  private mark(edge: number, t: number, source: ObservationSource): void {
    this.lastUpdate[edge] = t;
    this.observations[edge]++;
    this.sources[edge] |= SRC_BIT[source];
  }

  /** Forget edges that have decayed back to their prior (their state adds nothing any more). */
  retireIdle(t: number): number[] {
    const retired: number[] = [];
    const p = { mean: 0, variance: 0 };
    for (const e of this.active) {
      this.predict(e, t, p);
      const prior = this.prior.logPrior(e, t);
      if (Math.abs(p.mean - prior) < this.cfg.idleLogEpsilon && 1 - p.variance / this.priorVar < this.cfg.minConfidence) {
        this.at[e] = NaN;
        this.streak[e] = 0;
        this.streakSum[e] = 0;
        this.active.delete(e);
        retired.push(e);
      }
    }
    return retired;
  }

  sourceOf(edge: number): 'prior' | 'probe' | 'detector' | 'mixed' {
    const s = this.sources[edge];
    if (Number.isNaN(this.at[edge]) || s === 0) return 'prior';
    return s === 1 ? 'probe' : s === 2 ? 'detector' : 'mixed';
  }
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
