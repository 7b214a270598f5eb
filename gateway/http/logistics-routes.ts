import { Router, type Response } from 'express';
import type { Role } from '../../core/auth/index.js';
import { UrbanflowError } from '../../core/errors/index.js';
import {
  arrivedSchema, createOrderSchema, deliveredSchema, failedSchema, listOrdersQuerySchema, optimizeSchema, positionSchema,
  type DriverReport,
} from '../../core/contracts/logistics.js';
import type { LogisticsService } from '../../services/logistics/index.js';
import { claimsOf, type HttpAuth } from './auth.js';
import { parseBody, parseQuery } from './validate.js';

/** Who may call what (docs/logistics.md). Dispatchers write; a driver or vehicle sees only its own vehicle. */
export const LOGISTICS_ROLES = {
  write: ['dispatcher', 'admin'],
  read: ['dispatcher', 'admin', 'operator', 'driver', 'vehicle'],
  self: ['driver', 'vehicle'],
} as const satisfies Record<string, readonly Role[]>;

const SELF: ReadonlySet<Role> = new Set(LOGISTICS_ROLES.self);

/** the vehicle a driver/vehicle token stands for, or undefined for dispatch roles */
function ownVehicle(res: Response): string | undefined {
  const c = claimsOf(res);
  if (!SELF.has(c.role)) return undefined;
  if (!c.sub) throw new UrbanflowError('FORBIDDEN', `a ${c.role} token needs sub = its vehicle id`, { field: 'sub' });
  return c.sub;
}

function checkSelf(res: Response, vehicleId: string): void {
  const own = ownVehicle(res);
  if (own !== undefined && own !== vehicleId) throw new UrbanflowError('FORBIDDEN', `a ${claimsOf(res).role} may see only vehicle ${own}`, { field: 'vehicleId' });
}

/** /api/orders, /api/vehicles, /api/plans and /api/dispatch of the logistics service. */
export function createLogisticsRouter(service: LogisticsService, auth: HttpAuth): Router {
  const router = Router();
  const id = (v: unknown) => String(v);

  router.post('/orders', auth.require(...LOGISTICS_ROLES.write), async (req, res) => {
    const body = parseBody(createOrderSchema, req.body);
    res.status(201).json(await service.createOrder(body));
  });
  router.get('/orders', auth.require(...LOGISTICS_ROLES.read), (req, res) => {
    const q = parseQuery(listOrdersQuerySchema, req.query);
    const own = ownVehicle(res);
    if (own !== undefined && q.vehicleId !== undefined && q.vehicleId !== own) checkSelf(res, q.vehicleId);
    res.json({ orders: service.listOrders({ status: q.status, vehicleId: own ?? q.vehicleId }) });
  });
  router.get('/orders/:id', auth.require(...LOGISTICS_ROLES.read), (req, res) => {
    const o = service.getOrder(id(req.params.id));
    const own = ownVehicle(res);
    if (own !== undefined && o.vehicleId !== own) throw new UrbanflowError('FORBIDDEN', `order ${o.id} is not on vehicle ${own}`, { field: 'id' });
    res.json(o);
  });
  router.post('/orders/:id/cancel', auth.require(...LOGISTICS_ROLES.write), async (req, res) => {
    res.json(await service.cancelOrder(id(req.params.id)));
  });

  // the fleet: hubs and vehicles are registered (or updated) by dispatchers
  router.get('/hubs', auth.require(...LOGISTICS_ROLES.read), (_req, res) => {
    res.json({ hubs: service.listHubs() });
  });
  router.post('/hubs', auth.require(...LOGISTICS_ROLES.write), async (req, res) => {
    res.status(201).json(await service.upsertHub(req.body));
  });
  router.post('/vehicles', auth.require(...LOGISTICS_ROLES.write), async (req, res) => {
    res.status(201).json(await service.upsertVehicle(req.body));
  });
  router.get('/vehicles', auth.require(...LOGISTICS_ROLES.read), (_req, res) => {
    const own = ownVehicle(res);
    res.json({ vehicles: service.listVehicles().filter((v) => own === undefined || v.id === own) });
  });
  router.get('/vehicles/:id', auth.require(...LOGISTICS_ROLES.read), (req, res) => {
    checkSelf(res, id(req.params.id));
    res.json(service.getVehicle(id(req.params.id)));
  });
  router.post('/vehicles/:id/position', auth.require(...LOGISTICS_ROLES.self), async (req, res) => {
    checkSelf(res, id(req.params.id));
    res.json(await service.updatePosition(id(req.params.id), parseBody(positionSchema, req.body)));
  });
  /** driver reports: { event: 'arrived' | 'delivered' | 'failed', orderId, ... } */
  router.post('/vehicles/:id/reports', auth.require(...LOGISTICS_ROLES.self), async (req, res) => {
    checkSelf(res, id(req.params.id));
    const event = (req.body ?? {}).event;
    const schema = event === 'arrived' ? arrivedSchema : event === 'delivered' ? deliveredSchema : event === 'failed' ? failedSchema : undefined;
    if (!schema) throw new UrbanflowError('INVALID_INPUT', 'event must be arrived, delivered or failed', { field: 'event' });
    const body = parseBody(schema, req.body);
    res.json(await service.report(id(req.params.id), { ...body, event } as DriverReport));
  });

  router.get('/plans', auth.require(...LOGISTICS_ROLES.read), (_req, res) => {
    const own = ownVehicle(res);
    res.json({ plans: service.listPlans().filter((p) => own === undefined || p.vehicleId === own) });
  });
  router.get('/plans/:vehicleId', auth.require(...LOGISTICS_ROLES.read), (req, res) => {
    const vid = id(req.params.vehicleId);
    checkSelf(res, vid);
    service.getVehicle(vid); // 404 for an unknown vehicle
    res.json(service.getPlan(vid) ?? { vehicleId: vid, stops: [] });
  });

  router.post('/dispatch/optimize', auth.require(...LOGISTICS_ROLES.write), async (req, res) => {
    const body = parseBody(optimizeSchema, req.body);
    res.json(await service.optimize(body));
  });
  return router;
}
