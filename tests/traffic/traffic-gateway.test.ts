import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { createTokenSigner } from '../../core/auth/index.js';
import type { TrafficUpdateMessage } from '../../core/contracts/traffic.js';
import { silentLogger } from '../../core/log/index.js';
import { generateCity } from '../../core/sim/index.js';
import { createGateway, type Gateway } from '../../gateway/index.js';
import { createTrafficRouter } from '../../gateway/http/traffic-routes.js';
import { attachTrafficSockets } from '../../gateway/sockets/traffic-sockets.js';
import { trafficHarness } from './helpers/service.js';
import { drive, randomPath, rng } from './helpers/grid-city.js';

const network = generateCity({ size: 2000, seed: 1 }).network;
const d = network.data;
const signer = createTokenSigner('traffic-test-secret-0123');
const h = trafficHarness(network);
let gw: Gateway;
let base = '';
let detach: () => void = () => {};
const sockets: Socket[] = [];

beforeAll(async () => {
  gw = await createGateway({
    network,
    signer,
    logger: silentLogger(),
    mounts: [{ name: 'traffic', router: (auth) => createTrafficRouter(h.service, auth), sockets: (io) => (detach = attachTrafficSockets(io, h.service)) }],
  });
  base = `http://127.0.0.1:${(await gw.listen(0, '127.0.0.1')).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  detach();
  await gw.close();
});

const call = (method: string, path: string, token: string, body?: unknown) =>
  fetch(base + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

/** the midpoint of a car edge's first segment */
function pointOn(e: number): [number, number] {
  const g = network.edgeGeometry(e);
  return [(g[0][0] + g[1][0]) / 2, (g[0][1] + g[1][1]) / 2];
}
const carEdges = [...Array(d.edgeCount).keys()].filter((e) => d.edgeModes[e] & 1);

describe('traffic over HTTP', () => {
  it('only operators and admins may report and clear incidents; a viewer gets 403', async () => {
    const [lon, lat] = pointOn(carEdges[5]);
    const viewer = signer.sign('viewer');
    const operator = signer.sign('operator', { sub: 'olga' });
    const denied = await call('POST', '/api/incidents', viewer, { lon, lat, kind: 'accident' });
    expect(denied.status).toBe(403);
    expect((await denied.json()).code).toBe('FORBIDDEN');
    const bad = await call('POST', '/api/incidents', operator, { lon, lat: 91, kind: 'accident' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).field).toBe('lat');
    const created = await call('POST', '/api/incidents', operator, { lon, lat, kind: 'accident', lanesBlocked: 1, severity: 3 });
    expect(created.status).toBe(201);
    const inc = await created.json();
    expect(inc.reportedBy).toBe('operator:olga');
    expect(created.headers.get('location')).toBe(`/api/incidents/${inc.id}`);
    const listed = await (await call('GET', '/api/incidents', viewer)).json();
    expect(listed.incidents.map((i: { id: string }) => i.id)).toContain(inc.id);
    expect((await call('DELETE', `/api/incidents/${inc.id}`, viewer)).status).toBe(403);
    const cleared = await call('DELETE', `/api/incidents/${inc.id}`, operator);
    expect(cleared.status).toBe(200);
    expect((await cleared.json()).status).toBe('cleared');
    expect((await call('DELETE', `/api/incidents/${inc.id}`, operator)).status).toBe(409);
    expect((await call('GET', '/api/incidents/nope', viewer)).status).toBe(404);
    const audit = await h.store.readLog<{ who: string; ip: string; action: string }>('audit');
    expect(audit.map((a) => a.entry.action)).toEqual(['incident.report', 'incident.clear']);
    expect(audit[0].entry.ip).toMatch(/127\.0\.0\.1/);
  });

  it('probe batches: 400 naming pings[3].lat, size cap, vehicles report only themselves', async () => {
    const [lon, lat] = pointOn(carEdges[0]);
    const now = Date.now();
    h.clock.set(now);
    const ping = (i: number, id = 'bus-7') => ({ vehicleId: id, time: now - 10_000 + i * 1000, lon, lat });
    const driver = signer.sign('driver', { sub: 'dan' });
    const bad = await call('POST', '/api/traffic/probes', driver, { pings: [ping(0), ping(1), ping(2), { ...ping(3), lat: 95 }] });
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body).toMatchObject({ code: 'INVALID_INPUT', field: 'pings[3].lat' });
    expect(body.detail).toContain('pings[3].lat');
    const badTime = await call('POST', '/api/traffic/probes', driver, { pings: [{ ...ping(0), time: 'yesterday-ish' }] });
    expect((await badTime.json()).field).toBe('pings[0].time');
    const huge = await call('POST', '/api/traffic/probes', driver, { pings: Array.from({ length: 10_001 }, (_, i) => ping(i % 5)) });
    expect(huge.status).toBe(400);
    expect((await huge.json()).field).toBe('pings');
    const ok = await call('POST', '/api/traffic/probes', driver, { pings: [ping(0), ping(1), ping(2)] });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ accepted: 3, stale: 0, vehicles: 1 });
    const vehicle = signer.sign('vehicle', { sub: 'tram-1' });
    const spoof = await call('POST', '/api/traffic/probes', vehicle, { pings: [ping(0, 'tram-1'), ping(1, 'tram-2')] });
    expect(spoof.status).toBe(403);
    expect((await spoof.json()).field).toBe('pings[1].vehicleId');
    expect((await call('POST', '/api/traffic/probes', signer.sign('viewer'), { pings: [ping(0)] })).status).toBe(403);
  });

  it('detectors and edge state: unknown detector 404 with field, edge GeoJSON, bad ids 400/404', async () => {
    const operator = signer.sign('operator');
    const viewer = signer.sign('viewer');
    const unknown = await call('POST', '/api/traffic/detectors/readings', operator, { readings: [{ detectorId: 'ghost', at: Date.now(), speedKmh: 20 }] });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).field).toBe('readings[0].detectorId');
    const reg = await call('POST', '/api/traffic/detectors', operator, { detectors: [{ id: 'loop-a', edge: carEdges[1] }] });
    expect(reg.status).toBe(201);
    expect((await call('POST', '/api/traffic/detectors', viewer, { detectors: [{ id: 'x', edge: 1 }] })).status).toBe(403);
    const readings = await call('POST', '/api/traffic/detectors/readings', operator, { readings: [{ detectorId: 'loop-a', at: new Date(h.clock.now()).toISOString(), speedKmh: 10, flow: 600 }] });
    expect(readings.status).toBe(200);
    expect(await readings.json()).toEqual({ accepted: 1, rejected: 0 });
    // the same through POST /traffic/detectors with a readings body
    const viaMain = await call('POST', '/api/traffic/detectors', operator, { readings: [{ detectorId: 'loop-a', at: h.clock.now(), speedKmh: 11 }] });
    expect(viaMain.status).toBe(200);
    expect(await viaMain.json()).toEqual({ accepted: 1, rejected: 0 });
    const neither = await call('POST', '/api/traffic/detectors', operator, {});
    expect(neither.status).toBe(400);
    expect((await neither.json()).field).toBe('detectors');
    const edge = await (await call('GET', `/api/traffic/edges/${carEdges[1]}`, viewer)).json();
    expect(edge.type).toBe('Feature');
    expect(edge.geometry.type).toBe('LineString');
    expect(edge.properties).toMatchObject({ edge: carEdges[1], source: 'detector', observations: 2 });
    expect(edge.properties.speedKmh).toBeLessThan(edge.properties.freeFlowSpeedKmh);
    expect((await call('GET', '/api/traffic/edges/abc', viewer)).status).toBe(400);
    expect((await call('GET', `/api/traffic/edges/${d.edgeCount}`, viewer)).status).toBe(404);
    const fc = await call('GET', `/api/traffic/edges/${carEdges[1]}/forecast?minutes=30`, viewer);
    expect((await fc.json()).speedKmh).toBeGreaterThan(0);
    const [lon, lat] = pointOn(carEdges[1]);
    const page = await (await call('GET', `/api/traffic/edges?bbox=${lon - 0.002},${lat - 0.002},${lon + 0.002},${lat + 0.002}&limit=2`, viewer)).json();
    expect(page.type).toBe('FeatureCollection');
    expect(page.features.length).toBeLessThanOrEqual(2);
    expect(page.total).toBeGreaterThanOrEqual(page.features.length);
    const badBbox = await call('GET', '/api/traffic/edges?bbox=1,2,3', viewer);
    expect((await badBbox.json()).field).toBe('bbox');
  });
});

function open(token: string): Promise<Socket> {
  const s = connect(base, { auth: { token }, transports: ['websocket'], forceNew: true });
  sockets.push(s);
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}
const emit = <T>(s: Socket, event: string, payload: unknown) => new Promise<T>((resolve) => s.emit(event, payload, resolve));
const next = (s: Socket) => new Promise<TrafficUpdateMessage>((resolve) => s.once('traffic:update', resolve));

describe('traffic over socket.io', () => {
  it('pushes traffic:update only for edges inside the subscribed bbox, in a room the server names', async () => {
    const a = carEdges[40];
    const [alon, alat] = pointOn(a);
    // b: an edge far from a
    const b = carEdges.find((e) => {
      const [lon, lat] = pointOn(e);
      return Math.abs(lon - alon) > 0.01 || Math.abs(lat - alat) > 0.01;
    })!;
    const [blon, blat] = pointOn(b);
    const near = await open(signer.sign('viewer'));
    const far = await open(signer.sign('traveller'));
    const boxA = [alon - 0.0005, alat - 0.0005, alon + 0.0005, alat + 0.0005];
    const ackA = await emit<{ ok: boolean; room: string }>(near, 'traffic:subscribe', { bbox: boxA });
    expect(ackA.ok).toBe(true);
    expect(ackA.room).toMatch(/^traffic:bbox:/);
    const ackB = await emit<{ ok: boolean; room: string }>(far, 'traffic:subscribe', { bbox: `${blon - 0.0005},${blat - 0.0005},${blon + 0.0005},${blat + 0.0005}` });
    expect(ackB.ok).toBe(true);
    const badAck = await emit<{ ok: boolean; code: string; field: string }>(far, 'traffic:subscribe', { bbox: [1, 2, 3] });
    expect(badAck).toMatchObject({ ok: false, code: 'INVALID_INPUT', field: 'bbox' });

    const gotNear = next(near);
    const gotFar = next(far);
    const operator = signer.sign('operator');
    const r1 = await call('POST', '/api/incidents', operator, { lon: alon, lat: alat, kind: 'closure', radiusMetres: 5, bothDirections: false });
    expect(r1.status).toBe(201);
    const m1 = await gotNear;
    expect(m1.edges.map((x) => x.edge)).toEqual([a]);
    expect(m1.edges[0]).toMatchObject({ closed: true, seconds: null, level: 'jammed', speedKmh: 0 });
    expect(m1.bbox).toEqual(boxA.map((x) => Math.round(x * 1e5) / 1e5));
    // the far subscriber's first message is about its own edge, not about a
    const r2 = await call('POST', '/api/incidents', operator, { lon: blon, lat: blat, kind: 'closure', radiusMetres: 5, bothDirections: false });
    expect(r2.status).toBe(201);
    const m2 = await gotFar;
    expect(m2.edges.map((x) => x.edge)).toEqual([b]);
    // a late subscriber to a's box first gets a snapshot holding the closed edge
    const late = await open(signer.sign('viewer'));
    const snap = new Promise<TrafficUpdateMessage>((resolve) => late.once('traffic:snapshot', resolve));
    await emit(late, 'traffic:subscribe', { bbox: boxA });
    const s0 = await snap;
    expect(s0.edges.find((x) => x.edge === a)).toMatchObject({ closed: true, seconds: null, level: 'jammed' });
  });

  it('a vehicle streaming a slow drive over probe:ping turns into traffic:update for a subscriber of that area', async () => {
    const rand = rng(31);
    let path: number[] = [];
    while (path.length < 12) path = randomPath(network, 12, rand, carEdges[Math.floor(rand() * carEdges.length)]);
    const t0 = Date.now() - 3600_000;
    const sim = drive(network, path, { vehicleId: 'ignored', start: t0, noise: 4, speedOf: (e) => 0.35 * (d.edgeLength[e] / d.edgeFreeFlowSeconds[e]), rand });
    // the subscriber watches the box around the drive
    const lons = sim.pings.map((p) => p.lon);
    const lats = sim.pings.map((p) => p.lat);
    const watcher = await open(signer.sign('viewer'));
    expect((await emit<{ ok: boolean }>(watcher, 'traffic:subscribe', { bbox: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)] })).ok).toBe(true);
    const vehicle = await open(signer.sign('vehicle', { sub: 'slow-van' }));
    h.clock.set(sim.pings.at(-1)!.time);
    for (let i = 0; i < sim.pings.length; i += 50) {
      const chunk = sim.pings.slice(i, i + 50).map(({ time, lon, lat }) => ({ time, lon, lat }));
      const ack = await emit<{ ok: boolean; accepted: number }>(vehicle, 'probe:ping', { pings: chunk });
      expect(ack).toMatchObject({ ok: true, accepted: chunk.length });
    }
    const got = next(watcher);
    await h.service.tick();
    const msg = await got;
    const inner = new Set(path.slice(1, -1));
    const slowed = msg.edges.filter((x) => inner.has(x.edge));
    expect(slowed.length).toBeGreaterThan(0);
    for (const x of slowed) expect(x.level).not.toBe('free');
    expect(h.service.stats().vehicles).toBeGreaterThan(0);
  });

  it('probe:ping streams from vehicle sockets under the token id; other roles are refused', async () => {
    const [lon, lat] = pointOn(carEdges[60]);
    h.clock.set(Date.now());
    const vehicle = await open(signer.sign('vehicle', { sub: 'taxi-42' }));
    const ack = await emit<{ ok: boolean; accepted: number; vehicles: number }>(vehicle, 'probe:ping', { time: Date.now(), lon, lat, speed: 8 });
    expect(ack).toMatchObject({ ok: true, accepted: 1, vehicles: 1 });
    const batch = await emit<{ ok: boolean; accepted: number }>(vehicle, 'probe:ping', { pings: [{ time: Date.now() + 1000, lon, lat }, { time: Date.now() + 2000, lon, lat }] });
    expect(batch).toMatchObject({ ok: true, accepted: 2 });
    const bad = await emit<{ ok: boolean; field: string }>(vehicle, 'probe:ping', { time: Date.now(), lon: 200, lat });
    expect(bad).toMatchObject({ ok: false, field: 'lon' });
    const viewer = await open(signer.sign('viewer'));
    const refused = await emit<{ ok: boolean; code: string }>(viewer, 'probe:ping', { time: Date.now(), lon, lat });
    expect(refused).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});
