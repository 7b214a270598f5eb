import { describe, expect, it } from 'vitest';
import { generateCity } from '../../core/sim/index.js';
import { gaussian, rng } from './helpers/grid-city.js';
import { trafficHarness } from './helpers/service.js';

const network = generateCity({ size: 2000, seed: 1 }).network;
const d = network.data;
const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 20, 0, 0, 0);

/** a morning jam around 08:00 UTC: speed drops to 40 % of free flow */
const factor = (t: number) => {
  const h = ((t % DAY) / 3600_000 - 8) / 0.7;
  return 1 - 0.6 * Math.exp(-h * h);
};

describe('forecastSpeed through the forecast module on detector edges', () => {
  it('after two days of detector history it anticipates the morning jam that the decay forecast cannot see', async () => {
    const h = trafficHarness(network);
    const edges = [3, 10, 40].filter((e) => d.edgeModes[e] & 1);
    await h.service.registerDetector(edges.map((edge, i) => ({ id: `loop-${i}`, edge })));
    const ffKmh = (e: number) => (d.edgeLength[e] / d.edgeFreeFlowSeconds[e]) * 3.6;
    const noise = gaussian(rng(4));
    const stop = START + 2 * DAY + 6 * 3600_000 + 55 * 60_000; // day 3, 06:55
    let trainedAt = -1;
    for (let t = START; t <= stop; t += 300_000) {
      h.clock.set(t);
      await h.service.ingestDetectorReadings(edges.map((e, i) => ({ detectorId: `loop-${i}`, at: t, intervalSeconds: 300, speedKmh: ffKmh(e) * factor(t) * (1 + 0.03 * noise()) })));
      await h.service.tick('estimation');
      const r = await h.service.tick('forecast');
      if (trainedAt < 0 && !r.skipped) trainedAt = t;
    }
    // the model needs a day of history before it forecasts
    expect(trainedAt).toBeGreaterThanOrEqual(START + DAY - 300_000);
    expect(trainedAt).toBeLessThan(START + DAY + 3600_000);
    for (const e of edges) {
      const now = h.service.edgeState(e).speedKmh;
      expect(now / ffKmh(e)).toBeGreaterThan(0.85); // free-flowing at 06:55
      expect(Math.abs(h.service.forecastSpeed(e, 0) - now) / now).toBeLessThan(0.05);
      // at 07:55 the jam is near its deepest (0.4 x free flow): the learnt forecast sees it coming
      expect(h.service.forecastSpeed(e, 60) / ffKmh(e)).toBeLessThan(0.7);
      expect(h.service.forecastSpeed(e, 60)).toBeLessThan(h.service.forecastSpeed(e, 15));
    }
    // an edge without a detector keeps the decay forecast: free flow
    const other = [...Array(d.edgeCount).keys()].find((e) => d.edgeModes[e] & 1 && !edges.includes(e))!;
    expect(h.service.forecastSpeed(other, 60)).toBeCloseTo(ffKmh(other), 1);
    // beyond the longest horizon the decay forecast answers (no extrapolation of the model)
    expect(h.service.forecastSpeed(edges[0], 120)).toBeGreaterThan(h.service.forecastSpeed(edges[0], 60));
  });
});
