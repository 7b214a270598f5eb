import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../app/cli/commands/generate.js';
import type { CliIo } from '../../app/cli/cli-io.js';
import { isUrbanflowError } from '../../core/errors/index.js';

const root = mkdtempSync(join(tmpdir(), 'urbanflow-gen-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    progress: (label) => ({ update: (f) => err.push(`${label} ${f}`), done: () => err.push(`${label} done`) }),
  };
  return { io, out, err };
}

describe('urbanflow generate', () => {
  it('--json prints exactly one JSON document with counts and files; progress goes to stderr', async () => {
    const { io, out, err } = captureIo();
    const dir = join(root, 'j');
    const status = await run(['--size', '400', '--seed', '3', '--out', dir, '--json', '--skip', 'city.geojson'], io);
    expect(status).toBe(0);
    expect(out).toHaveLength(1);
    const doc = JSON.parse(out[0]);
    expect(doc.counts.edges).toBeGreaterThan(200);
    expect(doc.counts.zones).toBeGreaterThan(0);
    expect(doc.files.map((f: { name: string }) => f.name)).toContain('gtfs.zip');
    expect(readdirSync(dir)).not.toContain('city.geojson');
    expect(err.some((l) => l.startsWith('generate'))).toBe(true);
  });

  it('prints counts and files in plain text', async () => {
    const { io, out } = captureIo();
    const status = await run(['--size', '300', '--seed', '1', '--out', join(root, 't'), '--centre', '8.5,49.5', '--image-width', '200'], io);
    expect(status).toBe(0);
    expect(out.join('\n')).toMatch(/edges/);
    expect(out.join('\n')).toMatch(/city\.graph/);
  });

  it('refuses bad arguments with INVALID_INPUT naming the option', async () => {
    const cases: [string[], string][] = [
      [['--seed', '1', '--out', root], 'size'],
      [['--size', '50', '--seed', '1', '--out', root], 'size'],
      [['--size', '500', '--seed', '1.5', '--out', root], 'seed'],
      [['--size', '500', '--seed', '1'], 'out'],
      [['--size', '500', '--seed', '1', '--out', root, '--centre', '500,1'], 'centre'],
      [['--size', '500', '--seed', '1', '--out', root, '--skip', 'nope.txt'], 'skip'],
    ];
    for (const [args, field] of cases) {
      const { io } = captureIo();
      let err: unknown;
      try {
        await run(args, io);
      } catch (e) {
        err = e;
      }
      expect(isUrbanflowError(err), args.join(' ')).toBe(true);
      expect((err as { code: string }).code).toBe('INVALID_INPUT');
      expect((err as { field: string }).field, args.join(' ')).toBe(field);
    }
  });
});
