import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { RoadNetwork } from './road-network.js';
import { OsmAssembler } from './osm/osm-assembler.js';
import type { OsmElement } from './osm/pbf-reader.js';
import { UrbanflowError } from '../errors/index.js';

const MODULE = 'core/graph/geojson-import';
/** coordinates closer than this (degrees, ~1 cm) are the same junction */
const KEY_SCALE = 1e7;

export interface GeoJsonImportReport {
  features: number;
  lines: number;
  /** features that are not (Multi)LineStrings, or whose tags route nothing */
  skipped: number;
}

/**
 * A RoadNetwork from a GeoJSON FeatureCollection of LineStrings and MultiLineStrings. Properties
 * are read as OSM tags (highway, oneway, maxspeed, lanes, access, name, ref ...; highway
 * defaults to 'road'), so the OSM rules apply unchanged. Lines are joined where they share a
 * coordinate (rounded to 1e-7 degrees) and split there, as OSM ways are split at shared nodes.
 * A bad coordinate is INVALID_FILE naming the feature index.
 */
export function networkFromGeoJson(doc: unknown, fileName = 'geojson'): { network: RoadNetwork; report: GeoJsonImportReport } {
  const bad = (message: string, feature?: number) =>
    new UrbanflowError('INVALID_FILE', `${fileName}: ${message}`, { field: feature === undefined ? fileName : `features[${feature}]`, module: MODULE, details: feature === undefined ? undefined : { feature } });
  const fc = doc as { type?: unknown; features?: unknown };
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw bad('not a GeoJSON FeatureCollection');
  const nodeIds = new Map<string, number>();
  const elements: OsmElement[] = [];
  const report: GeoJsonImportReport = { features: fc.features.length, lines: 0, skipped: 0 };

  fc.features.forEach((f: unknown, i: number) => {
    const feat = f as { type?: unknown; geometry?: { type?: unknown; coordinates?: unknown }; properties?: Record<string, unknown> | null };
    if (!feat || typeof feat !== 'object' || feat.type !== 'Feature') throw bad(`features[${i}] is not a Feature`, i);
    const g = feat.geometry;
    const parts: unknown[] = g?.type === 'LineString' ? [g.coordinates] : g?.type === 'MultiLineString' && Array.isArray(g.coordinates) ? g.coordinates : [];
    if (parts.length === 0) {
      report.skipped++;
      return;
    }
    const tags: Record<string, string> = { highway: 'road' };
    for (const [k, v] of Object.entries(feat.properties ?? {})) if (v !== null && v !== undefined && typeof v !== 'object') tags[k] = String(v);
    parts.forEach((line, pi) => {
      const where = g?.type === 'MultiLineString' ? `features[${i}].geometry.coordinates[${pi}]` : `features[${i}].geometry.coordinates`;
      if (!Array.isArray(line) || line.length < 2) throw bad(`${where} must be an array of at least 2 positions`, i);
      const refs: number[] = [];
      line.forEach((p: unknown, j: number) => {
        const [lon, lat] = Array.isArray(p) ? (p as unknown[]) : [];
        if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) throw bad(`${where}[${j}] must be [lon, lat] numbers, got ${JSON.stringify(p)}`, i);
        if (lon < -180 || lon > 180 || lat < -90 || lat > 90) throw bad(`${where}[${j}] is out of range: lon ${lon}, lat ${lat}`, i);
        const key = `${Math.round(lon * KEY_SCALE)},${Math.round(lat * KEY_SCALE)}`;
        let id = nodeIds.get(key);
        if (id === undefined) {
          id = nodeIds.size + 1;
          nodeIds.set(key, id);
          elements.push({ type: 'node', id, lon, lat });
        }
        refs.push(id);
      });
      elements.push({ type: 'way', id: i, refs, tags });
      report.lines++;
    });
  });
  const asm = new OsmAssembler();
  asm.add(elements);
  const { network, report: r } = asm.build({ source: fileName, format: 'geojson' });
  report.skipped += r.waysRead - r.waysKept;
  return { network, report };
}

export async function importGeoJson(file: string): Promise<{ network: RoadNetwork; report: GeoJsonImportReport }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UrbanflowError('INVALID_FILE', `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { field: file, module: MODULE, cause: e });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UrbanflowError('INVALID_FILE', `${file}: not JSON (${(e as Error).message})`, { field: file, module: MODULE });
  }
  return networkFromGeoJson(doc, basename(file));
}
