import { describe, expect, it } from 'vitest';
import { run } from '../../app/cli/commands/solve.js';
import type { CliIo } from '../../app/cli/cli-io.js';
import { isUrbanflowError } from '../../core/errors/index.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), progress: () => ({ update: () => {}, done: () => {} }) };
  return { io, out, err };
}

describe('urbanflow solve', () => {
  it('prints one checked JSON document with routes in the instance numbering', async () => {
    const c = capture();
    const status = await run(['--instance', 'fixtures/vrp/li_lim/lc101.txt', '--iterations', '300', '--seed', '4', '--json'], c.io);
    expect(status).toBe(0);
    expect(c.out).toHaveLength(1);
    const doc = JSON.parse(c.out[0]);
    expect(doc.feasible).toBe(true);
    expect(doc.unassigned).toEqual([]);
    expect(doc.routes).toHaveLength(doc.vehicles);
    const ids = doc.routes.flat().sort((a: number, b: number) => a - b);
    expect(ids).toEqual(Array.from({ length: 106 }, (_, i) => i + 1)); // every task 1..106 once, depot 0 excluded
    expect(typeof doc.distance).toBe('number');
    expect(typeof doc.seconds).toBe('number');
  });

  it('refuses bad arguments with INVALID_INPUT naming the option', async () => {
    const cases: [string[], string][] = [
      [['--time-limit', '1'], 'instance'],
      [['--instance', 'fixtures/vrp/cvrp/A-n32-k5.vrp', '--format', 'xml'], 'format'],
      [['--instance', 'fixtures/vrp/cvrp/A-n32-k5.vrp', '--time-limit', '0'], 'time-limit'],
      [['--instance', 'fixtures/vrp/cvrp/A-n32-k5.vrp', '--objective', 'fast'], 'objective'],
      [['--instance', 'fixtures/vrp/cvrp/A-n32-k5.vrp', '--seed', '1.5'], 'seed'],
    ];
    for (const [argv, field] of cases) {
      const err = await run(argv, capture().io).catch((e) => e);
      expect(isUrbanflowError(err) && err.code).toBe('INVALID_INPUT');
      expect(err.field).toBe(field);
    }
    const wrongFormat = await run(['--instance', 'fixtures/vrp/solomon/C101.txt', '--format', 'cvrplib', '--iterations', '1'], capture().io).catch((e) => e);
    expect(isUrbanflowError(wrongFormat) && wrongFormat.code).toBe('INVALID_FILE');
  });
});
