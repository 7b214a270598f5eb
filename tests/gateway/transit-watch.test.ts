import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { createGateway, type Gateway } from '../../gateway/index.js';
import { attachRoutingSockets } from '../../gateway/sockets/guidance-sockets.js';
import { createTokenSigner } from '../../core/auth/index.js';
import { silentLogger } from '../../core/log/index.js';
import { createMemoryBus } from '../../core/bus/index.js';
import { createMemoryStore } from '../../core/store/index.js';
import { manualClock } from '../../core/clock/index.js';
import { createRoutingService, type RoutingService } from '../../services/routing/index.js';
import { encodeTripUpdates } from '../../services/routing/transit/index.js';
import { gridNetwork } from '../helpers/grid-network.js';
import { gtfsZip, TINY } from '../routing/transit/tiny-feed.js';

const signer = createTokenSigner('transit-watch-secret-01');
let gw: Gateway;
let routing: RoutingService;
let base = '';
const sockets: Socket[] = [];

beforeAll(async () => {
  const network = gridNetwork(4);
  const clock = manualClock(Date.parse('2016-11-02T07:02:00+01:00'));
  routing = createRoutingService({
    network,
    live: network.live,
    bus: createMemoryBus(),
    store: createMemoryStore(),
    clock,
    logger: silentLogger(),
    transit: { gtfs: gtfsZip(TINY), networkFootpaths: false },
  });
  gw = await createGateway({ network, signer, logger: silentLogger(), mounts: [{ name: 'routing', sockets: (io) => attachRoutingSockets(io, routing) }] });
  base = `http://127.0.0.1:${(await gw.listen(0, '127.0.0.1')).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await gw.close();
  routing.close();
});

function open(role: 'traveller' | 'viewer'): Promise<Socket> {
  const s = connect(base, { auth: { token: signer.sign(role) }, transports: ['websocket'], reconnection: false });
  sockets.push(s);
  return new Promise((resolve) => s.on('connect', () => resolve(s)));
}

const once = <T>(s: Socket, event: string) =>
  new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${event}`)), 10_000);
    s.once(event, (p: T) => {
      clearTimeout(t);
      resolve(p);
    });
  });

describe('transit guidance over socket.io', () => {
  it('pushes guidance:transit-alert when realtime data breaks the watched connection', async () => {
    const transit = routing.transit!;
    const planned = transit.transit({ fromStop: 'A', toStop: 'D', departAt: '2016-11-02T06:59' });
    // the last option of the Pareto set changes vehicles, so a delay on the first trip can break it
    const option = planned.journeys[planned.journeys.length - 1];
    const s = await open('traveller');
    const watching = once(s, 'guidance:transit-watching');
    s.emit('guidance:transit-watch', { option });
    await watching;
    const alert = once<{ reason: string; brokenLeg: number }>(s, 'guidance:transit-alert');
    const ts = Date.parse('2016-11-02T06:00:00+01:00') / 1000;
    await transit.applyGtfsRealtime(encodeTripUpdates(ts, [{ tripId: 'r1a', startDate: '20161102', stops: [{ stopSequence: 2, arrivalDelay: 300, departureDelay: 300 }] }]));
    expect(await alert).toMatchObject({ reason: 'missed-connection', brokenLeg: 2 });
  });

  it('refuses a viewer and a malformed option with guidance:error, and keeps the socket', async () => {
    const v = await open('viewer');
    const refused = once<{ code: string }>(v, 'guidance:error');
    v.emit('guidance:transit-watch', { option: { mode: 'transit', legs: [] } });
    expect((await refused).code).toBe('FORBIDDEN');
    const t = await open('traveller');
    const bad = once<{ code: string; field: string }>(t, 'guidance:error');
    t.emit('guidance:transit-watch', { option: { mode: 'transit', legs: [] } });
    expect(await bad).toMatchObject({ code: 'INVALID_INPUT', field: 'option.legs' });
    expect(t.connected).toBe(true);
  });
});
