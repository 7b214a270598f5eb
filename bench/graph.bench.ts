/**
 * Road-network foundation on the real Rhein-Neckar PBF (fixtures/osm), each contender beside
 * its baseline in one run:
 *   1. PBF import (split, tag rules, per-mode SCC filter) vs the bare osm-pbf-parser-node parse
 *      of the same file (the floor any importer pays); time and peak RSS, each in its own child
 *      process so peak RSS is that run's alone;
 *   2. snapshot load vs re-import;
 *   3. EdgeSnapper.nearest queries per second vs a linear scan over every segment;
 *   4. bytes per edge: typed-array columns + CSR vs the graphology model of the same network.
 *
 *   node --expose-gc bin/run-ts.mjs bench/graph.bench.ts [--write]   (--write updates bench/results/graph.md)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOSMStream } from 'osm-pbf-parser-node';
import { importOsmPbf } from '../core/graph/osm/osm-import.js';
import { readSnapshot, writeSnapshot } from '../core/graph/snapshot.js';
import { DEFAULT_PBF } from '../core/graph/default-network.js';
import { EdgeSnapper } from '../core/graph/snap/index.js';
import { haversineMetres, MODE, type RoadNetwork } from '../core/graph/index.js';

const args = process.argv.slice(2);
const here = import.meta.dirname;

type ChildResult = { ms: number; maxRssMb: number; heapMb: number; note?: string };

async function child(kind: string, file: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const t0 = performance.now();
  let note = '';
  if (kind === 'parse') {
    let n = 0;
    for await (const _ of createOSMStream(file)) n++;
    note = `${n} elements`;
  } else if (kind === 'import') {
    const { network } = await importOsmPbf(file);
    note = `${network.nodeCount} nodes, ${network.edgeCount} edges`;
  } else if (kind === 'snapshot') {
    const network = await readSnapshot(file);
    note = `${network.nodeCount} nodes, ${network.edgeCount} edges`;
  }
  const ms = performance.now() - t0;
  gc?.();
  process.stdout.write(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, heapMb: process.memoryUsage().heapUsed / 1e6, note }) + '\n');
}

function run(kind: string, file: string): ChildResult {
  const r = spawnSync(process.execPath, ['--expose-gc', join(here, '..', 'bin', 'run-ts.mjs'), join(here, 'graph.bench.ts'), '--child', kind, file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`${kind} failed (status ${r.status})`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

const best = (rs: ChildResult[]) => rs.reduce((a, b) => (b.ms < a.ms ? b : a));

/** the linear baseline: every segment of every car edge, same projection as EdgeSnapper */
function linearNearest(net: RoadNetwork, lon: number, lat: number): { edge: number; distance: number } {
  const { geomOffsets, geomCoords, edgeModes, edgeCount } = net.data;
  const k = Math.cos((lat * Math.PI) / 180);
  let bestD = Infinity;
  let bestE = -1;
  for (let e = 0; e < edgeCount; e++) {
    if (!(edgeModes[e] & MODE.car)) continue;
    for (let p = geomOffsets[e]; p < geomOffsets[e + 1] - 1; p++) {
      const x0 = geomCoords[2 * p], y0 = geomCoords[2 * p + 1], x1 = geomCoords[2 * p + 2], y1 = geomCoords[2 * p + 3];
      const dx = (x1 - x0) * k, dy = y1 - y0;
      const len2 = dx * dx + dy * dy;
      let t = len2 > 0 ? ((lon - x0) * k * dx + (lat - y0) * dy) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const d = haversineMetres(lon, lat, x0 + t * (x1 - x0), y0 + t * (y1 - y0));
      if (d < bestD) {
        bestD = d;
        bestE = e;
      }
    }
  }
  return { edge: bestE, distance: bestD };
}

function typedBytes(net: RoadNetwork): number {
  let bytes = 0;
  for (const v of Object.values(net.data)) if (ArrayBuffer.isView(v)) bytes += v.byteLength;
  for (const a of [net.outOffsets, net.outEdges, net.inOffsets, net.inEdges]) bytes += a.byteLength;
  return bytes;
}

async function main(): Promise<void> {
  if (args[0] === '--child') return child(args[1], args[2]);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) process.stderr.write('note: run with node --expose-gc for the graphology memory figure\n');
  const lines: string[] = [];
  const say = (s = '') => {
    lines.push(s);
    console.log(s);
  };
  const date = new Date().toISOString().slice(0, 10);
  say(`## Road network (bench/graph.bench.ts)`);
  say();
  say(`Machine: ${process.env.BENCH_MACHINE ?? '2-core node-svc'}, Node ${process.versions.node}, ${date}. Input: fixtures/osm/rnv-rhein-neckar-2016.osm.pbf (3.7 MB, 164,598 nodes, 37,344 ways). Times are the best of N runs, each in a fresh process. Load average at start: ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (the machine is shared; ratios are measured side by side in one run).`);
  say();

  // 1. import vs bare parse
  process.stderr.write('import vs parse (3 runs each) ...\n');
  // interleaved, so a burst of load from other processes hits both sides alike
  const parseRuns: ChildResult[] = [];
  const importRuns: ChildResult[] = [];
  for (let i = 0; i < 3; i++) {
    parseRuns.push(run('parse', DEFAULT_PBF));
    importRuns.push(run('import', DEFAULT_PBF));
  }
  const parse = best(parseRuns);
  const imp = best(importRuns);
  const idle = run('idle', DEFAULT_PBF);
  say('| step | time s | peak RSS MB | heap after MB | result |');
  say('|---|---|---|---|---|');
  say(`| process start only (tsx, modules) | - | ${idle.maxRssMb.toFixed(0)} | ${idle.heapMb.toFixed(0)} | |`);
  say(`| baseline: osm-pbf-parser-node createOSMStream, all elements with tags | ${(parse.ms / 1000).toFixed(2)} | ${parse.maxRssMb.toFixed(0)} | ${parse.heapMb.toFixed(0)} | ${parse.note} |`);
  say(`| importOsmPbf (parse + split + tags + SCC filter) | ${(imp.ms / 1000).toFixed(2)} | ${imp.maxRssMb.toFixed(0)} | ${imp.heapMb.toFixed(0)} | ${imp.note} |`);
  say(`| ratio import / bare parse | ${(imp.ms / parse.ms).toFixed(2)} | | | |`);
  say();

  // 2. snapshot load vs re-import
  const { network } = await importOsmPbf(DEFAULT_PBF);
  const dir = mkdtempSync(join(tmpdir(), 'uf-graph-bench-'));
  try {
    const snap = join(dir, 'rn.graph');
    const tw = performance.now();
    await writeSnapshot(network, snap);
    const writeMs = performance.now() - tw;
    process.stderr.write('snapshot load (5 runs) ...\n');
    const load = best([0, 1, 2, 3, 4].map(() => run('snapshot', snap)));
    const size = (await import('node:fs')).statSync(snap).size;
    say('| snapshot | value |');
    say('|---|---|');
    say(`| file size | ${(size / 1e6).toFixed(1)} MB (${(size / network.edgeCount).toFixed(0)} bytes per edge) |`);
    say(`| write (in process) | ${writeMs.toFixed(0)} ms |`);
    say(`| load (fresh process, readSnapshot incl. CSR build and validation) | ${load.ms.toFixed(0)} ms, peak RSS ${load.maxRssMb.toFixed(0)} MB |`);
    say(`| re-import (baseline, best of 3 above) | ${imp.ms.toFixed(0)} ms |`);
    say(`| ratio re-import / load | ${(imp.ms / load.ms).toFixed(1)}x faster to load |`);
    say();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // 3. snapping
  process.stderr.write('snapping ...\n');
  const tb = performance.now();
  const snapper = new EdgeSnapper(network);
  const buildMs = performance.now() - tb;
  const d = network.data;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let v = 0; v < network.nodeCount; v++) {
    minX = Math.min(minX, d.nodeLon[v]); maxX = Math.max(maxX, d.nodeLon[v]);
    minY = Math.min(minY, d.nodeLat[v]); maxY = Math.max(maxY, d.nodeLat[v]);
  }
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  // query points near the roads (a random node jittered by up to ~300 m), as routing requests are
  const pts: [number, number][] = Array.from({ length: 20_000 }, () => {
    const v = Math.floor(rnd() * network.nodeCount);
    return [d.nodeLon[v] + (rnd() - 0.5) * 0.008, d.nodeLat[v] + (rnd() - 0.5) * 0.005];
  });
  for (let i = 0; i < 2000; i++) snapper.nearest(pts[i][0], pts[i][1], 'car'); // warm up
  let t = performance.now();
  for (const [x, y] of pts) snapper.nearest(x, y, 'car');
  const nearestQps = pts.length / ((performance.now() - t) / 1000);
  t = performance.now();
  let withinCount = 0;
  for (const [x, y] of pts) withinCount += snapper.within(x, y, 100, 'car').length;
  const withinQps = pts.length / ((performance.now() - t) / 1000);
  const linearN = 200;
  let mismatches = 0;
  t = performance.now();
  const lin = pts.slice(0, linearN).map(([x, y]) => linearNearest(network, x, y));
  const linearQps = linearN / ((performance.now() - t) / 1000);
  pts.slice(0, linearN).forEach(([x, y], i) => {
    const s = snapper.nearest(x, y, 'car')!;
    if (s.distance !== lin[i].distance) mismatches++;
  });
  say('| snapping (car, points within ~300 m of a road) | queries/s |');
  say('|---|---|');
  say(`| EdgeSnapper.nearest (flatbush over ${snapper.segmentCount} segments, built in ${buildMs.toFixed(0)} ms) | ${nearestQps.toFixed(0)} |`);
  say(`| EdgeSnapper.within 100 m (avg ${(withinCount / pts.length).toFixed(1)} edges returned) | ${withinQps.toFixed(0)} |`);
  say(`| baseline: linear scan over every segment (${linearN} queries; ${mismatches} distance mismatches vs EdgeSnapper) | ${linearQps.toFixed(1)} |`);
  say(`| ratio nearest / linear | ${(nearestQps / linearQps).toFixed(0)}x |`);
  say();

  // 4. bytes per edge
  const typed = typedBytes(network);
  let graphBytes = NaN;
  if (gc) {
    gc();
    const h0 = process.memoryUsage().heapUsed;
    const g = network.graph;
    gc();
    graphBytes = process.memoryUsage().heapUsed - h0;
    if (g.size !== network.edgeCount) throw new Error('graphology model incomplete');
  }
  say('| memory for the network | total MB | bytes per edge |');
  say('|---|---|---|');
  say(`| typed-array columns (incl. geometry, names) + CSR adjacency | ${(typed / 1e6).toFixed(1)} | ${(typed / network.edgeCount).toFixed(0)} |`);
  say(`| graphology model of the same network (heap growth after GC) | ${Number.isNaN(graphBytes) ? 'n/a (no --expose-gc)' : (graphBytes / 1e6).toFixed(1)} | ${Number.isNaN(graphBytes) ? 'n/a' : (graphBytes / network.edgeCount).toFixed(0)} |`);
  if (!Number.isNaN(graphBytes)) say(`| ratio graphology / typed arrays | ${(graphBytes / typed).toFixed(1)}x | |`);
  say(`| snap index (flatbush + segment tables), built on first use | ${(snapper.byteLength / 1e6).toFixed(1)} | ${(snapper.byteLength / network.edgeCount).toFixed(0)} |`);
  say();

  if (args.includes('--write')) {
    writeFileSync(join(here, 'results', 'graph.md'), `# Benchmark results: road network\n\n${lines.join('\n')}\n`);
    process.stderr.write('wrote bench/results/graph.md\n');
  }
}

await main();
