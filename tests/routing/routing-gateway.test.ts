import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { createGateway, type Gateway } from '../../gateway/index.js';
import { createTokenSigner } from '../../core/auth/index.js';
import { silentLogger } from '../../core/log/index.js';
import { createRoutingRouter } from '../../gateway/http/routing-routes.js';
import { attachRoutingSockets } from '../../gateway/sockets/guidance-sockets.js';
import { gridCity } from './grid-city.js';
import { nodePoint, routingFixture } from './service-fixture.js';
import type { RoadRoute } from '../../core/contracts/routing.js';

const signer = createTokenSigner('test-secret-0123456789');
const network = gridCity({ cols: 20, rows: 20, seed: 31, oneway: 0.05 });
const fx = routingFixture(network);
let gw: Gateway;
let base = '';
const sockets: Socket[] = [];

beforeAll(async () => {
  gw = await createGateway({
    network,
    signer,
    logger: silentLogger(),
    mounts: [{ name: 'routing', router: (auth) => createRoutingRouter(fx.service, auth), sockets: (io) => attachRoutingSockets(io, fx.service) }],
  });
  const { port } = await gw.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await gw.close();
  fx.service.close();
});

const post = (path: string, body: unknown, token?: string) =>
  fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });

const A = nodePoint(network, 1 * 20 + 1);
const B = nodePoint(network, 18 * 20 + 17);

describe('routing over HTTP', () => {
  it('POST /api/route answers a route; bad input is a 400 naming the field', async () => {
    const r = await post('/api/route', { from: A, to: B }, signer.sign('traveller'));
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body.found).toBe(true);
    expect(body.best.geometry.type).toBe('LineString');
    expect(body.best.seconds).toBeGreaterThan(0);
    const bad = await post('/api/route', { from: { lon: A.lon, lat: 95 }, to: B }, signer.sign('traveller'));
    expect(bad.status).toBe(400);
    const p = await bad.json();
    expect(p.code).toBe('INVALID_INPUT');
    expect(p.field).toBe('from.lat');
    expect(p.detail).toBe('from.lat must be between -90 and 90');
    const far = await post('/api/route', { from: A, to: { lon: B.lon + 1, lat: B.lat } }, signer.sign('driver'));
    expect(far.status).toBe(422);
    expect((await far.json()).field).toBe('to');
  });

  it('roles: a viewer may route but not ask for a matrix; only operators may use the reference search', async () => {
    expect((await post('/api/route', { from: A, to: B }, signer.sign('viewer'))).status).toBe(200);
    expect((await post('/api/matrix', { points: [[A.lon, A.lat], [B.lon, B.lat]] }, signer.sign('viewer'))).status).toBe(403);
    expect((await post('/api/route', { from: A, to: B }))).toHaveProperty('status', 401);
    expect((await post('/api/route', { from: A, to: B, algorithm: 'reference' }, signer.sign('traveller'))).status).toBe(403);
    const ref = await post('/api/route', { from: A, to: B, algorithm: 'reference' }, signer.sign('operator'));
    expect(ref.status).toBe(200);
  });

  it('POST /api/matrix (dispatcher) and /api/isochrone', async () => {
    const m = await post('/api/matrix', { points: [[A.lon, A.lat], [B.lon, B.lat]], mode: 'car' }, signer.sign('dispatcher'));
    expect(m.status).toBe(200);
    const mb = await m.json();
    expect(mb.n).toBe(2);
    expect(mb.seconds[0][0]).toBe(0);
    const one = await (await post('/api/route', { from: A, to: B }, signer.sign('dispatcher'))).json();
    expect(mb.seconds[0][1]).toBeCloseTo(one.best.seconds, 6);
    const bad = await post('/api/matrix', { points: [[A.lon, -91]] }, signer.sign('dispatcher'));
    expect((await bad.json()).field).toBe('points[0][1]');
    const iso = await post('/api/isochrone', { from: A, minutes: 2 }, signer.sign('viewer'));
    expect(iso.status).toBe(200);
    const ib = await iso.json();
    expect(ib.type).toBe('Feature');
    expect(['Polygon', 'MultiPolygon']).toContain(ib.geometry.type);
  });
});

function client(token: string): Socket {
  const url = base;
  const s = connect(url, { auth: { token }, transports: ['websocket'], forceNew: true });
  sockets.push(s);
  return s;
}

const once = <T>(s: Socket, ev: string) => new Promise<T>((resolve) => s.once(ev, resolve));

describe('guidance over socket.io', () => {
  it('a driver gets guidance:reroute after an incident closes its route', async () => {
    const s = client(signer.sign('driver'));
    await once(s, 'connect');
    s.emit('guidance:start', { from: A, to: B });
    const started = await once<{ sessionId: string; route: RoadRoute }>(s, 'guidance:started');
    expect(started.route.edges.length).toBeGreaterThan(3);
    const closed = started.route.edges[Math.floor(started.route.edges.length / 2)];
    const rerouted = once<{ cause: string; route: RoadRoute; previousSeconds: number | null }>(s, 'guidance:reroute');
    fx.writer.set(closed, Infinity);
    fx.writer.commit();
    await fx.bus.publish('traffic:incident', {
      action: 'opened',
      incident: { id: 'x1', edges: [closed], lon: A.lon, lat: A.lat, kind: 'closure', severity: 5, closed: true },
    });
    const rr = await rerouted;
    expect(rr.cause).toBe('traffic:incident');
    expect(rr.previousSeconds).toBeNull();
    expect(rr.route.edges).not.toContain(closed);
    s.emit('guidance:position', { lon: 'x', lat: 1 });
    const err = await once<{ code: string; field: string }>(s, 'guidance:error');
    expect(err).toMatchObject({ code: 'INVALID_INPUT', field: 'lon' });
    expect(fx.service.stats().guidanceSessions).toBe(1);
    s.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(fx.service.stats().guidanceSessions).toBe(0);
    fx.writer.reset();
  });

  it('a viewer may not open a guidance session', async () => {
    const s = client(signer.sign('viewer'));
    await once(s, 'connect');
    s.emit('guidance:start', { from: A, to: B });
    const err = await once<{ code: string }>(s, 'guidance:error');
    expect(err.code).toBe('FORBIDDEN');
  });
});
