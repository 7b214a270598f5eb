import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { createGateway, type Gateway } from '../../gateway/index.js';
import { createLogisticsRouter } from '../../gateway/http/logistics-routes.js';
import { attachLogisticsSockets } from '../../gateway/sockets/logistics-sockets.js';
import { createTokenSigner } from '../../core/auth/index.js';
import { silentLogger } from '../../core/log/index.js';
import { createMemoryStore } from '../../core/store/index.js';
import { createMemoryBus } from '../../core/bus/index.js';
import { manualClock } from '../../core/clock/index.js';
import type { Plan } from '../../core/contracts/logistics.js';
import { createLogisticsService, type LogisticsService } from '../../services/logistics/index.js';
import { gridNetwork } from '../helpers/grid-network.js';
import { haversineMatrix } from './haversine-matrix.js';

const signer = createTokenSigner('test-secret-0123456789');
const DAY = Date.UTC(2026, 10, 23);
const H = 3600_000;
let gw: Gateway;
let service: LogisticsService;
let base = '';
const sockets: Socket[] = [];

beforeAll(async () => {
  const network = gridNetwork(4);
  service = createLogisticsService({
    network, live: network.live, bus: createMemoryBus(), store: createMemoryStore(), clock: manualClock(DAY + 7 * H), logger: silentLogger(),
    travelMatrix: haversineMatrix([8.3, 49.3, 8.7, 49.7]),
    config: { iterations: 300, optimizeOnOrder: false },
    fleet: {
      hubs: [{ id: 'H1', location: [8.47, 49.49] }, { id: 'H2', location: [8.6, 49.45] }],
      vehicles: [
        { id: 'V1', hubId: 'H1', capacity: { kg: 100 }, shift: [DAY + 6 * H, DAY + 18 * H] },
        { id: 'V2', hubId: 'H1', capacity: { kg: 100 }, shift: [DAY + 6 * H, DAY + 18 * H] },
        { id: 'V3', hubId: 'H2', capacity: { kg: 100 }, shift: [DAY + 6 * H, DAY + 18 * H] },
      ],
    },
  });
  await service.start({ schedules: false });
  gw = await createGateway({
    network, signer, logger: silentLogger(),
    mounts: [{ name: 'logistics', router: (auth) => createLogisticsRouter(service, auth), sockets: (io) => void attachLogisticsSockets(io, service) }],
  });
  const { port } = await gw.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await gw.close();
  await service.stop();
});

const tok = (role: Parameters<typeof signer.sign>[0], sub?: string) => signer.sign(role, sub ? { sub } : {});
const call = (method: string, path: string, token?: string, body?: unknown) =>
  fetch(base + path, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

const order = (k: number, kg = 30) => ({
  id: `g${k}`,
  shipper: 'acme',
  pickup: { hubId: 'any' },
  delivery: { location: [8.45 + k * 0.01, 49.48 + (k % 3) * 0.01], windows: [[DAY + 8 * H, DAY + 17 * H]], serviceSeconds: 120 },
  size: { kg },
});

/** wait for socket deliveries (no timing assertion: the condition is what is checked) */
async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

function client(token: string): Promise<Socket> {
  const s = connect(base, { auth: { token }, transports: ['websocket'], forceNew: true });
  sockets.push(s);
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

describe('logistics over HTTP and socket.io', () => {
  it('lets dispatchers write and refuses the wrong roles (401/403)', async () => {
    expect((await call('POST', '/api/orders', undefined, order(1))).status).toBe(401);
    for (const role of ['viewer', 'traveller', 'operator'] as const) expect((await call('POST', '/api/orders', tok(role), order(1))).status).toBe(403);
    expect((await call('POST', '/api/orders', tok('driver', 'V1'), order(1))).status).toBe(403);
    expect((await call('GET', '/api/orders', tok('viewer'))).status).toBe(403);
    expect((await call('POST', '/api/dispatch/optimize', tok('driver', 'V1'), {})).status).toBe(403);
    expect((await call('POST', '/api/orders/g1/cancel', tok('vehicle', 'V1'))).status).toBe(403);
    const created = await call('POST', '/api/orders', tok('dispatcher'), order(1));
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id: 'g1', status: 'pending', hubId: 'H1' });
  });

  it('answers bad orders with problem+json naming the field', async () => {
    const bad = order(2);
    const r1 = await call('POST', '/api/orders', tok('dispatcher'), { ...bad, delivery: { ...bad.delivery, windows: [[DAY + 9 * H, DAY + 8 * H]] } });
    expect(r1.status).toBe(400);
    expect(r1.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await r1.json()).toMatchObject({ code: 'INVALID_INPUT', field: 'delivery.windows[0]' });
    const r2 = await call('POST', '/api/orders', tok('dispatcher'), { ...bad, delivery: { ...bad.delivery, location: [2.35, 48.85] } });
    expect(r2.status).toBe(422);
    expect(await r2.json()).toMatchObject({ code: 'NOT_ON_NETWORK', field: 'delivery.location' });
    const r3 = await call('POST', '/api/orders', tok('dispatcher'), order(2, 500));
    expect(await r3.json()).toMatchObject({ code: 'INVALID_INPUT', field: 'size.kg' });
  });

  it('pushes plans to the vehicle room and the dispatch rooms; a driver sees only its own vehicle', async () => {
    const v1 = await client(tok('vehicle', 'V1'));
    const v2 = await client(tok('driver', 'V2'));
    const hub2 = await client(tok('dispatcher', 'H2'));
    const all = await client(tok('dispatcher'));
    const got = { v1: [] as Plan[], v2: [] as Plan[], hub2: [] as Plan[], all: [] as Plan[] };
    v1.on('dispatch:plan', (p: Plan) => got.v1.push(p));
    v2.on('dispatch:plan', (p: Plan) => got.v2.push(p));
    hub2.on('dispatch:plan', (p: Plan) => got.hub2.push(p));
    all.on('dispatch:plan', (p: Plan) => got.all.push(p));
    for (let k = 3; k < 9; k++) expect((await call('POST', '/api/orders', tok('dispatcher'), order(k))).status).toBe(201);
    const opt = await call('POST', '/api/dispatch/optimize', tok('admin'), {});
    expect(opt.status).toBe(200);
    const result = await opt.json();
    const used = (result.plans as Plan[]).filter((p) => p.stops.length > 0).map((p) => p.vehicleId);
    expect(used.length).toBeGreaterThan(1); // 7 × 30 kg on 100 kg trucks
    await until(() => new Set(got.all.map((p) => p.vehicleId)).size >= used.length);
    expect(new Set(got.all.map((p) => p.vehicleId))).toEqual(new Set(used));
    expect(got.v1.every((p) => p.vehicleId === 'V1')).toBe(true);
    expect(got.v2.every((p) => p.vehicleId === 'V2')).toBe(true);
    expect(got.hub2.every((p) => p.hubId === 'H2')).toBe(true);
    if (used.includes('V1')) expect(got.v1.length).toBeGreaterThan(0);

    // HTTP: a driver gets only its own vehicle, plan and orders
    const d1 = tok('driver', 'V1');
    expect((await (await call('GET', '/api/vehicles', d1)).json()).vehicles.map((v: { id: string }) => v.id)).toEqual(['V1']);
    expect((await (await call('GET', '/api/plans', d1)).json()).plans.every((p: Plan) => p.vehicleId === 'V1')).toBe(true);
    expect((await call('GET', '/api/plans/V2', d1)).status).toBe(403);
    expect((await call('GET', '/api/vehicles/V3', d1)).status).toBe(403);
    expect((await call('GET', '/api/orders?vehicleId=V2', d1)).status).toBe(403);
    const mine = (await (await call('GET', '/api/orders', d1)).json()).orders as { vehicleId: string }[];
    expect(mine.every((o) => o.vehicleId === 'V1')).toBe(true);
    expect((await call('GET', '/api/plans/V2', tok('dispatcher'))).status).toBe(200);
    expect((await (await call('GET', '/api/orders', tok('dispatcher'))).json()).orders.length).toBe(7);
  });

  it('takes driver reports over the socket with an ack and refuses them from other roles', async () => {
    const plan = service.listPlans().find((p) => p.stops.length > 0)!;
    const sock = await client(tok('vehicle', plan.vehicleId));
    const first = plan.stops[0].orderId;
    const ask = (s: Socket, ev: string, body: unknown) => new Promise<{ ok: boolean; error?: { code: string; field?: string } }>((r) => s.emit(ev, body, r));
    expect(await ask(sock, 'delivered', { orderId: first, proof: {} })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'proof' } });
    expect(await ask(sock, 'arrived', { orderId: first })).toEqual({ ok: true });
    expect(await ask(sock, 'delivered', { orderId: first, proof: { signedBy: 'K. Weber' } })).toEqual({ ok: true });
    expect(service.getOrder(first)).toMatchObject({ status: 'delivered', proof: { signedBy: 'K. Weber' } });
    const viewer = await client(tok('viewer'));
    expect(await ask(viewer, 'failed', { orderId: first, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // HTTP reports: only for one's own vehicle
    const other = ['V1', 'V2', 'V3'].find((v) => v !== plan.vehicleId)!;
    expect((await call('POST', `/api/vehicles/${other}/reports`, tok('driver', plan.vehicleId), { event: 'arrived', orderId: first })).status).toBe(403);
  });
});
