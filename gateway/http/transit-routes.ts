import express, { Router } from 'express';
import type { Role } from '../../core/auth/index.js';
import { UrbanflowError } from '../../core/errors/index.js';
import { planRequestSchema, transitRequestSchema, transitCheckSchema, type PlanOption, type TransitApi } from '../../core/contracts/routing-transit.js';
import type { RoutingService } from '../../services/routing/index.js';
import type { HttpAuth } from './auth.js';
import { parseBody } from './validate.js';

/**
 * Who may call what (docs/transit.md). Journey planning is traveller information: every person-facing
 * role may plan; feeding realtime data is an operator's job.
 */
export const TRANSIT_ROLES = {
  plan: ['viewer', 'traveller', 'driver', 'dispatcher', 'operator', 'admin'],
  transit: ['viewer', 'traveller', 'driver', 'dispatcher', 'operator', 'admin'],
  check: ['traveller', 'driver', 'operator', 'admin'],
  info: ['viewer', 'traveller', 'driver', 'dispatcher', 'operator', 'admin'],
  realtime: ['operator', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

function api(service: Pick<RoutingService, 'transit'>): TransitApi {
  if (!service.transit) throw new UrbanflowError('UNAVAILABLE', 'public transport is not configured on this server (no GTFS feed)', { field: 'gtfs' });
  return service.transit;
}

/** POST /api/plan, POST /api/transit, POST /api/transit/check, GET /api/transit/info, POST /api/transit/realtime. */
export function createTransitRouter(service: Pick<RoutingService, 'transit'>, auth: HttpAuth): Router {
  const router = Router();
  router.post('/plan', auth.require(...TRANSIT_ROLES.plan), async (req, res) => {
    res.json(await api(service).plan(parseBody(planRequestSchema, req.body)));
  });
  router.post('/transit', auth.require(...TRANSIT_ROLES.transit), (req, res) => {
    res.json(api(service).transit(parseBody(transitRequestSchema, req.body)));
  });
  router.post('/transit/check', auth.require(...TRANSIT_ROLES.check), (req, res) => {
    const body = parseBody(transitCheckSchema, req.body);
    const alert = api(service).checkJourney(body.option as unknown as PlanOption, body.now);
    res.json({ ok: alert === null, alert });
  });
  router.get('/transit/info', auth.require(...TRANSIT_ROLES.info), (_req, res) => {
    res.json(api(service).info());
  });
  // GTFS-Realtime TripUpdates as the binary protobuf body (Content-Type application/x-protobuf)
  router.post('/transit/realtime', auth.require(...TRANSIT_ROLES.realtime), express.raw({ type: ['application/x-protobuf', 'application/octet-stream'], limit: '20mb' }), async (req, res) => {
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
      throw new UrbanflowError('INVALID_INPUT', 'body must be a GTFS-Realtime FeedMessage sent as application/x-protobuf', { field: 'body' });
    }
    res.json(await api(service).applyGtfsRealtime(new Uint8Array(req.body)));
  });
  return router;
}
