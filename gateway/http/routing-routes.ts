import { Router } from 'express';
import type { Role } from '../../core/auth/index.js';
import { UrbanflowError } from '../../core/errors/index.js';
import { isochroneRequestSchema, matrixRequestSchema, routeRequestSchema, type MatrixResponseJson } from '../../core/contracts/routing.js';
import type { RoutingService } from '../../services/routing/index.js';
import { claimsOf, type HttpAuth } from './auth.js';
import { parseBody } from './validate.js';

/** Who may call what (docs/routing.md). Matrices are logistics work: not for viewers or travellers. */
export const ROUTING_ROLES = {
  route: ['viewer', 'traveller', 'driver', 'vehicle', 'dispatcher', 'operator', 'admin'],
  isochrone: ['viewer', 'traveller', 'driver', 'vehicle', 'dispatcher', 'operator', 'admin'],
  matrix: ['dispatcher', 'operator', 'admin', 'vehicle'],
  /** the ngraph.path reference search is slow by design: for checking, not for traffic */
  reference: ['operator', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** POST /api/route, /api/matrix, /api/isochrone. */
export function createRoutingRouter(service: RoutingService, auth: HttpAuth): Router {
  const router = Router();
  router.post('/route', auth.require(...ROUTING_ROLES.route), (req, res) => {
    const body = parseBody(routeRequestSchema, req.body);
    if (body.algorithm === 'reference' && !(ROUTING_ROLES.reference as readonly Role[]).includes(claimsOf(res).role)) {
      throw new UrbanflowError('FORBIDDEN', `role ${claimsOf(res).role} may not use algorithm reference`, { field: 'algorithm' });
    }
    res.json(service.route(body));
  });
  router.post('/matrix', auth.require(...ROUTING_ROLES.matrix), (req, res) => {
    const body = parseBody(matrixRequestSchema, req.body);
    const m = service.matrix(body.points, body.mode, { truck: body.truck, maxSnapMetres: body.maxSnapMetres });
    const rows = (a: Float64Array) => Array.from({ length: m.n }, (_, i) => Array.from(a.subarray(i * m.n, (i + 1) * m.n), finite));
    const out: MatrixResponseJson = { n: m.n, mode: m.mode, seconds: rows(m.seconds), metres: rows(m.metres) };
    res.json(out);
  });
  router.post('/isochrone', auth.require(...ROUTING_ROLES.isochrone), (req, res) => {
    res.json(service.isochrone(parseBody(isochroneRequestSchema, req.body)));
  });
  return router;
}
