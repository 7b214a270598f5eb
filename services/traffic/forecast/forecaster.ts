import { invalidInput } from '../../../core/errors/index.js';
import { solveSpd } from './linear.js';
import { DailyProfiles } from './profile.js';

export interface SpeedForecasterOptions {
  /** minutes between rows; must divide a day; default 5 */
  stepMinutes?: number;
  /** minutes ahead; multiples of stepMinutes; default [15, 30, 60] */
  horizons?: number[];
  /** sensors x sensors weights, row-major (e.g. los_adj.csv); the diagonal is ignored */
  adjacency?: Float64Array;
  /** profile smoothing: +- this many slots; default 2 */
  profileWindow?: number;
}

export interface TrainingHistory {
  /** one row per step, one value per sensor, NaN = missing */
  rows: readonly Float64Array[];
  /** time-of-day slot of rows[0] (0 = midnight); default 0 */
  startSlot?: number;
}

export interface SpeedForecaster {
  readonly stepMinutes: number;
  readonly horizons: readonly number[];
  readonly sensors: number;
  /** the ridge strength chosen per horizon on the last training day */
  readonly shrinkage: readonly number[];
  /** per horizon: whether validation kept the profile terms */
  readonly usesProfile: readonly boolean[];
  train(history: TrainingHistory): SpeedForecaster;
  /**
   * Speeds per horizon (same order as `horizons`), one value per sensor. `recent` are the
   * latest rows, oldest first, the last one being now (at least one; three or more use the
   * recent trend); `nowSlot` is the absolute or time-of-day slot of the last row.
   */
  forecast(recent: readonly Float64Array[], nowSlot: number): Float64Array[];
  /** the learnt time-of-day profile of a sensor at a slot */
  profile(sensor: number, slot: number): number;
}

/** features: 1, dev, trend, previous trend, profile change, neighbours' dev, neighbours' trend, level vs the last hour's mean */
const P = 8;
/** steps averaged for the recent-level feature */
const LEVEL_STEPS = 12;
const KAPPAS = [10, 1000, Infinity];
const ALL_FEATURES = Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1]);
/** without the current deviation from the profile, the profile's change and the neighbours' deviation */
const NO_PROFILE = Uint8Array.from([1, 0, 1, 1, 0, 0, 1, 1]);

/**
 * Short-term speed forecasting: time-of-day profile per sensor plus a learnt correction.
 * For each horizon h the change v(t+h) - v(t) is regressed (ridge, per sensor, shrunk towards
 * the coefficients pooled over all sensors) on the current deviation from the profile, the last
 * two changes, the profile's own change from t to t+h and the adjacency-weighted deviation and
 * change of the neighbours. With all coefficients zero it is persistence, so it can only beat
 * persistence by what it learns. Training features use profiles that leave the target's own day
 * out, so the regression learns how far a profile from other days can be trusted.
 */
export function createSpeedForecaster(opts: SpeedForecasterOptions = {}): SpeedForecaster {
  const stepMinutes = opts.stepMinutes ?? 5;
  if (!(stepMinutes > 0) || !Number.isInteger(1440 / stepMinutes)) throw invalidInput('stepMinutes', `stepMinutes must divide a day (1440 minutes), got ${stepMinutes}`);
  const horizons = opts.horizons ?? [15, 30, 60];
  if (horizons.length === 0) throw invalidInput('horizons', 'at least one horizon');
  const steps = horizons.map((h, k) => {
    const s = h / stepMinutes;
    if (!Number.isInteger(s) || s < 1) throw invalidInput(`horizons[${k}]`, `horizon ${h} min is not a positive multiple of the ${stepMinutes}-minute step`);
    return s;
  });
  const slots = 1440 / stepMinutes;
  const window = opts.profileWindow ?? 2;

  let sensors = 0;
  let profiles: DailyProfiles | null = null;
  let nbrOff = new Int32Array(1);
  let nbrIdx = new Int32Array(0);
  let nbrW = new Float64Array(0);
  let beta: Float64Array[] = []; // [horizon] -> sensors * P
  let shrinkage: number[] = [];
  let usesProfile: boolean[] = [];
  let maxSpeed = 0;
  let fallbackSpeed = 0;

  const prof = (i: number, abs: number, exclude = -1) => profiles!.at(i, abs, exclude);

  function setAdjacency(n: number): void {
    const adj = opts.adjacency;
    const off = new Int32Array(n + 1);
    const idx: number[] = [];
    const w: number[] = [];
    if (adj) {
      if (adj.length !== n * n) throw invalidInput('adjacency', `adjacency must be ${n} x ${n}, got ${adj.length} entries`);
      for (let i = 0; i < n; i++) {
        let tot = 0;
        for (let j = 0; j < n; j++) if (j !== i && adj[i * n + j] > 0) tot += adj[i * n + j];
        for (let j = 0; j < n; j++) {
          if (j !== i && adj[i * n + j] > 0) {
            idx.push(j);
            w.push(adj[i * n + j] / tot);
          }
        }
        off[i + 1] = idx.length;
      }
    }
    nbrOff = off;
    nbrIdx = Int32Array.from(idx);
    nbrW = Float64Array.from(w);
  }

  /**
   * Features of every sensor at origin t (rows[t] is now) for a horizon of h steps; v are filled
   * rows (no NaN), abs0 the absolute slot of rows[0], exclude the day left out of the profile.
   */
  function features(v: readonly Float64Array[], t: number, abs0: number, h: number, exclude: number, out: Float64Array): void {
    const n = sensors;
    const dev = new Float64Array(n);
    const tr = new Float64Array(n);
    const abs = abs0 + t;
    for (let i = 0; i < n; i++) {
      dev[i] = v[t][i] - prof(i, abs, exclude);
      tr[i] = t >= 1 ? v[t][i] - v[t - 1][i] : 0;
    }
    for (let i = 0; i < n; i++) {
      const o = i * P;
      out[o] = 1;
      out[o + 1] = dev[i];
      out[o + 2] = tr[i];
      out[o + 3] = t >= 2 ? v[t - 1][i] - v[t - 2][i] : 0;
      out[o + 4] = prof(i, abs + h, exclude) - prof(i, abs, exclude);
      let nd = 0;
      let nt = 0;
      for (let r = nbrOff[i]; r < nbrOff[i + 1]; r++) {
        nd += nbrW[r] * dev[nbrIdx[r]];
        nt += nbrW[r] * tr[nbrIdx[r]];
      }
      out[o + 5] = nd;
      out[o + 6] = nt;
      const from = Math.max(0, t - LEVEL_STEPS + 1);
      let m = 0;
      for (let q = from; q <= t; q++) m += v[q][i];
      out[o + 7] = v[t][i] - m / (t - from + 1);
    }
  }

  /** forward fill per sensor; before the first reading, the profile */
  function fill(rows: readonly Float64Array[], abs0: number): Float64Array[] {
    const out: Float64Array[] = [];
    let last: Float64Array | null = null;
    rows.forEach((row, t) => {
      const f = new Float64Array(sensors);
      for (let i = 0; i < sensors; i++) {
        const x = row[i];
        if (Number.isFinite(x) && x > 0) f[i] = x;
        else if (last) f[i] = last[i];
        else {
          const p = prof(i, abs0 + t);
          f[i] = Number.isFinite(p) ? p : fallbackSpeed;
        }
      }
      out.push(f);
      last = f;
    });
    return out;
  }

  const self: SpeedForecaster = {
    stepMinutes,
    horizons,
    get sensors() {
      return sensors;
    },
    get shrinkage() {
      return shrinkage;
    },
    get usesProfile() {
      return usesProfile;
    },
    train(history: TrainingHistory) {
      const rows = history.rows;
      if (rows.length < 3) throw invalidInput('history.rows', 'at least 3 rows of history are needed');
      sensors = rows[0].length;
      if (sensors === 0) throw invalidInput('history.rows', 'rows have no sensors');
      rows.forEach((r, t) => {
        if (r.length !== sensors) throw invalidInput(`history.rows[${t}]`, `row has ${r.length} values, expected ${sensors}`);
      });
      const abs0 = history.startSlot ?? 0;
      setAdjacency(sensors);
      profiles = new DailyProfiles(rows, sensors, slots, abs0, window);
      let tot = 0;
      let cnt = 0;
      maxSpeed = 0;
      for (const r of rows) for (const x of r) if (Number.isFinite(x) && x > 0) {
        tot += x;
        cnt++;
        if (x > maxSpeed) maxSpeed = x;
      }
      fallbackSpeed = cnt > 0 ? tot / cnt : 0;
      const v = fill(rows, abs0);
      const x = new Float64Array(sensors * P);
      beta = [];
      shrinkage = [];
      usesProfile = [];
      for (const h of steps) {
        // the training samples of this horizon: features, target change, sensor, day of the target
        const feat: number[] = [];
        const ys: number[] = [];
        const sens: number[] = [];
        const dayOf: number[] = [];
        for (let t = 2; t + h < rows.length; t++) {
          const d = profiles.dayOf(abs0 + t + h);
          features(v, t, abs0, h, d, x);
          const target = rows[t + h];
          for (let i = 0; i < sensors; i++) {
            if (!Number.isFinite(target[i]) || !(target[i] > 0)) continue;
            for (let a = 0; a < P; a++) feat.push(x[i * P + a]);
            ys.push(target[i] - v[t][i]);
            sens.push(i);
            dayOf.push(d);
          }
        }
        const samples: Samples = { x: Float64Array.from(feat), y: Float64Array.from(ys), sensor: Int32Array.from(sens), day: Int32Array.from(dayOf) };
        // choose the shrinkage on the last training day (by mean absolute error), trained on the others
        // and whether the profile terms help at all (a profile from other days can mislead, e.g. weekday
        // profiles on a Sunday)
        let kappa = 100;
        let mask = ALL_FEATURES;
        const lastDay = profiles.dayOf(abs0 + rows.length - 1);
        if (profiles.days >= 2) {
          let best = Infinity;
          for (const mk of [ALL_FEATURES, NO_PROFILE]) {
            for (const k of KAPPAS) {
              const coef = fitRobust(samples, sensors, (d) => d !== lastDay, k, mk, IRLS_ROUNDS - 1);
              const e = absError(samples, coef, (d) => d === lastDay);
              if (e < best) {
                best = e;
                kappa = k;
                mask = mk;
              }
            }
          }
        }
        shrinkage.push(kappa);
        usesProfile.push(mask === ALL_FEATURES);
        beta.push(fitRobust(samples, sensors, () => true, kappa, mask));
      }
      return self;
    },
    forecast(recent: readonly Float64Array[], nowSlot: number) {
      if (!profiles) throw invalidInput('forecaster', 'train() the forecaster first');
      if (recent.length === 0) throw invalidInput('recent', 'at least one row');
      recent.forEach((r, k) => {
        if (r.length !== sensors) throw invalidInput(`recent[${k}]`, `row has ${r.length} values, expected ${sensors}`);
      });
      if (!Number.isFinite(nowSlot)) throw invalidInput('nowSlot', 'nowSlot must be a number');
      const abs0 = nowSlot - (recent.length - 1);
      const v = fill(recent, abs0);
      const t = v.length - 1;
      const x = new Float64Array(sensors * P);
      return steps.map((h, k) => {
        features(v, t, abs0, h, -1, x);
        const out = new Float64Array(sensors);
        const coef = beta[k];
        for (let i = 0; i < sensors; i++) {
          let y = 0;
          for (let a = 0; a < P; a++) y += coef[i * P + a] * x[i * P + a];
          const s = v[t][i] + y;
          out[i] = Math.min(Math.max(s, 0), maxSpeed);
        }
        return out;
      });
    },
    profile(sensor: number, slot: number) {
      if (!profiles) throw invalidInput('forecaster', 'train() the forecaster first');
      return prof(sensor, slot);
    },
  };
  return self;
}

interface Samples {
  /** row-major samples x P */
  x: Float64Array;
  y: Float64Array;
  sensor: Int32Array;
  day: Int32Array;
}

const IRLS_ROUNDS = 4;
/** residuals below this (mph) count as this in the L1 weights */
const IRLS_FLOOR = 0.5;

/**
 * Least absolute deviations by iteratively reweighted least squares: coefficients pooled over
 * all sensors, then per sensor shrunk towards them with strength kappa (Infinity = pooled only).
 * Absolute rather than squared error because speed changes are heavy-tailed: mostly near zero,
 * sometimes a collapse; a squared-error fit chases the collapses and loses on typical steps.
 */
function fitRobust(s: Samples, sensors: number, useDay: (d: number) => boolean, kappa: number, mask: Uint8Array, rounds = IRLS_ROUNDS): Float64Array {
  const m = s.y.length;
  const w = new Float64Array(m).fill(1);
  let coef = new Float64Array(sensors * P);
  for (let round = 0; round < rounds; round++) {
    const Ai = new Float64Array(sensors * P * P);
    const bi = new Float64Array(sensors * P);
    const ni = new Float64Array(sensors);
    let wsum = 0;
    let used = 0;
    for (let k = 0; k < m; k++) if (useDay(s.day[k])) {
      wsum += w[k];
      used++;
    }
    const norm = used > 0 ? used / wsum : 1;
    for (let k = 0; k < m; k++) {
      if (!useDay(s.day[k])) continue;
      const i = s.sensor[k];
      const wk = w[k] * norm;
      const o = k * P;
      const y = s.y[k];
      for (let a = 0; a < P; a++) {
        if (!mask[a]) continue;
        const xa = s.x[o + a] * wk;
        bi[i * P + a] += xa * y;
        const row = (i * P + a) * P;
        for (let b = a; b < P; b++) if (mask[b]) Ai[row + b] += xa * s.x[o + b];
      }
      ni[i] += wk;
    }
    // only the upper triangle was summed
    for (let i = 0; i < sensors; i++) for (let a = 0; a < P; a++) for (let b = 0; b < a; b++) Ai[(i * P + a) * P + b] = Ai[(i * P + b) * P + a];
    const A = new Float64Array(P * P);
    const bvec = new Float64Array(P);
    for (let i = 0; i < sensors; i++) {
      for (let q = 0; q < P * P; q++) A[q] += Ai[i * P * P + q];
      for (let a = 0; a < P; a++) bvec[a] += bi[i * P + a];
    }
    for (let a = 0; a < P; a++) A[a * P + a] += 1e-6 * (A[a * P + a] + 1);
    const pooled = solveSpd(A, bvec, P);
    const next = new Float64Array(sensors * P);
    for (let i = 0; i < sensors; i++) {
      if (!(ni[i] > 0) || !Number.isFinite(kappa)) {
        next.set(pooled, i * P);
        continue;
      }
      const M = Ai.slice(i * P * P, (i + 1) * P * P);
      const r = bi.slice(i * P, (i + 1) * P);
      for (let a = 0; a < P; a++) {
        M[a * P + a] += kappa;
        r[a] += kappa * pooled[a];
      }
      next.set(solveSpd(M, r, P), i * P);
    }
    coef = next;
    for (let k = 0; k < m; k++) {
      const i = s.sensor[k];
      let pred = 0;
      for (let a = 0; a < P; a++) pred += coef[i * P + a] * s.x[k * P + a];
      w[k] = 1 / Math.max(Math.abs(s.y[k] - pred), IRLS_FLOOR);
    }
  }
  return coef;
}

function absError(s: Samples, coef: Float64Array, useDay: (d: number) => boolean): number {
  let e = 0;
  for (let k = 0; k < s.y.length; k++) {
    if (!useDay(s.day[k])) continue;
    const i = s.sensor[k];
    let pred = 0;
    for (let a = 0; a < P; a++) pred += coef[i * P + a] * s.x[k * P + a];
    e += Math.abs(s.y[k] - pred);
  }
  return e;
}
