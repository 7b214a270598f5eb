import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { PNG } from 'pngjs';
import { createGateway, type Gateway } from '../../gateway/index.js';
import { createMapsRouter } from '../../gateway/http/maps-routes.js';
import { createTokenSigner } from '../../core/auth/index.js';
import { silentLogger } from '../../core/log/index.js';
import { createMemoryBus } from '../../core/bus/index.js';
import { createMemoryStore } from '../../core/store/index.js';
import { systemClock } from '../../core/clock/clock.js';
import { createRoutingService } from '../../services/routing/index.js';
import { CONGESTION_BANDS, CLOSED_COLOUR, ROUTE_COLOUR, START_COLOUR, END_COLOUR } from '../../core/viz/map-image.js';
import { gridNetwork } from '../helpers/grid-network.js';
import type { RoadNetwork } from '../../core/graph/index.js';

const signer = createTokenSigner('test-secret-0123456789');
const N = 6, STEP = 0.0015;
const node = (x: number, y: number) => y * N + x;
const RED = CONGESTION_BANDS[3].colour, GREEN = CONGESTION_BANDS[0].colour;

function edgeBetween(net: RoadNetwork, a: number, b: number): number {
  for (let e = 0; e < net.edgeCount; e++) if (net.data.edgeFrom[e] === a && net.data.edgeTo[e] === b) return e;
  throw new Error(`no edge ${a}->${b}`);
}

const net = gridNetwork(N);
const jammed = edgeBetween(net, node(1, 0), node(1, 1));
const closedLive = edgeBetween(net, node(3, 2), node(3, 3));
const servers: Gateway[] = [];
let base = '';
let noRouteBase = '';
const routing = createRoutingService({ network: net, live: net.live, bus: createMemoryBus(), store: createMemoryStore(), clock: systemClock, logger: silentLogger(), eagerCustomise: false });

async function start(mounts: Parameters<typeof createGateway>[0]['mounts']): Promise<string> {
  const gw = await createGateway({ network: net, signer, logger: silentLogger(), mounts });
  servers.push(gw);
  const { port } = await gw.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  base = await start([{ name: 'maps', router: (auth) => createMapsRouter({ network: net, congestion: (e) => (e === jammed ? 0.15 : 1), route: (r) => routing.route(r) }, auth) }]);
  // the default congestion source: the network's live weights
  noRouteBase = await start([{ name: 'maps', router: (auth) => createMapsRouter({ network: net }, auth) }]);
});
afterAll(async () => {
  for (const s of servers) await s.close();
  routing.close();
});

const token = (role: Parameters<typeof signer.sign>[0]) => signer.sign(role, role === 'sign' || role === 'vehicle' ? { sub: `${role}-1` } : {});
const get = (url: string, role?: Parameters<typeof signer.sign>[0]) => fetch(url, { headers: role ? { authorization: `Bearer ${token(role)}` } : {} });

async function png(r: Response) {
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('image/png');
  return PNG.sync.read(Buffer.from(await r.arrayBuffer()));
}

/** pixel at lon/lat for a picture of bbox (whose aspect did not need adjusting) */
function pixelAt(img: PNG, bbox: number[], lon: number, lat: number, dx = 0): number[] {
  const x = Math.round(((lon - bbox[0]) / (bbox[2] - bbox[0])) * img.width) + dx;
  const kx = Math.cos((((bbox[1] + bbox[3]) / 2) * Math.PI) / 180);
  const scale = img.width / ((bbox[2] - bbox[0]) * kx);
  const y = Math.round((bbox[3] - lat) * scale);
  const i = 4 * (y * img.width + x);
  return [img.data[i], img.data[i + 1], img.data[i + 2]];
}

const BBOX = [8 - 0.0005, 49 - 0.0005, 8 + 5 * STEP + 0.0005, 49 + 5 * STEP + 0.0005];

describe('GET /api/maps/congestion.png', () => {
  it('refuses without a token (401) and for roles that may not see it (403)', async () => {
    expect((await get(`${base}/api/maps/congestion.png`)).status).toBe(401);
    const r = await get(`${base}/api/maps/congestion.png`, 'sign');
    expect(r.status).toBe(403);
    expect((await r.json()).code).toBe('FORBIDDEN');
    expect((await get(`${base}/api/maps/congestion.png`, 'vehicle')).status).toBe(403);
  });

  it('names the bad field with 400 for a bad bbox or width', async () => {
    for (const [q, field] of [['bbox=8,49,7,50', 'bbox'], ['bbox=oops', 'bbox'], ['width=5000', 'width'], ['width=12', 'width'], ['width=abc', 'width']]) {
      const r = await get(`${base}/api/maps/congestion.png?${q}`, 'viewer');
      expect(r.status, q).toBe(400);
      const body = await r.json();
      expect(body.code).toBe('INVALID_INPUT');
      expect(body.field).toBe(field);
    }
  });

  it('returns a PNG of the requested width with the jammed edge red and a free one green', async () => {
    const img = await png(await get(`${base}/api/maps/congestion.png?bbox=${BBOX.join(',')}&width=480`, 'viewer'));
    expect(img.width).toBe(480);
    // zoomed in, each direction is drawn on its right: the jammed edge runs north, so east of the centreline
    expect(pixelAt(img, BBOX, 8 + STEP, 49 + STEP / 2, 3)).toEqual([...RED]);
    expect(pixelAt(img, BBOX, 8 + STEP, 49 + STEP / 2, -3)).toEqual([...GREEN]);
    expect(pixelAt(img, BBOX, 8 + 3 * STEP, 49 + STEP / 2, 3)).toEqual([...GREEN]);
    // the whole network without a bbox, default width
    const all = await png(await get(`${base}/api/maps/congestion.png`, 'dispatcher'));
    expect(all.width).toBe(1024);
  });

  it('reads the live weights by default: a closure committed by traffic shows black on the next picture', async () => {
    const url = `${noRouteBase}/api/maps/congestion.png?bbox=${BBOX.join(',')}&width=400`;
    const mid = [8 + 3 * STEP, 49 + 2.5 * STEP] as const;
    const before = await png(await get(url, 'operator'));
    expect(pixelAt(before, BBOX, ...mid, 3)).toEqual([...GREEN]);
    const w = net.liveWriterForTraffic();
    w.set(closedLive, Infinity);
    w.commit();
    try {
      const after = await png(await get(url, 'operator'));
      // the closed edge runs north: east of the centreline; its southbound twin stays green
      expect(pixelAt(after, BBOX, ...mid, 3)).toEqual([...CLOSED_COLOUR]);
      expect(pixelAt(after, BBOX, ...mid, -3)).toEqual([...GREEN]);
    } finally {
      w.reset();
    }
  });
});

describe('GET /api/maps/route.png', () => {
  const from = [8 + 0.2 * STEP, 49 + 0.02 * STEP];
  const to = [8 + 4.8 * STEP, 49 + 4.98 * STEP];
  const url = (q: string) => `${base}/api/maps/route.png?${q}`;

  it('refuses without a token, and for a viewer or a sign (403)', async () => {
    expect((await get(url(`from=${from}&to=${to}`))).status).toBe(401);
    expect((await get(url(`from=${from}&to=${to}`), 'viewer')).status).toBe(403);
    expect((await get(url(`from=${from}&to=${to}`), 'sign')).status).toBe(403);
  });

  it('names a bad from, to or mode with 400', async () => {
    for (const [q, field] of [[`to=${to}`, 'from'], [`from=8,99&to=${to}`, 'from'], [`from=${from}&to=x`, 'to'], [`from=${from}&to=${to}&mode=boat`, 'mode']]) {
      const r = await get(url(q), 'traveller');
      expect(r.status, q).toBe(400);
      expect((await r.json()).field).toBe(field);
    }
  });

  it('draws the route found by the routing service: blue along it, green start, red end', async () => {
    const r = await get(url(`from=${from}&to=${to}&mode=car&width=400`), 'traveller');
    const metres = Number(r.headers.get('x-route-metres'));
    const bbox = r.headers.get('x-map-bbox')!.split(',').map(Number);
    const img = await png(r);
    expect(img.width).toBe(400);
    // Manhattan distance across the grid, give or take the snapping
    expect(metres).toBeGreaterThan(4 * 110 + 4 * 160);
    expect(pixelAt(img, bbox, from[0], from[1])).toEqual([...START_COLOUR]);
    expect(pixelAt(img, bbox, to[0], to[1])).toEqual([...END_COLOUR]);
    // the route's own geometry, from the service, lies under blue pixels (away from the end markers)
    const result = routing.route({ from: { lon: from[0], lat: from[1] }, to: { lon: to[0], lat: to[1] }, mode: 'car' });
    if (!result.found) throw new Error('no route on the grid');
    const coords = result.best.geometry.coordinates;
    let blue = 0, checked = 0;
    for (let i = 1; i < coords.length; i++) {
      const mid = [(coords[i - 1][0] + coords[i][0]) / 2, (coords[i - 1][1] + coords[i][1]) / 2] as const;
      if (Math.hypot(mid[0] - from[0], mid[1] - from[1]) < STEP / 2 || Math.hypot(mid[0] - to[0], mid[1] - to[1]) < STEP / 2) continue;
      checked++;
      if (pixelAt(img, bbox, ...mid).join() === ROUTE_COLOUR.join()) blue++;
    }
    expect(checked).toBeGreaterThan(2);
    expect(blue).toBe(checked);
  });

  it('answers 422 for a point off the network and 503 where no routing service is wired', async () => {
    const off = await get(url(`from=9,50&to=${to}`), 'driver');
    expect(off.status).toBe(422);
    const none = await get(`${noRouteBase}/api/maps/route.png?from=${from}&to=${to}`, 'driver');
    expect(none.status).toBe(503);
  });
});
