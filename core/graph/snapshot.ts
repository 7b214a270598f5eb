import { readFile, rename, writeFile, unlink } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { RoadNetwork } from './road-network.js';
import type { RoadNetworkData } from './road-network-data.js';
import { UrbanflowError } from '../errors/index.js';

/**
 * Binary snapshot of a RoadNetwork's columns, so a city loads in milliseconds instead of being
 * re-imported. Layout (all integers little-endian):
 *
 *   0  8 bytes  magic "UFGRAPH\0"
 *   8  u32      format version (SNAPSHOT_VERSION)
 *  12  u32      byte length H of the JSON header
 *  16  u32      CRC-32 of every byte from offset 24 to the end
 *  20  u32      0x01020304 (byte-order mark; snapshots are little-endian)
 *  24  H bytes  JSON header: counts, column table {name, type, offset, length}, strings, meta
 *      ...      the typed-array columns, raw, each starting at an 8-byte aligned offset
 *
 * Live travel times are not stored: they are runtime state and start at free flow.
 */
export const SNAPSHOT_MAGIC = 'UFGRAPH\0';
export const SNAPSHOT_VERSION = 1;
const PREFIX = 24;
const BOM = 0x01020304;
const MODULE = 'core/graph/snapshot';

const ARRAY_TYPES = {
  Float64Array, Float32Array, Uint32Array, Uint8Array, Int32Array, Uint16Array,
} as const;
type ArrayTypeName = keyof typeof ARRAY_TYPES;
type Column = InstanceType<(typeof ARRAY_TYPES)[ArrayTypeName]>;

/** The columns every snapshot must have, with their types and how long they must be. */
const REQUIRED: Record<string, [ArrayTypeName, 'node' | 'edge' | 'edge+1' | 'geom' | 'any']> = {
  nodeLon: ['Float64Array', 'node'], nodeLat: ['Float64Array', 'node'], nodeExternalId: ['Float64Array', 'node'],
  edgeFrom: ['Uint32Array', 'edge'], edgeTo: ['Uint32Array', 'edge'], edgeLength: ['Float64Array', 'edge'],
  edgeFreeFlowSeconds: ['Float64Array', 'edge'], edgeSpeedKmh: ['Float32Array', 'edge'], edgeLanes: ['Uint8Array', 'edge'],
  edgeCapacity: ['Float64Array', 'edge'], edgeModes: ['Uint8Array', 'edge'], edgeRoadClass: ['Uint8Array', 'edge'],
  edgeMaxWeight: ['Float32Array', 'edge'], edgeMaxHeight: ['Float32Array', 'edge'], edgeName: ['Uint32Array', 'edge'],
  edgeRef: ['Uint32Array', 'edge'], edgeBprAlpha: ['Float32Array', 'edge'], edgeBprBeta: ['Float32Array', 'edge'],
  edgeToll: ['Float32Array', 'edge'], edgeExternalId: ['Float64Array', 'edge'],
  geomOffsets: ['Uint32Array', 'edge+1'], geomCoords: ['Float64Array', 'geom'],
};
const OPTIONAL: Record<string, [ArrayTypeName, 'any']> = { turnRestrictions: ['Uint32Array', 'any'] };

interface ColumnEntry {
  name: string;
  type: ArrayTypeName;
  offset: number;
  length: number;
}
interface Header {
  nodeCount: number;
  edgeCount: number;
  totalBytes: number;
  columns: ColumnEntry[];
  strings: string[];
  meta: Record<string, unknown>;
}

const align8 = (n: number) => (n + 7) & ~7;

function typeName(a: ArrayBufferView): ArrayTypeName {
  const name = a.constructor.name;
  if (!(name in ARRAY_TYPES)) throw new TypeError(`snapshot cannot store a ${name}`);
  return name as ArrayTypeName;
}

/** Serialises the network's columns into one Buffer (what writeSnapshot puts on disk). */
export function encodeSnapshot(network: RoadNetwork): Buffer {
  const d = network.data as unknown as Record<string, unknown> & RoadNetworkData;
  const cols: [string, Column][] = [];
  for (const name of [...Object.keys(REQUIRED), ...Object.keys(OPTIONAL)]) {
    const v = d[name];
    if (v !== undefined) cols.push([name, v as Column]);
  }
  // any further typed-array column someone added to RoadNetworkData travels along too
  for (const [name, v] of Object.entries(d)) {
    if (ArrayBuffer.isView(v) && !(name in REQUIRED) && !(name in OPTIONAL)) cols.push([name, v as Column]);
  }
  const entries: ColumnEntry[] = [];
  let body = 0;
  for (const [name, arr] of cols) {
    entries.push({ name, type: typeName(arr), offset: body, length: arr.length });
    body = align8(body + arr.byteLength);
  }
  // the header is written with body-relative offsets, then shifted once its own size is known
  const makeHeader = (base: number): Buffer => {
    const h: Header = {
      nodeCount: d.nodeCount, edgeCount: d.edgeCount, totalBytes: base + body,
      columns: entries.map((e) => ({ ...e, offset: e.offset + base })), strings: d.strings, meta: d.meta ?? {},
    };
    return Buffer.from(JSON.stringify(h), 'utf8');
  };
  let json = makeHeader(0);
  let base = align8(PREFIX + json.length);
  for (let i = 0; i < 4; i++) {
    // offsets grow the JSON by a few digits; iterate until the header fits its own base
    json = makeHeader(base);
    const need = align8(PREFIX + json.length);
    if (need <= base) break;
    base = need;
  }
  const out = Buffer.alloc(base + body);
  out.write(SNAPSHOT_MAGIC, 0, 'latin1');
  out.writeUInt32LE(SNAPSHOT_VERSION, 8);
  out.writeUInt32LE(json.length, 12);
  out.writeUInt32LE(BOM, 20);
  json.copy(out, PREFIX);
  for (let i = 0; i < cols.length; i++) {
    const arr = cols[i][1];
    out.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), base + entries[i].offset);
  }
  out.writeUInt32LE(crc32(out.subarray(PREFIX)), 16);
  return out;
}

/** Writes the snapshot atomically (temp file + rename), so a crash never leaves half a cache. */
export async function writeSnapshot(network: RoadNetwork, file: string): Promise<void> {
  if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) throw new UrbanflowError('INTERNAL', 'snapshots need a little-endian machine', { module: MODULE });
  const buf = encodeSnapshot(network);
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(tmp, buf);
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new UrbanflowError('INVALID_FILE', `${file}: cannot write snapshot (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { field: file, module: MODULE, cause: e });
  }
}

export async function readSnapshot(file: string): Promise<RoadNetwork> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    throw new UrbanflowError('INVALID_FILE', `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { field: file, module: MODULE, cause: e });
  }
  return new RoadNetwork(decodeSnapshot(buf, file));
}

/** Parses and validates a snapshot; every way it can be wrong is an INVALID_FILE naming the file. */
export function decodeSnapshot(buf: Buffer, file = 'snapshot'): RoadNetworkData {
  const bad = (message: string) => new UrbanflowError('INVALID_FILE', `${file}: ${message}`, { field: file, module: MODULE });
  if (buf.length < PREFIX || buf.toString('latin1', 0, 8) !== SNAPSHOT_MAGIC) throw bad('not an urbanflow graph snapshot (bad magic bytes)');
  const version = buf.readUInt32LE(8);
  if (version !== SNAPSHOT_VERSION) throw bad(`snapshot format version ${version}, this build reads version ${SNAPSHOT_VERSION}; re-import the source`);
  if (buf.readUInt32LE(20) !== BOM) throw bad('snapshot byte order is not little-endian');
  const jsonLen = buf.readUInt32LE(12);
  if (PREFIX + jsonLen > buf.length) throw bad(`truncated: header needs ${PREFIX + jsonLen} bytes, file has ${buf.length}`);
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', PREFIX, PREFIX + jsonLen)) as Header;
  } catch {
    throw bad('corrupt snapshot header (not JSON)');
  }
  if (typeof header.totalBytes !== 'number' || !Array.isArray(header.columns) || !Array.isArray(header.strings)) throw bad('corrupt snapshot header (fields missing)');
  if (buf.length < header.totalBytes) throw bad(`truncated: expected ${header.totalBytes} bytes, got ${buf.length}`);
  if (buf.length > header.totalBytes) throw bad(`has ${buf.length - header.totalBytes} trailing bytes after the snapshot`);
  if (crc32(buf.subarray(PREFIX)) !== buf.readUInt32LE(16)) throw bad('corrupt (checksum mismatch)');

  const { nodeCount: n, edgeCount: m } = header;
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 0 || m < 0) throw bad('corrupt snapshot header (counts)');
  const out: Record<string, unknown> = { nodeCount: n, edgeCount: m, strings: header.strings, meta: header.meta ?? {} };
  for (const c of header.columns) {
    const Ctor = ARRAY_TYPES[c.type];
    if (!Ctor) throw bad(`column ${c.name} has unknown type ${c.type}`);
    const bytes = c.length * Ctor.BYTES_PER_ELEMENT;
    if (!(c.offset >= PREFIX + jsonLen) || c.offset % 8 !== 0 || c.offset + bytes > buf.length) throw bad(`column ${c.name} lies outside the file`);
    // copy into a fresh, aligned buffer: the file buffer's own alignment is not guaranteed
    const arr = new Ctor(c.length);
    new Uint8Array(arr.buffer).set(buf.subarray(c.offset, c.offset + bytes));
    out[c.name] = arr;
  }
  const geomPoints = out.geomOffsets instanceof Uint32Array && out.geomOffsets.length === m + 1 ? out.geomOffsets[m] : -1;
  for (const [name, [type, size]] of [...Object.entries(REQUIRED), ...Object.entries(OPTIONAL)]) {
    const arr = out[name] as Column | undefined;
    if (arr === undefined) {
      if (name in REQUIRED) throw bad(`column ${name} is missing`);
      continue;
    }
    if (arr.constructor.name !== type) throw bad(`column ${name} is a ${arr.constructor.name}, expected ${type}`);
    const want = size === 'node' ? n : size === 'edge' ? m : size === 'edge+1' ? m + 1 : size === 'geom' ? 2 * geomPoints : -1;
    if (want >= 0 && arr.length !== want) throw bad(`column ${name} has ${arr.length} entries, expected ${want}`);
  }
  const d = out as unknown as RoadNetworkData;
  for (let e = 0; e < m; e++) {
    if (d.edgeFrom[e] >= n || d.edgeTo[e] >= n) throw bad(`edge ${e} refers to a node that does not exist`);
    if (d.geomOffsets[e + 1] < d.geomOffsets[e] + 2) throw bad(`edge ${e} has a geometry of fewer than 2 points`);
  }
  if (d.turnRestrictions && d.turnRestrictions.length % 4 !== 0) throw bad('turnRestrictions length is not a multiple of 4');
  return d;
}
