import { describe, expect, it } from 'vitest';
import { createSpeedForecaster, evaluateForecaster, parseAdjacencyCsv, parseSpeedsCsv } from '../../../services/traffic/forecast/index.js';
import { UrbanflowError } from '../../../core/errors/index.js';

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Synthetic detectors: a morning dip every day plus a deviation that decays by 0.93 per step
 * with random shocks, shared by neighbouring sensors. Mean reversion towards the daily profile
 * is learnable; persistence cannot use it.
 */
function synthetic(days: number, sensors: number, seed = 1): Float64Array[] {
  const rnd = lcg(seed);
  const rows: Float64Array[] = [];
  const dev = new Float64Array(sensors);
  for (let t = 0; t < days * 288; t++) {
    const slot = t % 288;
    const dip = 25 * Math.exp(-(((slot - 96) / 12) ** 2));
    const shock = rnd() < 0.05 ? -15 * rnd() : 0;
    const row = new Float64Array(sensors);
    for (let i = 0; i < sensors; i++) {
      dev[i] = 0.93 * dev[i] + (i === 0 ? shock : 0.8 * dev[i - 1] * 0.1) + (rnd() - 0.5);
      row[i] = Math.max(3, 65 - dip + dev[i]);
    }
    rows.push(row);
  }
  return rows;
}

describe('speed forecaster (online API)', () => {
  it('learns mean reversion on synthetic detectors and beats persistence at every horizon', () => {
    const rows = synthetic(4, 4);
    const ev = evaluateForecaster(rows, 3 * 288);
    for (const h of ev.horizons) {
      expect(h.mae).toBeLessThan(h.persistenceMae);
      expect(h.rmse).toBeLessThan(h.persistenceRmse);
    }
    // the profile is real here, so validation keeps it at the longest horizon
    expect(ev.usesProfile[2]).toBe(true);
    // the further ahead, the larger the gain over persistence
    const gain = ev.horizons.map((h) => h.persistenceMae - h.mae);
    expect(gain[2]).toBeGreaterThan(gain[0]);
  });

  it('train then forecast: one value per sensor and horizon, within the trained speed range, tolerant of missing readings', () => {
    const rows = synthetic(3, 3, 5);
    const f = createSpeedForecaster({ stepMinutes: 5, horizons: [15, 30, 60] }).train({ rows: rows.slice(0, 600) });
    const recent = rows.slice(600, 606).map((r) => r.slice());
    recent[5][1] = NaN; // the latest reading of sensor 1 is missing
    const out = f.forecast(recent, 605);
    expect(out).toHaveLength(3);
    for (const v of out) {
      expect(v).toHaveLength(3);
      for (const x of v) {
        expect(Number.isFinite(x)).toBe(true);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(65 + 20);
      }
    }
    // the learnt profile shows the morning dip
    expect(f.profile(0, 96)).toBeLessThan(f.profile(0, 200) - 10);
  });

  it('rejects bad options and use before training', () => {
    expect(() => createSpeedForecaster({ stepMinutes: 7 })).toThrow(UrbanflowError);
    expect(() => createSpeedForecaster({ stepMinutes: 5, horizons: [12] })).toThrow(/multiple/);
    expect(() => createSpeedForecaster().forecast([new Float64Array(2)], 0)).toThrow(/train/);
    const f = createSpeedForecaster().train({ rows: synthetic(1, 2) });
    expect(() => f.forecast([new Float64Array(3)], 0)).toThrow(/expected 2/);
    expect(() => createSpeedForecaster({ adjacency: new Float64Array(3) }).train({ rows: synthetic(1, 2) })).toThrow(/adjacency/);
  });
});

describe('speeds CSV', () => {
  it('reads the header and rows; 0 readings become missing', () => {
    const t = parseSpeedsCsv('a,b,c\n60,0,55.5\n61,62,63\n', 's.csv');
    expect(t.sensorIds).toEqual(['a', 'b', 'c']);
    expect(t.rows).toHaveLength(2);
    expect(Number.isNaN(t.rows[0][1])).toBe(true);
    expect(t.rows[1][2]).toBe(63);
    expect(t.zeroReadings).toBe(1);
  });
  it('NaN, empty and non-numeric cells are INVALID_FILE naming line and column', () => {
    for (const [text, re] of [
      ['a,b\n60,NaN\n', /line 2, column 2/],
      ['a,b\n60,61\nx,61\n', /line 3, column 1/],
      ['a,b\n60,\n', /line 2, column 2/],
      ['a,b\n60,-4\n', /line 2, column 2/],
      ['a,b\n60\n', /line 2: 1 values/],
      ['', /empty/],
    ] as const) {
      try {
        parseSpeedsCsv(text, 'bad.csv');
        throw new Error('expected an error');
      } catch (e) {
        expect((e as UrbanflowError).code).toBe('INVALID_FILE');
        expect((e as Error).message).toMatch(/^bad\.csv: /);
        expect((e as Error).message).toMatch(re);
      }
    }
  });
  it('adjacency must be n x n of non-negative numbers', () => {
    expect(Array.from(parseAdjacencyCsv('1,0.5\n0.5,1\n', 'adj.csv', 2))).toEqual([1, 0.5, 0.5, 1]);
    expect(() => parseAdjacencyCsv('1,0.5\n', 'adj.csv', 2)).toThrow(/1 rows, expected 2/);
    expect(() => parseAdjacencyCsv('1,x\n0.5,1\n', 'adj.csv', 2)).toThrow(/line 1, column 2/);
  });
});
