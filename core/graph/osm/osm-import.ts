import { basename } from 'node:path';
import type { RoadNetwork } from '../road-network.js';
import { keepLargestComponents, type ModeComponentStats } from '../components.js';
import type { ModeName } from '../modes.js';
import { readPbf } from './pbf-reader.js';
import { WAY_TAG_KEYS } from './way-tags.js';
import { OsmAssembler, type OsmAssemblyReport } from './osm-assembler.js';

/** Bump when the import rules change, so cached snapshots of older imports are rebuilt. */
export const OSM_IMPORTER_VERSION = 1;

export interface OsmImportOptions {
  /** called with a fraction in [0, 1] as the import proceeds */
  progress?: (fraction: number) => void;
  /** keep only each mode's largest strongly connected component (default true) */
  largestComponents?: boolean;
}

export interface OsmImportReport extends OsmAssemblyReport {
  components?: Partial<Record<ModeName, ModeComponentStats>>;
  /** after the component filter */
  finalNodes: number;
  finalEdges: number;
  seconds: number;
  /** human-readable warnings (missing nodes, skipped restrictions) */
  warnings: string[];
}

/**
 * Imports an .osm.pbf file into a RoadNetwork (see docs/graph.md for the tag rules).
 * Bad files throw UrbanflowError INVALID_FILE; ways referencing nodes missing from the
 * file are cut at the gap and counted in the report's warnings.
 */
export async function importOsmPbf(file: string, opts: OsmImportOptions = {}): Promise<{ network: RoadNetwork; report: OsmImportReport }> {
  const t0 = performance.now();
  const progress = opts.progress;
  const asm = new OsmAssembler();
  progress?.(0);
  // reading and decoding is ~85 % of the work
  for await (const items of readPbf(file, (f) => progress?.(0.85 * f), { wayTags: WAY_TAG_KEYS })) asm.add(items);
  const meta = { source: basename(file), format: 'osm-pbf', importerVersion: OSM_IMPORTER_VERSION, importedAt: new Date().toISOString() };
  const built = asm.build(meta);
  progress?.(0.93);
  let network = built.network;
  let components: OsmImportReport['components'];
  if (opts.largestComponents ?? true) {
    const kept = keepLargestComponents(network);
    network = kept.network;
    components = kept.stats;
  }
  progress?.(1);
  const r = built.report;
  const warnings: string[] = [];
  if (r.missingNodeRefs > 0) warnings.push(`${r.waysWithMissingNodes} ways reference ${r.missingNodeRefs} nodes missing from the file; they were cut at the gaps (${r.waysDropped} ways dropped)`);
  if (r.restrictionsSkipped > 0) warnings.push(`${r.restrictionsSkipped} turn restrictions could not be applied (via-way, missing members or not meeting at the via node)`);
  const report: OsmImportReport = {
    ...r, components, finalNodes: network.nodeCount, finalEdges: network.edgeCount,
    seconds: (performance.now() - t0) / 1000, warnings,
  };
  network.data.meta = { ...network.data.meta, osm: report };
  return { network, report };
}
