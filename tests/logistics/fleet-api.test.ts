import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createGateway, type Gateway } from '../../gateway/index.js';
import { createLogisticsRouter } from '../../gateway/http/logistics-routes.js';
import { createTokenSigner, type Role } from '../../core/auth/index.js';
import { silentLogger } from '../../core/log/index.js';
import { createMemoryBus } from '../../core/bus/index.js';
import { createMemoryStore } from '../../core/store/index.js';
import { manualClock } from '../../core/clock/index.js';
import { createLogisticsService, type LogisticsService } from '../../services/logistics/index.js';
import { haversineMatrix } from './haversine-matrix.js';
import { gridNetwork } from '../helpers/grid-network.js';

const signer = createTokenSigner('fleet-api-secret-0123');
const T0 = Date.parse('2026-11-23T08:00:00Z');
let gw: Gateway;
let service: LogisticsService;
let base = '';

beforeAll(async () => {
  const network = gridNetwork(4);
  service = createLogisticsService({
    network,
    live: network.live,
    bus: createMemoryBus(),
    store: createMemoryStore(),
    clock: manualClock(T0),
    logger: silentLogger(),
    travelMatrix: haversineMatrix(),
  });
  await service.start({ schedules: false });
  gw = await createGateway({ network, signer, logger: silentLogger(), mounts: [{ name: 'logistics', router: (auth) => createLogisticsRouter(service, auth) }] });
  base = `http://127.0.0.1:${(await gw.listen(0, '127.0.0.1')).port}`;
});
afterAll(async () => {
  await gw.close();
  await service.stop();
});

const call = (method: string, path: string, role: Role, body?: unknown) =>
  fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${signer.sign(role, role === 'vehicle' ? { sub: 'v1' } : {})}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('fleet registration over HTTP', () => {
  it('optimising with no fleet answers with every order unassigned, not an error', async () => {
    const r = await call('POST', '/api/dispatch/optimize', 'dispatcher', {});
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ plans: [], unassigned: [], vehicles: 0 });
  });

  it('dispatchers register hubs and vehicles; other roles are refused; bad input names the field', async () => {
    const hub = { id: 'h1', location: [8.002, 49.002], docks: 2 };
    expect((await call('POST', '/api/hubs', 'driver', hub)).status).toBe(403);
    expect((await call('POST', '/api/hubs', 'dispatcher', hub)).status).toBe(201);
    const vehicle = { id: 'v1', hubId: 'h1', mode: 'car', capacity: { kg: 500, m3: 4 }, shift: [T0, T0 + 8 * 3600_000] };
    const unknownHub = await call('POST', '/api/vehicles', 'dispatcher', { ...vehicle, hubId: 'nowhere' });
    expect(unknownHub.status).toBe(400);
    expect((await unknownHub.json()).field).toBe('hubId');
    expect((await call('POST', '/api/vehicles', 'vehicle', vehicle)).status).toBe(403);
    expect((await call('POST', '/api/vehicles', 'dispatcher', vehicle)).status).toBe(201);
    const hubs = await (await call('GET', '/api/hubs', 'dispatcher')).json();
    expect(hubs.hubs.map((h: { id: string }) => h.id)).toEqual(['h1']);
  });

  it('an order is then planned onto the registered vehicle', async () => {
    const order = { shipper: 'acme', pickup: { hubId: 'any' }, delivery: { location: [8.004, 49.004], windows: [[T0, T0 + 4 * 3600_000]], serviceSeconds: 120 }, size: { kg: 20, m3: 0.1 } };
    const created = await call('POST', '/api/orders', 'dispatcher', order);
    expect(created.status).toBe(201);
    const r = await call('POST', '/api/dispatch/optimize', 'dispatcher', { timeLimitSeconds: 1 });
    const result = await r.json();
    expect(result.plans.map((p: { vehicleId: string }) => p.vehicleId)).toEqual(['v1']);
    expect(result.unassigned).toEqual([]);
  });
});
