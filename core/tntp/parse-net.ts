import { invalidFile } from '../errors/index.js';
import { dataTokens, fieldNumber, metaNumber, readTntpHeader } from './tntp-metadata.js';

export interface TntpNetMetadata {
  zones: number;
  nodes: number;
  /** nodes numbered below this are zones that may not be passed through */
  firstThruNode: number;
  links: number;
  /** generalized cost = time + tollFactor * toll + distanceFactor * length (0 when the file has none) */
  tollFactor: number;
  distanceFactor: number;
  /** every `<KEY> value` line of the file, keys upper-cased */
  entries: Record<string, string>;
}

export interface TntpLink {
  init: number;
  term: number;
  capacity: number;
  length: number;
  freeFlowTime: number;
  b: number;
  power: number;
  speed: number;
  toll: number;
  linkType: number;
}

export interface TntpNet {
  fileName: string;
  metadata: TntpNetMetadata;
  /** in file order (the order the flow file follows) */
  links: TntpLink[];
}

const COLUMNS = ['init_node', 'term_node', 'capacity', 'length', 'free_flow_time', 'b', 'power', 'speed', 'toll', 'link_type'] as const;

/**
 * A TNTP `_net.tntp` file. Errors (missing metadata line, malformed number, link count not as
 * announced, node number out of range) are INVALID_FILE naming the file and line.
 */
export function parseTntpNet(text: string, fileName: string): TntpNet {
  const h = readTntpHeader(text, fileName);
  const zones = metaNumber(h, 'NUMBER OF ZONES', fileName, { integer: true });
  const nodes = metaNumber(h, 'NUMBER OF NODES', fileName, { integer: true });
  const firstThruNode = metaNumber(h, 'FIRST THRU NODE', fileName, { integer: true });
  const linkCount = metaNumber(h, 'NUMBER OF LINKS', fileName, { integer: true });
  const tollFactor = metaNumber(h, 'TOLL FACTOR', fileName, { optional: 0 });
  const distanceFactor = metaNumber(h, 'DISTANCE FACTOR', fileName, { optional: 0 });
  if (zones > nodes) throw invalidFile(fileName, `line ${h.lineOf.get('NUMBER OF ZONES')}: more zones (${zones}) than nodes (${nodes})`);

  const links: TntpLink[] = [];
  for (const { line, text: raw } of h.body) {
    const tok = dataTokens(raw);
    if (tok.length < 5) throw invalidFile(fileName, `line ${line}: expected at least 5 fields (init term capacity length fft), got ${tok.length}`, { line });
    const f = (i: number, def?: number) => (tok[i] === undefined && def !== undefined ? def : fieldNumber(tok[i], fileName, line, COLUMNS[i]));
    const link: TntpLink = {
      init: f(0),
      term: f(1),
      capacity: f(2),
      length: f(3),
      freeFlowTime: f(4),
      b: f(5, 0.15),
      power: f(6, 4),
      speed: f(7, 0),
      toll: f(8, 0),
      linkType: f(9, 0),
    };
    for (const [k, v] of [['init_node', link.init], ['term_node', link.term]] as const) {
      if (!Number.isInteger(v) || v < 1 || v > nodes) throw invalidFile(fileName, `line ${line}: ${k} ${v} is not a node number in 1..${nodes}`, { line, column: k });
    }
    if (link.capacity < 0 || link.freeFlowTime < 0 || link.b < 0 || link.power < 0 || link.length < 0) {
      throw invalidFile(fileName, `line ${line}: capacity, length, free_flow_time, b and power must be non-negative`, { line });
    }
    if (link.capacity === 0 && link.b > 0) throw invalidFile(fileName, `line ${line}: capacity 0 with b > 0 gives infinite cost`, { line, column: 'capacity' });
    links.push(link);
  }
  if (links.length !== linkCount) {
    throw invalidFile(fileName, `line ${h.lineOf.get('NUMBER OF LINKS')}: <NUMBER OF LINKS> says ${linkCount} but the file has ${links.length} link lines`, {
      line: h.lineOf.get('NUMBER OF LINKS'),
    });
  }
  return {
    fileName,
    metadata: { zones, nodes, firstThruNode, links: linkCount, tollFactor, distanceFactor, entries: Object.fromEntries(h.entries) },
    links,
  };
}
