import { readFile } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { parse as parsePrimitiveBlock } from 'osm-pbf-parser-node';
import { UrbanflowError } from '../../errors/index.js';

/** The OSM elements the importer reads, as osm-pbf-parser-node yields them. */
export interface OsmNode {
  type: 'node';
  id: number;
  lon: number;
  lat: number;
  tags?: Record<string, string>;
}
export interface OsmWay {
  type: 'way';
  id: number;
  refs: number[];
  tags?: Record<string, string>;
}
export interface OsmRelation {
  type: 'relation';
  id: number;
  members: { type: 'node' | 'way' | 'relation'; ref: number; role: string }[];
  tags?: Record<string, string>;
}
export type OsmElement = OsmNode | OsmWay | OsmRelation;

const MODULE = 'core/graph/osm';
const MAX_HEADER = 64 * 1024;
const MAX_BLOB = 32 * 1024 * 1024;

function bad(file: string, message: string, offset?: number): UrbanflowError {
  return new UrbanflowError('INVALID_FILE', `${file}: ${message}`, { field: file, module: MODULE, details: offset === undefined ? undefined : { offset } });
}

/**
 * Reads an .osm.pbf file block by block. The file framing (length, BlobHeader, Blob) is decoded
 * here rather than by the library's stream, so a truncated or foreign file becomes a clear
 * INVALID_FILE (with the byte offset) instead of an exception thrown inside a stream callback,
 * and progress can be reported per block. Each OSMData block is inflated and handed to
 * osm-pbf-parser-node's `parse`, which does the heavy PrimitiveBlock decoding.
 */
export interface PbfReadOptions {
  /** decode only these way tags (default: all) */
  wayTags?: readonly string[];
}

export async function* readPbf(file: string, progress?: (fraction: number) => void, opts: PbfReadOptions = {}): AsyncGenerator<OsmElement[]> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UrbanflowError('INVALID_FILE', `${file}: cannot read (${code ?? (e as Error).message})`, { field: file, module: MODULE, cause: e });
  }
  yield* readPbfBuffer(buf, file, progress, opts);
}

export function* readPbfBuffer(buf: Buffer, file = 'pbf', progress?: (fraction: number) => void, opts: PbfReadOptions = {}): Generator<OsmElement[]> {
  // osm-pbf-parser-node reads the node/way/relation keys of the options object as its withTags
  // setting (true, false, or a list of keys); node tags are not needed for the road graph
  const tagOptions = { node: false, way: opts.wayTags ? [...opts.wayTags] : true, relation: true, withInfo: false };
  if (buf.length < 4) throw bad(file, 'not an OSM PBF file (too short)');
  let pos = 0;
  let first = true;
  while (pos < buf.length) {
    if (pos + 4 > buf.length) throw bad(file, `truncated at byte ${pos} (incomplete block length)`, pos);
    const headerLen = buf.readUInt32BE(pos);
    if (headerLen === 0 || headerLen > MAX_HEADER) {
      throw bad(file, first ? 'not an OSM PBF file (no BlobHeader at the start)' : `corrupt block header length ${headerLen} at byte ${pos}`, pos);
    }
    pos += 4;
    if (pos + headerLen > buf.length) throw bad(file, `truncated at byte ${pos} (incomplete BlobHeader)`, pos);
    const header = decodeBlobHeader(buf.subarray(pos, pos + headerLen));
    if (!header || (header.type !== 'OSMHeader' && header.type !== 'OSMData')) {
      throw bad(file, first ? 'not an OSM PBF file (first block is not an OSMHeader)' : `unknown block type at byte ${pos}`, pos);
    }
    if (first && header.type !== 'OSMHeader') throw bad(file, 'not an OSM PBF file (first block is not an OSMHeader)', pos);
    first = false;
    pos += headerLen;
    if (header.datasize <= 0 || header.datasize > MAX_BLOB) throw bad(file, `corrupt block size ${header.datasize} at byte ${pos}`, pos);
    if (pos + header.datasize > buf.length) throw bad(file, `truncated at byte ${buf.length} (block of ${header.datasize} bytes at ${pos} is incomplete)`, pos);
    const blob = buf.subarray(pos, pos + header.datasize);
    const blockAt = pos;
    pos += header.datasize;
    if (header.type === 'OSMHeader') continue;
    let items: OsmElement[];
    try {
      const raw = decodeBlob(blob);
      if (!raw) throw new Error('unsupported compression (only zlib and raw blocks are read)');
      items = parsePrimitiveBlock(raw, tagOptions as never) as OsmElement[];
    } catch (e) {
      throw new UrbanflowError('INVALID_FILE', `${file}: corrupt data block at byte ${blockAt}: ${(e as Error).message}`, { field: file, module: MODULE, cause: e, details: { offset: blockAt } });
    }
    progress?.(pos / buf.length);
    yield items;
  }
  if (first) throw bad(file, 'not an OSM PBF file (empty)');
}

/** The blocks of a PBF file as byte ranges (start of the length prefix .. end of the blob), for tools and tests. */
export function listPbfBlocks(buf: Buffer): { type: string; start: number; end: number }[] {
  const out: { type: string; start: number; end: number }[] = [];
  let pos = 0;
  while (pos + 4 <= buf.length) {
    const headerLen = buf.readUInt32BE(pos);
    const header = decodeBlobHeader(buf.subarray(pos + 4, pos + 4 + headerLen));
    if (!header) break;
    const end = pos + 4 + headerLen + header.datasize;
    if (end > buf.length) break;
    out.push({ type: header.type, start: pos, end });
    pos = end;
  }
  return out;
}

// --- a minimal protobuf reader for the two framing messages ---

function readVarint(b: Buffer, state: { pos: number }): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (state.pos >= b.length) throw new Error('varint runs past the end');
    const byte = b[state.pos++];
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return result;
    shift += 7;
    if (shift > 63) throw new Error('varint too long');
  }
}

function skipField(b: Buffer, wire: number, state: { pos: number }): void {
  if (wire === 0) readVarint(b, state);
  else if (wire === 1) state.pos += 8;
  else if (wire === 2) state.pos += readVarint(b, state);
  else if (wire === 5) state.pos += 4;
  else throw new Error(`unsupported wire type ${wire}`);
  if (state.pos > b.length) throw new Error('field runs past the end');
}

function decodeBlobHeader(b: Buffer): { type: string; datasize: number } | undefined {
  try {
    const st = { pos: 0 };
    let type = '';
    let datasize = -1;
    while (st.pos < b.length) {
      const key = readVarint(b, st);
      const field = Math.floor(key / 8);
      const wire = key & 7;
      if (field === 1 && wire === 2) {
        const len = readVarint(b, st);
        if (st.pos + len > b.length) return undefined;
        type = b.toString('utf8', st.pos, st.pos + len);
        st.pos += len;
      } else if (field === 3 && wire === 0) {
        datasize = readVarint(b, st);
      } else skipField(b, wire, st);
    }
    return datasize >= 0 ? { type, datasize } : undefined;
  } catch {
    return undefined;
  }
}

function decodeBlob(b: Buffer): Buffer | undefined {
  const st = { pos: 0 };
  while (st.pos < b.length) {
    const key = readVarint(b, st);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if ((field === 1 || field === 3) && wire === 2) {
      const len = readVarint(b, st);
      if (st.pos + len > b.length) throw new Error('blob data runs past the end');
      const data = b.subarray(st.pos, st.pos + len);
      return field === 1 ? data : inflateSync(data);
    }
    skipField(b, wire, st);
  }
  return undefined;
}
