import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseTntpNet, parseTntpNodes, type TntpNet, type TntpNode } from '../tntp/index.js';
import { RoadNetworkBuilder } from './road-network-builder.js';
import type { RoadNetwork } from './road-network.js';
import { MODE } from './modes.js';
import { UrbanflowError } from '../errors/index.js';

export interface TntpImportOptions {
  /** metres per length unit of the net file; TNTP networks mostly use miles (the default) */
  lengthUnitMetres?: number;
}

const MILE = 1609.344;
/** placeholder grid spacing for nodes without coordinates, degrees (about 1 km) */
const GRID_STEP = 0.01;
/** planar node coordinates (feet, metres) are scaled so the network spans this many degrees */
const PLANAR_EXTENT = 0.2;

/**
 * A RoadNetwork from a parsed TNTP net (and optional node coordinates). Edge i is link i of
 * the file (so flow files line up with edge ids), node k is TNTP node k+1. Free-flow time
 * (minutes) becomes seconds; capacity, b, power and toll go into their columns unchanged;
 * length is converted to metres. Links leaving or entering a zone numbered below
 * <FIRST THRU NODE> are road class 'connector'. Car and truck only.
 */
export function networkFromTntp(net: TntpNet, nodes: TntpNode[] = [], opts: TntpImportOptions = {}): RoadNetwork {
  const unit = opts.lengthUnitMetres ?? MILE;
  const n = net.metadata.nodes;
  const pos = layoutNodes(n, nodes);
  const b = new RoadNetworkBuilder();
  for (let k = 0; k < n; k++) b.addNode(pos.lon[k], pos.lat[k], k + 1);
  const first = net.metadata.firstThruNode;
  net.links.forEach((l, i) => {
    const length = l.length * unit;
    const seconds = l.freeFlowTime * 60;
    b.addEdge({
      from: l.init - 1,
      to: l.term - 1,
      roadClass: l.init < first || l.term < first ? 'connector' : 'road',
      modes: MODE.car | MODE.truck,
      length,
      freeFlowSeconds: seconds,
      speedKmh: seconds > 0 && length > 0 ? (length / seconds) * 3.6 : undefined,
      capacity: l.capacity,
      lanes: 1,
      bprAlpha: l.b,
      bprBeta: l.power,
      toll: l.toll,
      externalId: i,
    });
  });
  return b.build({
    source: net.fileName, format: 'tntp', layout: pos.layout, lengthUnitMetres: unit,
    zones: net.metadata.zones, firstThruNode: first, tollFactor: net.metadata.tollFactor, distanceFactor: net.metadata.distanceFactor,
  });
}

/** Reads a TNTP net file and, when given, its node file. Bad files: INVALID_FILE naming file and line. */
export async function importTntp(netFile: string, nodeFile?: string, opts: TntpImportOptions = {}): Promise<RoadNetwork> {
  const net = parseTntpNet(await readText(netFile), basename(netFile));
  const nodes = nodeFile ? parseTntpNodes(await readText(nodeFile), basename(nodeFile)) : [];
  return networkFromTntp(net, nodes, opts);
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new UrbanflowError('INVALID_FILE', `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { field: file, module: 'core/graph/tntp-import', cause: e });
  }
}

/**
 * Node positions: the node file's X/Y as lon/lat when they look like degrees, planar X/Y
 * scaled into a small box near 0,0 otherwise, and a grid for nodes the file does not list.
 */
function layoutNodes(n: number, nodes: TntpNode[]): { lon: Float64Array; lat: Float64Array; layout: string } {
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  const known = nodes.filter((p) => p.node >= 1 && p.node <= n);
  const degrees = known.every((p) => Math.abs(p.x) <= 180 && Math.abs(p.y) <= 90);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const p of known) {
    minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x);
    minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y);
  }
  const scale = degrees ? 1 : PLANAR_EXTENT / Math.max(maxX - minX, maxY - minY, 1e-9);
  const has = new Uint8Array(n);
  for (const p of known) {
    lon[p.node - 1] = degrees ? p.x : (p.x - minX) * scale;
    lat[p.node - 1] = degrees ? p.y : (p.y - minY) * scale;
    has[p.node - 1] = 1;
  }
  const missing = n - known.length;
  if (missing > 0) {
    // placeholder grid, beside the known nodes (or at 0,0 when there are none)
    const cols = Math.ceil(Math.sqrt(missing));
    const x0 = known.length ? lonOf(maxX, minX, degrees, scale) + GRID_STEP : 0;
    const y0 = known.length ? (degrees ? minY : 0) : 0;
    let k = 0;
    for (let v = 0; v < n; v++) {
      if (has[v]) continue;
      lon[v] = Math.min(180, x0 + (k % cols) * GRID_STEP);
      lat[v] = Math.min(90, y0 + Math.floor(k / cols) * GRID_STEP);
      k++;
    }
  }
  const layout = known.length === 0 ? 'placeholder-grid' : missing > 0 ? 'partial' : degrees ? 'lonlat' : 'planar-scaled';
  return { lon, lat, layout };
}

function lonOf(maxX: number, minX: number, degrees: boolean, scale: number): number {
  return degrees ? maxX : (maxX - minX) * scale;
}
