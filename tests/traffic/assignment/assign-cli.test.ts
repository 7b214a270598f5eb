import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../app/cli/commands/assign.js';
import type { CliIo } from '../../../app/cli/cli-io.js';
import { parseTntpFlow } from '../../../core/tntp/index.js';

const DIR = 'fixtures/tntp/SiouxFalls';

function capture(): CliIo & { out: string[]; err: string[]; fractions: number[] } {
  const out: string[] = [];
  const err: string[] = [];
  const fractions: number[] = [];
  return { out, err, fractions, stdout: (t) => out.push(t), stderr: (t) => err.push(t), progress: () => ({ update: (f) => fractions.push(f), done() {} }) };
}

describe('urbanflow assign', () => {
  it('writes TNTP link flows equal to the best-known solution and prints one JSON summary', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'uf-assign-'));
    const out = join(tmp, 'flows.tsv');
    const io = capture();
    const status = await run(['--net', `${DIR}/SiouxFalls_net.tntp`, '--trips', `${DIR}/SiouxFalls_trips.tntp`, '--gap', '1e-12', '--out', out, '--json'], io);
    expect(status).toBe(0);
    expect(io.out).toHaveLength(1);
    const doc = JSON.parse(io.out[0]);
    expect(doc.relative_gap).toBeLessThan(1e-10);
    expect(doc.iterations).toBeGreaterThan(0);
    expect(Math.abs(doc.beckmann_objective - 4231335.28710744) / 4231335.28710744).toBeLessThan(1e-9);
    expect(doc.total_system_travel_time).toBeCloseTo(7480225.3449, 2);
    expect(io.fractions.length).toBeGreaterThan(0);
    const mine = parseTntpFlow(readFileSync(out, 'utf8'), out);
    const best = parseTntpFlow(readFileSync(`${DIR}/SiouxFalls_flow.tntp`, 'utf8'), 'best');
    expect(mine).toHaveLength(76);
    mine.forEach((r, a) => {
      expect([r.from, r.to]).toEqual([best[a].from, best[a].to]);
      expect(Math.abs(r.volume - best[a].volume)).toBeLessThan(1e-3);
      expect(Math.abs(r.cost - best[a].cost)).toBeLessThan(1e-6);
    });
  });

  it('bfw stops at the requested gap', async () => {
    const io = capture();
    await run(['--net', `${DIR}/SiouxFalls_net.tntp`, '--trips', `${DIR}/SiouxFalls_trips.tntp`, '--gap', '1e-4', '--algorithm', 'bfw', '--json'], io);
    const doc = JSON.parse(io.out[0]);
    expect(doc.algorithm).toBe('bfw');
    expect(doc.relative_gap).toBeLessThan(1e-4);
    expect(doc.converged).toBe(true);
  });

  it('malformed files and bad options are INVALID_FILE / INVALID_INPUT', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'uf-assign-'));
    const bad = join(tmp, 'bad_net.tntp');
    writeFileSync(bad, readFileSync(`${DIR}/SiouxFalls_net.tntp`, 'utf8').replace('<NUMBER OF LINKS> 76', '<NUMBER OF LINKS> 75'));
    const io = capture();
    await expect(run(['--net', bad, '--trips', `${DIR}/SiouxFalls_trips.tntp`], io)).rejects.toMatchObject({ code: 'INVALID_FILE', message: expect.stringContaining('bad_net.tntp') });
    await expect(run(['--net', `${DIR}/SiouxFalls_net.tntp`, '--trips', `${DIR}/SiouxFalls_trips.tntp`, '--algorithm', 'x'], io)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'algorithm' });
    await expect(run(['--net', `${DIR}/SiouxFalls_net.tntp`, '--trips', `${DIR}/SiouxFalls_trips.tntp`, '--gap', 'abc'], io)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'gap' });
    await expect(run(['--net', `${DIR}/SiouxFalls_net.tntp`, '--trips', `${DIR}/SiouxFalls_net.tntp`], io)).rejects.toMatchObject({ code: 'INVALID_FILE' });
    await expect(run(['--trips', `${DIR}/SiouxFalls_trips.tntp`], io)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'net' });
  });
});
