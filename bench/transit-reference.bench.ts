/**
 * Reference check: replays fixtures/gtfs/rnv-trips-least-duration-01.csv (951 journeys the national
 * planner bahn.de answered; it also has regional trains the rnv feed lacks). For each query, from its
 * coordinates at its time:
 *   contender: our multimodal plan (walk + transit and pure walk) on the Rhein-Neckar foot network:
 *              access/egress walks up to 15 min from the exact coordinates, footpaths between stops
 *              up to 10 min on the foot graph, RAPTOR up to 8 trips, no extra change time;
 *   baseline:  a plain connection scan from the query's stop to its destination stop with straight-line
 *              walks of up to 400 m between stops.
 * Reports how many arrive no later than the reference, the median and 90th percentile of the arrival
 * differences, the causes of the later or missing ones, and a scatter plot of travel times
 * (bench/results/transit-reference.png).
 *
 *   node bin/run-ts.mjs bench/transit-reference.bench.ts [--limit N] [--write]   (--write updates bench/results/transit.md)
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { PNG } from 'pngjs';
import { loadDefaultNetwork } from '../core/graph/default-network.js';
import { haversineMetres } from '../core/graph/geo.js';
import { planRequestSchema, type PlanResult } from '../core/contracts/routing-transit.js';
import { loadGtfsZip, createTransitPlanner, straightLineFootpaths, stopsNear, parseIsoInZone, ConnectionScan } from '../services/routing/transit/index.js';
import { readCsv } from '../services/routing/transit/csv.js';
import { createMultimodalPlanner } from '../services/routing/multimodal/index.js';

const here = import.meta.dirname;
const args = process.argv.slice(2);
const limit = args.includes('--limit') ? Number(args[args.indexOf('--limit') + 1]) : Infinity;
const NO_TIME = 0x7fffffff;
const TZ = 'Europe/Berlin';

interface Row {
  id: string;
  at: number;
  fromId: string;
  toId: string;
  from: { lon: number; lat: number };
  to: { lon: number; lat: number };
  refDep: number;
  refArr: number;
  legs: number;
}

const csv = readCsv('rnv-trips-least-duration-01.csv', readFileSync(join(here, '..', 'fixtures', 'gtfs', 'rnv-trips-least-duration-01.csv'), 'utf8'));
const rows: Row[] = [];
const c = (n: string) => csv.col(n);
csv.forEach((r) => {
  rows.push({
    id: r[c('query_id')], at: parseIsoInZone(r[c('query_date_time')], TZ),
    fromId: r[c('query_from_id')], toId: r[c('query_to_id')],
    from: { lon: Number(r[c('query_from_lon')]), lat: Number(r[c('query_from_lat')]) },
    to: { lon: Number(r[c('query_to_lon')]), lat: Number(r[c('query_to_lat')]) },
    refDep: parseIsoInZone(r[c('trip_first_departure_date_time')], TZ), refArr: parseIsoInZone(r[c('trip_last_arrival_date_time')], TZ),
    legs: Number(r[c('trip_legs_count')]),
  });
});
const work = rows.slice(0, Math.min(rows.length, limit));
process.stderr.write(`${rows.length} reference journeys\n`);

const network = await loadDefaultNetwork();
const feed = loadGtfsZip(readFileSync(join(here, '..', 'fixtures', 'gtfs', 'rnv-gtfs-2016.zip')));
const t0 = performance.now();
const transit = createTransitPlanner({ feed, network, onProgress: (f) => process.stderr.write(`footpaths ${Math.round(f * 100)}%\r`) });
const footMs = performance.now() - t0;
const mm = createMultimodalPlanner({ transit, network });
const base = createTransitPlanner({ feed, footpaths: straightLineFootpaths(feed, { maxMetres: 400, detour: 1 }) });
const stopIndex = new Map(feed.stopIds.map((id, i) => [id, i]));

const plan = (r: Row, maxWalk: number): Promise<PlanResult> =>
  mm.plan(planRequestSchema.parse({ from: r.from, to: r.to, departAt: r.at, modes: ['transit', 'walk'], maxWalkMinutes: maxWalk, maxTrips: 8, transferSlackSeconds: 0 }));

function baseline(r: Row): number {
  const pick = (id: string, p: { lon: number; lat: number }) => stopIndex.get(id) ?? stopsNear(feed, base.footpaths.stopIndex.index, p.lon, p.lat, 400).sort((a, b) => a.metres - b.metres)[0]?.stop;
  const a = pick(r.fromId, r.from);
  const b = pick(r.toId, r.to);
  if (a === undefined || b === undefined) return NO_TIME;
  const { date } = base.resolveDeparture(r.at);
  const ctx = base.dayContext(date);
  const csa: ConnectionScan = ctx.csa();
  const t = csa.earliestArrival(base.stopWalks(a, false), base.stopWalks(b, true), Math.floor((r.at - ctx.day.origin) / 1000));
  return t === NO_TIME ? NO_TIME : ctx.day.origin + t * 1000;
}

interface Outcome {
  row: Row;
  ours: number;
  oursDep: number;
  base: number;
  cause?: string;
}
const out: Outcome[] = [];
let planMs = 0;
let baseMs = 0;
for (const [i, r] of work.entries()) {
  let t = performance.now();
  const res = await plan(r, 15);
  planMs += performance.now() - t;
  const best = res.options[0];
  t = performance.now();
  const b = baseline(r);
  baseMs += performance.now() - t;
  out.push({ row: r, ours: best ? best.arrivalMs : NO_TIME, oursDep: best ? best.departureMs : NO_TIME, base: b });
  if (i % 25 === 0) process.stderr.write(`journeys ${i}/${work.length}\r`);
}

// causes of the later (or missing) answers
for (const o of out) {
  if (o.ours <= o.row.refArr) continue;
  const r = o.row;
  if (!stopIndex.has(r.fromId) || !stopIndex.has(r.toId)) {
    o.cause = 'stop not in the rnv feed';
    continue;
  }
  const longer = await plan(r, 30);
  if (longer.options[0] && longer.options[0].arrivalMs <= r.refArr) {
    o.cause = 'walk (the reference walks further than 15 min to/from a stop)';
    continue;
  }
  const refDur = r.refArr - r.refDep;
  const ourDur = o.ours === NO_TIME ? Infinity : o.ours - o.oursDep;
  const km = haversineMetres(r.from.lon, r.from.lat, r.to.lon, r.to.lat) / 1000;
  if (o.ours === NO_TIME) o.cause = 'missing operator (no rnv connection at all; 10-25 km, beyond walking)';
  else if (km > 3 && refDur < 0.8 * ourDur) o.cause = 'missing operator (faster regional train in the reference)';
  else o.cause = 'timetable (reference schedule or change times differ)';
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};
const count = (f: (o: Outcome) => boolean) => out.filter(f).length;
const n = out.length;
const oursOk = count((o) => o.ours <= o.row.refArr);
const baseOk = count((o) => o.base <= o.row.refArr);
const oursNone = count((o) => o.ours === NO_TIME);
const baseNone = count((o) => o.base === NO_TIME);
const diffs = out.filter((o) => o.ours !== NO_TIME).map((o) => (o.ours - o.row.refArr) / 60000);
const bdiffs = out.filter((o) => o.base !== NO_TIME).map((o) => (o.base - o.row.refArr) / 60000);
const causes = new Map<string, number>();
for (const o of out) if (o.cause) causes.set(o.cause, (causes.get(o.cause) ?? 0) + 1);
const walkOnly = count((o) => o.ours !== NO_TIME && o.ours <= o.row.refArr && o.base === NO_TIME);

// scatter: reference travel time (query time -> arrival) vs ours, minutes, 0..240
const W = 640;
const png = new PNG({ width: W, height: W });
png.data.fill(255);
const MAXM = 240;
const px = (m: number) => Math.round(40 + (Math.min(m, MAXM) / MAXM) * (W - 60));
const put = (x: number, y: number, rgb: [number, number, number]) => {
  if (x < 0 || y < 0 || x >= W || y >= W) return;
  const i = ((W - 1 - y) * W + x) * 4;
  png.data[i] = rgb[0];
  png.data[i + 1] = rgb[1];
  png.data[i + 2] = rgb[2];
  png.data[i + 3] = 255;
};
for (let m = 0; m <= MAXM; m += 30) {
  for (let k = 40; k < W - 20; k++) {
    put(px(m), k, [225, 225, 225]);
    put(k, px(m), [225, 225, 225]);
  }
}
for (let k = 40; k < W - 20; k++) {
  put(40, k, [0, 0, 0]);
  put(k, 40, [0, 0, 0]);
  put(k, k, [160, 160, 160]);
}
for (const o of out) {
  if (o.ours === NO_TIME) continue;
  const x = px((o.row.refArr - o.row.at) / 60000);
  const y = px((o.ours - o.row.at) / 60000);
  const col: [number, number, number] = o.ours <= o.row.refArr ? [30, 90, 200] : [210, 50, 40];
  for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) put(x + dx, y + dy, col);
}
const pngFile = join(here, 'results', 'transit-reference.png');
writeFileSync(pngFile, PNG.sync.write(png));

const f1 = (x: number) => x.toFixed(1);
const lines = [
  `machine: 2-core node-svc, Node ${process.versions.node}, load average ${loadavg()[0].toFixed(2)}; date ${new Date().toISOString().slice(0, 10)}`,
  `journeys: ${n} (reference: bahn.de LEAST_DURATION, Nov 2016); footpaths on the foot network: ${transit.footpaths.links} links in ${(footMs / 1000).toFixed(1)} s`,
  `arrive no later than the reference:  ours ${oursOk}/${n} (${f1((100 * oursOk) / n)} %)   baseline CSA 400 m ${baseOk}/${n} (${f1((100 * baseOk) / n)} %)`,
  `no journey found:                     ours ${oursNone}   baseline ${baseNone}`,
  `arrival - reference arrival, minutes: ours median ${f1(pct(diffs, 50))}, p90 ${f1(pct(diffs, 90))}   baseline median ${f1(pct(bdiffs, 50))}, p90 ${f1(pct(bdiffs, 90))}`,
  `reached by ours but not by the baseline and no later than the reference: ${walkOnly}`,
  `time per journey: ours (plan: access/egress searches + RAPTOR + walk option) ${f1(planMs / n)} ms, baseline CSA ${f1(baseMs / n)} ms`,
  'ours later than the reference or not found, by cause:',
  ...[...causes.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => {
    const late = out.filter((o) => o.cause === k && o.ours !== NO_TIME).map((o) => (o.ours - o.row.refArr) / 60000);
    return `  ${String(v).padStart(4)}  ${k}${late.length ? ` (later by median ${f1(pct(late, 50))} min, p90 ${f1(pct(late, 90))})` : ''}`;
  }),
  `  of which later by at most 5 min: ${count((o) => o.ours !== NO_TIME && o.ours > o.row.refArr && o.ours - o.row.refArr <= 300000)}`,
  'scatter: bench/results/transit-reference.png (x = reference, y = ours, minutes from the query time to arrival, 0..240, grid every 30 min; blue = no later, red = later; grey diagonal = equal)',
];
process.stdout.write(`${lines.join('\n')}\n`);
if (args.includes('--write')) {
  const file = join(here, 'results', 'transit.md');
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Transit benchmarks\n';
  const section = `## bench/transit-reference.bench.ts\n\n\`\`\`\n${lines.join('\n')}\n\`\`\`\n`;
  const re = /## bench\/transit-reference\.bench\.ts\n[\s\S]*?(?=\n## |$)/;
  writeFileSync(file, re.test(old) ? old.replace(re, section) : `${old.trimEnd()}\n\n${section}`);
}
if (args.includes('--debug')) {
  for (const o of out) {
    if (o.ours === NO_TIME || (o.base < o.ours)) {
      process.stdout.write(`${o.row.id} ours ${o.ours === NO_TIME ? 'none' : new Date(o.ours).toISOString()} base ${o.base === NO_TIME ? 'none' : new Date(o.base).toISOString()} ref ${new Date(o.row.refArr).toISOString()}\n`);
    }
  }
}
