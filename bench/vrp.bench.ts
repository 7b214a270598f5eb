/**
 * VRP quality benchmark on fixtures/vrp: for every instance, the construction heuristic alone (baseline) and the
 * SISR search at 1 s and 10 s wall-clock, each checked by the independent checker, against the best-known
 * solutions in BKS.csv. Prints a markdown table and the ratio of average gaps (baseline / ours).
 *   node bin/run-ts.mjs bench/vrp.bench.ts [--seconds 1,10] [--seed 1] [--only R101,C101] [--write bench/results/vrp.md]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createVrpToolkit } from '../services/logistics/index.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '1,10' }, seed: { type: 'string', default: '1' }, only: { type: 'string' }, write: { type: 'string' } },
});
const budgets = values.seconds!.split(',').map(Number);
const seed = Number(values.seed);
const vrp = createVrpToolkit();

interface Bks { instance: string; problem: string; file: string; vehicles: number; distance: number }
const csv = readFileSync('fixtures/vrp/BKS.csv', 'utf8').trim().split(/\r?\n/);
const head = csv[0].split(',');
const col = (name: string) => head.indexOf(name);
const rows: Bks[] = csv.slice(1).map((line) => {
  const c = line.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((x) => x.replace(/,$/, ''));
  return { instance: c[col('instance')], problem: c[col('problem')], file: c[col('file')], vehicles: Number(c[col('bks_vehicles')]), distance: Number(c[col('bks_distance')]) };
});
const only = values.only?.split(',');

interface Cell { vehicles: number; distance: number; gap: number; feasible: boolean; seconds: number; cpu: number; iterations: number }
const results: { bks: Bks; base: Cell; runs: Cell[] }[] = [];

function measure(bks: Bks, fn: () => ReturnType<typeof vrp.solve>, inst: ReturnType<typeof vrp.readInstanceFile>): Cell {
  const c0 = process.cpuUsage();
  const r = fn();
  const c = process.cpuUsage(c0);
  const report = vrp.check(inst, r);
  return {
    vehicles: r.vehicles,
    distance: report.distance,
    gap: Math.round((report.distance / bks.distance - 1) * 1e6) / 1e4 + 0,
    feasible: report.feasible && r.unassigned.length === 0,
    seconds: r.seconds,
    cpu: (c.user + c.system) / 1e6,
    iterations: r.iterations,
  };
}

for (const bks of rows) {
  if (only && !only.includes(bks.instance)) continue;
  const inst = vrp.readInstanceFile(`fixtures/vrp/${bks.file}`);
  const objective = bks.problem === 'CVRP' ? 'distance' : 'vehicles-distance';
  const base = measure(bks, () => vrp.solve(inst, { objective, constructOnly: true }), inst);
  const runs = budgets.map((s) => {
    process.stderr.write(`${bks.instance} ${s}s ...\n`);
    return measure(bks, () => vrp.solve(inst, { objective, seed, timeLimitMs: s * 1000 }), inst);
  });
  results.push({ bks, base, runs });
  const last = runs[runs.length - 1];
  process.stderr.write(`${bks.instance}: construction ${base.vehicles}/${base.distance.toFixed(2)}, ours ${runs.map((r) => `${r.vehicles}/${r.distance.toFixed(2)}`).join(', ')} (bks ${bks.vehicles}/${bks.distance}, ${last.iterations} it, cpu ${last.cpu.toFixed(1)} s)\n`);
}

const fmt = (c: Cell, bks: Bks) => `${c.vehicles}${c.vehicles !== bks.vehicles ? '*' : ''} / ${c.distance.toFixed(2)}${c.feasible ? '' : ' INFEASIBLE'}`;
const lines: string[] = [];
lines.push(`| instance | best-known (veh / dist) | construction | ${budgets.map((s) => `ours ${s} s`).join(' | ')} | gap construction | ${budgets.map((s) => `gap ${s} s`).join(' | ')} | iterations / CPU s at ${budgets[budgets.length - 1]} s |`);
lines.push(`|---|---|---|${budgets.map(() => '---|').join('')}---|${budgets.map(() => '---|').join('')}---|`);
for (const { bks, base, runs } of results) {
  const last = runs[runs.length - 1];
  lines.push(`| ${bks.instance} | ${bks.vehicles} / ${bks.distance} | ${fmt(base, bks)} | ${runs.map((r) => fmt(r, bks)).join(' | ')} | ${base.gap.toFixed(2)} % | ${runs.map((r) => `${r.gap.toFixed(2)} %`).join(' | ')} | ${last.iterations} / ${last.cpu.toFixed(1)} |`);
}
const summary: string[] = [];
for (const group of ['VRPTW', 'PDPTW', 'CVRP']) {
  const g = results.filter((r) => r.bks.problem === group);
  if (g.length === 0) continue;
  const avg = (f: (x: (typeof g)[0]) => number) => g.reduce((a, x) => a + f(x), 0) / g.length;
  const baseGap = avg((x) => x.base.gap);
  const parts = budgets.map((s, i) => {
    const gap = avg((x) => x.runs[i].gap);
    const vehOk = g.filter((x) => x.runs[i].vehicles <= x.bks.vehicles).length;
    // a gap of (almost) zero would make the ratio meaningless: floor it at 0.01 %
    const ratio = gap < 0.01 ? `≥ ${(baseGap / 0.01).toFixed(0)}×` : `${(baseGap / gap).toFixed(1)}×`;
    return `${s} s: average gap ${gap.toFixed(2)} %, best-known vehicles on ${vehOk}/${g.length}, gap ratio construction/ours ${ratio}`;
  });
  summary.push(`- ${group}: construction average gap ${baseGap.toFixed(2)} %; ${parts.join('; ')}`);
}
const md = [
  `Seed ${seed}. Wall-clock budgets ${budgets.join(' s, ')} s per instance on a shared, loaded machine; \`*\` marks a vehicle count above the best-known.`,
  'Gap = distance / best-known distance − 1 (a solution with more vehicles than the best-known can have a negative gap).',
  '',
  ...lines,
  '',
  ...summary,
].join('\n');
process.stdout.write(`${md}\n`);
if (values.write) {
  const date = new Date().toISOString().slice(0, 10);
  writeFileSync(values.write, `# VRP benchmark (bench/vrp.bench.ts)\n\nMachine: 2-core node-svc, Node ${process.versions.node}, ${date}. Load average at the end: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}.\n\n${md}\n`);
}
