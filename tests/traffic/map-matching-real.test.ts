import { describe, expect, it } from 'vitest';
import { loadDefaultNetwork } from '../../core/graph/default-network.js';
import { snapperCandidateFinder } from '../../services/traffic/map-matching/candidates.js';
import { evaluateMatching, quantile } from './helpers/match-eval.js';

// The real Rhein-Neckar road network (fixtures/osm, ODbL): curved roads, dual carriageways,
// ramps and short junction edges, where the grid and the simulated city are kind.
describe('map matching on the real Rhein-Neckar network', () => {
  it('recovers >= 95 % of driven edges with 5 m noise and measures travel times within ~10 %', async () => {
    const network = await loadDefaultNetwork();
    const q = evaluateMatching(network, snapperCandidateFinder(network), { drives: 40, edges: 30, noise: 5, seed: 2026 });
    expect(q.drives).toBe(40);
    expect(q.recall).toBeGreaterThanOrEqual(0.95);
    expect(q.wrong).toBeLessThan(0.06);
    expect(q.errors.length).toBeGreaterThan(40 * 20);
    expect(quantile(q.errors, 0.5)).toBeLessThan(0.1);
    expect(q.spurious / q.errors.length).toBeLessThan(0.05);
  });

  it('uses the fixes\' heading: fewer wrong edges and no lost ones on the same drives', async () => {
    const network = await loadDefaultNetwork();
    const opts = { drives: 40, edges: 30, noise: 5, seed: 77, interval: 10 };
    const plain = evaluateMatching(network, snapperCandidateFinder(network), opts);
    const withHeading = evaluateMatching(network, snapperCandidateFinder(network), { ...opts, headingNoiseDeg: 20 });
    expect(withHeading.wrong).toBeLessThan(plain.wrong);
    expect(withHeading.recall).toBeGreaterThanOrEqual(plain.recall);
  });
});
