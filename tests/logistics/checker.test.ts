import { describe, expect, it } from 'vitest';
import { checkSolution } from '../../services/logistics/vrp/checker.js';
import type { VrpInstance } from '../../services/logistics/vrp/types.js';

/** a line: hub at x=0, stops at x=1..4; time = distance */
function line(): VrpInstance {
  const xs = [0, 1, 2, 3, 4];
  const n = xs.length;
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) dist[i * n + j] = Math.abs(xs[i] - xs[j]);
  return {
    name: 'line',
    format: 'dispatch',
    dims: 1,
    matrices: [{ n, dist, time: dist }],
    vehicles: [{ id: 'v1', startLoc: 0, endLoc: 0, shift: [0, 100], maxDuration: Infinity, capacity: [10], skills: 0, fixedCost: 0, costPerDistance: 1, costPerTime: 0, profile: 0 }],
    jobs: [
      { id: 'a', kind: 'delivery', amount: [4], stops: [{ ref: 'a', loc: 1, service: 1, windows: [[0, 5]] }], skills: 0, priority: 0 },
      { id: 'b', kind: 'delivery', amount: [4], stops: [{ ref: 'b', loc: 2, service: 1, windows: [[0, 3], [10, 20]] }], skills: 0, priority: 0 },
      { id: 's', kind: 'shipment', amount: [5], stops: [{ ref: 's+', loc: 3, service: 0, windows: [] }, { ref: 's-', loc: 4, service: 0, windows: [] }], skills: 0, priority: 0 },
    ],
  };
}

describe('independent checker', () => {
  it('accepts a feasible route and recomputes its distance', () => {
    const r = checkSolution(line(), { routes: [{ vehicle: 'v1', stops: ['a', 'b', 's+', 's-'] }], unassigned: [] });
    expect(r.violations).toEqual([]);
    expect(r.distance).toBe(8);
    expect(r.vehicles).toBe(1);
  });

  it('waits for a later window and flags an arrival after the last one', () => {
    const inst = line();
    // b first: arrive 2, window [0,3] ok; then a at 2+1+1=4 ok
    expect(checkSolution(inst, { routes: [{ vehicle: 'v1', stops: ['b', 'a', 's+', 's-'] }], unassigned: [] }).feasible).toBe(true);
    inst.jobs[1].stops[0].windows = [[0, 1]];
    const r = checkSolution(inst, { routes: [{ vehicle: 'v1', stops: ['a', 'b', 's+', 's-'] }], unassigned: [] });
    expect(r.feasible).toBe(false);
    expect(r.violations.join()).toMatch(/stop b: arrival/);
  });

  it('flags overload, delivery before pickup, split shipments and silently dropped jobs', () => {
    const inst = line();
    inst.jobs[2].amount = [3];
    inst.vehicles[0].capacity = [10];
    // load at start 8; after pickup of 3 at s+ (after a, b delivered) fine; but with shipment picked first: 8+3 = 11 > 10
    const over = checkSolution(inst, { routes: [{ vehicle: 'v1', stops: ['s+', 's-', 'a', 'b'] }], unassigned: [] });
    expect(over.violations.join()).toMatch(/load 11 > capacity 10/);
    const order = checkSolution(line(), { routes: [{ vehicle: 'v1', stops: ['a', 'b', 's-', 's+'] }], unassigned: [] });
    expect(order.violations.join()).toMatch(/delivery before pickup/);
    const inst2 = line();
    inst2.vehicles.push({ ...inst2.vehicles[0], id: 'v2' });
    const split = checkSolution(inst2, { routes: [{ vehicle: 'v1', stops: ['a', 'b', 's+'] }, { vehicle: 'v2', stops: ['s-'] }], unassigned: [] });
    expect(split.violations.join()).toMatch(/different vehicles/);
    const dropped = checkSolution(line(), { routes: [{ vehicle: 'v1', stops: ['a', 's+', 's-'] }], unassigned: [] });
    expect(dropped.violations.join()).toMatch(/job b neither served nor reported unassigned/);
    const reported = checkSolution(line(), { routes: [{ vehicle: 'v1', stops: ['a', 's+', 's-'] }], unassigned: [{ job: 'b', reason: 'x' }] });
    expect(reported.feasible).toBe(true);
    expect(reported.unassigned).toBe(1);
  });

  it('flags a missed shift end, a too-long route, a missing skill and a repeated stop', () => {
    const inst = line();
    inst.vehicles[0].shift = [0, 7];
    expect(checkSolution(inst, { routes: [{ vehicle: 'v1', stops: ['a', 'b', 's+', 's-'] }], unassigned: [] }).violations.join()).toMatch(/after the shift end/);
    const inst2 = line();
    inst2.vehicles[0].maxDuration = 9;
    expect(checkSolution(inst2, { routes: [{ vehicle: 'v1', stops: ['a', 'b', 's+', 's-'] }], unassigned: [] }).violations.join()).toMatch(/lasts 10\.00 > max 9/);
    const inst3 = line();
    inst3.jobs[0].skills = 1;
    expect(checkSolution(inst3, { routes: [{ vehicle: 'v1', stops: ['a', 'b', 's+', 's-'] }], unassigned: [] }).violations.join()).toMatch(/lacks a required skill/);
    expect(checkSolution(line(), { routes: [{ vehicle: 'v1', stops: ['a', 'a', 'b', 's+', 's-'] }], unassigned: [] }).violations.join()).toMatch(/visited twice/);
  });
});
