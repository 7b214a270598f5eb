import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readInstanceFile, parseSolomon, parseCvrplib, parseLiLim, parseCvrpSolution, detectFormat } from '../../services/logistics/vrp/readers.js';
import { checkSolution } from '../../services/logistics/vrp/checker.js';
import { isUrbanflowError } from '../../core/errors/index.js';

const F = 'fixtures/vrp';

describe('VRP readers on the real benchmark files', () => {
  it('reads every Solomon instance, including R101 with CRLF line ends', () => {
    expect(readFileSync(`${F}/solomon/R101.txt`, 'utf8')).toContain('\r\n');
    for (const name of ['C101', 'R101', 'RC101', 'C201', 'R201', 'RC201']) {
      const inst = readInstanceFile(`${F}/solomon/${name}.txt`);
      expect(inst.format).toBe('solomon');
      expect(inst.jobs).toHaveLength(100);
      expect(inst.vehicles).toHaveLength(25);
      expect(inst.jobs.every((j) => j.kind === 'delivery' && j.stops[0].windows.length === 1)).toBe(true);
    }
    const r101 = readInstanceFile(`${F}/solomon/R101.txt`);
    expect(r101.vehicles[0].capacity).toEqual([200]);
    expect(r101.vehicles[0].shift).toEqual([0, 230]);
    // customer 1 of R101: (41,49) demand 10, window [161,171], service 10; depot (35,35)
    expect(r101.jobs[0]).toMatchObject({ id: '1', amount: [10], stops: [{ ref: 1, service: 10, windows: [[161, 171]] }] });
    const m = r101.matrices[0];
    expect(m.dist[0 * m.n + 1]).toBeCloseTo(Math.hypot(6, 14), 12); // double precision, no rounding
    expect(m.time[0 * m.n + 1]).toBe(m.dist[0 * m.n + 1]);
  });

  it('pairs Li & Lim pickups with their deliveries', () => {
    const inst = readInstanceFile(`${F}/li_lim/lc101.txt`);
    expect(inst.format).toBe('lilim');
    expect(inst.jobs).toHaveLength(53);
    expect(inst.jobs.every((j) => j.kind === 'shipment' && j.stops.length === 2)).toBe(true);
    // task 3 picks up 10 and its delivery is task 75
    const j = inst.jobs.find((x) => x.stops[0].ref === 3)!;
    expect(j.stops[1].ref).toBe(75);
    expect(j.amount).toEqual([10]);
  });

  it('rounds CVRPLIB EUC_2D edges and numbers customers like the .sol files', () => {
    const inst = readInstanceFile(`${F}/cvrp/X-n101-k25.vrp`);
    expect(inst.format).toBe('cvrplib');
    expect(inst.jobs).toHaveLength(100);
    const m = inst.matrices[0];
    for (let k = 0; k < 200; k++) expect(Number.isInteger(m.dist[k])).toBe(true);
    // node 1 (365,689) is the depot, node 2 (146,180) is customer 1
    expect(inst.jobs[0].stops[0].ref).toBe(1);
    expect(m.dist[1]).toBe(Math.floor(Math.hypot(365 - 146, 689 - 180) + 0.5));
  });

  it('the published optimal X-n101-k25 solution checks feasible at exactly 27591', () => {
    const inst = readInstanceFile(`${F}/cvrp/X-n101-k25.vrp`);
    const routes = parseCvrpSolution(readFileSync(`${F}/cvrp/X-n101-k25.sol`, 'utf8'));
    expect(routes).toHaveLength(26);
    const report = checkSolution(inst, { routes: routes.map((stops, i) => ({ vehicle: inst.vehicles[i].id, stops })), unassigned: [] });
    expect(report.violations).toEqual([]);
    expect(report.feasible).toBe(true);
    expect(report.distance).toBe(27591);
    expect(report.served).toBe(100);
  });

  it('detects formats and rejects malformed files with INVALID_FILE', () => {
    expect(detectFormat(readFileSync(`${F}/li_lim/lr101.txt`, 'utf8'))).toBe('lilim');
    expect(detectFormat(readFileSync(`${F}/solomon/C201.txt`, 'utf8'))).toBe('solomon');
    const bad = [
      () => parseSolomon('C1\nVEHICLE\nNUMBER CAPACITY\n 25 200\nCUSTOMER\n 0 1 2 3\n', 'x'),
      () => parseSolomon('C1\nCUSTOMER\n 0 35 35 0 0 230 0\n 1 41 49 10 161 171 10\n', 'x'),
      () => parseLiLim('25 200 1\n0 40 50 0 0 1236 0 0 0\n1 45 68 -10 912 967 90 11 0\n2 45 70 10 825 870 90 0 1\n', 'x'),
      () => parseCvrplib('NAME : t\nDIMENSION : 3\nCAPACITY : 10\nNODE_COORD_SECTION\n1 0 0\n2 1 1\nDEMAND_SECTION\n1 0\n2 1\nDEPOT_SECTION\n1\n-1\n', 'x'),
      () => parseCvrplib('NAME : t\nDIMENSION : 2\nCAPACITY : 10\nNODE_COORD_SECTION\n1 0 0\n2 1 1\nDEMAND_SECTION\n1 0\n2 11\nDEPOT_SECTION\n1\n-1\n', 'x'),
      () => readInstanceFile('fixtures/vrp/does-not-exist.txt'),
    ];
    for (const f of bad) {
      try {
        f();
        expect.unreachable('should throw');
      } catch (e) {
        expect(isUrbanflowError(e) && e.code).toBe('INVALID_FILE');
      }
    }
  });
});
