import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCity, buildGtfsZip, type SimCity } from '../../../core/sim/index.js';
import { loadDefaultNetwork } from '../../../core/graph/default-network.js';
import { haversineMetres } from '../../../core/graph/geo.js';
import { planRequestSchema, type PlanOption } from '../../../core/contracts/routing-transit.js';
import { loadGtfsZip, createTransitPlanner, type TransitPlanner } from '../../../services/routing/transit/index.js';
import { createMultimodalPlanner, type MultimodalPlanner } from '../../../services/routing/multimodal/index.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** every leg starts where and when (or after) the previous one ended */
function expectContinuous(o: PlanOption, from: { lon: number; lat: number }, to: { lon: number; lat: number }) {
  expect(o.legs.length).toBeGreaterThan(0);
  expect(o.legs[0].from.lon).toBe(from.lon);
  expect(o.legs[0].from.lat).toBe(from.lat);
  expect(o.legs[o.legs.length - 1].to.lon).toBe(to.lon);
  expect(o.legs[o.legs.length - 1].to.lat).toBe(to.lat);
  expect(o.departureMs).toBe(o.legs[0].departureMs);
  expect(o.arrivalMs).toBe(o.legs[o.legs.length - 1].arrivalMs);
  for (let i = 0; i < o.legs.length; i++) {
    const l = o.legs[i];
    expect(l.arrivalMs).toBeGreaterThanOrEqual(l.departureMs);
    expect(l.geometry.coordinates.length).toBeGreaterThanOrEqual(2);
    if (i > 0) {
      const p = o.legs[i - 1];
      expect(l.departureMs).toBeGreaterThanOrEqual(p.arrivalMs);
      expect(haversineMetres(p.to.lon, p.to.lat, l.from.lon, l.from.lat)).toBeLessThan(1);
    }
  }
}

describe('the simulated city\'s GTFS loads and routes', () => {
  let city: SimCity;
  let transit: TransitPlanner;
  let mm: MultimodalPlanner;
  beforeAll(() => {
    city = generateCity({ size: 3000, seed: 5 });
    transit = createTransitPlanner({ feed: loadGtfsZip(buildGtfsZip(city)), network: city.network });
    mm = createMultimodalPlanner({ transit, network: city.network });
  });

  it('rides a bus line end to end, stop to stop', () => {
    const line = city.busLines.reduce((a, b) => (b.stops.length > a.stops.length ? b : a));
    const first = line.stops[0];
    const last = line.stops[line.stops.length - 1];
    const res = transit.stopToStop({ fromStop: first.id, toStop: last.id, departAt: '2026-03-03T08:00' });
    expect(res.found).toBe(true);
    const best = res.journeys[res.journeys.length - 1];
    const rides = best.legs.filter((l) => l.mode === 'transit');
    expect(rides.length).toBeGreaterThan(0);
    // the running time cannot beat the line's own schedule
    const scheduled = line.segmentSeconds.reduce((a, b) => a + b, 0);
    expect(best.arrivalMs - Date.parse('2026-03-03T08:00:00Z')).toBeGreaterThanOrEqual(scheduled * 1000 * 0.5);
    expect(best.arrivalMs - Date.parse('2026-03-03T08:00:00Z')).toBeLessThan((scheduled + 3600) * 1000);
  });

  it('plans walk + transit from exact coordinates with continuous legs', async () => {
    const line = city.busLines.reduce((a, b) => (b.stops.length > a.stops.length ? b : a));
    const a = line.stops[0];
    const b = line.stops[line.stops.length - 1];
    // 80 m off the first and last stops
    const from = { lon: a.lon + 0.001, lat: a.lat };
    const to = { lon: b.lon, lat: b.lat + 0.0007 };
    const res = await mm.plan(planRequestSchema.parse({ from, to, departAt: '2026-03-03T08:00', modes: ['transit', 'walk', 'car'] }));
    const t = res.options.find((o) => o.mode === 'transit');
    expect(t, JSON.stringify(res.notes)).toBeDefined();
    expectContinuous(t!, from, to);
    expect(t!.legs[0].mode).toBe('walk');
    expect(t!.legs[t!.legs.length - 1].mode).toBe('walk');
    const ride = t!.legs.find((l) => l.mode === 'transit')!;
    expect(transit.feed.tripIds).toContain(ride.tripId);
    expect(ride.stops!.length).toBeGreaterThanOrEqual(2);
    const car = res.options.find((o) => o.mode === 'car');
    expect(car).toBeDefined();
    expectContinuous(car!, from, to);
    expect(res.options.map((o) => o.arrivalMs)).toEqual([...res.options.map((o) => o.arrivalMs)].sort((x, y) => x - y));
  });
});

describe('multimodal plan on the Rhein-Neckar network and the rnv feed', () => {
  let transit: TransitPlanner;
  let mm: MultimodalPlanner;
  beforeAll(async () => {
    const network = await loadDefaultNetwork();
    transit = createTransitPlanner({ feed: loadGtfsZip(readFileSync(join(ROOT, 'fixtures/gtfs/rnv-gtfs-2016.zip'))), network });
    mm = createMultimodalPlanner({ transit, network });
  });

  it('computes footpaths on the foot network', () => {
    expect(transit.footpaths.method).toBe('network');
    expect(transit.footpaths.links).toBeGreaterThan(10_000);
    // most stops snap to a walkable road
    expect(transit.footpaths.unsnapped).toBeLessThan(transit.feed.stopIds.length * 0.3);
  });

  it('Mannheim Hbf -> Heidelberg Bismarckplatz: every mode, legs continuous, transit via access and egress walks', async () => {
    const from = { lon: 8.4696, lat: 49.4797 };
    const to = { lon: 8.6931, lat: 49.4093 };
    const res = await mm.plan(planRequestSchema.parse({ from, to, departAt: '2016-11-08T08:00' }));
    const modes = new Set(res.options.map((o) => o.mode));
    for (const m of ['car', 'bike', 'transit', 'bike+transit', 'park+ride'] as const) expect(modes, `${m}: ${res.notes.join('; ')}`).toContain(m);
    expect(res.notes.join(' ')).toMatch(/walk: too far/);
    for (const o of res.options) expectContinuous(o, from, to);
    const t = res.options.find((o) => o.mode === 'transit')!;
    expect(t.legs[0].mode).toBe('walk');
    expect(t.legs.some((l) => l.mode === 'transit' && l.routeName && l.tripId && l.serviceDate === '20161108')).toBe(true);
    const pr = res.options.find((o) => o.mode === 'park+ride')!;
    expect(pr.legs[0].mode).toBe('car');
    expect(pr.legs[0].geometry.coordinates.length).toBeGreaterThan(5);
    // the car drive is quicker than the (regional-train-less) tram ride
    expect(res.options.find((o) => o.mode === 'car')!.arrivalMs).toBeLessThan(t.arrivalMs);
  });

  it('rejects a departure that is not a time', async () => {
    await expect(mm.plan(planRequestSchema.parse({ from: { lon: 8.47, lat: 49.48 }, to: { lon: 8.5, lat: 49.5 }, departAt: '2016-11-08T25:00' }))).rejects.toThrow(/departAt must be an ISO 8601 time/);
  });
});

describe('plan when walking beats every ride', () => {
  it('offers the walk and still the best ride with short walks, legs continuous', async () => {
    const network = await loadDefaultNetwork();
    const transit = createTransitPlanner({ feed: loadGtfsZip(readFileSync(join(ROOT, 'fixtures/gtfs/rnv-gtfs-2016.zip'))), network });
    const mm = createMultimodalPlanner({ transit, network });
    // two tram stops in Mannheim-Schönau 620 m apart (reference journey 20161107-1408)
    const from = { lon: 8.481055, lat: 49.544945 };
    const to = { lon: 8.481061, lat: 49.539378 };
    const res = await mm.plan(planRequestSchema.parse({ from, to, departAt: '2016-11-07T14:08', modes: ['transit', 'walk'] }));
    const walk = res.options.find((o) => o.mode === 'walk');
    const ride = res.options.find((o) => o.mode === 'transit');
    expect(walk).toBeDefined();
    expect(ride, res.notes.join('; ')).toBeDefined();
    expect(walk!.arrivalMs).toBeLessThanOrEqual(ride!.arrivalMs);
    expect(res.notes).toContain('transit: walking is faster');
    for (const o of res.options) expectContinuous(o, from, to);
    // access and egress walks of the ride are short
    for (const l of ride!.legs.filter((x) => x.mode === 'walk')) expect(l.seconds).toBeLessThanOrEqual(5 * 60 + 1);
  });
});
