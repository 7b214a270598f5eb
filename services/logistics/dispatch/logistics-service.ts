import cron, { type ScheduledTask } from 'node-cron';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { UrbanflowError, isUrbanflowError, notFound } from '../../../core/errors/index.js';
import type { ServiceDeps } from '../../../core/service-deps.js';
import {
  arrivedSchema, createOrderSchema, deliveredSchema, failedSchema, hubSchema, optimizeSchema, positionSchema, vehicleSchema,
  type CreateOrderInput, type DriverReport, type Hub, type HubInput, type Order, type OrderStatus, type Plan, type PlanStop, type Vehicle, type VehicleInput,
} from '../../../core/contracts/logistics.js';
import { solveInstance } from '../vrp/solver/solve.js';
import { checkSolution } from '../vrp/checker.js';
import { buildInstance, type TravelMatrix } from './build-instance.js';

export interface LogisticsConfig {
  /** node-cron expression for the periodic re-optimisation (default every 5 minutes) */
  optimizeCron: string;
  /** solver wall-clock budget per re-optimisation */
  timeLimitSeconds: number;
  /** deterministic iteration budget instead (tests) */
  iterations?: number;
  seed: number;
  objective: 'vehicles-distance' | 'distance';
  /** re-optimise (in the background) when an order arrives */
  optimizeOnOrder: boolean;
  /** a vehicle this many seconds behind its plan counts as late and triggers re-optimisation */
  lateSeconds: number;
  /** active orders a hub takes per dock when choosing the consolidation hub */
  ordersPerDock: number;
}

export const DEFAULT_LOGISTICS_CONFIG: LogisticsConfig = {
  optimizeCron: '*/5 * * * *',
  timeLimitSeconds: 2,
  seed: 1,
  objective: 'vehicles-distance',
  optimizeOnOrder: true,
  lateSeconds: 300,
  ordersPerDock: 40,
};

export interface LogisticsDeps extends ServiceDeps {
  travelMatrix: TravelMatrix;
  config?: Partial<LogisticsConfig>;
  /** called with each changed plan (the gateway pushes it to the vehicle's and the dispatch centre's rooms) */
  notifier?: (plan: Plan) => void;
  /** hubs and vehicles to register at start when the store has none */
  fleet?: { hubs?: HubInput[]; vehicles?: VehicleInput[] };
}

export interface OptimizeResult {
  version: number;
  plans: Plan[];
  unassigned: { orderId: string; reason: string }[];
  vehicles: number;
  distanceMetres: number;
}

const C = { hubs: 'logistics-hubs', vehicles: 'logistics-vehicles', orders: 'logistics-orders', plans: 'logistics-plans', meta: 'logistics-meta' };
const OPEN: ReadonlySet<OrderStatus> = new Set(['pending', 'planned', 'unassigned', 'arrived', 'picked-up']);

function parse<S extends z.ZodType>(schema: S, value: unknown, root?: string): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const i = r.error.issues[0];
  const path = [...(root ? [root] : []), ...i.path].map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
  const field = path || 'body';
  throw new UrbanflowError('INVALID_INPUT', /^(must|is|needs|ends|closes|may)\b/.test(i.message) ? `${field} ${i.message}` : `${field}: ${i.message}`, { field, module: 'services/logistics' });
}

export function createLogisticsService(deps: LogisticsDeps) {
  const cfg: LogisticsConfig = { ...DEFAULT_LOGISTICS_CONFIG, ...deps.config };
  const { store, clock, bus, logger } = deps;
  const hubs = new Map<string, Hub>();
  const vehicles = new Map<string, Vehicle>();
  const orders = new Map<string, Order>();
  const plans = new Map<string, Plan>();
  const listeners = new Set<(plan: Plan) => void>();
  if (deps.notifier) listeners.add(deps.notifier);
  let version = 0;
  let task: ScheduledTask | undefined;
  let unsubscribe: (() => void) | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let pendingOptimize = false;
  const skillNames = new Map<string, number>();

  /** one writer at a time: re-optimisation and reports never interleave */
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  }

  function skillBits(names: string[]): number {
    let bits = 0;
    for (const n of names) {
      let b = skillNames.get(n);
      if (b === undefined) {
        if (skillNames.size >= 30) throw new UrbanflowError('CONFIG', 'at most 30 distinct skills are supported', { field: 'skills' });
        b = skillNames.size;
        skillNames.set(n, b);
      }
      bits |= 1 << b;
    }
    return bits;
  }

  async function saveOrder(o: Order): Promise<void> {
    o.updatedAt = clock.now();
    await store.put(C.orders, o.id, o);
    orders.set(o.id, o);
  }

  async function publish(changed: Plan[]): Promise<void> {
    if (changed.length === 0) return;
    for (const p of changed) {
      for (const l of listeners) {
        try {
          l(p);
        } catch (e) {
          logger.warn({ err: e }, 'plan listener failed');
        }
      }
    }
    const byHub = new Map<string, string[]>();
    for (const p of changed) byHub.set(p.hubId, [...(byHub.get(p.hubId) ?? []), p.vehicleId]);
    for (const [hubId, vehicleIds] of byHub) await bus.publish('logistics:plan', { hubId, version, vehicleIds });
  }

  // --- registry ---------------------------------------------------------------------------------------------
  async function upsertHub(input: unknown): Promise<Hub> {
    const hub = parse(hubSchema, input);
    await store.put(C.hubs, hub.id, hub);
    hubs.set(hub.id, hub);
    return hub;
  }

  async function upsertVehicle(input: unknown): Promise<Vehicle> {
    const v = parse(vehicleSchema, input);
    if (!hubs.has(v.hubId)) throw new UrbanflowError('INVALID_INPUT', `hubId ${v.hubId} is not a known hub`, { field: 'hubId' });
    const old = vehicles.get(v.id);
    const vehicle: Vehicle = { ...v, position: old?.position, positionAt: old?.positionAt };
    await store.put(C.vehicles, vehicle.id, vehicle);
    vehicles.set(vehicle.id, vehicle);
    return vehicle;
  }

  // --- orders -----------------------------------------------------------------------------------------------
  /** The order's addresses must be on the network: ask the matrix for each alone, so the error names the field. */
  async function checkOnNetwork(points: { field: string; at: [number, number] }[], mode: 'car' | 'truck'): Promise<void> {
    for (const p of points) {
      try {
        await deps.travelMatrix([p.at], mode);
      } catch (e) {
        if (isUrbanflowError(e) && e.code === 'NOT_ON_NETWORK') {
          throw new UrbanflowError('NOT_ON_NETWORK', `${p.field} [${p.at.join(', ')}] is too far from any road usable by ${mode}`, { field: p.field, module: 'services/logistics', cause: e });
        }
        throw e;
      }
    }
  }

  /** the hub that reaches the destination fastest on the live matrix and still has room (docks × ordersPerDock) */
  async function chooseHub(dest: [number, number], mode: 'car' | 'truck'): Promise<string | undefined> {
    const load = new Map<string, number>();
    for (const x of orders.values()) if (x.hubId && OPEN.has(x.status)) load.set(x.hubId, (load.get(x.hubId) ?? 0) + 1);
    const list = [...hubs.values()];
    const m = await deps.travelMatrix([dest, ...list.map((h) => h.location)], mode);
    const n = list.length + 1;
    const ranked = list.map((h, i) => ({ h, s: m.seconds[(i + 1) * n] })).sort((a, b) => a.s - b.s || a.h.id.localeCompare(b.h.id));
    return ranked.find(({ h, s }) => Number.isFinite(s) && (load.get(h.id) ?? 0) < h.docks * cfg.ordersPerDock)?.h.id;
  }

  async function createOrder(input: CreateOrderInput | unknown): Promise<Order> {
    const o = parse(createOrderSchema, input);
    if (o.id !== undefined && orders.has(o.id)) throw new UrbanflowError('CONFLICT', `order ${o.id} already exists`, { field: 'id' });
    const fleet = [...vehicles.values()];
    if (fleet.length > 0) {
      const fitsKg = fleet.some((v) => v.capacity.kg >= o.size.kg);
      if (!fitsKg) throw new UrbanflowError('INVALID_INPUT', `size.kg ${o.size.kg} is larger than any vehicle can carry (max ${Math.max(...fleet.map((v) => v.capacity.kg))})`, { field: 'size.kg' });
      const fitsM3 = fleet.some((v) => v.capacity.kg >= o.size.kg && (v.capacity.m3 ?? 0) >= (o.size.m3 ?? 0));
      if (!fitsM3) throw new UrbanflowError('INVALID_INPUT', `size.m3 ${o.size.m3} does not fit any vehicle that can carry ${o.size.kg} kg`, { field: 'size.m3' });
    }
    const mode = fleet.some((v) => v.mode === 'truck') || fleet.length === 0 ? 'truck' : 'car';
    const points = [{ field: 'delivery.location', at: o.delivery.location }];
    if (!('hubId' in o.pickup)) points.unshift({ field: 'pickup.location', at: o.pickup.location });
    await checkOnNetwork(points, mode);
    let hubId: string | undefined;
    if ('hubId' in o.pickup) {
      if (o.pickup.hubId === 'any') {
        hubId = await chooseHub(o.delivery.location, mode);
        if (!hubId) throw new UrbanflowError('CONFLICT', 'no hub has room for the order', { field: 'pickup.hubId', retryable: true });
      } else if (!hubs.has(o.pickup.hubId)) {
        throw new UrbanflowError('INVALID_INPUT', `pickup.hubId ${o.pickup.hubId} is not a known hub`, { field: 'pickup.hubId' });
      } else hubId = o.pickup.hubId;
    }
    const now = clock.now();
    const order: Order = { ...o, id: o.id ?? randomUUID(), status: 'pending', hubId, createdAt: now, updatedAt: now };
    await saveOrder(order); // durable before we answer
    if (cfg.optimizeOnOrder) scheduleOptimize();
    return order;
  }

  async function cancelOrder(id: string): Promise<Order> {
    return serial(async () => {
      const o = orders.get(id);
      if (!o) throw notFound('order', id);
      if (o.status === 'delivered' || o.status === 'cancelled') throw new UrbanflowError('CONFLICT', `order ${id} is ${o.status}`, { field: 'id' });
      if (o.status === 'picked-up' || o.status === 'arrived') throw new UrbanflowError('CONFLICT', `order ${id} is already being handled by vehicle ${o.vehicleId}`, { field: 'id' });
      o.status = 'cancelled';
      await saveOrder(o);
      const changed: Plan[] = [];
      for (const p of plans.values()) {
        if (p.stops.some((s) => s.orderId === id)) {
          p.stops = p.stops.filter((s) => s.orderId !== id);
          p.version = ++version;
          await store.put(C.plans, p.vehicleId, p);
          changed.push(p);
        }
      }
      await publish(changed);
      return o;
    });
  }

  // --- optimisation -----------------------------------------------------------------------------------------
  async function optimizeNow(opts: z.input<typeof optimizeSchema> = {}): Promise<OptimizeResult> {
    const o = parse(optimizeSchema, opts);
    const now = clock.now();
    const active = [...orders.values()].filter((x) => OPEN.has(x.status));
    // nothing to plan, or nobody to plan for: an answer, not a matrix over zero points
    if (active.length === 0 || vehicles.size === 0) {
      return {
        version,
        plans: [...plans.values()],
        unassigned: active.map((x) => ({ orderId: x.id, reason: 'no vehicles registered' })),
        vehicles: 0,
        distanceMetres: 0,
      };
    }
    const built = await buildInstance({ now, hubs: [...hubs.values()], vehicles: [...vehicles.values()], orders: active, plans, travelMatrix: deps.travelMatrix, skillBits });
    const result = solveInstance(built.inst, {
      objective: cfg.objective,
      seed: cfg.seed,
      iterations: cfg.iterations,
      timeLimitMs: cfg.iterations !== undefined && o.timeLimitSeconds === undefined ? undefined : (o.timeLimitSeconds ?? cfg.timeLimitSeconds) * 1000,
    });
    const report = checkSolution(built.inst, result);
    if (!report.feasible) throw new UrbanflowError('INTERNAL', `dispatch plan failed its check: ${report.violations.slice(0, 3).join('; ')}`);
    version++;
    const newPlans: Plan[] = [];
    const routeOf = new Map(result.routes.map((r) => [r.vehicle, r.stops]));
    let metres = 0;
    built.vehicleIds.forEach((vid, vi) => {
      const v = vehicles.get(vid)!;
      const spec = built.inst.vehicles[vi];
      const m = built.inst.matrices[spec.profile];
      const prefix = built.prefixes[vi];
      const stops: PlanStop[] = prefix.stops.map((s) => ({ ...s, committed: true }));
      let t = prefix.readyAt;
      let loc = spec.startLoc;
      let dist = prefix.metres;
      for (const ref of routeOf.get(vid) ?? []) {
        const info = built.stopRefs.get(String(ref))!;
        const job = built.inst.jobs.find((j) => j.id === info.orderId)!;
        const stop = job.stops.find((s) => s.ref === ref)!;
        const arrive = t + m.time[loc * m.n + stop.loc];
        dist += m.dist[loc * m.n + stop.loc];
        const w = stop.windows.find(([, b]) => arrive <= b + 1e-6);
        const start = w ? Math.max(arrive, w[0]) : arrive;
        stops.push({ orderId: info.orderId, kind: info.kind, location: built.points[stop.loc], eta: Math.round(now + arrive * 1000), start: Math.round(now + start * 1000), committed: false, status: 'planned' });
        t = start + stop.service;
        loc = stop.loc;
      }
      const back = t + m.time[loc * m.n + spec.endLoc];
      dist += m.dist[loc * m.n + spec.endLoc];
      if (stops.length > 0) metres += dist;
      const old = plans.get(vid);
      const plan: Plan = { vehicleId: vid, hubId: v.hubId, version, createdAt: now, stops, returnEta: stops.length > 0 ? Math.round(now + back * 1000) : undefined, distanceMetres: stops.length > 0 ? Math.round(dist) : 0 };
      if (old || stops.length > 0) newPlans.push(plan);
    });
    // persist plans, then orders (status, vehicle, ETA), then tell the world
    const changed: Plan[] = [];
    for (const p of newPlans) {
      const old = plans.get(p.vehicleId);
      const same = old && JSON.stringify(old.stops.map((s) => [s.orderId, s.kind])) === JSON.stringify(p.stops.map((s) => [s.orderId, s.kind]));
      await store.put(C.plans, p.vehicleId, p);
      plans.set(p.vehicleId, p);
      if (!same || p.stops.some((s, k) => Math.abs(s.eta - (old?.stops[k]?.eta ?? 0)) > 60_000)) changed.push(p);
    }
    const planned = new Map<string, { vehicleId: string; eta: number }>();
    for (const p of newPlans) for (const s of p.stops) if (s.kind === 'delivery') planned.set(s.orderId, { vehicleId: p.vehicleId, eta: s.eta });
    const reasons = new Map<string, string>([...result.unassigned.map((u) => [u.job, u.reason] as [string, string]), ...built.skipped.map((s) => [s.orderId, s.reason] as [string, string])]);
    for (const ord of active) {
      const pl = planned.get(ord.id);
      let next: Order;
      if (pl) {
        const status = ord.status === 'pending' || ord.status === 'unassigned' ? 'planned' : ord.status;
        next = { ...ord, status, vehicleId: pl.vehicleId, eta: pl.eta, reason: undefined };
      } else if (reasons.has(ord.id)) {
        next = { ...ord, status: ord.status === 'picked-up' || ord.status === 'arrived' ? ord.status : 'unassigned', vehicleId: ord.status === 'picked-up' ? ord.vehicleId : undefined, eta: undefined, reason: reasons.get(ord.id) };
      } else continue;
      if (JSON.stringify(next) !== JSON.stringify(ord)) await saveOrder(next);
    }
    await store.put(C.meta, 'version', { version });
    await publish(changed);
    return {
      version,
      plans: newPlans,
      unassigned: [...reasons].map(([orderId, reason]) => ({ orderId, reason })),
      vehicles: result.vehicles,
      distanceMetres: Math.round(metres),
    };
  }

  function optimize(opts?: z.input<typeof optimizeSchema>): Promise<OptimizeResult> {
    return serial(() => optimizeNow(opts));
  }

  /** coalesce bursts (many orders arriving) into one background re-optimisation */
  function scheduleOptimize(): void {
    if (pendingOptimize) return;
    pendingOptimize = true;
    void serial(async () => {
      pendingOptimize = false;
      await optimizeNow();
    }).catch((e) => logger.error({ err: e }, 'background re-optimisation failed'));
  }

  // --- drivers ----------------------------------------------------------------------------------------------
  async function report(vehicleId: string, r: DriverReport): Promise<Order> {
    const schema = r.event === 'arrived' ? arrivedSchema : r.event === 'delivered' ? deliveredSchema : r.event === 'failed' ? failedSchema : undefined;
    if (!schema) throw new UrbanflowError('INVALID_INPUT', 'event must be arrived, delivered or failed', { field: 'event' });
    const body = parse(schema, r) as { orderId: string; at?: number; proof?: Order['proof']; reason?: string };
    return serial(async () => {
      const plan = plans.get(vehicleId);
      const o = orders.get(body.orderId);
      if (!o) throw notFound('order', body.orderId);
      const stopIdx = plan?.stops.findIndex((s) => s.orderId === o.id && s.status !== 'done' && s.status !== 'failed') ?? -1;
      if (!plan || stopIdx < 0) throw new UrbanflowError('CONFLICT', `order ${o.id} is not on vehicle ${vehicleId}'s plan`, { field: 'orderId' });
      const stop = plan.stops[stopIdx];
      const at = body.at ?? clock.now();
      let late = false;
      if (r.event === 'arrived') {
        stop.status = 'arrived';
        stop.committed = true;
        late = at - stop.eta > cfg.lateSeconds * 1000;
        o.status = 'arrived';
      } else if (r.event === 'delivered') {
        stop.status = 'done';
        if (stop.kind === 'pickup') o.status = 'picked-up';
        else {
          o.status = 'delivered';
          o.proof = body.proof;
        }
      } else {
        stop.status = 'failed';
        o.status = 'failed';
        o.reason = body.reason;
      }
      o.vehicleId = vehicleId;
      // the next open stop is where the vehicle now drives: fixed from here on
      const next = plan.stops.find((s) => s.status === 'planned');
      if (next) next.committed = true;
      plan.version = ++version;
      await saveOrder(o);
      await store.put(C.plans, plan.vehicleId, plan);
      await publish([plan]);
      if (late) scheduleOptimize();
      return o;
    });
  }

  async function updatePosition(vehicleId: string, input: unknown): Promise<Vehicle> {
    const p = parse(positionSchema, input);
    const v = vehicles.get(vehicleId);
    if (!v) throw notFound('vehicle', vehicleId);
    v.position = p.location;
    v.positionAt = p.at ?? clock.now();
    await store.put(C.vehicles, v.id, v);
    return v;
  }

  /** ETAs follow traffic: re-time every plan on the fresh matrix; a stop now late triggers re-optimisation */
  async function refreshEtas(): Promise<{ late: boolean; changed: number }> {
    return serial(async () => {
      const now = clock.now();
      const changed: Plan[] = [];
      let late = false;
      for (const plan of plans.values()) {
        const v = vehicles.get(plan.vehicleId);
        const hub = hubs.get(plan.hubId);
        const open = plan.stops.filter((s) => s.status === 'planned' || s.status === 'arrived');
        if (!v || !hub || open.length === 0) continue;
        const from = v.position ?? hub.location;
        const pts: [number, number][] = [from, ...open.map((s) => s.location)];
        const m = await deps.travelMatrix(pts, v.mode);
        const n = pts.length;
        let t = Math.max(now, v.shift[0]);
        let moved = false;
        open.forEach((s, k) => {
          const o = orders.get(s.orderId);
          if (s.status !== 'arrived') {
            const eta = Math.round(t + m.seconds[k * n + k + 1] * 1000);
            if (Math.abs(eta - s.eta) > 60_000) moved = true;
            s.eta = eta;
          }
          const windows = o ? (s.kind === 'delivery' ? o.delivery.windows : 'hubId' in o.pickup ? [] : o.pickup.windows) : [];
          const w = windows.find(([, b]) => s.eta <= b);
          if (windows.length > 0 && !w) late = true;
          s.start = w ? Math.max(s.eta, w[0]) : s.eta;
          const service = o ? (s.kind === 'delivery' ? o.delivery.serviceSeconds : 'hubId' in o.pickup ? 0 : o.pickup.serviceSeconds) : 0;
          t = s.start + service * 1000;
          if (o && s.kind === 'delivery' && o.eta !== s.eta) o.eta = s.eta;
        });
        if (moved) {
          plan.version = ++version;
          await store.put(C.plans, plan.vehicleId, plan);
          changed.push(plan);
        }
      }
      await publish(changed);
      if (late) scheduleOptimize();
      return { late, changed: changed.length };
    });
  }

  // --- life cycle -------------------------------------------------------------------------------------------
  async function load(): Promise<void> {
    for (const h of await store.list<Hub>(C.hubs)) hubs.set(h.id, h);
    for (const v of await store.list<Vehicle>(C.vehicles)) vehicles.set(v.id, v);
    for (const o of await store.list<Order>(C.orders)) orders.set(o.id, o);
    for (const p of await store.list<Plan>(C.plans)) plans.set(p.vehicleId, p);
    version = (await store.get<{ version: number }>(C.meta, 'version'))?.version ?? Math.max(0, ...[...plans.values()].map((p) => p.version));
    if (hubs.size === 0) for (const h of deps.fleet?.hubs ?? []) await upsertHub(h);
    if (vehicles.size === 0) for (const v of deps.fleet?.vehicles ?? []) await upsertVehicle(v);
  }

  const service = {
    /** load durable state; with schedules, re-optimise on the cron schedule and re-time ETAs on traffic updates */
    async start(opts: { schedules?: boolean } = {}): Promise<void> {
      await load();
      unsubscribe = bus.subscribe('traffic:update', () => {
        void refreshEtas().catch((e) => logger.warn({ err: e }, 'ETA refresh failed'));
      });
      if (opts.schedules !== false) {
        task = cron.schedule(cfg.optimizeCron, () => void optimize().catch((e) => logger.error({ err: e }, 're-optimisation failed')), { name: 'logistics:optimize', noOverlap: true });
      }
    },
    async stop(): Promise<void> {
      await task?.stop();
      task = undefined;
      unsubscribe?.();
      await chain;
    },
    upsertHub,
    upsertVehicle,
    listHubs: (): Hub[] => [...hubs.values()],
    listVehicles: (): Vehicle[] => [...vehicles.values()],
    getVehicle(id: string): Vehicle {
      const v = vehicles.get(id);
      if (!v) throw notFound('vehicle', id);
      return v;
    },
    createOrder,
    cancelOrder,
    getOrder(id: string): Order {
      const o = orders.get(id);
      if (!o) throw notFound('order', id);
      return o;
    },
    listOrders(filter: { status?: OrderStatus; vehicleId?: string } = {}): Order[] {
      return [...orders.values()].filter((o) => (!filter.status || o.status === filter.status) && (!filter.vehicleId || o.vehicleId === filter.vehicleId)).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    },
    listPlans: (): Plan[] => [...plans.values()],
    getPlan: (vehicleId: string): Plan | undefined => plans.get(vehicleId),
    optimize,
    report,
    updatePosition,
    refreshEtas,
    /** listen to plan changes (the socket layer); returns the unsubscribe function */
    onPlan(listener: (plan: Plan) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** wait for background work (re-optimisation after an order) to finish */
    idle: (): Promise<unknown> => chain,
  };
  return service;
}

export type LogisticsService = ReturnType<typeof createLogisticsService>;
