import { createSpeedForecaster, type SpeedForecaster } from './forecast/index.js';
import type { TrafficConfig } from './config.js';

/** What the service's forecast job and forecastSpeed need from a forecaster. */
export interface EdgeForecaster {
  /** record the current speeds, (re)train when due, forecast; null while there is no model yet */
  refresh(now: number): Promise<{ horizonsMinutes: number[] } | null>;
  /** km/h expected minutesAhead from now, or undefined when this edge/horizon is not forecast */
  speedKmh(edge: number, minutesAhead: number, now: number): number | undefined;
}

const DAY_MS = 86_400_000;

/**
 * The forecast module (services/traffic/forecast, docs/forecast.md) run on the edges that carry a
 * detector: those have a regular speed series, which is what the module learns from. Every forecast
 * job appends one row (the live estimate of each detector edge) per step, trains once
 * `minHistoryHours` of rows exist and again every `retrainEveryHours`, and forecasts the configured
 * horizons from the latest rows. Between now and a horizon the speed is interpolated linearly;
 * edges without a detector, or horizons beyond the longest, fall back to the filter's own decay.
 * The set of detector edges changing restarts the history (the model's sensors are fixed).
 */
export class DetectorEdgeForecaster implements EdgeForecaster {
  private edges: number[] = [];
  private readonly index = new Map<number, number>();
  private rows: Float64Array[] = [];
  /** absolute step (time / step) of rows[0] */
  private firstStep = 0;
  private model: SpeedForecaster | undefined;
  private trainedAtRows = 0;
  private forecasts: Float64Array[] | null = null;
  private current: Float64Array | null = null;
  private forecastAt = -Infinity;
  private readonly stepMs: number;
  private readonly slotsPerDay: number;

  constructor(
    private readonly sensorEdges: () => number[],
    private readonly speedOf: (edge: number, now: number) => number,
    private readonly cfg: TrafficConfig['forecast'],
  ) {
    this.stepMs = cfg.stepMinutes * 60_000;
    this.slotsPerDay = DAY_MS / this.stepMs;
  }

  get trained(): boolean {
    return this.model !== undefined;
  }

  get historyRows(): number {
    return this.rows.length;
  }

  async refresh(now: number): Promise<{ horizonsMinutes: number[] } | null> {
    const edges = [...new Set(this.sensorEdges())].sort((a, b) => a - b);
    if (edges.join() !== this.edges.join()) this.reset(edges);
    if (edges.length === 0) return null;
    const step = Math.floor(now / this.stepMs);
    const row = Float64Array.from(edges, (e) => {
      const v = this.speedOf(e, now);
      return v > 0 ? v : NaN;
    });
    const last = this.firstStep + this.rows.length - 1;
    if (this.rows.length === 0) {
      this.firstStep = step;
      this.rows.push(row);
    } else if (step === last) {
      this.rows[this.rows.length - 1] = row;
    } else if (step > last) {
      // steps the job missed (downtime) are unknown, not repeated
      const gap = step - last - 1;
      if (gap > this.cfg.maxHistoryHours * 60 / this.cfg.stepMinutes) {
        this.rows = [];
        this.firstStep = step;
      } else for (let k = 0; k < gap; k++) this.rows.push(new Float64Array(edges.length).fill(NaN));
      this.rows.push(row);
    } else return this.model ? { horizonsMinutes: [...this.cfg.horizonsMinutes] } : null; // clock went back: keep what we have
    const max = Math.round((this.cfg.maxHistoryHours * 60) / this.cfg.stepMinutes);
    if (this.rows.length > max) {
      const drop = this.rows.length - max;
      this.rows.splice(0, drop);
      this.firstStep += drop;
      this.trainedAtRows = Math.max(0, this.trainedAtRows - drop);
    }
    const minRows = Math.round((this.cfg.minHistoryHours * 60) / this.cfg.stepMinutes);
    const retrainRows = Math.round((this.cfg.retrainEveryHours * 60) / this.cfg.stepMinutes);
    if (this.rows.length >= Math.max(3, minRows) && (!this.model || this.rows.length - this.trainedAtRows >= retrainRows)) {
      this.model = createSpeedForecaster({ stepMinutes: this.cfg.stepMinutes, horizons: [...this.cfg.horizonsMinutes] }).train({
        rows: this.rows,
        startSlot: this.firstStep % this.slotsPerDay,
      });
      this.trainedAtRows = this.rows.length;
    }
    if (!this.model) return null;
    const recent = this.rows.slice(-6);
    const nowSlot = (this.firstStep % this.slotsPerDay) + this.rows.length - 1;
    this.forecasts = this.model.forecast(recent, nowSlot);
    this.current = row;
    this.forecastAt = now;
    return { horizonsMinutes: [...this.cfg.horizonsMinutes] };
  }

  speedKmh(edge: number, minutesAhead: number, now: number): number | undefined {
    const i = this.index.get(edge);
    if (i === undefined || !this.forecasts || !this.current) return undefined;
    if (now - this.forecastAt > 2 * this.stepMs) return undefined; // stale: the job has not run lately
    const hs = this.cfg.horizonsMinutes;
    if (minutesAhead > hs[hs.length - 1]) return undefined;
    let t0 = 0;
    let v0 = this.current[i];
    for (let k = 0; k < hs.length; k++) {
      const v1 = this.forecasts[k][i];
      if (minutesAhead <= hs[k]) {
        if (!Number.isFinite(v0)) return Number.isFinite(v1) && v1 > 0 ? v1 : undefined;
        const f = (minutesAhead - t0) / (hs[k] - t0);
        const v = v0 + f * (v1 - v0);
        return v > 0 ? v : undefined;
      }
      t0 = hs[k];
      v0 = v1;
    }
    return undefined;
  }

  private reset(edges: number[]): void {
    this.edges = edges;
    this.index.clear();
    edges.forEach((e, i) => this.index.set(e, i));
    this.rows = [];
    this.firstStep = 0;
    this.model = undefined;
    this.trainedAtRows = 0;
    this.forecasts = null;
    this.current = null;
  }
}
