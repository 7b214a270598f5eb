import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Role } from '../../core/auth/index.js';
import type { RoadNetwork } from '../../core/graph/index.js';
import { UrbanflowError } from '../../core/errors/index.js';
import { bboxSchema } from '../../core/contracts/common.js';
import { roadModeSchema, type RouteRequestInput, type RouteResult } from '../../core/contracts/routing.js';
import { renderCongestionMap, renderRouteMap, MIN_MAP_WIDTH, type MapImage } from '../../core/viz/map-image.js';
import type { HttpAuth } from './auth.js';
import { parseQuery } from './validate.js';

/** Who may fetch which picture (docs/maps.md). */
export const MAPS_ROLES = {
  congestion: ['viewer', 'traveller', 'driver', 'dispatcher', 'operator', 'admin'],
  route: ['traveller', 'driver', 'dispatcher', 'operator', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export const MAX_HTTP_MAP_WIDTH = 2048;
/** a congestion picture is reused for this long while the live weights have not changed */
const CACHE_MS = 10_000;
const CACHE_ENTRIES = 8;

export interface MapsDeps {
  network: RoadNetwork;
  /**
   * live speed / free-flow speed per edge (0 = closed, undefined = unknown); default: read from
   * the network's live weights (free-flow seconds / live seconds)
   */
  congestion?: (edge: number) => number | undefined;
  /** the routing service's route(); without it /maps/route.png answers 503 */
  route?: (req: RouteRequestInput) => RouteResult;
}

const widthSchema = z.coerce
  .number({ error: 'must be a number' })
  .int({ error: 'must be an integer' })
  .min(MIN_MAP_WIDTH, { error: `must be between ${MIN_MAP_WIDTH} and ${MAX_HTTP_MAP_WIDTH}` })
  .max(MAX_HTTP_MAP_WIDTH, { error: `must be between ${MIN_MAP_WIDTH} and ${MAX_HTTP_MAP_WIDTH}` });

const lonLatString = z.string({ error: 'must be lon,lat' }).transform((v, ctx) => {
  const p = v.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (p.length !== 2 || !p.every(Number.isFinite) || Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) {
    ctx.addIssue({ code: 'custom', message: 'must be lon,lat with -180 <= lon <= 180 and -90 <= lat <= 90' });
    return z.NEVER;
  }
  return { lon: p[0], lat: p[1] };
});

const congestionQuery = z.object({
  bbox: bboxSchema.optional(),
  width: widthSchema.default(1024),
});

const routeQuery = z.object({
  from: lonLatString,
  to: lonLatString,
  mode: roadModeSchema.default('car'),
  alternatives: z.coerce.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).min(0, { error: 'must be between 0 and 3' }).max(3, { error: 'must be between 0 and 3' }).default(2),
  bbox: bboxSchema.optional(),
  width: widthSchema.default(1024),
});

function sendPng(res: Response, image: MapImage): void {
  res.status(200).type('image/png').set('cache-control', 'no-cache').set('x-map-bbox', image.bbox.join(',')).send(image.png);
}

/** From the live weights: what traffic last committed. */
export function liveSpeedRatio(network: RoadNetwork): (edge: number) => number | undefined {
  const ff = network.data.edgeFreeFlowSeconds;
  return (e) => {
    const s = network.live.seconds[e];
    if (s === Infinity) return 0;
    return s > 0 && ff[e] > 0 ? ff[e] / s : undefined;
  };
}

/** GET /api/maps/congestion.png?bbox=&width= and /api/maps/route.png?from=&to=&mode=&width= */
export function createMapsRouter(deps: MapsDeps, auth: HttpAuth): Router {
  const router = Router();
  const { network } = deps;
  const speedRatio = deps.congestion ?? liveSpeedRatio(network);
  // a full-city picture takes a few hundred ms: reuse it while nothing changed (and for at most CACHE_MS)
  const cache = new Map<string, { at: number; image: MapImage }>();

  router.get('/maps/congestion.png', auth.require(...MAPS_ROLES.congestion), (req, res) => {
    const q = parseQuery(congestionQuery, req.query);
    const key = `${q.bbox?.join(',') ?? 'all'}|${q.width}|${network.live.version}`;
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && now - hit.at < CACHE_MS) return sendPng(res, hit.image);
    const image = renderCongestionMap(network, { bbox: q.bbox, width: q.width, speedRatio, caption: new Date(now).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' });
    cache.delete(key);
    cache.set(key, { at: now, image });
    while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    sendPng(res, image);
  });

  router.get('/maps/route.png', auth.require(...MAPS_ROLES.route), (req, res) => {
    const q = parseQuery(routeQuery, req.query);
    if (!deps.route) throw new UrbanflowError('UNAVAILABLE', 'route pictures need the routing service, which is not running here');
    const result = deps.route({ from: q.from, to: q.to, mode: q.mode, alternatives: q.alternatives });
    if (!result.found) throw new UrbanflowError('NO_ROUTE', `no ${q.mode} route: ${result.reason}`, { field: 'to' });
    const best = result.best;
    const image = renderRouteMap(network, {
      route: best.geometry.coordinates,
      alternatives: result.alternatives.map((a) => a.geometry.coordinates),
      markers: { from: [q.from.lon, q.from.lat], to: [q.to.lon, q.to.lat] },
      bbox: q.bbox,
      width: q.width,
      caption: `${q.mode} ${(best.metres / 1000).toFixed(1)} km ${Math.round(best.seconds / 60)} min`,
    });
    res.set('x-route-seconds', String(Math.round(best.seconds * 10) / 10)).set('x-route-metres', String(Math.round(best.metres)));
    sendPng(res, image);
  });
  return router;
}
