import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { generateCity } from '../../core/sim/index.js';
import { MODE, type RoadNetwork } from '../../core/graph/index.js';
import { createTokenSigner } from '../../core/auth/index.js';
import { loadConfig } from '../../core/config/index.js';
import { silentLogger } from '../../core/log/index.js';
import { startUrbanflow, type Urbanflow } from '../../app/compose.js';

/**
 * The one picture, end to end on the simulated city: an operator reports an incident that
 * closes a bridge; traffic closes the edges; a traveller being guided over that bridge gets a
 * new route; the sign upstream shows a warning; clearing the incident clears the sign.
 */
const SECRET = 'integration-secret-0123';
const signer = createTokenSigner(SECRET);
let app: Urbanflow;
let base = '';
let network: RoadNetwork;
let bridges: number[] = [];
const sockets: Socket[] = [];

function api(method: string, path: string, role: Parameters<typeof signer.sign>[0], body?: unknown) {
  return fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${signer.sign(role, role === 'sign' || role === 'vehicle' ? { sub: 'x' } : {})}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

function nextEvent<T>(socket: Socket, event: string, ms = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    socket.once(event, (p: T) => {
      clearTimeout(t);
      resolve(p);
    });
  });
}

const point = (node: number) => ({ lon: network.data.nodeLon[node], lat: network.data.nodeLat[node] });

/** walk k car edges backwards (or forwards) from a node: a place a few blocks away */
function walk(node: number, k: number, backwards: boolean): number {
  const d = network.data;
  let v = node;
  for (let i = 0; i < k; i++) {
    const [off, edges, end] = backwards ? [network.inOffsets, network.inEdges, d.edgeFrom] : [network.outOffsets, network.outEdges, d.edgeTo];
    let next = -1;
    for (let j = off[v]; j < off[v + 1]; j++) if (d.edgeModes[edges[j]] & MODE.car) next = end[edges[j]];
    if (next < 0) break;
    v = next;
  }
  return v;
}

beforeAll(async () => {
  const city = generateCity({ size: 3000, seed: 11 });
  network = city.network;
  bridges = [...new Set(city.bridges)];
  const config = loadConfig({ env: {}, overrides: { port: 0, host: '127.0.0.1', tokenSecret: SECRET, dataDir: mkdtempSync(join(tmpdir(), 'uf-int-')), logLevel: 'silent' } });
  app = await startUrbanflow({ config, network, logger: silentLogger(), schedules: false });
  base = `http://127.0.0.1:${app.port}`;
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await app?.stop();
});

describe('incident on a bridge: traffic -> routing guidance and signage', () => {
  it('reroutes the guided traveller, warns on the upstream sign, and clears with the incident', async () => {
    const traveller = connect(base, { auth: { token: signer.sign('traveller') }, transports: ['websocket'], reconnection: false });
    sockets.push(traveller);
    await nextEvent(traveller, 'connect');

    // find a bridge that a guided route from a few blocks before it to a few blocks after it uses
    const d = network.data;
    type Started = { sessionId: string; route: { edges: number[]; seconds: number } };
    let bridge = -1;
    let started: Started | undefined;
    for (const b of bridges) {
      if (!(d.edgeModes[b] & MODE.car)) continue;
      const from = point(walk(d.edgeFrom[b], 6, true));
      const to = point(walk(d.edgeTo[b], 6, false));
      const wait = nextEvent<Started>(traveller, 'guidance:started');
      traveller.emit('guidance:start', { from, to, mode: 'car', rerouteSeconds: 0, rerouteFraction: 0 });
      const s = await wait;
      if (s.route.edges.includes(b)) {
        bridge = b;
        started = s;
        break;
      }
      const ended = nextEvent(traveller, 'guidance:ended');
      traveller.emit('guidance:stop');
      await ended;
    }
    expect(bridge, 'a guided route crosses a bridge').toBeGreaterThanOrEqual(0);
    const route = started!.route.edges;
    const upstream = route[Math.max(0, route.indexOf(bridge) - 2)];

    // a sign facing the route two edges before the bridge
    const g = network.edgeGeometry(upstream);
    const [slon, slat] = g[Math.floor(g.length / 2)];
    const created = await api('POST', '/api/signs', 'admin', { id: 'vms-bridge', name: 'Before the bridge', lon: slon, lat: slat, edge: upstream, type: 'full', width: 96, height: 32, groups: ['incident'] });
    expect(created.status, await created.clone().text()).toBe(201);
    const signSocket = connect(`${base}/signs`, { auth: { token: signer.sign('sign', { sub: 'vms-bridge' }) }, transports: ['websocket'], reconnection: false });
    sockets.push(signSocket);
    const first = await nextEvent<{ version: number; multi: string }>(signSocket, 'sign:state');

    // the wrong role is refused and nothing changes
    const [mlon, mlat] = network.edgeGeometry(bridge)[0].map((v, i) => (v + network.edgeGeometry(bridge).at(-1)![i]) / 2);
    const incidentBody = { lon: mlon, lat: mlat, kind: 'accident', severity: 4, closeRoad: true, radiusMetres: 15, description: 'bridge closed' };
    expect((await api('POST', '/api/incidents', 'viewer', incidentBody)).status).toBe(403);
    expect(network.live.isClosed(bridge)).toBe(false);

    const reroute = nextEvent<{ route: { edges: number[] } }>(traveller, 'guidance:reroute');
    const signChange = nextEvent<{ version: number; multi: string }>(signSocket, 'sign:state');
    const res = await api('POST', '/api/incidents', 'operator', incidentBody);
    expect(res.status, await res.clone().text()).toBe(201);
    const incident = (await res.json()) as { id: string };

    expect(network.live.isClosed(bridge)).toBe(true);
    const newRoute = await reroute;
    expect(newRoute.route.edges).not.toContain(bridge);
    const warned = await signChange;
    expect(warned.version).toBeGreaterThan(first.version);
    expect(warned.multi).toMatch(/ACCIDENT|CLOSED|INCIDENT/i);

    const cleared = nextEvent<{ version: number; multi: string }>(signSocket, 'sign:state');
    expect((await api('DELETE', `/api/incidents/${incident.id}`, 'operator')).status).toBeLessThan(300);
    const after = await cleared;
    expect(after.version).toBeGreaterThan(warned.version);
    expect(after.multi).not.toMatch(/ACCIDENT/i);
    expect(network.live.isClosed(bridge)).toBe(false);
  });
});
