import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RoadNetworkBuilder, MODE, type RoadNetwork } from '../../core/graph/index.js';
import { readSnapshot, writeSnapshot, encodeSnapshot } from '../../core/graph/snapshot.js';
import { loadDefaultNetwork } from '../../core/graph/default-network.js';
import { UrbanflowError } from '../../core/errors/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'uf-snap-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function expectSameColumns(a: RoadNetwork, b: RoadNetwork) {
  const da = a.data as unknown as Record<string, unknown>;
  const db = b.data as unknown as Record<string, unknown>;
  expect(Object.keys(db).sort()).toEqual(Object.keys(da).sort());
  for (const key of Object.keys(da)) {
    const va = da[key];
    const vb = db[key];
    if (ArrayBuffer.isView(va)) {
      expect(vb?.constructor, key).toBe(va.constructor);
      expect(Buffer.from((vb as Uint8Array).buffer, (vb as Uint8Array).byteOffset, (vb as Uint8Array).byteLength)
        .equals(Buffer.from((va as Uint8Array).buffer, (va as Uint8Array).byteOffset, (va as Uint8Array).byteLength)), key).toBe(true);
    } else expect(vb, key).toEqual(va);
  }
  expect(Array.from(b.outOffsets)).toEqual(Array.from(a.outOffsets));
}

function tiny(): RoadNetwork {
  const b = new RoadNetworkBuilder();
  b.addNode(8, 49, 11);
  b.addNode(8.001, 49, 12);
  b.addNode(8.001, 49.001, 13);
  b.addEdge({ from: 0, to: 1, modes: MODE.car | MODE.foot, roadClass: 'primary', name: 'Ring', ref: 'B 1', maxWeight: 7.5, maxHeight: 3.8, via: [[8.0005, 49.0001]] });
  b.addEdge({ from: 1, to: 2, modes: MODE.car, roadClass: 'residential', name: 'Gasse', toll: 2, bprAlpha: 0.5, bprBeta: 3 });
  b.addEdge({ from: 2, to: 0, modes: MODE.car, roadClass: 'residential', speedKmh: 30 });
  b.addTurnRestriction(0, 1, 1, MODE.car);
  return b.build({ source: 'tiny', nested: { a: [1, 2] }, umlaut: 'Mannheim–Käfertal' });
}

describe('snapshot round trip', () => {
  it('keeps every column of a hand-built network, strings, meta and turn restrictions', async () => {
    const n = tiny();
    const f = join(dir, 'tiny.graph');
    await writeSnapshot(n, f);
    const back = await readSnapshot(f);
    expectSameColumns(n, back);
    expect(back.edgeName(1)).toBe('Gasse');
    expect(back.edgeRef(0)).toBe('B 1');
    expect(back.data.meta.umlaut).toBe('Mannheim–Käfertal');
  });

  it('keeps every column of the real Rhein-Neckar network', async () => {
    const n = await loadDefaultNetwork();
    const f = join(dir, 'rn.graph');
    await writeSnapshot(n, f);
    expectSameColumns(n, await readSnapshot(f));
  });

  it('an empty network survives too', async () => {
    const n = new RoadNetworkBuilder().build();
    const f = join(dir, 'empty.graph');
    await writeSnapshot(n, f);
    const back = await readSnapshot(f);
    expect(back.nodeCount).toBe(0);
    expect(back.edgeCount).toBe(0);
  });
});

describe('snapshot errors', () => {
  const expectInvalid = async (file: string, pattern: RegExp) => {
    const err = await readSnapshot(file).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UrbanflowError);
    expect((err as UrbanflowError).code).toBe('INVALID_FILE');
    expect((err as UrbanflowError).message).toMatch(pattern);
    expect((err as UrbanflowError).field).toBe(file);
  };
  const good = () => encodeSnapshot(tiny());

  it('missing file', () => expectInvalid(join(dir, 'nope.graph'), /cannot read \(ENOENT\)/));
  it('a foreign file', async () => {
    const f = join(dir, 'foreign.graph');
    await writeFile(f, await readFile(new URL('../../fixtures/osm/SOURCE.md', import.meta.url)));
    await expectInvalid(f, /not an urbanflow graph snapshot/);
  });
  it('a truncated file', async () => {
    const buf = good();
    for (const cut of [10, 30, buf.length - 1]) {
      const f = join(dir, `cut${cut}.graph`);
      await writeFile(f, buf.subarray(0, cut));
      await expectInvalid(f, cut < 24 ? /not an urbanflow graph snapshot/ : /truncated/);
    }
  });
  it('a flipped byte in the columns', async () => {
    const buf = good();
    buf[buf.length - 20] ^= 0xff;
    const f = join(dir, 'flip.graph');
    await writeFile(f, buf);
    await expectInvalid(f, /checksum mismatch/);
  });
  it('another format version', async () => {
    const buf = good();
    buf.writeUInt32LE(99, 8);
    const f = join(dir, 'v99.graph');
    await writeFile(f, buf);
    await expectInvalid(f, /format version 99/);
  });
  it('writing into a missing directory', async () => {
    const err = await writeSnapshot(tiny(), join(dir, 'no', 'such', 'x.graph')).then(() => undefined, (e: unknown) => e);
    expect((err as UrbanflowError).code).toBe('INVALID_FILE');
  });
});

describe('loadDefaultNetwork / loadNetworkFile', () => {
  it('imports once into the cache directory, then loads the same network from it', async () => {
    const { loadNetworkFile, DEFAULT_PBF } = await import('../../core/graph/default-network.js');
    const { readdir } = await import('node:fs/promises');
    const cacheDir = join(dir, 'cache');
    const first = await loadDefaultNetwork({ cacheDir });
    const files = await readdir(cacheDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^rnv-rhein-neckar-2016-[0-9a-f]{16}-i\d+-s\d+\.graph$/);
    const second = await loadNetworkFile(DEFAULT_PBF, { cacheDir });
    expectSameColumns(first, second);
    // a corrupt cache is rebuilt rather than failing
    await writeFile(join(cacheDir, files[0]), 'garbage');
    const third = await loadDefaultNetwork({ cacheDir });
    expect(third.edgeCount).toBe(first.edgeCount);
    expect((await readFile(join(cacheDir, files[0]))).subarray(0, 7).toString()).toBe('UFGRAPH');
  });
});
