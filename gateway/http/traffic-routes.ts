import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  detectorReadingsSchema,
  incidentsQuerySchema,
  probeBatchSchema,
  registerDetectorsSchema,
  reportIncidentSchema,
  trafficEdgesQuerySchema,
  type Actor,
} from '../../core/contracts/traffic.js';
import { UrbanflowError } from '../../core/errors/index.js';
import type { TrafficService } from '../../services/traffic/index.js';
import { claimsOf, type HttpAuth } from './auth.js';
import { parseBody, parseInput, parseQuery } from './validate.js';

const edgeIdParam = z.object({ id: z.coerce.number({ error: 'must be an edge id' }).int('must be an integer edge id').min(0, 'must be >= 0') });
const incidentIdParam = z.object({ id: z.string().min(1).max(200) });
const forecastQuery = z.object({ minutes: z.coerce.number({ error: 'must be a number of minutes' }).min(0, 'must be >= 0').max(1440, 'must be <= 1440').default(15) });

function actorOf(req: Request, res: Response): Actor {
  const c = claimsOf(res);
  return { who: c.sub ? `${c.role}:${c.sub}` : c.role, ip: req.ip };
}

/**
 * Traffic endpoints under /api (docs/traffic.md):
 *   POST /traffic/probes, POST|GET /traffic/detectors, POST /traffic/detectors/readings,
 *   GET /traffic/edges?bbox=, GET /traffic/edges/:id, GET /traffic/edges/:id/forecast?minutes=,
 *   GET /traffic/stats, POST|GET /incidents, GET|DELETE /incidents/:id.
 * Every answer is sent after the service has taken the input in (probes into the estimator,
 * detectors and incidents into the durable store).
 */
export function createTrafficRouter(service: TrafficService, auth: HttpAuth): Router {
  const router = Router();
  const anyone = auth.require('viewer', 'traveller', 'driver', 'dispatcher', 'operator', 'admin', 'vehicle', 'sign');
  const operators = auth.require('operator', 'admin');

  router.post('/traffic/probes', auth.require('vehicle', 'driver', 'operator', 'admin'), async (req, res) => {
    const body = parseBody(probeBatchSchema, req.body);
    const claims = claimsOf(res);
    if (claims.role === 'vehicle') {
      // a vehicle device reports only itself
      const i = body.pings.findIndex((p) => p.vehicleId !== claims.sub);
      if (i >= 0) throw new UrbanflowError('FORBIDDEN', `pings[${i}].vehicleId must be this vehicle's id '${claims.sub}'`, { field: `pings[${i}].vehicleId` });
    }
    res.json(await service.ingestProbes(body.pings));
  });

  // one door for both, as the issue names it: { detectors: [...] } registers, { readings: [...] } reports
  router.post('/traffic/detectors', operators, async (req, res) => {
    if (req.body && typeof req.body === 'object' && 'readings' in req.body && !('detectors' in req.body)) {
      const body = parseBody(detectorReadingsSchema, req.body);
      res.json(await service.ingestDetectorReadings(body.readings));
      return;
    }
    const body = parseBody(registerDetectorsSchema, req.body);
    res.status(201).json({ detectors: await service.registerDetector(body.detectors) });
  });

  router.get('/traffic/detectors', anyone, (_req, res) => {
    res.json({ detectors: service.listDetectors() });
  });

  router.post('/traffic/detectors/readings', operators, async (req, res) => {
    const body = parseBody(detectorReadingsSchema, req.body);
    res.json(await service.ingestDetectorReadings(body.readings));
  });

  router.get('/traffic/edges', anyone, (req, res) => {
    const q = parseQuery(trafficEdgesQuerySchema, req.query);
    res.json(service.edgesInBbox(q.bbox, { limit: q.limit, cursor: q.cursor, minLevel: q.minLevel }));
  });

  router.get('/traffic/edges/:id', anyone, (req, res) => {
    const { id } = parseInput(edgeIdParam, req.params);
    res.json(service.edgeFeature(id));
  });

  router.get('/traffic/edges/:id/forecast', anyone, (req, res) => {
    const { id } = parseInput(edgeIdParam, req.params);
    const { minutes } = parseQuery(forecastQuery, req.query);
    res.json({ edge: id, minutesAhead: minutes, speedKmh: service.forecastSpeed(id, minutes) });
  });

  router.get('/traffic/stats', operators, (_req, res) => {
    res.json(service.stats());
  });

  router.post('/incidents', operators, async (req, res) => {
    const body = parseBody(reportIncidentSchema, req.body);
    const incident = await service.reportIncident(body, actorOf(req, res));
    res.status(201).location(`/api/incidents/${encodeURIComponent(incident.id)}`).json(incident);
  });

  router.get('/incidents', anyone, (req, res) => {
    const q = parseQuery(incidentsQuerySchema, req.query);
    res.json({ incidents: service.listIncidents(q.status) });
  });

  router.get('/incidents/:id', anyone, (req, res) => {
    const { id } = parseInput(incidentIdParam, req.params);
    res.json(service.getIncident(id));
  });

  router.delete('/incidents/:id', operators, async (req, res) => {
    const { id } = parseInput(incidentIdParam, req.params);
    res.json(await service.clearIncident(id, actorOf(req, res)));
  });

  return router;
}
