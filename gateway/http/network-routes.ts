import { Router } from 'express';
import { z } from 'zod';
import type { RoadNetwork } from '../../core/graph/index.js';
import { getEdgeBboxIndex, MODE_NAMES, modesToNames, ROAD_CLASSES } from '../../core/graph/index.js';
import type { HttpAuth } from './auth.js';
import { parseQuery } from './validate.js';
import { bboxSchema } from '../../core/contracts/common.js';

const MAX_PAGE = 5000;

const edgesQuery = z.object({
  bbox: bboxSchema,
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(1000),
  cursor: z.coerce.number().int().min(0).default(0),
});

export function networkSummary(network: RoadNetwork) {
  const d = network.data;
  const perMode: Record<string, number> = {};
  for (const m of MODE_NAMES) perMode[m] = 0;
  const perClass: Record<string, number> = {};
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (let v = 0; v < d.nodeCount; v++) {
    minLon = Math.min(minLon, d.nodeLon[v]);
    maxLon = Math.max(maxLon, d.nodeLon[v]);
    minLat = Math.min(minLat, d.nodeLat[v]);
    maxLat = Math.max(maxLat, d.nodeLat[v]);
  }
  let totalKm = 0;
  for (let e = 0; e < d.edgeCount; e++) {
    for (const m of modesToNames(d.edgeModes[e])) perMode[m]++;
    const cls = ROAD_CLASSES[d.edgeRoadClass[e]] ?? 'other';
    perClass[cls] = (perClass[cls] ?? 0) + 1;
    totalKm += d.edgeLength[e] / 1000;
  }
  return {
    nodes: d.nodeCount,
    edges: d.edgeCount,
    edgesPerMode: perMode,
    edgesPerRoadClass: perClass,
    totalLengthKm: Math.round(totalKm * 10) / 10,
    bbox: d.nodeCount ? [minLon, minLat, maxLon, maxLat] : null,
    source: d.meta.source ?? null,
    liveVersion: network.live.version,
  };
}

export function edgeFeature(network: RoadNetwork, e: number, extra: Record<string, unknown> = {}) {
  const a = network.edgeAttributes(e);
  const { geometry, ...props } = a;
  return {
    type: 'Feature' as const,
    id: e,
    geometry: { type: 'LineString' as const, coordinates: geometry },
    properties: { ...props, from: network.data.edgeFrom[e], to: network.data.edgeTo[e], liveSeconds: network.live.seconds[e], ...extra },
  };
}

/** GET /api/network (summary) and GET /api/network/edges?bbox= (GeoJSON, capped and paged). */
export function createNetworkRouter(network: RoadNetwork, auth: HttpAuth): Router {
  const router = Router();
  const anyone = auth.require('viewer', 'traveller', 'driver', 'dispatcher', 'operator', 'admin', 'vehicle', 'sign');
  let summary: ReturnType<typeof networkSummary> | undefined;
  router.get('/network', anyone, (_req, res) => {
    summary ??= networkSummary(network);
    res.json({ ...summary, liveVersion: network.live.version });
  });
  router.get('/network/edges', anyone, (req, res) => {
    const q = parseQuery(edgesQuery, req.query);
    const [minLon, minLat, maxLon, maxLat] = q.bbox;
    const ids = getEdgeBboxIndex(network).search(minLon, minLat, maxLon, maxLat);
    const page = ids.slice(q.cursor, q.cursor + q.limit);
    const next = q.cursor + page.length < ids.length ? q.cursor + page.length : null;
    res.json({
      type: 'FeatureCollection',
      features: page.map((e) => edgeFeature(network, e)),
      total: ids.length,
      nextCursor: next,
    });
  });
  return router;
}
