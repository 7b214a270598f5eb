import { readFileSync, statSync } from 'node:fs';
import { UrbanflowError } from '../../../core/errors/index.js';
import { loadGtfsZip } from './gtfs-load.js';
import type { GtfsFeed } from './gtfs-feed.js';

/**
 * Loads a GTFS zip from disk. The rnv feed (16.9 MB of stop_times) parses in under a second
 * here, so no binary cache is kept (measured: bench/results/transit.md).
 */
export function loadGtfsFile(path: string, onProgress?: (fraction: number, note: string) => void): GtfsFeed {
  let bytes: Uint8Array;
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
    bytes = readFileSync(path);
  } catch (e) {
    throw new UrbanflowError('INVALID_FILE', `GTFS file '${path}' cannot be read (${(e as Error).message})`, { field: 'gtfs', cause: e });
  }
  return loadGtfsZip(bytes, onProgress);
}
