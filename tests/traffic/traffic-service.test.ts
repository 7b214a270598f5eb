import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCity } from '../../core/sim/index.js';
import { createEmbeddedStore, createMemoryStore } from '../../core/store/index.js';
import { createMemoryBus } from '../../core/bus/index.js';
import { UrbanflowError } from '../../core/errors/index.js';
import { drive, randomPath, rng } from './helpers/grid-city.js';
import { T0, settle, trafficHarness } from './helpers/service.js';

const city = generateCity({ size: 2000, seed: 1 });
const network = city.network;
const d = network.data;

function carPathFrom(rand: () => number, count: number): number[] {
  for (;;) {
    const start = Math.floor(rand() * d.edgeCount);
    if ((d.edgeModes[start] & 1) === 0) continue;
    const p = randomPath(network, count, rand, start);
    if (p.length >= count) return p;
  }
}

async function expectError(p: Promise<unknown> | (() => unknown), code: string, field?: string) {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(UrbanflowError);
    expect((e as UrbanflowError).code).toBe(code);
    if (field !== undefined) expect((e as UrbanflowError).field).toBe(field);
    return e as UrbanflowError;
  }
  throw new Error(`expected ${code}`);
}

describe('traffic service on the simulated city', () => {
  it('estimates slowed edges from map-matched probes, writes live weights >= free flow and publishes them', async () => {
    const h = trafficHarness(network);
    const rand = rng(3);
    const path = carPathFrom(rand, 20);
    // the vehicles crawl at 40 % of free-flow speed on this path
    const speedOf = (e: number) => 0.4 * (d.edgeLength[e] / d.edgeFreeFlowSeconds[e]);
    const truth = new Map<number, number>();
    const all: { vehicleId: string; time: number; lon: number; lat: number }[] = [];
    for (let v = 0; v < 6; v++) {
      const sim = drive(network, path, { vehicleId: `car-${v}`, start: T0 + v * 30_000, noise: 5, speedOf, rand });
      for (const [e, t] of sim.truth) truth.set(e, t);
      all.push(...sim.pings);
    }
    all.sort((a, b) => a.time - b.time);
    // the pings arrive as they are sent, 30 s at a time, and the estimation tick runs after each batch;
    // the live time of an edge is read at the tick right after its latest observation
    const liveAfterLastObs = new Map<number, number>();
    let changedTotal = 0;
    for (let w = T0; w <= all.at(-1)!.time; w += 30_000) {
      const batch = all.filter((p) => p.time >= w && p.time < w + 30_000);
      h.clock.set(w + 30_000);
      if (batch.length) expect(await h.service.ingestProbes(batch)).toMatchObject({ accepted: batch.length, stale: 0 });
      changedTotal += (await h.service.tick()).changed ?? 0;
      for (const e of truth.keys()) {
        const lu = h.service.edgeState(e).lastUpdate;
        if (lu !== null && lu >= w - 30_000) liveAfterLastObs.set(e, network.live.seconds[e]);
      }
    }
    await settle();
    expect(changedTotal).toBeGreaterThan(0);
    let close = 0;
    for (const [e, t] of truth) {
      const live = liveAfterLastObs.get(e)!;
      expect(live).toBeGreaterThanOrEqual(d.edgeFreeFlowSeconds[e]);
      if (Math.abs(live / t - 1) < 0.15) close++;
      const s = h.service.edgeState(e);
      expect(s.source).toBe('probe');
      expect(s.observations).toBeGreaterThanOrEqual(4);
    }
    expect(close / truth.size).toBeGreaterThanOrEqual(0.85);
    // the edges driven last are still fresh: congested, confident
    const last = path[path.length - 2];
    expect(h.service.edgeState(last).level).not.toBe('free');
    expect(h.service.edgeState(last).confidence).toBeGreaterThan(0.5);
    // the bus carried exactly the edges whose live time changed
    const published = new Set(h.updates.flatMap((u) => u.edges.map((x) => x.edge)));
    for (const e of truth.keys()) expect(published.has(e)).toBe(true);
    expect(h.updates.at(-1)!.version).toBe(network.live.version);
    // nothing in the whole network is below free flow
    for (let e = 0; e < d.edgeCount; e++) expect(network.live.seconds[e]).toBeGreaterThanOrEqual(d.edgeFreeFlowSeconds[e]);
    // a second tick with nothing new publishes nothing
    const again = await h.service.tick();
    expect(again.changed).toBe(0);
    // much later, with no observations, the edges decay back to free flow and that is published too;
    // the silent vehicles are forgotten
    expect(h.service.stats().vehicles).toBe(6);
    h.clock.advance(4 * 3600_000);
    const late = await h.service.tick();
    expect(late.evictedVehicles).toBe(6);
    expect(h.service.stats().vehicles).toBe(0);
    for (const e of truth.keys()) expect(network.live.seconds[e]).toBeCloseTo(d.edgeFreeFlowSeconds[e], 6);
    expect(h.service.stats().activeEdges).toBe(0);
  });

  it('names the bad field of a probe batch and accepts nothing from it', async () => {
    const h = trafficHarness(network);
    const ok = { vehicleId: 'v1', time: T0, lon: d.nodeLon[0], lat: d.nodeLat[0] };
    const batch = [ok, ok, ok, { ...ok, lat: 123 }];
    const err = await expectError(h.service.ingestProbes(batch), 'INVALID_INPUT', 'pings[3].lat');
    expect(err.message).toContain('pings[3].lat');
    await expectError(h.service.ingestProbes([{ ...ok, time: T0 + 3600_000 }]), 'INVALID_INPUT', 'pings[0].time');
    await expectError(h.service.ingestProbes([{ ...ok, lon: Number.NaN }]), 'INVALID_INPUT', 'pings[0].lon');
    await expectError(h.service.ingestProbes([{ ...ok, vehicleId: '' }]), 'INVALID_INPUT', 'pings[0].vehicleId');
    expect(h.service.stats().probes.received).toBe(0);
    // stale pings (not newer than the vehicle's last) are dropped, not errors
    await h.service.ingestProbes([ok]);
    const r = await h.service.ingestProbes([ok]);
    expect(r).toMatchObject({ accepted: 0, stale: 1 });
  });

  it('detectors: registered durably, unknown ids refused, readings estimated, one bad reading cannot poison an edge', async () => {
    const h = trafficHarness(network);
    const edge = 10;
    await expectError(h.service.ingestDetectorReadings([{ detectorId: 'nope', at: T0, speedKmh: 30 }]), 'NOT_FOUND', 'readings[0].detectorId');
    await expectError(h.service.registerDetector({ id: 'd1', edge: d.edgeCount + 5 }), 'INVALID_INPUT', 'detectors[0].edge');
    await h.service.registerDetector({ id: 'd1', edge });
    expect(await h.store.get('traffic-detectors', 'd1')).toMatchObject({ id: 'd1', edge });
    const ffKmh = (d.edgeLength[edge] / d.edgeFreeFlowSeconds[edge]) * 3.6;
    const slow = ffKmh * 0.45;
    for (let i = 0; i < 10; i++) {
      h.clock.advance(60_000);
      await h.service.ingestDetectorReadings([{ detectorId: 'd1', at: h.clock.now(), speedKmh: slow * (1 + 0.05 * Math.sin(i)), flow: 900 }]);
    }
    await h.service.tick();
    const s1 = h.service.edgeState(edge);
    expect(s1.speedKmh / slow).toBeGreaterThan(0.9);
    expect(s1.speedKmh / slow).toBeLessThan(1.1);
    expect(s1.level).toBe('congested');
    expect(s1.source).toBe('detector');
    expect(s1.volumeCapacity).toBeCloseTo(900 / d.edgeCapacity[edge], 3);
    // a broken loop reports 1 km/h once: refused, the edge does not move
    h.clock.advance(60_000);
    const before = h.service.edgeState(edge);
    const r = await h.service.ingestDetectorReadings([{ detectorId: 'd1', at: h.clock.now(), speedKmh: 1 }]);
    expect(r).toEqual({ accepted: 0, rejected: 1 });
    await h.service.tick();
    expect(h.service.edgeState(edge).speedKmh).toBe(before.speedKmh);
    expect(h.service.edgeState(edge).level).toBe('congested');
    // speed from flow and occupancy when the detector sends no speed: 900 veh/h at 0.2 -> 29.25 km/h
    await h.service.registerDetector({ id: 'd2', edge: 11 });
    for (let i = 0; i < 8; i++) {
      h.clock.advance(60_000);
      await h.service.ingestDetectorReadings([{ detectorId: 'd2', at: h.clock.now(), flow: 900, occupancy: 0.2 }]);
    }
    const ff11 = (d.edgeLength[11] / d.edgeFreeFlowSeconds[11]) * 3.6;
    expect(h.service.edgeState(11).speedKmh).toBeCloseTo(Math.min(ff11, 29.25), 0);
  });

  it('an incident closes both directions at once, is durable and audited, and is restored when cleared', async () => {
    const h = trafficHarness(network);
    const e = carPathFrom(rng(5), 1)[0];
    const g = network.edgeGeometry(e);
    const lon = (g[0][0] + g[g.length - 1][0]) / 2;
    const lat = (g[0][1] + g[g.length - 1][1]) / 2;
    const viewerAttempt = await expectError(h.service.reportIncident({ lon: 0, lat: 0, kind: 'accident' }, { who: 'op' }), 'NOT_ON_NETWORK');
    expect(viewerAttempt.field).toBe('lon');
    await expectError(h.service.reportIncident({ lon, lat, kind: 'meteor' as 'other' }, { who: 'op' }), 'INVALID_INPUT', 'kind');
    const inc = await h.service.reportIncident({ lon, lat, kind: 'closure', expectedDurationMinutes: 30, description: 'burst water main' }, { who: 'operator-7', ip: '127.0.0.1' });
    expect(inc.edges).toContain(e);
    expect(inc.closed).toBe(true);
    for (const x of inc.edges) {
      expect(network.live.isClosed(x)).toBe(true);
      expect(h.service.edgeState(x)).toMatchObject({ closed: true, travelTimeSeconds: null, level: 'jammed', incidentIds: [inc.id] });
      expect(h.service.forecastSpeed(x, 10)).toBe(0);
      expect(h.service.forecastSpeed(x, 45)).toBeGreaterThan(0);
    }
    // the reverse direction of the same road is closed too
    const twin = inc.edges.find((x) => x !== e);
    if (twin !== undefined) expect(d.edgeFrom[twin]).toBe(d.edgeTo[e]);
    expect(await h.store.get('incidents', inc.id)).toMatchObject({ id: inc.id, status: 'active' });
    const audit = await h.store.readLog<{ who: string; action: string; ip: string }>('audit');
    expect(audit.map((a) => a.entry)).toEqual([expect.objectContaining({ who: 'operator-7', action: 'incident.report', ip: '127.0.0.1', before: null })]);
    await settle();
    expect(h.incidents.map((i) => i.action)).toEqual(['opened']);
    expect(h.updates.at(-1)!.edges.filter((u) => u.closed).map((u) => u.edge).sort()).toEqual([...inc.edges].sort());

    const cleared = await h.service.clearIncident(inc.id, { who: 'operator-8' });
    expect(cleared.status).toBe('cleared');
    for (const x of inc.edges) expect(network.live.seconds[x]).toBe(d.edgeFreeFlowSeconds[x]);
    await expectError(h.service.clearIncident(inc.id, { who: 'operator-8' }), 'CONFLICT');
    await expectError(h.service.clearIncident('inc-unknown', { who: 'operator-8' }), 'NOT_FOUND');
    await settle();
    expect(h.incidents.map((i) => i.action)).toEqual(['opened', 'cleared']);
    expect(h.service.listIncidents()).toEqual([]);
    expect(h.service.listIncidents('all').map((i) => i.id)).toEqual([inc.id]);
  });

  it('a lane-blocking incident raises travel time without closing, and expires on the tick', async () => {
    const h = trafficHarness(network);
    const e = carPathFrom(rng(8), 1)[0];
    const [lon, lat] = network.edgeGeometry(e)[0];
    const g = network.edgeGeometry(e);
    const inc = await h.service.reportIncident(
      { lon: (g[0][0] + g[1][0]) / 2, lat: (g[0][1] + g[1][1]) / 2, kind: 'breakdown', lanesBlocked: 0, severity: 3, expectedDurationMinutes: 20, bothDirections: false },
      { who: 'op' },
    );
    void lon;
    void lat;
    expect(inc.closed).toBe(false);
    expect(inc.edges).toHaveLength(1);
    const x = inc.edges[0];
    expect(network.live.seconds[x]).toBeCloseTo(d.edgeFreeFlowSeconds[x] * 1.3, 6);
    h.clock.advance(19 * 60_000);
    await h.service.tick();
    expect(network.live.seconds[x]).toBeGreaterThan(d.edgeFreeFlowSeconds[x]);
    h.clock.advance(2 * 60_000);
    const r = await h.service.tick();
    expect(r.expiredIncidents).toBe(1);
    expect(network.live.seconds[x]).toBe(d.edgeFreeFlowSeconds[x]);
    expect((await h.store.get<{ status: string }>('incidents', inc.id))!.status).toBe('expired');
    await settle();
    expect(h.incidents.map((i) => i.action)).toEqual(['opened', 'expired']);
  });

  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('incidents and detectors survive a restart on the embedded store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uf-traffic-'));
    dirs.push(dir);
    const e = carPathFrom(rng(11), 1)[0];
    const g = network.edgeGeometry(e);
    const store1 = await createEmbeddedStore({ dir });
    const h1 = trafficHarness(network, { store: store1 });
    await h1.service.start();
    const inc = await h1.service.reportIncident({ lon: g[0][0], lat: g[0][1], kind: 'closure', expectedDurationMinutes: 120, radiusMetres: 5 }, { who: 'op' });
    await h1.service.registerDetector({ id: 'loop-1', edge: 3 });
    await h1.service.ingestDetectorReadings([{ detectorId: 'loop-1', at: h1.clock.now(), speedKmh: 20 }]);
    expect(h1.service.stats().profiledEdges).toBe(1);
    await h1.service.stop();
    await store1.close();

    // a fresh process: network live weights back at free flow, new store instance on the same dir
    network.liveWriterForTraffic().reset();
    expect(network.live.isClosed(inc.edges[0])).toBe(false);
    const store2 = await createEmbeddedStore({ dir });
    // cron enabled in config, but the caller asks for no schedules: state is loaded all the same
    const h2 = trafficHarness(network, { store: store2, config: { schedules: { enabled: true } } });
    await h2.service.start({ schedules: false });
    expect(h2.service.listIncidents().map((i) => i.id)).toEqual([inc.id]);
    for (const x of inc.edges) expect(network.live.isClosed(x)).toBe(true);
    expect(h2.service.listDetectors().map((x) => x.id)).toEqual(['loop-1']);
    // the learnt time-of-day profile came back too (one record per edge)
    expect(h2.service.stats().profiledEdges).toBe(1);
    expect(await store2.list('traffic-profile')).toEqual([expect.objectContaining({ edge: 3, binsPerDay: 96, rows: [[32, expect.any(Number), 1]] })]);
    await h2.service.stop();
    await store2.close();
  });

  it('two processes on one store and bus: an incident reported on one closes the road in the other', async () => {
    const store = createMemoryStore();
    const bus = createMemoryBus();
    const netA = generateCity({ size: 2000, seed: 1 }).network;
    const netB = generateCity({ size: 2000, seed: 1 }).network;
    const a = trafficHarness(netA, { store, bus });
    const b = trafficHarness(netB, { store, bus });
    await a.service.start({ schedules: false });
    await b.service.start({ schedules: false });
    const e = carPathFrom(rng(21), 1)[0];
    const g = netA.edgeGeometry(e);
    const inc = await a.service.reportIncident({ lon: g[0][0], lat: g[0][1], kind: 'closure', radiusMetres: 5 }, { who: 'op' });
    for (let i = 0; i < 5; i++) await settle();
    for (const x of inc.edges) expect(netB.live.isClosed(x)).toBe(true);
    expect(b.service.listIncidents().map((i) => i.id)).toEqual([inc.id]);
    await b.service.clearIncident(inc.id, { who: 'op2' });
    for (let i = 0; i < 5; i++) await settle();
    for (const x of inc.edges) expect(netA.live.isClosed(x)).toBe(false);
    expect(a.service.listIncidents()).toEqual([]);
    // exactly one report and one clear were audited, whichever process did them
    expect((await store.readLog<{ action: string }>('audit')).map((x) => x.entry.action)).toEqual(['incident.report', 'incident.clear']);
    // both processes tick past an expiry: it is written and audited once, and both reopen the road
    const short = await b.service.reportIncident({ lon: g[0][0], lat: g[0][1], kind: 'closure', radiusMetres: 5, expectedDurationMinutes: 1 }, { who: 'op' });
    for (let i = 0; i < 5; i++) await settle();
    expect(netA.live.isClosed(short.edges[0])).toBe(true);
    a.clock.advance(120_000);
    b.clock.advance(120_000);
    await a.service.tick();
    await b.service.tick();
    for (let i = 0; i < 5; i++) await settle();
    expect(netA.live.isClosed(short.edges[0])).toBe(false);
    expect(netB.live.isClosed(short.edges[0])).toBe(false);
    expect((await store.readLog<{ action: string }>('audit')).map((x) => x.entry.action)).toEqual(['incident.report', 'incident.clear', 'incident.report', 'incident.expire']);
    await a.service.stop();
    await b.service.stop();
  });

  it('re-assignment hands current capacities to the assignment and uses its times as the prior', async () => {
    const seen: Float64Array[] = [];
    const h = trafficHarness(network, {
      extra: {
        reassign: async (factor) => {
          seen.push(factor);
          return Float64Array.from(d.edgeFreeFlowSeconds, (x) => x * 1.5);
        },
      },
    });
    const e = carPathFrom(rng(13), 1)[0];
    const g = network.edgeGeometry(e);
    const inc = await h.service.reportIncident({ lon: g[0][0], lat: g[0][1], kind: 'roadworks', lanesBlocked: 20, radiusMetres: 5 }, { who: 'op' });
    const r = await h.service.tick('assignment');
    expect(r.changed).toBeGreaterThan(100);
    expect(seen[0][inc.edges[0]]).toBe(0);
    expect(seen[0].filter((x) => x === 1).length).toBe(d.edgeCount - inc.edges.length);
    const other = inc.edges.includes(0) ? 1 : 0;
    expect(network.live.seconds[other]).toBeCloseTo(d.edgeFreeFlowSeconds[other] * 1.5, 6);
    expect(network.live.isClosed(inc.edges[0])).toBe(true);
    // without an assignment configured the job says so
    const plain = trafficHarness(network);
    expect((await plain.service.tick('assignment')).skipped).toMatch(/no assignment/);
    expect((await plain.service.tick('forecast')).skipped).toMatch(/no forecast model/);
  });

  it('re-assigns the demand of the simulated city with the assignment module; a closure shifts the load', async () => {
    const demand = { zones: city.zones, trips: city.demand };
    const h = trafficHarness(network, { extra: { demand } });
    const r1 = await h.service.tick('assignment');
    expect(r1.skipped).toBeUndefined();
    expect(r1.changed).toBeGreaterThan(0);
    const loaded = [...Array(d.edgeCount).keys()].filter((e) => network.live.seconds[e] > d.edgeFreeFlowSeconds[e] * 1.05);
    expect(loaded.length).toBeGreaterThan(0);
    for (let e = 0; e < d.edgeCount; e++) expect(network.live.seconds[e]).toBeGreaterThanOrEqual(d.edgeFreeFlowSeconds[e]);
    // close the most loaded edge: after re-assignment it is Infinity and the rest still carry the demand
    const worst = loaded.reduce((a, b) => (network.live.seconds[a] / d.edgeFreeFlowSeconds[a] > network.live.seconds[b] / d.edgeFreeFlowSeconds[b] ? a : b));
    const g = network.edgeGeometry(worst);
    const inc = await h.service.reportIncident({ lon: (g[0][0] + g[1][0]) / 2, lat: (g[0][1] + g[1][1]) / 2, kind: 'closure', radiusMetres: 3 }, { who: 'op' });
    expect(inc.edges).toContain(worst);
    const before = Float64Array.from(network.live.seconds);
    const r2 = await h.service.tick('assignment');
    expect(r2.changed).toBeGreaterThan(0);
    expect(network.live.isClosed(worst)).toBe(true);
    let rose = 0;
    for (let e = 0; e < d.edgeCount; e++) if (!inc.edges.includes(e) && network.live.seconds[e] > before[e] * 1.01) rose++;
    expect(rose).toBeGreaterThan(0);
  });

  it('bbox pages cover every car edge once; minLevel filters; unknown edges are NOT_FOUND', async () => {
    const h = trafficHarness(network);
    const bbox: [number, number, number, number] = [-180, -90, 180, 90];
    const seen = new Set<number>();
    let cursor: number | null = 0;
    let pages = 0;
    while (cursor !== null) {
      const page = h.service.edgesInBbox(bbox, { limit: 500, cursor });
      for (const f of page.features) {
        expect(seen.has(f.id)).toBe(false);
        seen.add(f.id);
        expect(f.geometry.coordinates.length).toBeGreaterThanOrEqual(2);
        expect(f.properties.level).toBe('free');
      }
      cursor = page.nextCursor;
      pages++;
    }
    let car = 0;
    for (let e = 0; e < d.edgeCount; e++) if (d.edgeModes[e] & 1) car++;
    expect(seen.size).toBe(car);
    expect(pages).toBe(Math.ceil(car / 500));
    expect(h.service.edgesInBbox(bbox, { minLevel: 'slow' }).total).toBe(0);
    const e = carPathFrom(rng(17), 1)[0];
    const g = network.edgeGeometry(e);
    await h.service.reportIncident({ lon: g[0][0], lat: g[0][1], kind: 'closure', radiusMetres: 5, bothDirections: false }, { who: 'op' });
    expect(h.service.edgesInBbox(bbox, { minLevel: 'jammed' }).features.map((f) => f.id)).toHaveLength(1);
    expect(() => h.service.edgeState(d.edgeCount)).toThrow(/not found/);
    expect(() => h.service.edgeState(-1)).toThrow(UrbanflowError);
  });

  it('rejects a bad cron expression as CONFIG and starts/stops real cron without waiting on it', async () => {
    expect(() => trafficHarness(network, { config: { schedules: { estimation: 'every second' } } })).toThrow(/cron/);
    const h = trafficHarness(network, { config: { schedules: { enabled: true, estimation: '*/1 * * * * *' } } });
    await h.service.start();
    await h.service.stop();
  });
});
