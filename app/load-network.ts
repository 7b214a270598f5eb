import type { Config } from '../core/config/index.js';
import type { Logger } from '../core/log/index.js';
import type { RoadNetwork } from '../core/graph/index.js';
import { UrbanflowError } from '../core/errors/index.js';
import { existsSync } from 'node:fs';

/** config.graph: a .graph snapshot, an .osm.pbf (imported once, cached under .cache/), or unset for the embedded city. */
export async function loadNetwork(config: Config, logger: Logger): Promise<RoadNetwork> {
  const started = Date.now();
  let network: RoadNetwork;
  if (!config.graph) {
    const { loadDefaultNetwork } = await import('../core/graph/default-network.js');
    network = await loadDefaultNetwork();
  } else {
    if (!existsSync(config.graph)) throw new UrbanflowError('CONFIG', `graph file ${config.graph} does not exist`, { field: 'graph' });
    // a .graph snapshot, or an .osm.pbf imported once and cached
    const { loadNetworkFile } = await import('../core/graph/default-network.js');
    network = await loadNetworkFile(config.graph);
  }
  logger.info({ nodes: network.nodeCount, edges: network.edgeCount, ms: Date.now() - started, source: config.graph ?? 'embedded Rhein-Neckar' }, 'road network loaded');
  return network;
}
