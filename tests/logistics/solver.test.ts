import { describe, expect, it } from 'vitest';
import { readInstanceFile } from '../../services/logistics/vrp/readers.js';
import { checkSolution } from '../../services/logistics/vrp/checker.js';
import { solveInstance } from '../../services/logistics/vrp/solver/solve.js';
import type { JobSpec, VehicleSpec, VrpInstance } from '../../services/logistics/vrp/types.js';

const F = 'fixtures/vrp';

/** points on a grid; travel time = distance */
function planar(points: [number, number][], vehicles: Partial<VehicleSpec>[], jobs: JobSpec[]): VrpInstance {
  const n = points.length;
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) dist[i * n + j] = Math.hypot(points[i][0] - points[j][0], points[i][1] - points[j][1]);
  return {
    name: 'toy',
    format: 'dispatch',
    dims: jobs[0]?.amount.length ?? 1,
    matrices: [{ n, dist, time: dist }],
    vehicles: vehicles.map((v, i) => ({ id: `v${i}`, startLoc: 0, endLoc: 0, shift: [0, 1000], maxDuration: Infinity, capacity: [10], skills: 0, fixedCost: 0, costPerDistance: 1, costPerTime: 0, profile: 0, ...v })),
    jobs,
  };
}
const job = (id: string, loc: number, amount: number[], extra: Partial<JobSpec> = {}, windows: [number, number][] = []): JobSpec => ({
  id, kind: 'delivery', amount, stops: [{ ref: id, loc, service: 0, windows }], skills: 0, priority: 0, ...extra,
});

describe('SISR solver', () => {
  it('solves A-n32-k5 to its proven optimum 784 and the checker agrees', () => {
    const inst = readInstanceFile(`${F}/cvrp/A-n32-k5.vrp`);
    const r = solveInstance(inst, { objective: 'distance', iterations: 8000, seed: 1 });
    const c = checkSolution(inst, r);
    expect(c.feasible).toBe(true);
    expect(c.distance).toBe(r.distance);
    expect(r.distance).toBeGreaterThanOrEqual(784);
    expect(r.distance).toBeLessThanOrEqual(784 * 1.01);
  });

  it('beats the construction heuristic on C101 and reaches the best-known 10 vehicles', () => {
    const inst = readInstanceFile(`${F}/solomon/C101.txt`);
    const base = solveInstance(inst, { constructOnly: true });
    const r = solveInstance(inst, { iterations: 6000, seed: 3 });
    expect(checkSolution(inst, base).feasible).toBe(true);
    expect(checkSolution(inst, r).feasible).toBe(true);
    expect(r.vehicles).toBe(10);
    expect(r.distance).toBeLessThan(base.distance);
    expect(r.distance).toBeGreaterThanOrEqual(828.94 - 0.01); // cannot beat the proven optimum
  });

  it('keeps each Li & Lim pair in one vehicle, pickup first', () => {
    const inst = readInstanceFile(`${F}/li_lim/lr101.txt`);
    const r = solveInstance(inst, { iterations: 1500, seed: 2 });
    const c = checkSolution(inst, r);
    expect(c.violations).toEqual([]);
    expect(r.unassigned).toEqual([]);
    for (const job of inst.jobs) {
      const route = r.routes.find((rt) => rt.stops.includes(job.stops[0].ref))!;
      expect(route.stops.indexOf(job.stops[0].ref)).toBeLessThan(route.stops.indexOf(job.stops[1].ref));
    }
  });

  it('is deterministic for a seed and an iteration budget', () => {
    const inst = readInstanceFile(`${F}/solomon/RC101.txt`);
    const a = solveInstance(inst, { iterations: 800, seed: 7 });
    const b = solveInstance(inst, { iterations: 800, seed: 7 });
    expect(b.routes).toEqual(a.routes);
    expect(b.distance).toBe(a.distance);
  });

  it('leaves the low-priority job unassigned when not all fit, with a reason', () => {
    const inst = planar([[0, 0], [1, 0], [2, 0], [3, 0]], [{ capacity: [10] }], [
      job('low', 1, [6], { priority: 0 }),
      job('high', 2, [6], { priority: 2 }),
      job('mid', 3, [4], { priority: 1 }),
    ]);
    const r = solveInstance(inst, { iterations: 200, seed: 1 });
    expect(checkSolution(inst, r).feasible).toBe(true);
    expect(r.unassigned.map((u) => u.job)).toEqual(['low']);
    expect(r.unassigned[0].reason).toMatch(/not enough/);
  });

  it('explains jobs no vehicle can ever serve instead of dropping them', () => {
    const inst = planar([[0, 0], [1, 0], [50, 0], [2, 0]], [{ capacity: [10], skills: 0 }, { capacity: [5], skills: 1 }], [
      job('too-big', 1, [11]),
      job('too-far', 2, [1], {}, [[0, 10]]),
      job('fridge', 3, [1], { skills: 2 }),
      job('ok', 3, [1], { skills: 1 }),
    ]);
    const r = solveInstance(inst, { iterations: 100, seed: 1 });
    const reasons = Object.fromEntries(r.unassigned.map((u) => [u.job, u.reason]));
    expect(reasons['too-big']).toMatch(/load larger/);
    expect(reasons['too-far']).toMatch(/time windows/);
    expect(reasons['fridge']).toMatch(/skills/);
    expect(reasons['ok']).toBeUndefined();
    expect(r.routes.find((rt) => rt.stops.includes('ok'))!.vehicle).toBe('v1'); // only v1 has skill 1
    expect(checkSolution(inst, r).feasible).toBe(true);
  });

  it('uses the second time window and several capacity dimensions', () => {
    const inst = planar([[0, 0], [10, 0], [0, 10]], [{ capacity: [10, 2] }, { capacity: [10, 2] }], [
      job('a', 1, [1, 2], {}, [[0, 5], [30, 40]]),
      job('b', 2, [1, 1]),
      job('c', 2, [1, 1]),
    ]);
    const r = solveInstance(inst, { iterations: 300, seed: 1 });
    expect(checkSolution(inst, r).feasible).toBe(true);
    expect(r.unassigned).toEqual([]);
    // dimension 2 forces a second vehicle: a uses the whole second dimension
    expect(r.vehicles).toBe(2);
  });

  it('minimises distance alone with the distance objective (more vehicles allowed)', () => {
    // one vehicle must zig-zag A -> C -> B (windows force C before B); two vehicles do A -> B and C
    const inst = planar([[0, 0], [10, 0], [10, 1], [-10, 0]], [{}, {}], [
      job('A', 1, [1], {}, [[10, 10]]),
      job('B', 2, [1], {}, [[100, 100]]),
      job('C', 3, [1], {}, [[50, 50]]),
    ]);
    const hier = solveInstance(inst, { iterations: 200, seed: 1, objective: 'vehicles-distance' });
    const dist = solveInstance(inst, { iterations: 200, seed: 1, objective: 'distance' });
    expect(checkSolution(inst, hier).feasible).toBe(true);
    expect(checkSolution(inst, dist).feasible).toBe(true);
    expect(hier.vehicles).toBe(1);
    expect(hier.routes[0].stops).toEqual(['A', 'C', 'B']);
    expect(dist.vehicles).toBe(2);
    expect(dist.distance).toBeCloseTo(10 + 1 + Math.hypot(10, 1) + 20, 9);
  });
});
