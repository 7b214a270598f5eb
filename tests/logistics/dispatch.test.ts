import { beforeEach, describe, expect, it } from 'vitest';
import { generateCity } from '../../core/sim/index.js';
import { createMemoryStore } from '../../core/store/index.js';
import { createMemoryBus } from '../../core/bus/index.js';
import { manualClock } from '../../core/clock/index.js';
import { silentLogger } from '../../core/log/index.js';
import { isUrbanflowError } from '../../core/errors/index.js';
import type { BusEvents } from '../../core/contracts/bus-events.js';
import type { Plan } from '../../core/contracts/logistics.js';
import { createLogisticsService, type LogisticsService } from '../../services/logistics/index.js';
import { cityMatrix } from './city-matrix.js';

const city = generateCity({ size: 3000, seed: 5 });
const DAY = Date.UTC(2026, 10, 23);
const H = 3600_000;

async function setup(opts: { vehiclesPerHub?: number; kg?: number; docks?: number; ordersPerDock?: number } = {}) {
  const store = createMemoryStore();
  const bus = createMemoryBus();
  const clock = manualClock(DAY + 7 * H);
  const travelMatrix = cityMatrix(city.network);
  const pushed: Plan[] = [];
  const busPlans: BusEvents['logistics:plan'][] = [];
  bus.subscribe('logistics:plan', (p) => busPlans.push(p));
  const hubs = city.hubs.map((h) => ({ id: h.id, name: h.name, location: [h.lon, h.lat] as [number, number], opening: [5 * 3600, 22 * 3600] as [number, number], docks: opts.docks ?? h.docks }));
  const vehicles = hubs.flatMap((h) =>
    Array.from({ length: opts.vehiclesPerHub ?? 3 }, (_, i) => ({
      id: `${h.id}-T${i + 1}`,
      hubId: h.id,
      mode: 'truck' as const,
      capacity: { kg: opts.kg ?? 1500, m3: 20 },
      shift: [DAY + 6 * H, DAY + 18 * H] as [number, number],
      skills: i === 0 ? ['fridge'] : [],
    })),
  );
  const service = createLogisticsService({
    network: city.network,
    live: city.network.live,
    bus,
    store,
    clock,
    logger: silentLogger(),
    travelMatrix,
    notifier: (p) => pushed.push(p),
    config: { iterations: 400, optimizeOnOrder: false, ...(opts.ordersPerDock ? { ordersPerDock: opts.ordersPerDock } : {}) },
    fleet: { hubs, vehicles },
  });
  await service.start({ schedules: false });
  return { service, store, bus, clock, travelMatrix, pushed, busPlans };
}

const customerOrder = (k: number, extra: Record<string, unknown> = {}) => {
  const c = city.customers[k];
  return {
    id: `o${k}`,
    shipper: k % 2 ? 'shipper-a' : 'shipper-b',
    pickup: { hubId: 'any' },
    delivery: { location: [c.lon, c.lat], windows: [[DAY + c.timeWindow[0] * 1000, DAY + c.timeWindow[1] * 1000]], serviceSeconds: c.serviceSeconds },
    size: { kg: Math.min(c.demandKg, 800), m3: 1 },
    ...extra,
  };
};

async function expectError(p: Promise<unknown>, code: string, field: string) {
  const e = await p.then(() => undefined, (x) => x);
  expect(isUrbanflowError(e), String(e)).toBe(true);
  expect({ code: e.code, field: e.field }).toEqual({ code, field });
  return e;
}

describe('logistics dispatch on the simulated city', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  let service: LogisticsService;
  beforeEach(async () => {
    s = await setup();
    service = s.service;
  });

  it('consolidates hub orders through the hub nearest the destination and plans them within their windows', async () => {
    for (let k = 0; k < 24; k++) await service.createOrder(customerOrder(k));
    const orders = service.listOrders();
    expect(orders).toHaveLength(24);
    // shippers are mixed; the hub is the one that reaches the destination fastest (all hubs have room here)
    const hubPts = city.hubs.map((h) => [h.lon, h.lat] as [number, number]);
    const used = new Set<string>();
    for (const o of orders) {
      const m = await s.travelMatrix([o.delivery.location, ...hubPts], 'truck');
      const n = hubPts.length + 1;
      const fastest = city.hubs.map((h, i) => ({ id: h.id, s: m.seconds[(i + 1) * n] })).sort((a, b) => a.s - b.s)[0];
      expect(o.hubId).toBe(fastest.id);
      used.add(o.hubId!);
    }
    expect(used.size).toBe(2); // the test data exercises both hubs
    const r = await service.optimize();
    const planned = service.listOrders({ status: 'planned' });
    expect(planned.length + r.unassigned.length).toBe(24);
    expect(planned.length).toBeGreaterThan(18);
    const seen = new Set<string>();
    for (const p of service.listPlans()) {
      let last = 0;
      for (const stop of p.stops) {
        const o = service.getOrder(stop.orderId);
        expect(seen.has(stop.orderId)).toBe(false);
        seen.add(stop.orderId);
        // delivered from the order's consolidation hub, inside its window, in time order
        expect(p.hubId).toBe(o.hubId);
        expect(stop.start).toBeGreaterThanOrEqual(o.delivery.windows[0][0]);
        expect(stop.start).toBeLessThanOrEqual(o.delivery.windows[0][1]);
        expect(stop.eta).toBeGreaterThanOrEqual(last);
        last = stop.start;
        expect(o.vehicleId).toBe(p.vehicleId);
        expect(o.eta).toBe(stop.eta);
      }
      expect(p.returnEta!).toBeLessThanOrEqual(DAY + 18 * H);
    }
    for (const u of r.unassigned) expect(service.getOrder(u.orderId)).toMatchObject({ status: 'unassigned', reason: u.reason });
    // every changed plan went to the notifier and the bus
    expect(s.pushed.length).toBeGreaterThan(0);
    expect(s.busPlans.flatMap((b) => b.vehicleIds).sort()).toEqual(s.pushed.map((p) => p.vehicleId).sort());
  });

  it('keeps a pickup at an address and its delivery in one vehicle, pickup first', async () => {
    const a = city.customers[30];
    const b = city.customers[40];
    await service.createOrder({
      id: 'ship1',
      shipper: 'florist',
      pickup: { location: [a.lon, a.lat], windows: [[DAY + 8 * H, DAY + 12 * H]], serviceSeconds: 120 },
      delivery: { location: [b.lon, b.lat], windows: [[DAY + 9 * H, DAY + 16 * H]] },
      size: { kg: 20 },
    });
    await service.optimize();
    const plan = service.listPlans().find((p) => p.stops.some((x) => x.orderId === 'ship1'))!;
    const kinds = plan.stops.filter((x) => x.orderId === 'ship1').map((x) => x.kind);
    expect(kinds).toEqual(['pickup', 'delivery']);
    expect(service.getOrder('ship1').status).toBe('planned');
  });

  it('refuses bad orders with errors naming the field', async () => {
    const bad = customerOrder(1);
    await expectError(service.createOrder({ ...bad, delivery: { ...bad.delivery, windows: [[DAY + 10 * H, DAY + 9 * H]] } }), 'INVALID_INPUT', 'delivery.windows[0]');
    await expectError(service.createOrder({ ...bad, delivery: { ...bad.delivery, location: [city.centre[0] + 1, city.centre[1] + 1] } }), 'NOT_ON_NETWORK', 'delivery.location');
    await expectError(service.createOrder({ ...bad, pickup: { location: [city.centre[0] - 1, city.centre[1]] }, id: 'x2' }), 'NOT_ON_NETWORK', 'pickup.location');
    await expectError(service.createOrder({ ...bad, size: { kg: 5000 } }), 'INVALID_INPUT', 'size.kg');
    await expectError(service.createOrder({ ...bad, pickup: { hubId: 'nowhere' } }), 'INVALID_INPUT', 'pickup.hubId');
    await expectError(service.createOrder({ ...bad, shipper: '' }), 'INVALID_INPUT', 'shipper');
    expect(service.listOrders()).toEqual([]);
    await service.createOrder(bad);
    await expectError(service.createOrder(bad), 'CONFLICT', 'id');
  });

  it('reports what cannot be served as unassigned with its reason, never dropping it', async () => {
    await service.createOrder(customerOrder(2, { id: 'late', delivery: { location: customerOrder(2).delivery.location, windows: [[DAY + 5 * H, DAY + 6 * H]] } }));
    await service.createOrder(customerOrder(3, { id: 'frozen', skills: ['freezer'] }));
    await service.createOrder(customerOrder(4, { id: 'chilled', skills: ['fridge'] }));
    const r = await service.optimize();
    const reasons = Object.fromEntries(r.unassigned.map((u) => [u.orderId, u.reason]));
    expect(reasons.late).toMatch(/windows have all closed/);
    expect(reasons.frozen).toMatch(/skills/);
    expect(service.getOrder('frozen')).toMatchObject({ status: 'unassigned' });
    const chilled = service.getOrder('chilled');
    expect(chilled.status).toBe('planned');
    expect(chilled.vehicleId).toMatch(/-T1$/); // only the first truck of each hub has a fridge
  });

  it('follows driver reports, fixes started stops and keeps them when re-optimising', async () => {
    for (let k = 0; k < 10; k++) await service.createOrder(customerOrder(k));
    await service.optimize();
    const plan = service.listPlans().find((p) => p.stops.length >= 2)!;
    const [first, second] = plan.stops;
    await expectError(service.report(plan.vehicleId, { event: 'delivered', orderId: first.orderId, proof: {} }), 'INVALID_INPUT', 'proof');
    const other = service.listPlans().find((p) => p.vehicleId !== plan.vehicleId && p.stops.length > 0);
    if (other) await expectError(service.report(plan.vehicleId, { event: 'arrived', orderId: other.stops[0].orderId }), 'CONFLICT', 'orderId');
    s.clock.set(first.eta);
    await service.report(plan.vehicleId, { event: 'arrived', orderId: first.orderId });
    expect(service.getOrder(first.orderId).status).toBe('arrived');
    const o = await service.report(plan.vehicleId, { event: 'delivered', orderId: first.orderId, proof: { signedBy: 'R. Meyer' } });
    expect(o).toMatchObject({ status: 'delivered', proof: { signedBy: 'R. Meyer' } });
    // the vehicle now drives to the second stop: it is committed and stays first after re-optimisation
    expect(service.getPlan(plan.vehicleId)!.stops[1]).toMatchObject({ orderId: second.orderId, committed: true });
    for (let k = 10; k < 16; k++) await service.createOrder(customerOrder(k));
    await service.optimize();
    const after = service.getPlan(plan.vehicleId)!;
    expect(after.stops[0]).toMatchObject({ orderId: second.orderId, committed: true });
    expect(after.stops.some((x) => x.orderId === first.orderId)).toBe(false);
    const failed = await service.report(plan.vehicleId, { event: 'failed', orderId: second.orderId, reason: 'nobody home' });
    expect(failed).toMatchObject({ status: 'failed', reason: 'nobody home' });
  });

  it('cancels an order, removes it from its plan and pushes the change', async () => {
    for (let k = 0; k < 6; k++) await service.createOrder(customerOrder(k));
    await service.optimize();
    const plan = service.listPlans().find((p) => p.stops.length > 0)!;
    const victim = plan.stops[plan.stops.length - 1].orderId;
    s.pushed.length = 0;
    expect((await service.cancelOrder(victim)).status).toBe('cancelled');
    expect(service.getPlan(plan.vehicleId)!.stops.some((x) => x.orderId === victim)).toBe(false);
    expect(s.pushed.map((p) => p.vehicleId)).toEqual([plan.vehicleId]);
    await expectError(service.cancelOrder(victim), 'CONFLICT', 'id');
    await expectError(service.cancelOrder('nope'), 'NOT_FOUND', 'order');
  });

  it('moves ETAs with traffic and re-plans when a stop would be late', async () => {
    for (let k = 0; k < 8; k++) await service.createOrder(customerOrder(k));
    await service.optimize();
    const before = new Map(service.listPlans().flatMap((p) => p.stops.map((x) => [x.orderId, x.eta])));
    const writer = city.network.liveWriterForTraffic();
    try {
      // a city-wide jam: every edge three times slower
      for (let e = 0; e < city.network.edgeCount; e++) writer.set(e, city.network.data.edgeFreeFlowSeconds[e] * 3);
      writer.commit();
      s.pushed.length = 0;
      // the service listens to the bus: traffic's update re-times the plans
      await s.bus.publish('traffic:update', { version: 1, at: s.clock.now(), edges: [] });
      await service.idle();
      let later = 0;
      for (const p of service.listPlans()) for (const x of p.stops) if (x.eta > before.get(x.orderId)! + 60_000) later++;
      expect(later).toBeGreaterThan(0);
      expect(s.pushed.length).toBeGreaterThan(0);
      const again = await service.refreshEtas(); // nothing moved since: nothing pushed
      expect(again.changed).toBe(0);
    } finally {
      writer.reset();
    }
  });

  it('sends orders to the next-best hub when the best one is full', async () => {
    const small = await setup({ docks: 1, ordersPerDock: 2 });
    const byHub = new Map<string, string[]>();
    let refused = 0;
    for (let k = 0; k < 6; k++) {
      const o = await small.service.createOrder(customerOrder(k)).catch((e) => {
        expect(e).toMatchObject({ code: 'CONFLICT', field: 'pickup.hubId', retryable: true });
        refused++;
        return undefined;
      });
      if (o) byHub.set(o.hubId!, [...(byHub.get(o.hubId!) ?? []), o.id]);
    }
    expect(refused).toBe(2);
    // two hubs with room for two each: the first four fit, the rest are refused with a retryable CONFLICT
    expect([...byHub.values()].map((x) => x.length).sort()).toEqual([2, 2]);
    expect(small.service.listOrders()).toHaveLength(4);
  });

  it('re-optimises when a driver arrives late', async () => {
    for (let k = 0; k < 8; k++) await service.createOrder(customerOrder(k));
    await service.optimize();
    const plan = service.listPlans().find((p) => p.stops.length > 1)!;
    const before = plan.createdAt;
    const lateBy = 20 * 60_000;
    s.clock.set(plan.stops[0].eta + lateBy);
    await service.report(plan.vehicleId, { event: 'arrived', orderId: plan.stops[0].orderId });
    await service.idle();
    const after = service.getPlan(plan.vehicleId)!;
    expect(after.createdAt).toBe(s.clock.now()); // a new plan was made at the late arrival
    expect(after.createdAt).toBeGreaterThan(before);
    // the stop the driver is at stays first and fixed
    expect(after.stops[0]).toMatchObject({ orderId: plan.stops[0].orderId, status: 'arrived', committed: true });
  });
});
