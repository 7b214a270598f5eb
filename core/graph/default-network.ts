import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, unlink } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { basename, dirname, join, resolve } from 'node:path';
import type { RoadNetwork } from './road-network.js';
import { readSnapshot, writeSnapshot, SNAPSHOT_VERSION } from './snapshot.js';
import { importOsmPbf, OSM_IMPORTER_VERSION } from './osm/osm-import.js';
import { UrbanflowError } from '../errors/index.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The default city: OpenStreetMap roads of Mannheim, Ludwigshafen and Heidelberg (ODbL, see fixtures/osm/SOURCE.md). */
export const DEFAULT_PBF = join(REPO_ROOT, 'fixtures', 'osm', 'rnv-rhein-neckar-2016.osm.pbf');

export interface LoadNetworkOptions {
  /** where snapshots are cached; default <repo>/.cache/graph */
  cacheDir?: string;
  progress?: (fraction: number) => void;
  /** another .osm.pbf instead of the default city */
  pbf?: string;
}

/**
 * Loads the default network: imports the PBF once and caches the snapshot under .cache/,
 * keyed by the PBF's content hash and the importer and snapshot versions, so an edited PBF
 * or changed import rules rebuild it and anything else loads from the cache in milliseconds.
 */
export async function loadDefaultNetwork(opts: LoadNetworkOptions = {}): Promise<RoadNetwork> {
  const pbf = opts.pbf ?? DEFAULT_PBF;
  const cacheDir = opts.cacheDir ?? join(REPO_ROOT, '.cache', 'graph');
  let bytes: Buffer;
  try {
    bytes = await readFile(pbf);
  } catch (e) {
    throw new UrbanflowError('INVALID_FILE', `${pbf}: cannot read the road network (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { field: pbf, module: 'core/graph/default-network', cause: e });
  }
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const stem = basename(pbf).replace(/\.osm\.pbf$|\.pbf$/, '');
  const cached = join(cacheDir, `${stem}-${hash}-i${OSM_IMPORTER_VERSION}-s${SNAPSHOT_VERSION}.graph`);
  try {
    const network = await readSnapshot(cached);
    opts.progress?.(1);
    return network;
  } catch {
    // no cache yet, or an unreadable one: import again and overwrite it
  }
  const { network } = await importOsmPbf(pbf, { progress: opts.progress });
  try {
    await mkdir(cacheDir, { recursive: true });
    await writeSnapshot(network, cached);
    // drop snapshots of older versions of the same source
    for (const f of await readdir(cacheDir)) {
      if (f.startsWith(`${stem}-`) && f.endsWith('.graph') && join(cacheDir, f) !== cached) await unlink(join(cacheDir, f)).catch(() => undefined);
    }
  } catch {
    // a read-only checkout still works, it just imports on every start
  }
  return network;
}

/**
 * A network from a file: an .osm.pbf is imported once and cached like the default city,
 * anything else is read as a snapshot. Errors are INVALID_FILE naming the file.
 */
export async function loadNetworkFile(file: string, opts: Omit<LoadNetworkOptions, 'pbf'> = {}): Promise<RoadNetwork> {
  if (/\.pbf$/i.test(file)) return loadDefaultNetwork({ ...opts, pbf: file });
  return readSnapshot(file);
}
