import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { invalidFile, invalidInput } from '../../../core/errors/index.js';
import type { JobSpec, StopSpec, TravelMatrices, VehicleSpec, VrpInstance } from './types.js';

/**
 * Readers for the classic benchmark formats. Distance conventions follow the published best-known values:
 * Solomon and Li & Lim use double-precision Euclidean distance with travel time = distance; CVRPLIB EUC_2D
 * rounds each edge to the nearest integer (TSPLIB nint). Line ends may be LF or CRLF.
 */
export type InstanceFormat = 'solomon' | 'lilim' | 'cvrplib';

export function readInstanceFile(file: string, format?: InstanceFormat): VrpInstance {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw invalidFile(file, `cannot read: ${(e as Error).message}`);
  }
  const fmt = format ?? detectFormat(text, file);
  const name = basename(file).replace(/\.(txt|vrp)$/i, '');
  if (fmt === 'solomon') return parseSolomon(text, name, file);
  if (fmt === 'lilim') return parseLiLim(text, name, file);
  return parseCvrplib(text, name, file);
}

export function detectFormat(text: string, file = 'instance'): InstanceFormat {
  if (/^\s*(NAME|TYPE|DIMENSION)\s*:/m.test(text)) return 'cvrplib';
  if (/VEHICLE/i.test(text) && /CUSTOMER/i.test(text)) return 'solomon';
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '');
  if (first && first.trim().split(/\s+/).length === 3) return 'lilim';
  throw invalidFile(file, 'unknown instance format (give --format solomon|lilim|cvrplib)');
}

function numbers(line: string): number[] {
  return line.trim().split(/\s+/).filter(Boolean).map(Number);
}

function euclidMatrices(xs: number[], ys: number[], round: boolean, speed = 1): TravelMatrices {
  const n = xs.length;
  const dist = new Float64Array(n * n);
  const time = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let d = Math.sqrt((xs[i] - xs[j]) ** 2 + (ys[i] - ys[j]) ** 2);
      if (round) d = Math.floor(d + 0.5);
      dist[i * n + j] = d;
      time[i * n + j] = d / speed;
    }
  }
  return { n, dist, time };
}

function coordsOf(xs: number[], ys: number[]): Float64Array {
  const c = new Float64Array(xs.length * 2);
  xs.forEach((x, i) => {
    c[2 * i] = x;
    c[2 * i + 1] = ys[i];
  });
  return c;
}

function fleet(k: number, q: number, depot: number, shift: [number, number]): VehicleSpec[] {
  return Array.from({ length: k }, (_, i) => ({
    id: String(i + 1),
    startLoc: depot,
    endLoc: depot,
    shift: [shift[0], shift[1]] as [number, number],
    maxDuration: Infinity,
    capacity: [q],
    skills: 0,
    fixedCost: 0,
    costPerDistance: 1,
    costPerTime: 0,
    profile: 0,
  }));
}

function checkRow(row: number[], want: number, file: string, lineNo: number): void {
  if (row.length < want || row.some((v) => !Number.isFinite(v))) {
    throw invalidFile(file, `line ${lineNo}: expected ${want} numbers, got '${row.join(' ')}'`);
  }
}

/** Solomon VRPTW: "VEHICLE / NUMBER CAPACITY / K Q / CUSTOMER / rows: no x y demand ready due service". */
export function parseSolomon(text: string, name: string, file = name): VrpInstance {
  const lines = text.split(/\r?\n/);
  let k = NaN;
  let q = NaN;
  const rows: number[][] = [];
  let inCustomers = false;
  lines.forEach((line, i) => {
    const t = line.trim();
    if (!t) return;
    if (/^CUSTOMER/i.test(t)) {
      inCustomers = true;
      return;
    }
    const nums = numbers(t);
    if (!inCustomers) {
      if (nums.length === 2 && nums.every(Number.isFinite) && Number.isNaN(k)) [k, q] = nums;
      return;
    }
    if (!Number.isFinite(nums[0])) return; // column header
    checkRow(nums, 7, file, i + 1);
    rows.push(nums);
  });
  if (!(k > 0) || !(q > 0)) throw invalidFile(file, 'missing VEHICLE NUMBER and CAPACITY');
  if (rows.length < 2) throw invalidFile(file, 'no customers');
  if (rows[0][0] !== 0) throw invalidFile(file, 'the first customer row must be the depot (number 0)');
  const xs = rows.map((r) => r[1]);
  const ys = rows.map((r) => r[2]);
  const jobs: JobSpec[] = rows.slice(1).map((r, i) => ({
    id: String(r[0]),
    kind: 'delivery',
    amount: [r[3]],
    stops: [{ ref: r[0], loc: i + 1, service: r[6], windows: [[r[4], r[5]]] }],
    skills: 0,
    priority: 0,
  }));
  return {
    name,
    format: 'solomon',
    dims: 1,
    matrices: [euclidMatrices(xs, ys, false)],
    vehicles: fleet(k, q, 0, [rows[0][4], rows[0][5]]),
    jobs,
    coords: coordsOf(xs, ys),
  };
}

/** Li & Lim PDPTW: "K Q speed", then rows: id x y demand ready due service pickupOf deliveryTo. */
export function parseLiLim(text: string, name: string, file = name): VrpInstance {
  const lines = text.split(/\r?\n/);
  let header: number[] | undefined;
  const rows: number[][] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const nums = numbers(line);
    if (!header) {
      checkRow(nums, 3, file, i + 1);
      header = nums;
      return;
    }
    checkRow(nums, 9, file, i + 1);
    rows.push(nums);
  });
  if (!header || rows.length < 3) throw invalidFile(file, 'no tasks');
  const [k, q, speed] = header;
  if (!(speed > 0)) throw invalidFile(file, 'speed must be positive');
  const byId = new Map<number, { row: number[]; loc: number }>();
  rows.forEach((r, loc) => byId.set(r[0], { row: r, loc }));
  if (rows[0][0] !== 0) throw invalidFile(file, 'the first task row must be the depot (id 0)');
  const xs = rows.map((r) => r[1]);
  const ys = rows.map((r) => r[2]);
  const stop = (r: number[], loc: number): StopSpec => ({ ref: r[0], loc, service: r[6], windows: [[r[4], r[5]]] });
  const jobs: JobSpec[] = [];
  rows.forEach((r, loc) => {
    if (loc === 0) return;
    const [id, , , demand, , , , pickupOf, deliveryTo] = r;
    if (pickupOf === 0) {
      const d = byId.get(deliveryTo);
      if (!d || d.row[7] !== id) throw invalidFile(file, `task ${id}: its delivery ${deliveryTo} does not point back to it`);
      if (demand < 0) throw invalidFile(file, `task ${id}: a pickup must have a non-negative demand`);
      jobs.push({ id: `${id}-${deliveryTo}`, kind: 'shipment', amount: [demand], stops: [stop(r, loc), stop(d.row, d.loc)], skills: 0, priority: 0 });
    } else if (!byId.has(pickupOf) || byId.get(pickupOf)!.row[8] !== id) {
      throw invalidFile(file, `task ${id}: its pickup ${pickupOf} does not point back to it`);
    }
  });
  return {
    name,
    format: 'lilim',
    dims: 1,
    matrices: [euclidMatrices(xs, ys, false, speed)],
    vehicles: fleet(k, q, 0, [rows[0][4], rows[0][5]]),
    jobs,
    coords: coordsOf(xs, ys),
  };
}

/**
 * CVRPLIB (TSPLIB-style) CVRP with EUC_2D. Customers are numbered as in CVRPLIB solution files:
 * node id - 1 when the depot is node 1 (the convention of the .sol files). No time windows; the fleet is
 * unlimited (one vehicle per customer available).
 */
export function parseCvrplib(text: string, name: string, file = name): VrpInstance {
  const lines = text.split(/\r?\n/);
  const head: Record<string, string> = {};
  let section = '';
  const coords = new Map<number, [number, number]>();
  const demand = new Map<number, number>();
  const depots: number[] = [];
  lines.forEach((line, i) => {
    const t = line.trim();
    if (!t || t === 'EOF') return;
    const kv = /^([A-Z_]+)\s*:\s*(.*)$/.exec(t);
    if (kv) {
      head[kv[1]] = kv[2].trim().replace(/^"|"$/g, '');
      section = '';
      return;
    }
    if (/^[A-Z_]+_SECTION$/.test(t)) {
      section = t;
      return;
    }
    const nums = numbers(t);
    if (section === 'NODE_COORD_SECTION') {
      checkRow(nums, 3, file, i + 1);
      coords.set(nums[0], [nums[1], nums[2]]);
    } else if (section === 'DEMAND_SECTION') {
      checkRow(nums, 2, file, i + 1);
      demand.set(nums[0], nums[1]);
    } else if (section === 'DEPOT_SECTION') {
      if (nums[0] !== -1) depots.push(nums[0]);
    } else {
      throw invalidFile(file, `line ${i + 1}: unexpected '${t.slice(0, 40)}'`);
    }
  });
  const dim = Number(head.DIMENSION);
  const cap = Number(head.CAPACITY);
  if (!(dim > 1)) throw invalidFile(file, 'DIMENSION missing or invalid');
  if (!(cap > 0)) throw invalidFile(file, 'CAPACITY missing or invalid');
  if ((head.EDGE_WEIGHT_TYPE ?? 'EUC_2D') !== 'EUC_2D') throw invalidFile(file, `EDGE_WEIGHT_TYPE ${head.EDGE_WEIGHT_TYPE} is not supported (EUC_2D only)`);
  if (coords.size !== dim) throw invalidFile(file, `NODE_COORD_SECTION has ${coords.size} nodes, DIMENSION says ${dim}`);
  if (depots.length !== 1) throw invalidFile(file, 'DEPOT_SECTION must list exactly one depot');
  const ids = [...coords.keys()].sort((a, b) => a - b);
  const depot = depots[0];
  const order = [depot, ...ids.filter((id) => id !== depot)];
  const xs = order.map((id) => coords.get(id)![0]);
  const ys = order.map((id) => coords.get(id)![1]);
  const jobs: JobSpec[] = order.slice(1).map((id, i) => {
    const q = demand.get(id);
    if (q === undefined) throw invalidFile(file, `node ${id} has no demand`);
    const ref = depot === 1 ? id - 1 : id;
    return { id: String(ref), kind: 'delivery', amount: [q], stops: [{ ref, loc: i + 1, service: 0, windows: [] }], skills: 0, priority: 0 };
  });
  for (const j of jobs) if (j.amount[0] > cap) throw invalidFile(file, `customer ${j.id} demand ${j.amount[0]} exceeds capacity ${cap}`);
  return {
    name: head.NAME || name,
    format: 'cvrplib',
    dims: 1,
    matrices: [euclidMatrices(xs, ys, true)],
    vehicles: fleet(jobs.length, cap, 0, [0, Infinity]),
    jobs,
    coords: coordsOf(xs, ys),
  };
}

/** CVRPLIB .sol ("Route #1: 3 5 ...") to lists of customer numbers. */
export function parseCvrpSolution(text: string, file = 'solution'): number[][] {
  const routes: number[][] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^Route\s*#\d+\s*:(.*)$/i.exec(line.trim());
    if (m) routes.push(numbers(m[1]).filter((x) => !Number.isNaN(x)));
  }
  if (routes.length === 0) throw invalidFile(file, 'no "Route #k:" lines');
  return routes;
}

export function parseFormat(value: string | undefined): InstanceFormat | undefined {
  if (value === undefined) return undefined;
  if (value === 'solomon' || value === 'lilim' || value === 'cvrplib') return value;
  throw invalidInput('format', `--format must be solomon, lilim or cvrplib, got '${value}'`);
}
