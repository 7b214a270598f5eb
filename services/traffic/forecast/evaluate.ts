import { invalidInput } from '../../../core/errors/index.js';
import { createSpeedForecaster, type SpeedForecasterOptions } from './forecaster.js';

export interface HorizonScore {
  horizonMinutes: number;
  /** forecasts scored (sensor x target step with a reading) */
  count: number;
  mae: number;
  rmse: number;
  persistenceMae: number;
  persistenceRmse: number;
}

export interface Evaluation {
  trainRows: number;
  testRows: number;
  sensors: number;
  shrinkage: number[];
  /** per horizon: whether validation on the last training day kept the profile terms */
  usesProfile: boolean[];
  horizons: HorizonScore[];
}

/**
 * Train on rows[0 .. trainRows) and score on every target row from trainRows on: the forecast
 * for row k at horizon h is made at row k - h from the rows up to it (observations before
 * trainRows are the past, not training leakage: nothing after the forecast origin is used).
 * Persistence forecasts the last reading. Rows without a reading are not scored.
 */
export function evaluateForecaster(rows: readonly Float64Array[], trainRows: number, opts: SpeedForecasterOptions & { startSlot?: number } = {}): Evaluation {
  if (!Number.isInteger(trainRows) || trainRows < 3 || trainRows >= rows.length) {
    throw invalidInput('trainRows', `trainRows must be an integer between 3 and ${rows.length - 1}, got ${trainRows}`);
  }
  const f = createSpeedForecaster(opts).train({ rows: rows.slice(0, trainRows), startSlot: opts.startSlot });
  const abs0 = opts.startSlot ?? 0;
  const steps = f.horizons.map((h) => h / f.stepMinutes);
  const n = f.sensors;
  const acc = steps.map(() => ({ count: 0, ae: 0, se: 0, pae: 0, pse: 0 }));
  const maxH = Math.max(...steps);
  const context = 12;
  // last reading per sensor as of each origin (persistence)
  const last = new Float64Array(n).fill(NaN);
  const lastAt: Float64Array[] = [];
  for (let t = 0; t < rows.length; t++) {
    for (let i = 0; i < n; i++) if (Number.isFinite(rows[t][i]) && rows[t][i] > 0) last[i] = rows[t][i];
    lastAt.push(t >= trainRows - maxH - 1 ? last.slice() : new Float64Array(0));
  }
  for (let t = Math.max(2, trainRows - maxH); t < rows.length - 1; t++) {
    const recent = rows.slice(Math.max(0, t - context), t + 1);
    const fc = f.forecast(recent, abs0 + t);
    steps.forEach((h, k) => {
      const target = t + h;
      if (target < trainRows || target >= rows.length) return;
      for (let i = 0; i < n; i++) {
        const y = rows[target][i];
        if (!Number.isFinite(y) || !(y > 0)) continue;
        const e = fc[k][i] - y;
        const p = Number.isFinite(lastAt[t][i]) ? lastAt[t][i] : f.profile(i, abs0 + t);
        const pe = p - y;
        const a = acc[k];
        a.count++;
        a.ae += Math.abs(e);
        a.se += e * e;
        a.pae += Math.abs(pe);
        a.pse += pe * pe;
      }
    });
  }
  return {
    trainRows,
    testRows: rows.length - trainRows,
    sensors: n,
    shrinkage: [...f.shrinkage],
    usesProfile: [...f.usesProfile],
    horizons: acc.map((a, k) => ({
      horizonMinutes: f.horizons[k],
      count: a.count,
      mae: a.ae / a.count,
      rmse: Math.sqrt(a.se / a.count),
      persistenceMae: a.pae / a.count,
      persistenceRmse: Math.sqrt(a.pse / a.count),
    })),
  };
}
