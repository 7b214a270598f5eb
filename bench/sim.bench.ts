/**
 * Simulated-city generation: time and peak memory of generateCity at 2,000 / 100,000 /
 * 1,000,000 edges, side by side with a baseline that builds a plain two-way street grid of the
 * same edge count through the same RoadNetworkBuilder (the floor any generator pays), and the
 * time to write every file of the 1M city. Each measurement runs in its own child process so
 * peak RSS is that run's alone.
 *
 *   node bin/run-ts.mjs bench/sim.bench.ts [--sizes 2000,100000,1000000] [--no-write]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCity, writeCity } from '../core/sim/index.js';
import { RoadNetworkBuilder } from '../core/graph/road-network-builder.js';
import { MODE } from '../core/graph/modes.js';

const args = process.argv.slice(2);

/** baseline: an n x n two-way grid, 150 m blocks, named streets, through the builder */
function plainGrid(size: number) {
  const n = Math.max(3, Math.round(Math.sqrt(size / 4)));
  const b = new RoadNetworkBuilder();
  const deg = 150 / 111_000;
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) b.addNode(c * deg, 45 + r * deg);
  const all = MODE.car | MODE.truck | MODE.bike | MODE.foot;
  for (let r = 0; r < n; r++) {
    const name = `${r + 1} Street`;
    for (let c = 0; c + 1 < n; c++) {
      b.addEdge({ from: r * n + c, to: r * n + c + 1, roadClass: 'residential', modes: all, length: 150, name });
      b.addEdge({ from: r * n + c + 1, to: r * n + c, roadClass: 'residential', modes: all, length: 150, name });
    }
  }
  for (let c = 0; c < n; c++) {
    const name = `${c + 1} Avenue`;
    for (let r = 0; r + 1 < n; r++) {
      b.addEdge({ from: r * n + c, to: (r + 1) * n + c, roadClass: 'residential', modes: all, length: 150, name });
      b.addEdge({ from: (r + 1) * n + c, to: r * n + c, roadClass: 'residential', modes: all, length: 150, name });
    }
  }
  return b.build();
}

async function child(kind: string, size: number, write: boolean): Promise<void> {
  const t0 = performance.now();
  let edges = 0;
  let writeMs: Record<string, number> | undefined;
  if (kind === 'baseline') edges = plainGrid(size).edgeCount;
  else {
    let lastNote = '';
    const city = generateCity({
      size,
      seed: 1,
      onProgress: (f, note) => {
        if (note !== lastNote) process.stderr.write(`  generate ${size}: ${(f * 100).toFixed(0)}% ${note}\n`);
        lastNote = note;
      },
    });
    edges = city.network.edgeCount;
    if (write) {
      const dir = mkdtempSync(join(tmpdir(), 'urbanflow-sim-bench-'));
      writeMs = {};
      let last = performance.now();
      let lastName = '';
      try {
        await writeCity(city, dir, {
          onProgress: (_f, name) => {
            const now = performance.now();
            if (lastName) writeMs![lastName] = Math.round(now - last);
            last = now;
            lastName = name;
          },
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const ms = performance.now() - t0;
  const genMs = writeMs ? ms - Object.values(writeMs).reduce((a, b) => a + b, 0) : ms;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ kind, size, edges, ms: Math.round(genMs), maxRssMb: Math.round(maxRssMb), writeMs }) + '\n');
}

async function main(): Promise<void> {
  if (args[0] === '--child') return child(args[1], Number(args[2]), args[3] === 'write');
  const sizesArg = args.indexOf('--sizes');
  const sizes = sizesArg >= 0 ? args[sizesArg + 1].split(',').map(Number) : [2000, 100_000, 1_000_000];
  const write = !args.includes('--no-write');
  const run = (kind: string, size: number, w: boolean) => {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'bin', 'run-ts.mjs'), join(import.meta.dirname, 'sim.bench.ts'), '--child', kind, String(size), w ? 'write' : ''], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    });
    if (r.status !== 0) throw new Error(`${kind} ${size} failed (status ${r.status})`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { edges: number; ms: number; maxRssMb: number; writeMs?: Record<string, number> };
  };
  console.log(`simulated city generation (machine: ${process.env.BENCH_MACHINE ?? '2-core node-svc'}, Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)})`);
  console.log('| size asked | edges | generateCity s | peak RSS MB | plain grid (baseline) s | baseline RSS MB | ratio |');
  console.log('|---|---|---|---|---|---|---|');
  let writes: Record<string, number> | undefined;
  for (const size of sizes) {
    // 2,000-edge cities are measured as the best of 5 runs (they take milliseconds)
    const reps = size <= 10_000 ? 5 : 1;
    const best = <T extends { ms: number }>(f: () => T) => Array.from({ length: reps }, f).reduce((a, b) => (b.ms < a.ms ? b : a));
    const base = best(() => run('baseline', size, false));
    const sim = best(() => run('city', size, false));
    console.log(`| ${size} | ${sim.edges} | ${(sim.ms / 1000).toFixed(3)} | ${sim.maxRssMb} | ${(base.ms / 1000).toFixed(3)} (${base.edges} edges) | ${base.maxRssMb} | ${(sim.ms / base.ms).toFixed(2)} |`);
    if (write && size === sizes[sizes.length - 1]) writes = run('city', size, true).writeMs;
  }
  if (writes) {
    console.log(`\nwriteCity for the ${sizes[sizes.length - 1]}-edge city, ms per file:`);
    for (const [name, ms] of Object.entries(writes)) console.log(`  ${name.padEnd(20)} ${ms}`);
  }
}

await main();
