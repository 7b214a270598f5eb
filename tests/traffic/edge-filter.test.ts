import { describe, expect, it } from 'vitest';
import { resolveTrafficConfig } from '../../services/traffic/config.js';
import { EdgeFilter } from '../../services/traffic/estimation/edge-filter.js';
import { PriorModel } from '../../services/traffic/estimation/prior.js';
import { TimeOfDayProfile } from '../../services/traffic/estimation/profile.js';
import { bprVolumeCapacity, congestionLevel } from '../../services/traffic/estimation/levels.js';
import { gaussian, gridCity, rng } from './helpers/grid-city.js';

const cfg = resolveTrafficConfig();
const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

function setup() {
  const network = gridCity(4, 100);
  const profile = new TimeOfDayProfile(cfg.profile);
  const prior = new PriorModel(network, profile);
  const filter = new EdgeFilter(network.data.edgeFreeFlowSeconds, prior, cfg.filter);
  const ff = network.data.edgeFreeFlowSeconds;
  const est = (e: number, t: number) => {
    const p = { mean: 0, variance: 0 };
    filter.predict(e, t, p);
    return Math.exp(p.mean);
  };
  return { network, profile, prior, filter, ff, est };
}

describe('per-edge Kalman filter (log travel time, OU prior)', () => {
  it('converges on the true travel time from noisy observations and gains confidence', () => {
    const { filter, ff, est } = setup();
    const e = 3;
    const truth = ff[e] * 2.2;
    const noise = gaussian(rng(1));
    expect(filter.confidence(e, T0)).toBe(0);
    for (let i = 0; i < 40; i++) filter.observe(e, T0 + i * 5000, truth * Math.exp(0.2 * noise()), 0.2, 'probe');
    const t = T0 + 40 * 5000;
    expect(Math.abs(est(e, t) / truth - 1)).toBeLessThan(0.08);
    expect(filter.confidence(e, t)).toBeGreaterThan(0.8);
    expect(filter.sourceOf(e)).toBe('probe');
  });

  it('rejects a single wild reading (it does not move the edge)', () => {
    const { filter, ff, est } = setup();
    const e = 5;
    for (let i = 0; i < 20; i++) filter.observe(e, T0 + i * 5000, ff[e] * 1.5, 0.2, 'probe');
    const before = est(e, T0 + 100_000);
    expect(filter.observe(e, T0 + 100_000, ff[e] * 30, 0.2, 'probe')).toBe('rejected');
    expect(est(e, T0 + 100_000)).toBeCloseTo(before, 6);
    // faster than physically plausible: dropped outright
    expect(filter.observe(e, T0 + 101_000, ff[e] / 10, 0.2, 'probe')).toBe('implausible');
    expect(filter.observe(e, T0 + 102_000, ff[e] * 1.5, 0.2, 'probe')).toBe('accepted');
  });

  it('follows a real, persistent change after a few consistent gated observations', () => {
    const { filter, ff, est } = setup();
    const e = 7;
    for (let i = 0; i < 20; i++) filter.observe(e, T0 + i * 5000, ff[e] * 1.1, 0.2, 'probe');
    const outcomes = [];
    for (let i = 0; i < cfg.filter.resetAfterRejections; i++) outcomes.push(filter.observe(e, T0 + 100_000 + i * 5000, ff[e] * 6, 0.2, 'detector'));
    expect(outcomes.slice(0, -1).every((o) => o === 'rejected')).toBe(true);
    expect(outcomes[outcomes.length - 1]).toBe('reset');
    expect(est(e, T0 + 115_000) / (ff[e] * 6)).toBeGreaterThan(0.9);
    expect(filter.sourceOf(e)).toBe('mixed');
  });

  it('decays back to the prior without observations and then retires the edge', () => {
    const { filter, ff, est } = setup();
    const e = 2;
    for (let i = 0; i < 10; i++) filter.observe(e, T0 + i * 1000, ff[e] * 3, 0.2, 'probe');
    const t1 = T0 + 10_000;
    expect(est(e, t1) / ff[e]).toBeGreaterThan(2.5);
    const later = t1 + 3 * cfg.filter.decaySeconds * 1000;
    const mid = est(e, later);
    expect(mid).toBeLessThan(est(e, t1));
    expect(mid).toBeGreaterThan(ff[e]);
    expect(filter.confidence(e, later)).toBeLessThan(filter.confidence(e, t1));
    const much = t1 + 20 * cfg.filter.decaySeconds * 1000;
    expect(est(e, much) / ff[e]).toBeCloseTo(1, 2);
    expect(filter.retireIdle(much)).toContain(e);
    expect(filter.active.has(e)).toBe(false);
  });

  it('decays towards a learnt time-of-day profile, and towards the assignment when no profile', () => {
    const { filter, profile, prior, ff, est } = setup();
    const e = 4;
    for (let i = 0; i < cfg.profile.minSamples; i++) profile.learn(e, T0 + i * 1000, Math.log(ff[e] * 2));
    expect(Math.exp(prior.logPrior(e, T0))).toBeCloseTo(ff[e] * 2, 3);
    // a different time of day has no profile yet: free flow
    expect(Math.exp(prior.logPrior(e, T0 + 6 * 3600_000))).toBeCloseTo(ff[e], 6);
    const assigned = Float64Array.from(ff, (x) => x * 1.4);
    prior.setAssignment(assigned);
    expect(Math.exp(prior.logPrior(e, T0 + 6 * 3600_000))).toBeCloseTo(ff[e] * 1.4, 6);
    expect(Math.exp(prior.logPrior(e, T0))).toBeCloseTo(ff[e] * 2, 3);
    filter.observe(e, T0, ff[e] * 2.5, 0.2, 'probe');
    expect(est(e, T0 + 24 * 3600_000 * 0 + 20 * cfg.filter.decaySeconds * 1000) / (ff[e] * 1.4)).toBeCloseTo(1, 2);
  });

  it('profile survives a JSON round trip', () => {
    const { profile, network } = setup();
    profile.learn(1, T0, Math.log(20));
    profile.learn(1, T0 + 1000, Math.log(22));
    const copy = new TimeOfDayProfile({ ...cfg.profile, minSamples: 1 });
    expect(profile.takeDirty()).toEqual([1]);
    expect(profile.takeDirty()).toEqual([]);
    expect(copy.loadRecord(JSON.parse(JSON.stringify(profile.record(1))), network.edgeCount)).toBe(true);
    expect(copy.loadRecord({ edge: 1, binsPerDay: 48, rows: [] }, network.edgeCount)).toBe(false);
    expect(copy.loadRecord({ edge: network.edgeCount, binsPerDay: 96, rows: [] }, network.edgeCount)).toBe(false);
    expect(Math.exp(copy.logPrior(1, T0)!)).toBeCloseTo(Math.sqrt(20 * 22), 2);
  });

  it('levels and BPR volume/capacity', () => {
    expect(congestionLevel(10, 10, cfg.levels)).toBe('free');
    expect(congestionLevel(10, 16, cfg.levels)).toBe('slow');
    expect(congestionLevel(10, 30, cfg.levels)).toBe('congested');
    expect(congestionLevel(10, 50, cfg.levels)).toBe('jammed');
    expect(congestionLevel(10, Infinity, cfg.levels)).toBe('jammed');
    expect(bprVolumeCapacity(10, 10, 0.15, 4)).toBe(0);
    expect(bprVolumeCapacity(10, 11.5, 0.15, 4)).toBeCloseTo(1, 6);
  });
});
