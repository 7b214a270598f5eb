import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../../../gateway/index.js';
import { createTokenSigner } from '../../../core/auth/index.js';
import { silentLogger } from '../../../core/log/index.js';
import { createTransitRouter } from '../../../gateway/http/transit-routes.js';
import { generateCity, buildGtfsZip } from '../../../core/sim/index.js';
import { encodeTripUpdates } from '../../../services/routing/transit/index.js';
import { routingFixture } from '../service-fixture.js';
import type { PlanResult, TransitResult } from '../../../core/contracts/routing-transit.js';

const signer = createTokenSigner('test-secret-0123456789');
const city = generateCity({ size: 2500, seed: 8 });
const fx = routingFixture(city.network, { transit: { gtfs: buildGtfsZip(city) } });
const bare = routingFixture(city.network);
let gw: Gateway;
let base = '';
const published: { at: number; tripIds: string[] }[] = [];

beforeAll(async () => {
  fx.bus.subscribe('gtfs:realtime', (p) => published.push(p));
  gw = await createGateway({
    network: city.network,
    signer,
    logger: silentLogger(),
    mounts: [{ name: 'transit', router: (auth) => createTransitRouter(fx.service, auth) }],
  });
  base = `http://127.0.0.1:${(await gw.listen(0, '127.0.0.1')).port}`;
});
afterAll(async () => {
  await gw.close();
  fx.service.close();
  bare.service.close();
});

const req = (method: string, path: string, body: unknown, token?: string, type = 'application/json') =>
  fetch(base + path, { method, headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: type === 'application/json' ? JSON.stringify(body) : (Buffer.from(body as Uint8Array) as unknown as BodyInit) });

const line = city.busLines.reduce((a, b) => (b.stops.length > a.stops.length ? b : a));
const first = line.stops[0];
const last = line.stops[line.stops.length - 1];
const departAt = '2026-03-03T08:00';

describe('transit over HTTP', () => {
  it('POST /api/plan answers walk + transit legs for a traveller; bad input is a 400 naming the field', async () => {
    const r = await req('POST', '/api/plan', { from: { lon: first.lon + 0.001, lat: first.lat }, to: { lon: last.lon, lat: last.lat + 0.0005 }, departAt, modes: ['transit', 'car'] }, signer.sign('traveller'));
    expect(r.status).toBe(200);
    const body = (await r.json()) as PlanResult;
    const t = body.options.find((o) => o.mode === 'transit');
    expect(t, body.notes.join('; ')).toBeDefined();
    expect(t!.legs.some((l) => l.mode === 'transit' && l.tripId)).toBe(true);
    expect(body.options.some((o) => o.mode === 'car')).toBe(true);
    const bad = await req('POST', '/api/plan', { from: { lon: 8, lat: 95 }, to: { lon: 8, lat: 49 } }, signer.sign('traveller'));
    expect(bad.status).toBe(400);
    const p = await bad.json();
    expect(p.code).toBe('INVALID_INPUT');
    expect(p.field).toBe('from.lat');
    expect(p.detail).toBe('from.lat must be between -90 and 90');
    const mode = await req('POST', '/api/plan', { from: { lon: 8, lat: 49 }, to: { lon: 8, lat: 49 }, modes: ['teleport'] }, signer.sign('driver'));
    expect((await mode.json()).field).toBe('modes[0]');
  });

  it('POST /api/transit answers stop to stop; an unknown stop is a 404 naming the field', async () => {
    const r = await req('POST', '/api/transit', { fromStop: first.id, toStop: last.id, departAt }, signer.sign('viewer'));
    expect(r.status).toBe(200);
    const body = (await r.json()) as TransitResult;
    expect(body.found).toBe(true);
    expect(body.journeys[0].legs[0].from.stopId).toBe(first.id);
    const unknown = await req('POST', '/api/transit', { fromStop: 'nowhere', toStop: last.id, departAt }, signer.sign('viewer'));
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).field).toBe('fromStop');
  });

  it('realtime upload is for operators; it is applied, summarised and published on the bus', async () => {
    const tripId = (await (await req('POST', '/api/transit', { fromStop: first.id, toStop: last.id, departAt }, signer.sign('operator'))).json()).journeys[0].legs[0].tripId as string;
    const pb = encodeTripUpdates(Date.parse('2026-03-03T07:55:00Z') / 1000, [{ tripId, startDate: '20260303', stops: [{ stopSequence: 1, departureDelay: 120 }] }]);
    const denied = await req('POST', '/api/transit/realtime', pb, signer.sign('traveller'), 'application/x-protobuf');
    expect(denied.status).toBe(403);
    const ok = await req('POST', '/api/transit/realtime', pb, signer.sign('operator'), 'application/x-protobuf');
    expect(ok.status).toBe(200);
    const s = await ok.json();
    expect(s).toMatchObject({ tripsMatched: 1, tripsDelayed: 1, stopUpdatesApplied: 1 });
    expect(published.at(-1)?.tripIds).toEqual([tripId]);
    const garbage = await req('POST', '/api/transit/realtime', new Uint8Array([0xff, 0xff, 0xff]), signer.sign('admin'), 'application/x-protobuf');
    expect(garbage.status).toBe(400);
    expect((await garbage.json()).code).toBe('INVALID_FILE');
    const info = await (await fetch(`${base}/api/transit/info`, { headers: { authorization: `Bearer ${signer.sign('viewer')}` } })).json();
    expect(info.realtime.trips).toBe(1);
    expect(info.stops).toBeGreaterThan(4);
  });

  it('POST /api/transit/check tells whether a planned journey still holds', async () => {
    const plan = (await (await req('POST', '/api/transit', { fromStop: first.id, toStop: last.id, departAt: '2026-03-03T10:00' }, signer.sign('traveller'))).json()) as TransitResult;
    const option = plan.journeys[plan.journeys.length - 1];
    const r = await req('POST', '/api/transit/check', { option, now: Date.parse('2026-03-03T09:59:00Z') }, signer.sign('traveller'));
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true, alert: null });
    const bad = await req('POST', '/api/transit/check', { option: { mode: 'transit', legs: [] } }, signer.sign('traveller'));
    expect(bad.status).toBe(400);
    expect((await bad.json()).field).toBe('option.legs');
  });

  it('no token is 401; a server without a GTFS feed answers 503', async () => {
    expect((await req('POST', '/api/plan', {})).status).toBe(401);
    const gw2 = await createGateway({ network: city.network, signer, logger: silentLogger(), mounts: [{ name: 'transit', router: (auth) => createTransitRouter(bare.service, auth) }] });
    const port = (await gw2.listen(0, '127.0.0.1')).port;
    const r = await fetch(`http://127.0.0.1:${port}/api/transit`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${signer.sign('traveller')}` }, body: JSON.stringify({ fromStop: 'a', toStop: 'b' }) });
    expect(r.status).toBe(503);
    expect((await r.json()).code).toBe('UNAVAILABLE');
    await gw2.close();
  });
});
