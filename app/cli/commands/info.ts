import type { CliIo } from '../cli-io.js';
import { parseCliArgs, requireOption } from '../cli-io.js';
import { MODE_NAMES, ROAD_CLASSES, TURN_RESTRICTION_STRIDE } from '../../../core/graph/index.js';
import { readSnapshot } from '../../../core/graph/snapshot.js';

/** urbanflow info --graph FILE [--json]: what a graph snapshot holds. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(argv, {
    graph: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    io.stdout('usage: urbanflow info --graph FILE.graph [--json]\nprints node and edge counts, bounding box, edges per mode, road-class histogram, total length');
    return 0;
  }
  const file = requireOption(values.graph, 'graph');
  const t0 = performance.now();
  const network = await readSnapshot(file);
  const loadMs = performance.now() - t0;
  const d = network.data;
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (let v = 0; v < d.nodeCount; v++) {
    minLon = Math.min(minLon, d.nodeLon[v]); maxLon = Math.max(maxLon, d.nodeLon[v]);
    minLat = Math.min(minLat, d.nodeLat[v]); maxLat = Math.max(maxLat, d.nodeLat[v]);
  }
  const perMode: Record<string, { edges: number; lengthKm: number }> = {};
  for (const m of MODE_NAMES) perMode[m] = { edges: 0, lengthKm: 0 };
  const classes: Record<string, { edges: number; lengthKm: number }> = {};
  let totalM = 0;
  for (let e = 0; e < d.edgeCount; e++) {
    const len = d.edgeLength[e];
    totalM += len;
    for (const m of MODE_NAMES) {
      if (network.allows(e, m)) {
        perMode[m].edges++;
        perMode[m].lengthKm += len / 1000;
      }
    }
    const c = ROAD_CLASSES[d.edgeRoadClass[e]] ?? 'other';
    classes[c] ??= { edges: 0, lengthKm: 0 };
    classes[c].edges++;
    classes[c].lengthKm += len / 1000;
  }
  const round = (x: number) => Math.round(x * 10) / 10;
  for (const v of [...Object.values(perMode), ...Object.values(classes)]) v.lengthKm = round(v.lengthKm);
  const info = {
    file,
    source: d.meta.source ?? null,
    format: d.meta.format ?? null,
    nodes: d.nodeCount,
    edges: d.edgeCount,
    turnRestrictions: (d.turnRestrictions?.length ?? 0) / TURN_RESTRICTION_STRIDE,
    bbox: d.nodeCount ? [minLon, minLat, maxLon, maxLat] : null,
    totalLengthKm: round(totalM / 1000),
    perMode,
    roadClasses: Object.fromEntries(Object.entries(classes).sort((a, b) => b[1].edges - a[1].edges)),
    loadMs: Math.round(loadMs),
  };
  if (values.json) {
    io.stdout(JSON.stringify(info));
    return 0;
  }
  const lines = [
    `${file}${info.source ? ` (from ${info.source})` : ''}`,
    `  nodes ${info.nodes}, edges ${info.edges}, turn restrictions ${info.turnRestrictions}, loaded in ${info.loadMs} ms`,
    `  bbox ${info.bbox ? info.bbox.map((x) => x.toFixed(4)).join(', ') : '-'}`,
    `  total length ${info.totalLengthKm} km (directed edges; a two-way road counts twice)`,
    '  per mode:',
    ...MODE_NAMES.map((m) => `    ${m.padEnd(5)} ${String(perMode[m].edges).padStart(7)} edges ${String(perMode[m].lengthKm).padStart(9)} km`),
    '  road classes:',
    ...Object.entries(info.roadClasses).map(([c, v]) => `    ${c.padEnd(15)} ${String(v.edges).padStart(7)} edges ${String(v.lengthKm).padStart(9)} km`),
  ];
  io.stdout(lines.join('\n'));
  return 0;
}
