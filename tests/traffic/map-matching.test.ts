import { describe, expect, it } from 'vitest';
import { resolveTrafficConfig } from '../../services/traffic/config.js';
import { getSegmentCandidateFinder } from '../../services/traffic/map-matching/candidates.js';
import { ProbeMatcher } from '../../services/traffic/map-matching/probe-matcher.js';
import type { TravelTimeObservation } from '../../services/traffic/map-matching/traversals.js';
import { drive, gridCity, randomPath, rng } from './helpers/grid-city.js';
import { evaluateMatching, quantile } from './helpers/match-eval.js';
import { generateCity } from '../../core/sim/index.js';
import { snapperCandidateFinder } from '../../services/traffic/map-matching/candidates.js';

const cfg = resolveTrafficConfig().matching;

describe('HMM map matching (Newson & Krumm, online Viterbi)', () => {
  const network = gridCity(12, 120);
  const finder = getSegmentCandidateFinder(network);

  it('finds the nearest edges of a point with their offsets', () => {
    const e = 0;
    const g = network.edgeGeometry(e);
    const lon = (g[0][0] + g[1][0]) / 2;
    const lat = (g[0][1] + g[1][1]) / 2;
    const c = finder.within(lon, lat, 10, 6);
    const edges = c.map((x) => x.edge).sort((a, b) => a - b);
    expect(edges).toEqual([0, 1]);
    expect(c[0].distance).toBeLessThan(0.5);
    expect(c.find((x) => x.edge === 0)!.offset).toBeCloseTo(network.data.edgeLength[0] / 2, 0);
    expect(c.find((x) => x.edge === 1)!.offset).toBeCloseTo(network.data.edgeLength[1] / 2, 0);
  });

  it('recovers a noisy drive (>= 95 % of edges) and its travel times', () => {
    const rand = rng(7);
    let driven = 0;
    let recovered = 0;
    let wrong = 0;
    const errors: number[] = [];
    for (let v = 0; v < 20; v++) {
      const path = randomPath(network, 25, rand);
      const speed = new Map(path.map((e) => [e, 6 + rand() * 10]));
      const sim = drive(network, path, { vehicleId: `v${v}`, start: 1_700_000_000_000, noise: 5, speedOf: (e) => speed.get(e)!, rand });
      const matcher = new ProbeMatcher(network, finder, cfg);
      const matched: number[] = [];
      matcher.onMatched = (_id, p) => {
        for (const e of p.path) matched.push(e);
        if (matched[matched.length - 1] !== p.edge) matched.push(p.edge);
      };
      const obs: TravelTimeObservation[] = [];
      matcher.ingest(sim.pings, (o) => obs.push(o));
      matcher.flushAll((o) => obs.push(o));
      const matchedSet = new Set(matched);
      const pathSet = new Set(path);
      driven += path.length;
      recovered += path.filter((e) => matchedSet.has(e)).length;
      wrong += matched.filter((e) => !pathSet.has(e)).length;
      for (const o of obs) {
        const t = sim.truth.get(o.edge);
        if (t !== undefined) errors.push(Math.abs(o.seconds - t) / t);
        else errors.push(1);
      }
    }
    expect(recovered / driven).toBeGreaterThanOrEqual(0.95);
    expect(wrong / driven).toBeLessThan(0.05);
    errors.sort((a, b) => a - b);
    const median = errors[Math.floor(errors.length / 2)];
    expect(errors.length).toBeGreaterThan(20 * 18);
    expect(median).toBeLessThan(0.1);
  });

  it('on the simulated city: >= 95 % of edges, travel times close to the truth, at three noise levels', () => {
    const city = generateCity({ size: 2000, seed: 1 }).network;
    for (const [noise, medianMax] of [[3, 0.06], [5, 0.08], [8, 0.12]] as const) {
      const q = evaluateMatching(city, snapperCandidateFinder(city), { drives: 25, edges: 20, noise, seed: 100 + noise });
      expect(q.recall, `recall at ${noise} m`).toBeGreaterThanOrEqual(0.95);
      expect(q.wrong, `wrong at ${noise} m`).toBeLessThan(0.05);
      expect(quantile(q.errors, 0.5), `median error at ${noise} m`).toBeLessThan(medianMax);
      expect(q.errors.length).toBeGreaterThan(25 * 15);
    }
  });

  it('a crawling vehicle (2 m/s, GPS jitter larger than its moves) is still matched without loops', () => {
    const city = generateCity({ size: 2000, seed: 1 }).network;
    const q = evaluateMatching(city, snapperCandidateFinder(city), { drives: 10, edges: 12, noise: 5, seed: 9, speedFactor: () => 0.2 });
    expect(q.recall).toBeGreaterThanOrEqual(0.95);
    expect(q.wrong).toBeLessThan(0.05);
    expect(quantile(q.errors, 0.5)).toBeLessThan(0.1);
  });
});
